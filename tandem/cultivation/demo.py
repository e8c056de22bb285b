"""Joint cultivations of the demo consortium, one in every state, built through the services.

On top of `tandem.portal.demo`: Zhang (doctoral, WMU) is active at EMU with Prof. Li first in
charge and Prof. Chen as theoretical tutor, responsibilities signed; Liu is proposed; Song has
completed; Yang (EMU) is approved and waits for a second tutor; Wu (WMU) is suspended at CIBR;
Zhou (EMU) was terminated, both sides agreeing, through the termination service (decision 098:
the pair ended, the stay cut, the end recorded). Tutors have training records.

Then, each step skipped when it is there already: the WMU–EMU and WMU–CIBR agreements carry a
template for the division of responsibilities; a new CIBR tutor, Dr. Zhu, joins; and tutor
changes in each state — Yang's experimental tutor changed from Dr. Ma to Prof. Chen (approved by
both sides), Wu's theoretical tutor change rejected by CIBR, and Wu's experimental tutor change
to Dr. Zhu awaiting approval.

The other demos find these cultivations by their keys (`demo_cultivation`), never as "the
latest" or "the active one" of a trainee: people using the demo add cultivations of their own.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Role, User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.cultivation import (
    services,
    services_ending,
    services_responsibility,
    services_training,
    services_tutor,
)
from tandem.cultivation.models import (
    DEFAULT_RESPONSIBILITIES,
    ChangeRequestStatus,
    JointCultivation,
    ResponsibilityTemplateItem,
    TraineeInsurance,
    TutorChangeRequest,
    TutorTrainingRequirement,
)
from tandem.institutions.models import Institution

EXTRA_TRAINEES = [
    # username, full name, institution, kind, cohort, specialty, number
    ("trainee.wu", "Wu Tong", "wmu", "academic_master", 2025, "Molecular imaging", "W2025M131"),
    ("trainee.zhou", "Zhou Yi", "emu", "academic_master", 2024, "Physiology", "E2024M077"),
]


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


# The identity of each demo cultivation: trainee, research topic and planned start.
DEMO_CULTIVATIONS = {
    "trainee.zhang": ("Radiotherapy resistance of hypoxic tumour cells", _d(2024, 9, 1)),
    "trainee.song": ("Cardiopulmonary adaptation to hypoxia", _d(2023, 9, 1)),
    "trainee.liu": ("Pharmacokinetics of antibody–drug conjugates", _d(2026, 9, 1)),
    "trainee.yang": ("Imaging of pulmonary hypertension at altitude", _d(2026, 3, 1)),
    "trainee.wu": ("PET probes for hypoxic tissue", _d(2025, 9, 1)),
    "trainee.zhou": ("Hypoxia and sleep", _d(2025, 3, 1)),
}


def demo_cultivation(username: str) -> JointCultivation | None:
    """The demo's own cultivation of `username`, whatever else people have added since."""
    topic, start = DEMO_CULTIVATIONS[username]
    return (
        JointCultivation.objects.filter(
            trainee__username=username, research_topic=topic, planned_start=start
        )
        .select_related("home", "host", "trainee")
        .order_by("pk")
        .first()
    )


def _add_trainees(institutions: dict[str, Institution]) -> None:
    """Two more trainees, enrolled by their coordinators through the accounts services."""
    password = User.objects.get(username="admin").password  # the hash of the demo password
    for username, name, code, kind, cohort, specialty, number in EXTRA_TRAINEES:
        if User.objects.filter(username=username).exists():
            continue
        user = demo_account(username, name, password, "zh-hans")
        coordinator = User.objects.get(username=f"coord.{code}")
        accounts.membership_add(
            actor=coordinator, user=user, role=Role.TRAINEE, institution=institutions[code]
        )
        accounts.trainee_profile_save(
            actor=coordinator,
            user=user,
            kind=kind,
            cohort=cohort,
            specialty=specialty,
            student_numbers={institutions[code].pk: number},
        )


@transaction.atomic
def load_demo() -> None:
    """Create the demo joint cultivations, after `tandem.portal.demo.load_demo()`; then the
    templates and tutor changes. Running it again changes nothing."""
    _load_cultivations()
    _responsibility_templates()
    _tutor_changes()


def _load_cultivations() -> None:
    if demo_cultivation("trainee.zhang") is not None:
        return
    institutions = {i.code: i for i in Institution.objects.all()}
    _add_trainees(institutions)
    people = {u.username: u for u in User.objects.all()}
    wmu, emu, cibr = institutions["wmu"], institutions["emu"], institutions["cibr"]
    wmu_emu = Agreement.objects.get(
        title="WMU–EMU joint cultivation of medical postgraduates",
        status=AgreementStatus.ACTIVE,
    )
    wmu_cibr = Agreement.objects.get(title="WMU–CIBR research training agreement")
    coord = {code: people[f"coord.{code}"] for code in ("wmu", "emu", "cibr")}

    def propose(trainee, agreement, home, host, start, end, topic, stays, mode="sequential"):
        assert DEMO_CULTIVATIONS[trainee] == (topic, start), "keep DEMO_CULTIVATIONS in step"
        return services.cultivation_propose(
            actor=coord[home.code],
            trainee=people[trainee],
            agreement=agreement,
            home=home,
            host=host,
            planned_start=start,
            planned_end=end,
            stay_mode=mode,
            research_topic=topic,
            stays=[
                {"institution": site, "start": a, "end": b, "purpose": purpose}
                for site, a, b, purpose in stays
            ],
        )

    def approve_both(cultivation):
        for institution in (cultivation.home, cultivation.host):
            services.cultivation_approve(
                actor=coord[institution.code], cultivation=cultivation, institution=institution
            )

    def pair(cultivation, experimental, theoretical):
        actor = coord[cultivation.home.code]
        if experimental:
            services_tutor.tutor_assign(
                actor=actor,
                cultivation=cultivation,
                tutor=people[experimental],
                role="experimental",
            )
        if theoretical:
            services_tutor.tutor_assign(
                actor=actor, cultivation=cultivation, tutor=people[theoretical], role="theoretical"
            )

    def divide_and_sign(cultivation, tutors):
        services_responsibility.responsibilities_divide(
            actor=coord[cultivation.home.code],
            cultivation=cultivation,
            items=[
                {"key": key.value, "title": "", "role": role.value}
                for key, role in DEFAULT_RESPONSIBILITIES.items()
            ],
        )
        for username in tutors:
            services_responsibility.responsibilities_sign(
                actor=people[username], cultivation=cultivation
            )

    def decide(cultivation, action, code, reason="", ground=""):
        services.cultivation_decide(
            actor=coord[code],
            cultivation=cultivation,
            action=action,
            reason=reason,
            ground=ground,
        )

    def confirm(cultivation, code, reason=""):
        """The other institution confirms the open ending request (decision 086)."""
        ending = cultivation.ending_requests.get(status="requested")
        services_ending.ending_confirm(actor=coord[code], ending=ending, reason=reason)

    # Zhang: active at EMU, complete (pair and signed division).
    zhang = propose(
        "trainee.zhang",
        wmu_emu,
        wmu,
        emu,
        _d(2024, 9, 1),
        _d(2027, 6, 30),
        "Radiotherapy resistance of hypoxic tumour cells",
        [
            (emu, _d(2024, 9, 1), _d(2026, 8, 31), "Experiments at the State Key Laboratory"),
            (wmu, _d(2026, 9, 1), _d(2027, 6, 30), "Thesis writing and defence"),
        ],
    )
    approve_both(zhang)
    pair(zhang, "tutor.li", "tutor.chen")
    divide_and_sign(zhang, ("tutor.li", "tutor.chen"))
    decide(zhang, "activate", "wmu")

    # Song: completed at EMU.
    song = propose(
        "trainee.song",
        wmu_emu,
        wmu,
        emu,
        _d(2023, 9, 1),
        _d(2025, 6, 30),
        "Cardiopulmonary adaptation to hypoxia",
        [
            (emu, _d(2023, 9, 1), _d(2025, 6, 30), "Research at EMU"),
            (wmu, _d(2024, 3, 1), _d(2024, 6, 30), "Field work on the plateau"),
        ],
        mode="concurrent",
    )
    approve_both(song)
    pair(song, "tutor.li", "tutor.chen")
    divide_and_sign(song, ("tutor.li", "tutor.chen"))
    decide(song, "activate", "wmu")
    decide(song, "complete", "emu", "Thesis defended in June 2025.", "plan_completed")
    confirm(song, "wmu", "Degree conferred by WMU.")

    # Liu: proposed, approved by WMU only.
    liu = propose(
        "trainee.liu",
        wmu_emu,
        wmu,
        emu,
        _d(2026, 9, 1),
        _d(2028, 6, 30),
        "Pharmacokinetics of antibody–drug conjugates",
        [(emu, _d(2026, 9, 1), _d(2028, 6, 30), "Mass spectrometry platform")],
    )
    services.cultivation_approve(actor=coord["wmu"], cultivation=liu, institution=wmu)

    # Yang (EMU): approved by both, only the experimental tutor paired (incomplete).
    yang = propose(
        "trainee.yang",
        wmu_emu,
        emu,
        wmu,
        _d(2026, 3, 1),
        _d(2028, 2, 28),
        "Imaging of pulmonary hypertension at altitude",
        [
            (wmu, _d(2026, 3, 1), _d(2027, 8, 31), "Key Laboratory of Plateau Medicine"),
            (emu, _d(2027, 9, 1), _d(2028, 2, 28), "Thesis"),
        ],
    )
    approve_both(yang)
    pair(yang, "tutor.ma", None)

    # Wu: suspended at CIBR.
    wu = propose(
        "trainee.wu",
        wmu_cibr,
        wmu,
        cibr,
        _d(2025, 9, 1),
        _d(2027, 6, 30),
        "PET probes for hypoxic tissue",
        [(cibr, _d(2025, 9, 1), _d(2027, 6, 30), "Laboratory of Molecular Imaging")],
    )
    approve_both(wu)
    pair(wu, "tutor.he", "tutor.ma")
    divide_and_sign(wu, ("tutor.he", "tutor.ma"))
    decide(wu, "activate", "cibr")
    # Suspended by WMU for medical leave, awaiting CIBR's confirmation (it lapses unconfirmed).
    decide(wu, "suspend", "wmu", "Medical leave for one semester.", "health")

    # Zhou (EMU): terminated at WMU; stays enrolled at EMU.
    zhou = propose(
        "trainee.zhou",
        wmu_emu,
        emu,
        wmu,
        _d(2025, 3, 1),
        _d(2027, 2, 28),
        "Hypoxia and sleep",
        [(wmu, _d(2025, 3, 1), _d(2027, 2, 28), "Sleep laboratory")],
    )
    approve_both(zhou)
    pair(zhou, "tutor.ma", "tutor.li")
    decide(zhou, "activate", "emu")
    decide(
        zhou,
        "terminate",
        "emu",
        "The trainee returned to the home laboratory for family "
        "reasons; the enrolment at EMU continues.",
        "trainee_withdrew",
    )
    confirm(zhou, "wmu")

    for username, course, provider, hours, date in (
        (
            "tutor.li",
            "Supervising doctoral candidates",
            "EMU Graduate School",
            "16",
            _d(2025, 3, 14),
        ),
        (
            "tutor.li",
            "Research integrity and ethics review",
            "Provincial Health Commission",
            "8",
            _d(2024, 11, 2),
        ),
        (
            "tutor.chen",
            "Dual-tutor collaboration workshop",
            "WMU Graduate School",
            "12",
            _d(2025, 6, 20),
        ),
        ("tutor.ma", "New supervisors' induction", "WMU Graduate School", "24", _d(2024, 9, 10)),
    ):
        services_tutor.tutor_training_record(
            actor=people[username],
            tutor=people[username],
            course=course,
            provider=provider,
            hours=Decimal(hours),
            date=date,
        )


def load_training_requirement_demo() -> None:
    """Tutor training requirements and a trainee's insurance (decisions 092, 093), through the
    services. Call after `load_demo()`; a second call changes nothing. WMU asks 16 hours a
    year and its induction course of new tutors; EMU asks 12 hours and the doctoral
    supervision course; Zhang's insurance for the stay at EMU is on file."""
    institutions = {i.code: i for i in Institution.objects.filter(code__in=("wmu", "emu"))}
    people = {u.username: u for u in User.objects.filter(username__startswith="coord.")}
    for code, hours, course in (
        ("wmu", "16", "New supervisors' induction"),
        ("emu", "12", "Supervising doctoral candidates"),
    ):
        if TutorTrainingRequirement.objects.filter(institution=institutions[code]).exists():
            continue
        services_training.tutor_training_requirement_set(
            actor=people[f"coord.{code}"],
            institution=institutions[code],
            hours_per_period=hours,
            period_start_month=9,
            mandatory_courses=course,
            new_tutor_months=12,
        )
    zhang = demo_cultivation("trainee.zhang")
    if zhang is not None and not TraineeInsurance.objects.filter(trainee=zhang.trainee).exists():
        services_training.trainee_insurance_record(
            actor=zhang.trainee,
            cultivation=zhang,
            insurer="Ping An Health Insurance",
            policy_number="PAH-2024-EMU-0193",
            valid_from=_d(2024, 9, 1),
            valid_until=_d(2027, 8, 31),
        )


# agreement title, coordinator, items (a standard key, or a title of the agreement's own)
TEMPLATES = [
    (
        "WMU–EMU joint cultivation of medical postgraduates",
        "coord.emu",
        [
            {"key": "experiment_design"},
            {"key": "lab_safety_ethics"},
            {"key": "thesis_guidance"},
            {"key": "research_funding"},
            {"key": "publications"},
            {"key": "career_wellbeing"},
            {"title": "Animal ethics applications at the host"},
            {"title": "Reports to both graduate schools each term"},
        ],
    ),
    (
        "WMU–CIBR research training agreement",
        "coord.cibr",
        [
            {"key": "experiment_design"},
            {"key": "lab_safety_ethics"},
            {"key": "thesis_guidance"},
            {"title": "Radiation safety training for the imaging platform"},
            {"key": "publications"},
        ],
    ),
]

NEW_TUTOR = ("tutor.zhu", "Dr. Zhu Hong", "cibr")


def _responsibility_templates() -> None:
    """The coordinators write their agreements' templates (new divisions start from them)."""
    for title, coordinator, items in TEMPLATES:
        agreement = (
            Agreement.objects.filter(title=title, status=AgreementStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        actor = User.objects.filter(username=coordinator).first()
        if agreement is None or actor is None:
            continue
        if ResponsibilityTemplateItem.objects.filter(agreement=agreement).exists():
            continue
        services_responsibility.responsibility_template_update(
            actor=actor,
            agreement=agreement,
            items=[{"key": item.get("key", ""), "title": item.get("title", "")} for item in items],
        )


def _new_tutor() -> User:
    """Dr. Zhu, a new tutor at CIBR, appointed by CIBR's coordinator."""
    username, name, code = NEW_TUTOR
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    password = User.objects.get(username="admin").password  # the hash of the demo password
    user = demo_account(username, name, password, "zh-hans")
    coordinator = User.objects.get(username=f"coord.{code}")
    accounts.membership_add(
        actor=coordinator,
        user=user,
        role=Role.TUTOR,
        institution=Institution.objects.get(code=code),
    )
    accounts.tutor_profile_save(
        actor=coordinator,
        user=user,
        title="Assistant Professor",
        qualification="master",
        research_areas="Radiochemistry of PET tracers",
        annual_quota=2,
    )
    # A new tutor takes the induction course before taking on a joint trainee.
    services_tutor.tutor_training_record(
        actor=user,
        tutor=user,
        course="New supervisors' induction",
        provider="CIBR Graduate Office",
        hours=Decimal("24"),
        date=timezone.localdate() - datetime.timedelta(days=60),
    )
    return user


def _tutor_changes() -> None:
    yang, wu = demo_cultivation("trainee.yang"), demo_cultivation("trainee.wu")
    if yang is None or wu is None:
        return
    if TutorChangeRequest.objects.filter(cultivation__in=[yang, wu]).exists():
        return
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coord.wmu", "coord.emu", "coord.cibr", "tutor.chen"]
        )
    }
    # Yang: Dr. Ma moves to clinical work; Prof. Chen takes over the experiments at WMU.
    change = services_tutor.tutor_change_request(
        actor=people["coord.emu"],
        cultivation=yang,
        role="experimental",
        new_tutor=people["tutor.chen"],
        reason="Dr. Ma moves to the clinical department; Prof. Chen's laboratory takes over "
        "the imaging experiments.",
    )
    for coordinator in ("coord.emu", "coord.wmu"):
        change = services_tutor.tutor_change_approve(actor=people[coordinator], change=change)
    assert change.status == ChangeRequestStatus.APPROVED
    # Wu: WMU asks for Prof. Chen as theoretical tutor; CIBR rejects, Dr. Ma stays.
    rejected = services_tutor.tutor_change_request(
        actor=people["coord.wmu"],
        cultivation=wu,
        role="theoretical",
        new_tutor=people["tutor.chen"],
        reason="Dr. Ma is on a visiting fellowship abroad for a year.",
    )
    services_tutor.tutor_change_approve(actor=people["coord.wmu"], change=rejected)
    services_tutor.tutor_change_reject(
        actor=people["coord.cibr"],
        change=rejected,
        reason="Dr. Ma supervises the thesis remotely; the pair stays as signed.",
    )
    # Wu: CIBR asks for the new PET radiochemist as experimental tutor; WMU has not answered.
    services_tutor.tutor_change_request(
        actor=people["coord.cibr"],
        cultivation=wu,
        role="experimental",
        new_tutor=_new_tutor(),
        reason="Dr. He leads the new PET/MR project; Dr. Zhu runs the radiochemistry the "
        "thesis needs.",
    )
