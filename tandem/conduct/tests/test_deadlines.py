"""Every deadline, time-frozen and counted in working days of the calendar of the institution
whose regulation applies (A here): the response, the appeal window, the review date — across
a public holiday and a make-up working day; a holiday of the other institution changes
nothing."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tandem.conduct import services, services_appeal
from tandem.conduct.models import CaseStatus
from tandem.conduct.tests.factories import decided, open_case, responded, rules
from tandem.institutions.models import CalendarDay

pytestmark = pytest.mark.django_db
MONDAY = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=datetime.UTC)


def _holiday(institution, day, kind="holiday"):
    CalendarDay.objects.create(institution=institution, date=day, kind=kind, name="Holiday")


def test_response_deadline_moves_over_a_holiday_and_binds_both_sides(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 4))
    _holiday(cast.inst_b, datetime.date(2026, 11, 5))  # the host's: not counted
    r = rules(cast)
    with time_machine.travel(MONDAY, tick=False):
        case = open_case(cast)
    assert case.response_due == datetime.date(2026, 11, 10)
    with (
        time_machine.travel(_at(datetime.date(2026, 11, 10)), tick=False),
        pytest.raises(ValidationError, match="2026-11-10"),
    ):
        services.case_vote(actor=r["members"][1], case=case, level="warning")
    with time_machine.travel(_at(datetime.date(2026, 11, 11)), tick=False):
        with pytest.raises(ValidationError, match="deadline has passed"):
            responded(cast, case)
        case = decided(cast, case)
    assert case.status == CaseStatus.DECIDED and case.response == ""


def test_a_make_up_working_day_counts(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 4))
    _holiday(cast.inst_a, datetime.date(2026, 11, 7), kind="working_day")  # a Saturday
    with time_machine.travel(MONDAY, tick=False):
        case = open_case(cast)
    assert case.response_due == datetime.date(2026, 11, 9)


def test_appeal_window_moves_over_a_holiday(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 12))
    with time_machine.travel(MONDAY, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    assert case.appeal_due == datetime.date(2026, 11, 17)
    with time_machine.travel(_at(datetime.date(2026, 11, 17)), tick=False):
        assert services_appeal.cases_bring_into_force() == 0
        appeal = services_appeal.appeal_lodge(actor=cast.trainee, case=case, grounds="Unfair.")
    assert appeal.case.status == CaseStatus.UNDER_APPEAL


def test_the_window_closes_the_day_after_and_the_sanction_comes_into_force(cast):
    _holiday(cast.inst_a, datetime.date(2026, 11, 12))
    with time_machine.travel(MONDAY, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    with time_machine.travel(_at(datetime.date(2026, 11, 18)), tick=False):
        with pytest.raises(ValidationError, match="window has closed"):
            services_appeal.appeal_lodge(actor=cast.trainee, case=case, grounds="Late.")
        assert services_appeal.cases_bring_into_force() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE
    assert case.in_force_from == datetime.date(2026, 11, 18)
    assert case.review_date == datetime.date(2027, 5, 18)


def test_review_date_skips_a_weekend_and_a_holiday(cast):
    _holiday(cast.inst_a, datetime.date(2027, 5, 3))
    with time_machine.travel(MONDAY, tick=False):
        case = decided(cast, responded(cast, open_case(cast)), months=6)
        case = services_appeal.case_accept(actor=cast.trainee, case=case)
    # 2 May 2027 is a Sunday and the Monday a holiday at A.
    assert case.review_date == datetime.date(2027, 5, 4)
    r = rules(cast)
    with (
        time_machine.travel(_at(datetime.date(2027, 5, 3)), tick=False),
        pytest.raises(ValidationError),
    ):
        services_appeal.case_lift(actor=r["members"][1], case=case, reasons="Good.")
    with time_machine.travel(_at(datetime.date(2027, 5, 4)), tick=False):
        case = services_appeal.case_lift(actor=r["members"][1], case=case, reasons="Good.")
    assert case.status == CaseStatus.LIFTED


def test_the_sweep_command_brings_decisions_into_force_once(cast):
    import io

    from django.core.management import call_command

    with time_machine.travel(MONDAY, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    with time_machine.travel(_at(datetime.date(2026, 11, 30)), tick=False):
        out = io.StringIO()
        call_command("conduct_in_force", stdout=out)
        assert out.getvalue().startswith("1 ")
        call_command("conduct_in_force", stdout=out)
        assert "0 decision" in out.getvalue()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_FORCE
