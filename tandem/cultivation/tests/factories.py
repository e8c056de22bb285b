import datetime

import factory

from tandem.accounts.tests.factories import UserFactory
from tandem.agreements.tests.factories import AgreementFactory
from tandem.cultivation.models import JointCultivation, Stay, TutorAssignment
from tandem.institutions.tests.factories import InstitutionFactory


class JointCultivationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointCultivation

    trainee = factory.SubFactory(UserFactory)
    agreement = factory.SubFactory(AgreementFactory)
    home = factory.SubFactory(InstitutionFactory)
    host = factory.SubFactory(InstitutionFactory)
    quota_year = 2026
    planned_start = datetime.date(2026, 9, 1)
    planned_end = datetime.date(2029, 6, 30)
    proposed_by = factory.SubFactory(UserFactory)


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stay

    cultivation = factory.SubFactory(JointCultivationFactory)
    institution = factory.LazyAttribute(lambda o: o.cultivation.host)
    start = datetime.date(2026, 9, 1)
    end = datetime.date(2027, 8, 31)


class TutorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TutorAssignment

    cultivation = factory.SubFactory(JointCultivationFactory)
    tutor = factory.SubFactory(UserFactory)
    role = "experimental"
    is_first_in_charge = factory.LazyAttribute(lambda o: o.role == "experimental")
    institution = factory.LazyAttribute(lambda o: o.cultivation.host)
    quota_year = 2026


def stays_for(cast, start=datetime.date(2026, 9, 1)):
    return [
        {
            "institution": cast.inst_b,
            "start": start,
            "end": datetime.date(2027, 8, 31),
            "purpose": "Laboratory work",
        },
        {
            "institution": cast.inst_a,
            "start": datetime.date(2027, 9, 1),
            "end": datetime.date(2028, 6, 30),
            "purpose": "Thesis writing",
        },
    ]


def propose(cast, *, trainee=None, actor=None, **overrides):
    """A proposal through the service: cast.trainee at A, researching at B, 2026–2028."""
    from tandem.cultivation import services

    arguments = {
        "actor": actor or cast.coord_a,
        "trainee": trainee or cast.trainee,
        "agreement": cast.agreement_ab,
        "home": cast.inst_a,
        "host": cast.inst_b,
        "planned_start": datetime.date(2026, 9, 1),
        "planned_end": datetime.date(2028, 6, 30),
        "stay_mode": "sequential",
        "research_topic": "Tumour hypoxia",
        "stays": stays_for(cast),
    }
    arguments.update(overrides)
    return services.cultivation_propose(**arguments)


def joint_trainee(cast, username, kind="doctoral"):
    """Another postgraduate enrolled at A."""
    from tandem.accounts.tests.factories import MembershipFactory, TraineeProfileFactory

    user = UserFactory(username=username, full_name=f"Trainee {username}")
    MembershipFactory(user=user, role="trainee", institution=cast.inst_a)
    TraineeProfileFactory(user=user, kind=kind, cohort=2025)
    return user


def cultivation_in(cast, status, *, trainee=None, paired=True, signed=False, divided=False):
    """A cultivation of `trainee` (default cast.trainee) home A → host B in `status`, built
    directly; paired: tutor_b experimental at B (made a doctoral supervisor), tutor_a
    theoretical at A."""
    from tandem.accounts.models import TutorProfile
    from tandem.cultivation.models import (
        Decision,
        ResponsibilityShare,
        ResponsibilitySignature,
    )

    cultivation = JointCultivationFactory(
        trainee=trainee or cast.trainee,
        agreement=cast.agreement_ab,
        home=cast.inst_a,
        host=cast.inst_b,
        status=status,
        quota_year=2026,
        planned_start=datetime.date(2026, 9, 1),
        planned_end=datetime.date(2028, 6, 30),
        proposed_by=cast.coord_a,
    )
    StayFactory(cultivation=cultivation, institution=cast.inst_b)
    Decision.objects.create(
        cultivation=cultivation,
        kind="propose",
        decided_by=cast.coord_a,
        institution=cast.inst_a,
        to_status="proposed",
    )
    if status != "proposed":
        for inst, coord in ((cast.inst_a, cast.coord_a), (cast.inst_b, cast.coord_b)):
            Decision.objects.create(
                cultivation=cultivation,
                kind="approve",
                decided_by=coord,
                institution=inst,
                from_status="proposed",
            )
    if paired:
        TutorProfile.objects.filter(user=cast.tutor_b).update(qualification="doctoral")
        experimental = TutorAssignmentFactory(
            cultivation=cultivation,
            tutor=cast.tutor_b,
            role="experimental",
            institution=cast.inst_b,
        )
        theoretical = TutorAssignmentFactory(
            cultivation=cultivation,
            tutor=cast.tutor_a,
            role="theoretical",
            institution=cast.inst_a,
        )
        if signed or divided:
            for position, (key, role) in enumerate(
                (("experiment_design", "experimental"), ("thesis_guidance", "theoretical"))
            ):
                ResponsibilityShare.objects.create(
                    cultivation=cultivation, key=key, role=role, position=position
                )
            for assignment in (experimental, theoretical) if signed else ():
                ResponsibilitySignature.objects.create(
                    cultivation=cultivation, assignment=assignment
                )
    return cultivation
