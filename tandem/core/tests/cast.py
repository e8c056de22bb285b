"""The fixed test cast (after healthchecks' Alice, Bob and Charlie).

Western university A and eastern university B share an active agreement; C is an outsider with
no agreement with either. Every view and API test uses these people:

- `admin`: consortium admin
- `coord_a`, `coord_b`: coordinators of A and B; `outsider`: coordinator of C
- `tutor_a` (experimental tutor at A), `tutor_b` (theoretical tutor at B)
- `trainee`: doctoral postgraduate enrolled at A
- `resident`: a resident at A
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Membership, Role, StudentNumber, TraineeKind, User
from tandem.accounts.tests.factories import (
    MembershipFactory,
    TraineeProfileFactory,
    TutorProfileFactory,
    UserFactory,
)
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.agreements.tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    AgreementQuotaFactory,
    AgreementSignatureFactory,
)
from tandem.institutions.models import Institution, InstitutionKind, Region, Unit, UnitKind
from tandem.institutions.tests.factories import InstitutionFactory, UnitFactory
from tandem.resources.models import ResourceKind, SharedResource
from tandem.resources.tests.factories import ResourceOpeningFactory, SharedResourceFactory

ACTORS = (
    "anonymous",
    "admin",
    "coord_a",
    "coord_b",
    "tutor_a",
    "tutor_b",
    "trainee",
    "resident",
    "outsider",
)


@dataclass
class Cast:
    inst_a: Institution
    inst_b: Institution
    inst_c: Institution
    lab_a: Unit
    agreement_ab: Agreement
    draft_ab: Agreement
    agreement_c: Agreement
    resource_a: SharedResource
    resource_b_closed: SharedResource
    resource_c: SharedResource
    admin: User
    coord_a: User
    coord_b: User
    tutor_a: User
    tutor_b: User
    trainee: User
    resident: User
    outsider: User

    def actor(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def _person(username: str, full_name: str, role: str, institution: Institution | None) -> User:
    user = UserFactory(username=username, full_name=full_name)
    MembershipFactory(user=user, role=role, institution=institution)
    return user


def build_cast() -> Cast:
    inst_a = InstitutionFactory(
        name="Western Medical University",
        name_zh="西部医科大学",
        code="wmu",
        kind=InstitutionKind.UNIVERSITY,
        region=Region.WESTERN,
    )
    inst_b = InstitutionFactory(
        name="Eastern Medical University",
        name_zh="东部医科大学",
        code="emu",
        kind=InstitutionKind.UNIVERSITY,
        region=Region.EASTERN,
    )
    inst_c = InstitutionFactory(
        name="Northern Institute of Biology",
        name_zh="北方生物研究所",
        code="nib",
        kind=InstitutionKind.RESEARCH_INSTITUTE,
        region=Region.NORTHEASTERN,
    )
    lab_a = UnitFactory(
        institution=inst_a, name="Key Laboratory of Oncology", kind=UnitKind.KEY_LABORATORY
    )

    admin = _person("admin", "Ada Admin", Role.CONSORTIUM_ADMIN, None)
    coord_a = _person("coord_a", "Alice Coordinator", Role.COORDINATOR, inst_a)
    coord_b = _person("coord_b", "Bob Coordinator", Role.COORDINATOR, inst_b)
    outsider = _person("outsider", "Charlie Outsider", Role.COORDINATOR, inst_c)
    tutor_a = _person("tutor_a", "Tom Tutor", Role.TUTOR, inst_a)
    TutorProfileFactory(user=tutor_a, qualification="doctoral")
    tutor_b = _person("tutor_b", "Tess Tutor", Role.TUTOR, inst_b)
    TutorProfileFactory(user=tutor_b, qualification="master")
    trainee = _person("trainee", "Tina Trainee", Role.TRAINEE, inst_a)
    profile = TraineeProfileFactory(user=trainee, kind=TraineeKind.DOCTORAL, cohort=2025)
    StudentNumber.objects.create(trainee=profile, institution=inst_a, number="A2025001")
    resident = _person("resident", "Rui Resident", Role.TRAINEE, inst_a)
    TraineeProfileFactory(user=resident, kind=TraineeKind.RESIDENT, cohort=2024)

    agreement_ab = AgreementFactory(
        title="WMU–EMU joint cultivation agreement",
        status=AgreementStatus.ACTIVE,
        created_by=coord_a,
        activated_at=timezone.now(),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2029, 12, 31),
    )
    for inst, coord in ((inst_a, coord_a), (inst_b, coord_b)):
        AgreementPartyFactory(agreement=agreement_ab, institution=inst, funding_share=50)
        AgreementSignatureFactory(agreement=agreement_ab, institution=inst, signed_by=coord)
    AgreementQuotaFactory(agreement=agreement_ab, year=2026, max_trainees=5)

    draft_ab = AgreementFactory(title="WMU–EMU teaching exchange (draft)", created_by=coord_a)
    AgreementPartyFactory(agreement=draft_ab, institution=inst_a, funding_share=60)
    AgreementPartyFactory(agreement=draft_ab, institution=inst_b, funding_share=40)

    agreement_c = AgreementFactory(
        title="NIB internal agreement",
        status=AgreementStatus.DRAFT,
        created_by=outsider,
        form="university_institute",
    )
    AgreementPartyFactory(agreement=agreement_c, institution=inst_c, funding_share=100)

    resource_a = SharedResourceFactory(
        institution=inst_a, unit=lab_a, name="Confocal microscope", kind=ResourceKind.INSTRUMENT
    )
    ResourceOpeningFactory(resource=resource_a, agreement=agreement_ab, partner=inst_b)
    resource_b_closed = SharedResourceFactory(
        institution=inst_b, name="Flow cytometer", kind=ResourceKind.INSTRUMENT
    )
    resource_c = SharedResourceFactory(
        institution=inst_c, name="Sequencing platform", kind=ResourceKind.PLATFORM
    )
    return Cast(
        inst_a=inst_a,
        inst_b=inst_b,
        inst_c=inst_c,
        lab_a=lab_a,
        agreement_ab=agreement_ab,
        draft_ab=draft_ab,
        agreement_c=agreement_c,
        resource_a=resource_a,
        resource_b_closed=resource_b_closed,
        resource_c=resource_c,
        admin=admin,
        coord_a=coord_a,
        coord_b=coord_b,
        tutor_a=tutor_a,
        tutor_b=tutor_b,
        trainee=trainee,
        resident=resident,
        outsider=outsider,
    )


__all__ = ["ACTORS", "Cast", "build_cast", "Membership"]
