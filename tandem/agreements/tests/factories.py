import datetime

import factory
from django.utils import timezone

from tandem.accounts.tests.factories import UserFactory
from tandem.agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementForm,
    AgreementParty,
    AgreementQuota,
    AgreementSignature,
    AgreementStatus,
)
from tandem.institutions.tests.factories import InstitutionFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Cooperation agreement {n}")
    form = AgreementForm.UNIVERSITY_DOMESTIC
    status = AgreementStatus.DRAFT
    start_date = datetime.date(2025, 9, 1)
    end_date = datetime.date(2030, 8, 31)
    created_by = factory.SubFactory(UserFactory)
    # The database requires these for agreements in force or ended; fill them in when a test
    # only asks for the status.
    activated_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status
            in (AgreementStatus.ACTIVE, AgreementStatus.SUPERSEDED, AgreementStatus.EXPIRED)
            else None
        )
    )
    ended_at = factory.LazyAttribute(
        lambda o: (
            timezone.now()
            if o.status in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)
            else None
        )
    )
    end_reason = factory.LazyAttribute(
        lambda o: "Ended in a test" if o.status == AgreementStatus.TERMINATED else ""
    )


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    institution = factory.SubFactory(InstitutionFactory)


class AgreementQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementQuota

    agreement = factory.SubFactory(AgreementFactory)
    year = 2026
    max_trainees = 5


class AgreementAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementAttachment

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Signed copy {n}")
    file = factory.django.FileField(filename="signed.pdf", data=b"%PDF-1.4 test")
    uploaded_by = factory.SubFactory(UserFactory)


class AgreementSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementSignature

    agreement = factory.SubFactory(AgreementFactory)
    institution = factory.SubFactory(InstitutionFactory)
    signed_by = factory.SubFactory(UserFactory)
