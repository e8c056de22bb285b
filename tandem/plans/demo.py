"""Training plans of the demo consortium, on top of `tandem.cultivation.demo`.

Zhang (doctoral, WMU → EMU, tutors Li and Chen): version 1 signed by both tutors; version 2, a
health-related adjustment with a confidential note, signed too. The proposal and the mid-term
review passed (the mid-term after one revision), a conference abstract awaits review, and the
thesis submission (due by 31 October 2026) is overdue. Song (completed): a signed plan with
every milestone passed. Cultivations that do not exist yet are skipped.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tandem.accounts.models import User
from tandem.cultivation.demo import demo_cultivation
from tandem.cultivation.models import JointCultivation
from tandem.plans import services, services_milestone
from tandem.plans.models import PlanVersion, TrainingPlan

D = datetime.date


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, f"%PDF-1.4 demo evidence: {name}".encode(), content_type="application/pdf"
    )


def _write_first_version(
    cultivation: JointCultivation, writer: User, courses: list, windows: dict
) -> PlanVersion:
    plan = services.plan_start(actor=writer, cultivation=cultivation)
    version = plan.versions.get()
    for title, credits, kind, institution, term in courses:
        services.plan_course_add(
            actor=writer,
            version=version,
            title=title,
            credits=Decimal(credits),
            kind=kind,
            institution=institution,
            term=term,
        )
    for kind, (title, earliest, latest) in windows.items():
        services.plan_milestone_add(
            actor=cultivation.trainee,
            version=version,
            kind=kind,
            title=title,
            earliest=earliest,
            latest=latest,
        )
    return version


def _sign_both(version: PlanVersion, first: User, second: User) -> None:
    services.plan_version_sign(actor=first, version=version)
    services.plan_version_sign(actor=second, version=version)


def _pass(plan: TrainingPlan, kind: str, trainee: User, reviewer: User, comments: str = "") -> None:
    milestone = plan.milestones.get(kind=kind)
    services_milestone.milestone_submit(
        actor=trainee, milestone=milestone, files=[_file(f"{kind}.pdf")]
    )
    services_milestone.milestone_review(
        actor=reviewer,
        milestone=milestone,
        outcome="passed",
        comments=comments,
        examiners="Prof. Li Wei; Prof. Chen Jing",
    )


def _zhang(people: dict[str, User]) -> None:
    cultivation = demo_cultivation("trainee.zhang")
    if cultivation is None or TrainingPlan.objects.filter(cultivation=cultivation).exists():
        return
    li, chen, zhang = people["tutor.li"], people["tutor.chen"], cultivation.trainee
    home, host = cultivation.home, cultivation.host
    version = _write_first_version(
        cultivation,
        li,
        [
            ("Advanced radiation biology", "4", "compulsory", host, "2024 autumn"),
            ("Tumour microenvironment seminar", "3", "compulsory", host, "2025 spring"),
            ("Medical statistics", "3", "compulsory", home, "2024 autumn"),
            ("Scientific writing in English", "2", "elective", home, "2025 spring"),
            ("Research ethics", "2", "compulsory", home, "2024 autumn"),
            ("Laboratory animal science", "2", "elective", host, "2025 autumn"),
        ],
        {
            "proposal": ("", D(2024, 11, 1), D(2024, 12, 20)),
            "mid_term": ("", D(2025, 9, 1), D(2025, 12, 31)),
            "thesis_submission": ("", D(2026, 9, 1), D(2026, 10, 31)),
            "defence": ("", D(2027, 4, 1), D(2027, 5, 31)),
        },
    )
    _sign_both(version, li, chen)
    plan = version.plan
    _pass(plan, "proposal", zhang, li, "A clear hypothesis and a feasible design.")
    mid_term = plan.milestones.get(kind="mid_term")
    services_milestone.milestone_submit(
        actor=zhang, milestone=mid_term, files=[_file("mid-term.pdf")]
    )
    services_milestone.milestone_review(
        actor=chen,
        milestone=mid_term,
        outcome="needs_revision",
        comments="Add the hypoxia controls before the review panel.",
        examiners="Mid-term panel",
    )
    services_milestone.milestone_submit(
        actor=zhang,
        milestone=mid_term,
        files=[_file("mid-term-revised.pdf")],
        note="Controls added.",
    )
    services_milestone.milestone_review(
        actor=people["coord.emu"], milestone=mid_term, outcome="passed", examiners="Mid-term panel"
    )
    # A health-related adjustment: the defence moves to the end of the planned period.
    revision = services.plan_revise(
        actor=zhang,
        plan=plan,
        reason_kind="health",
        reason="Hospitalised for three weeks (pneumonia) in March 2026; needs lighter lab "
        "work until May.",
    )
    services.plan_milestone_window_set(
        actor=li,
        version=revision,
        milestone=plan.milestones.get(kind="defence"),
        earliest=D(2027, 5, 1),
        latest=D(2027, 6, 30),
    )
    services.plan_milestone_add(
        actor=zhang,
        version=revision,
        kind="other",
        title="Conference abstract (ASTRO)",
        earliest=D(2026, 10, 1),
        latest=D(2027, 3, 31),
    )
    _sign_both(revision, chen, li)
    abstract = plan.milestones.get(kind="other")
    services_milestone.milestone_submit(
        actor=zhang, milestone=abstract, files=[_file("abstract.pdf")]
    )


def _song(people: dict[str, User]) -> None:
    cultivation = demo_cultivation("trainee.song")
    if cultivation is None or TrainingPlan.objects.filter(cultivation=cultivation).exists():
        return
    li, chen = people["tutor.li"], people["tutor.chen"]
    home, host = cultivation.home, cultivation.host
    version = _write_first_version(
        cultivation,
        chen,
        [
            ("Respiratory physiology", "6", "compulsory", host, "2023 autumn"),
            ("High-altitude medicine", "6", "compulsory", home, "2024 spring"),
            ("Medical statistics", "4", "compulsory", home, "2023 autumn"),
        ],
        {
            "proposal": ("", D(2023, 10, 1), D(2023, 12, 31)),
            "mid_term": ("", D(2024, 6, 1), D(2024, 9, 30)),
            "thesis_submission": ("", D(2025, 3, 1), D(2025, 4, 30)),
            "defence": ("", D(2025, 5, 15), D(2025, 6, 30)),
        },
    )
    _sign_both(version, li, chen)
    for kind in ("proposal", "mid_term", "thesis_submission", "defence"):
        _pass(version.plan, kind, cultivation.trainee, li)


@transaction.atomic
def load_demo() -> None:
    """Create the demo training plans. Call after `tandem.cultivation.demo.load_demo()`;
    running it again changes nothing."""
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["tutor.li", "tutor.chen", "coord.emu"])
    }
    if len(people) < 3:
        return
    _zhang(people)
    _song(people)
