"""The demo's rewards: a round with nominations and votes, an award in its objection period on
the demo's today with an objection answered, a final award on a trainee's joint record, built
through the services; nothing added on a second run."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.rewards.models import Nomination, NominationStatus, Objection, RewardRound, Vote
from tandem.rewards.selectors import final_awards_of_trainee


@pytest.mark.django_db
def test_demo_has_an_award_in_its_objection_period_and_a_final_one_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    in_period = Nomination.objects.get(status=NominationStatus.ANNOUNCED)
    assert in_period.round.in_objection_period_on(today)
    objection = Objection.objects.get(nomination=in_period)
    assert objection.is_answered and objection.upheld is False
    final = Nomination.objects.get(status=NominationStatus.FINAL)
    trainee = final.nominees.get()
    assert final in final_awards_of_trainee(trainee.pk)
    assert Vote.objects.count() >= 6
    assert in_period.evidence.exists()
    counts = (RewardRound.objects.count(), Nomination.objects.count(), AuditEvent.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        RewardRound.objects.count(),
        Nomination.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
