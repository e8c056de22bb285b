from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy


def end_agreement(agreement: Agreement, *users) -> None:
    """Terminate an agreement behind the services' back (the agreements app owns that flow)."""
    Agreement.objects.filter(pk=agreement.pk).update(
        status=AgreementStatus.TERMINATED, end_reason="Ended", ended_at=timezone.now()
    )
    for user in users:
        tenancy.forget(user)
