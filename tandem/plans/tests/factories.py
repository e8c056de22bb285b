"""Test data for plans, on top of the fixed cast.

`cast_cultivation(cast)`: the cast's trainee (doctoral, enrolled at A) doing research at B under
agreement_ab, with tutor_a (experimental, first in charge) and tutor_b (theoretical).
`signed_plan(cast)`: its plan, written and signed by both tutors through the services.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.cultivation.models import JointCultivation
from tandem.cultivation.tests.factories import (
    JointCultivationFactory,
    StayFactory,
    TutorAssignmentFactory,
)
from tandem.plans import services
from tandem.plans.models import PlanVersion, TrainingPlan

WINDOWS = {
    "proposal": (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
    "mid_term": (datetime.date(2027, 9, 1), datetime.date(2027, 12, 31)),
    "thesis_submission": (datetime.date(2028, 12, 1), datetime.date(2029, 3, 31)),
    "defence": (datetime.date(2029, 4, 1), datetime.date(2029, 6, 15)),
}


def cast_cultivation(cast, **kwargs) -> JointCultivation:
    existing = JointCultivation.objects.filter(trainee=cast.trainee).first()
    if existing is not None:
        return existing
    cultivation = JointCultivationFactory(
        trainee=cast.trainee,
        agreement=cast.agreement_ab,
        home=cast.inst_a,
        host=cast.inst_b,
        proposed_by=cast.coord_a,
        status="active",
        research_topic="Tumour immunology",
        **kwargs,
    )
    StayFactory(cultivation=cultivation, institution=cast.inst_b)
    TutorAssignmentFactory(
        cultivation=cultivation, tutor=cast.tutor_a, role="experimental", institution=cast.inst_a
    )
    TutorAssignmentFactory(
        cultivation=cultivation, tutor=cast.tutor_b, role="theoretical", institution=cast.inst_b
    )
    return cultivation


def draft_plan(cast, *, credits: str = "18") -> TrainingPlan:
    """A complete first draft (topic, enough credits, the four milestones), not yet signed."""
    cultivation = cast_cultivation(cast)
    plan = TrainingPlan.objects.filter(cultivation=cultivation).first()
    if plan is not None:
        return plan
    plan = services.plan_start(actor=cast.tutor_a, cultivation=cultivation)
    version = plan.versions.get()
    services.plan_course_add(
        actor=cast.tutor_a,
        version=version,
        title="Advanced immunology",
        credits=Decimal(credits),
        kind="compulsory",
        institution=cast.inst_a,
        term="2026 autumn",
    )
    for kind, (earliest, latest) in WINDOWS.items():
        services.plan_milestone_add(
            actor=cast.trainee,
            version=version,
            kind=kind,
            title="",
            earliest=earliest,
            latest=latest,
        )
    return plan


def signed_plan(cast) -> TrainingPlan:
    plan = draft_plan(cast)
    version = plan.versions.get(number=1)
    if version.status != "signed":
        services.plan_version_sign(actor=cast.tutor_a, version=version)
        services.plan_version_sign(actor=cast.tutor_b, version=version)
    plan.refresh_from_db()
    return plan


def health_revision(cast, text: str = "Recovering from surgery") -> PlanVersion:
    plan = signed_plan(cast)
    return services.plan_revise(actor=cast.tutor_a, plan=plan, reason=text, reason_kind="health")


def evidence_file(name: str = "proposal.pdf", content: bytes = b"%PDF-1.4 proposal"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")
