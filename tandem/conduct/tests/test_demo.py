"""The demo's conduct part: a case awaiting the response, one under appeal, a lifted warning,
built through the services; nothing added on a second run."""

import io

import pytest
from django.core.management import call_command

from tandem.conduct.models import Case, CaseStatus, Committee
from tandem.core.models import AuditEvent


@pytest.mark.django_db
def test_demo_has_each_state_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [CaseStatus.AWAITING_RESPONSE, CaseStatus.UNDER_APPEAL, CaseStatus.LIFTED]
    )
    appealed = Case.objects.get(status=CaseStatus.UNDER_APPEAL)
    assert appealed.appeal.body_id != appealed.committee_id
    counts = (Case.objects.count(), Committee.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Case.objects.count(), Committee.objects.count(), AuditEvent.objects.count()) == counts
