"""The objection period, time-frozen and counted in working days of the deciding institution's
calendar (A): across a public holiday and a make-up working day; a holiday of another
institution changes nothing. An objection after the period and a finalisation with an
unanswered objection are refused with a clear message, nothing saved; the sweep makes an
award final once the period is over and every objection answered."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tandem.core.models import AuditEvent
from tandem.institutions.models import CalendarDay
from tandem.rewards import selectors, services_announce
from tandem.rewards.models import NominationStatus, Objection
from tandem.rewards.tests.factories import announced_on, at

pytestmark = pytest.mark.django_db
TUESDAY = datetime.date(2026, 11, 3)


def _holiday(institution, day, kind="holiday"):
    CalendarDay.objects.create(institution=institution, date=day, kind=kind, name="Holiday")


def test_objection_period_is_five_working_days_of_the_deciding_institution(cast):
    _holiday(cast.inst_b, datetime.date(2026, 11, 5))  # another institution's: not counted
    nomination = announced_on(cast, TUESDAY)
    assert nomination.round.announced_on == TUESDAY
    assert nomination.round.objection_until == datetime.date(2026, 11, 10)
    assert nomination.status == NominationStatus.ANNOUNCED


def test_objection_period_moves_over_a_holiday(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 5))
    nomination = announced_on(cast, TUESDAY)
    assert nomination.round.objection_until == datetime.date(2026, 11, 11)
    with at(datetime.date(2026, 11, 11)):
        services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="Late but within the period."
        )
    assert Objection.objects.count() == 1


def test_a_make_up_working_day_counts(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 5))
    _holiday(cast.inst_a, datetime.date(2026, 11, 7), kind="working_day")  # a Saturday
    nomination = announced_on(cast, TUESDAY)
    assert nomination.round.objection_until == datetime.date(2026, 11, 10)


def test_an_objection_after_the_period_is_refused_and_nothing_saved(cast):
    nomination = announced_on(cast, TUESDAY)
    events = AuditEvent.objects.count()
    with (
        at(datetime.date(2026, 11, 11)),
        pytest.raises(ValidationError, match="ended on 2026-11-10"),
    ):
        services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="Too late."
        )
    assert Objection.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_finalising_during_the_period_is_refused(cast):
    nomination = announced_on(cast, TUESDAY)
    with at(datetime.date(2026, 11, 10)), pytest.raises(ValidationError, match="2026-11-10"):
        services_announce.award_finalise(actor=cast.coord_a, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ANNOUNCED


def test_finalising_with_an_unanswered_objection_is_refused_and_nothing_saved(cast):
    nomination = announced_on(cast, TUESDAY)
    with at(datetime.date(2026, 11, 9)):
        services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="The paper is not theirs."
        )
    events = AuditEvent.objects.count()
    with (
        at(datetime.date(2026, 11, 12)),
        pytest.raises(ValidationError, match="1 objection is not answered yet"),
    ):
        services_announce.award_finalise(actor=cast.coord_a, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ANNOUNCED and nomination.final_on is None
    assert AuditEvent.objects.count() == events
    with at(datetime.date(2026, 11, 12)):
        assert services_announce.awards_finalise_due() == 0
        assert selectors.status_on_read(nomination) == NominationStatus.ANNOUNCED
        assert selectors.final_awards_of_trainee(cast.trainee.pk) == []


def test_the_sweep_makes_final_after_the_answer_and_reads_final_before_it(cast):
    nomination = announced_on(cast, TUESDAY)
    with at(datetime.date(2026, 11, 9)):
        objection = services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="The paper is not theirs."
        )
    with at(datetime.date(2026, 11, 12)):
        services_announce.objection_answer(
            actor=cast.coord_a,
            objection=objection,
            answer="The co-authors confirm the trainee's share of the work.",
            upheld=False,
        )
        # final on read before the sweep has run
        assert selectors.status_on_read(nomination) == NominationStatus.FINAL
        assert [a.pk for a in selectors.final_awards_of_trainee(cast.trainee.pk)] == [nomination.pk]
        assert services_announce.awards_finalise_due() == 1
        assert services_announce.awards_finalise_due() == 0
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.FINAL
    assert nomination.final_on == datetime.date(2026, 11, 12)


def test_an_upheld_objection_withdraws_the_award(cast):
    nomination = announced_on(cast, TUESDAY)
    with at(datetime.date(2026, 11, 4)):
        objection = services_announce.objection_lodge(
            actor=cast.resident, nomination=nomination, grounds="The paper is not theirs."
        )
        services_announce.objection_answer(
            actor=cast.coord_a, objection=objection, answer="Confirmed.", upheld=True
        )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    with at(datetime.date(2026, 11, 20)):
        assert services_announce.awards_finalise_due() == 0
        with pytest.raises(ValidationError, match="Only an announced award"):
            services_announce.award_finalise(actor=cast.coord_a, nomination=nomination)


def test_the_daily_command_runs_the_sweep(cast):
    nomination = announced_on(cast, TUESDAY)
    out = io.StringIO()
    with at(datetime.date(2026, 11, 11)):
        call_command("rewards_finalise", stdout=out)
    assert "1 award(s) became final." in out.getvalue()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.FINAL
