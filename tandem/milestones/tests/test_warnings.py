"""The committee's early warnings, on a fixed day: a resident review past its due date, and a
resident more than six months into training without a finalised review in the last six."""

import datetime

import pytest
import time_machine

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification, Rule
from tandem.alerts.texts import warning_text
from tandem.milestones import services
from tandem.milestones.tests.factories import build_milestone_world, rate_all
from tandem.residency.models import Block

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen_mw(cast):
    with time_machine.travel(TODAY, tick=False):
        mw = build_milestone_world(cast)
        # The cohort's calendar started more than six months ago.
        first = Block.objects.filter(calendar=mw.world.calendar).order_by("index").first()
        Block.objects.filter(pk=first.pk).update(start_date=datetime.date(2026, 5, 1))
        yield mw


def test_an_open_review_past_its_due_date_warns_the_committee(frozen_mw, cast):
    mw = frozen_mw
    evaluate()
    warning = EarlyWarning.objects.get(rule=Rule.CCC_REVIEW_OVERDUE)
    assert warning.trainee == mw.world.resident2
    assert "2026 H1" in warning_text(warning)
    told = set(
        Notification.objects.filter(warning=warning).values_list("user__username", flat=True)
    )
    assert {"tutor_a", "ccc_two", "ccc_three", "coord_a"} <= told
    assert "resident" not in told
    rr = mw.done.residents.get(resident=mw.world.resident2)
    rate_all(rr, cast.tutor_a, 3)
    services.resident_review_finalise(actor=cast.tutor_a, resident_review=rr, decision="not_yet")
    evaluate()
    assert not EarlyWarning.objects.filter(
        rule=Rule.CCC_REVIEW_OVERDUE, status__in=["open", "acknowledged"]
    ).exists()


def test_a_resident_never_reviewed_after_six_months_is_warned_about(frozen_mw, cast):
    mw = frozen_mw
    evaluate()
    warnings = EarlyWarning.objects.filter(rule=Rule.CCC_NOT_REVIEWED)
    # The cast's resident was reviewed for the period ending 120 days ago; resident2 never.
    assert [w.trainee for w in warnings] == [mw.world.resident2]
    assert "never reviewed" in warning_text(warnings[0])
    evaluate()
    assert EarlyWarning.objects.filter(rule=Rule.CCC_NOT_REVIEWED).count() == 1
