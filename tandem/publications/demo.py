"""Publications of the demo consortium: two papers of Zhang (WMU → EMU), one that meets the
WMU–EMU authorship policy and is confirmed by both tutors, one whose corresponding author is
not a tutor, waived by both coordinators with a reason. Skipped without Zhang's cultivation."""

from django.db import transaction

from tandem.accounts.models import User
from tandem.cultivation.demo import demo_cultivation
from tandem.publications import services
from tandem.publications.models import Publication

DEMO_DOIS = ("10.21147/j.issn.1000-9604.2026.02.01", "10.1016/j.radonc.2025.110118")


@transaction.atomic
def load_demo() -> None:
    zhang = demo_cultivation("trainee.zhang")
    if zhang is None or zhang.status != "active":
        return
    if Publication.objects.filter(cultivation=zhang, doi__in=DEMO_DOIS).exists():
        return
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coord.wmu", "coord.emu", "tutor.li", "tutor.chen", "trainee.zhang"]
        )
    }
    wmu, emu = zhang.home, zhang.host
    compliant = services.publication_record(
        actor=people["trainee.zhang"],
        cultivation=zhang,
        title="HIF-1α drives radioresistance of nasopharyngeal carcinoma under chronic hypoxia",
        journal="Chinese Journal of Cancer Research",
        year=2026,
        volume="38",
        issue="2",
        pages="101–112",
        doi="10.21147/j.issn.1000-9604.2026.02.01",
        authors=[
            {
                "name": "Zhang Xiaoming (张晓明)",
                "user": people["trainee.zhang"],
                "institutions": [wmu, emu],
                "affiliation_text": "Western Medical University; State Key Laboratory of "
                "Oncology, Eastern Medical University",
                "credit_roles": ["investigation", "formal_analysis", "writing_original_draft"],
            },
            {
                "name": "Wang Hao",
                "institutions": [emu],
                "credit_roles": ["methodology", "data_curation"],
            },
            {
                "name": "Chen Jing (陈静)",
                "user": people["tutor.chen"],
                "institutions": [wmu],
                "credit_roles": ["conceptualization", "writing_review_editing"],
            },
            {
                "name": "Li Wei (李伟)",
                "user": people["tutor.li"],
                "institutions": [emu],
                "is_corresponding": True,
                "credit_roles": ["supervision", "funding_acquisition", "project_administration"],
            },
        ],
    )
    for tutor in ("tutor.li", "tutor.chen"):
        services.publication_confirm(actor=people[tutor], publication=compliant)
    waived = services.publication_record(
        actor=people["tutor.li"],
        cultivation=zhang,
        title="Dose painting guided by 18F-FMISO PET: a planning study",
        journal="Radiotherapy and Oncology",
        year=2025,
        volume="201",
        pages="110–118",
        doi="10.1016/j.radonc.2025.110118",
        authors=[
            {
                "name": "Zhang Xiaoming (张晓明)",
                "user": people["trainee.zhang"],
                "institutions": [wmu, emu],
                "credit_roles": ["investigation", "visualization"],
            },
            {
                "name": "Zhou Ming",
                "institutions": [emu],
                "is_corresponding": True,
                "affiliation_text": "Department of Medical Physics, Eastern Medical University",
                "credit_roles": ["software", "methodology"],
            },
            {
                "name": "Li Wei (李伟)",
                "user": people["tutor.li"],
                "institutions": [emu],
                "credit_roles": ["supervision"],
            },
        ],
    )
    reason = (
        "The journal requires the medical physicist who wrote the planning software to "
        "be the corresponding author; both tutors agreed in writing."
    )
    services.publication_waive(actor=people["coord.wmu"], publication=waived, reason=reason)
    services.publication_waive(
        actor=people["coord.emu"], publication=waived, reason="Agreed with WMU."
    )
