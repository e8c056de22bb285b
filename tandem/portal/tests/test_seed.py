import pytest
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core.models import AuditEvent
from tandem.cultivation.models import JointCultivation


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Agreement.objects.count(),
        JointCultivation.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_seed_demo_builds_the_consortium_once(capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "coord.wmu" in out and "tandem-demo-2026" in out
    # Agreements in every state.
    assert set(Agreement.objects.values_list("status", flat=True)) == set(AgreementStatus.values)
    call_command("seed_demo")
    assert _counts() == first
    assert "already loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_scale_without_activity_is_fast_and_idempotent(capsys):
    call_command("seed_scale", trainees=200, institutions=5, without_activity=True)
    trainees = User.objects.filter(username__startswith="scale-trainee-").count()
    assert trainees == 200
    call_command("seed_scale", trainees=200, institutions=5, without_activity=True)
    assert User.objects.filter(username__startswith="scale-trainee-").count() == 200
