"""Logging shifts: the phone form and the API, bad input refused with a clear message and
nothing saved, violations shown and notified, the rota prefill, audit."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import TraineeProfileFactory, UserFactory
from tandem.alerts.models import Notification
from tandem.alerts.rules import Thresholds, workhours_violations
from tandem.core.models import AuditEvent
from tandem.residency.models import Assignment, Block, CohortMember
from tandem.residency.tests.factories import make_proposal
from tandem.workhours import planning, selectors, services
from tandem.workhours.models import RotaPattern, Shift
from tandem.workhours.tests.conftest import NOW
from tandem.workhours.tests.factories import local

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 10)


def form(start: datetime.datetime, end: datetime.datetime, kind: str = "duty") -> dict:
    return {"start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}", "kind": kind}


def naive(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour))


def test_a_night_shift_across_midnight_is_logged_from_the_form(ww, client_for):
    client = client_for("resident")
    response = client.post(
        reverse("workhours:shift_new"),
        form(naive(TODAY, 20), naive(TODAY + datetime.timedelta(1), 8), "on_call"),
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert (shift.end - shift.start) == datetime.timedelta(hours=12)
    assert shift.start == local(TODAY, 20) and shift.department == ww.world.a1
    assert AuditEvent.objects.filter(action="workhours_shift.log").count() == 1


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (naive(TODAY, 17), naive(TODAY, 8), "The shift must end after it starts."),
        (naive(TODAY, 8), naive(TODAY, 8) + datetime.timedelta(hours=37), "at most 36 hours"),
        (
            naive(TODAY, 8) + datetime.timedelta(days=3),
            naive(TODAY, 20) + datetime.timedelta(days=3),
            "two days ahead",
        ),
        (
            datetime.datetime(2020, 1, 1, 8),
            datetime.datetime(2020, 1, 1, 9),
            "more than a year ago",
        ),
    ],
)
def test_bad_times_are_refused_with_a_clear_message(ww, client_for, start, end, message):
    response = client_for("resident").post(reverse("workhours:shift_new"), form(start, end))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Shift.objects.exists()


def test_an_overlapping_shift_is_refused_naming_the_other(ww, cast):
    services.shift_log(
        actor=cast.resident, start=local(TODAY, 8), end=local(TODAY, 17), kind="duty"
    )
    with pytest.raises(Exception) as caught:
        services.shift_log(
            actor=cast.resident, start=local(TODAY, 16), end=local(TODAY, 20), kind="duty"
        )
    assert "overlaps your shift" in str(caught.value)
    assert Shift.objects.count() == 1


def test_the_api_refuses_end_before_start_with_400(ww, client_for):
    response = client_for("resident").post(
        "/api/v1/workhours/shifts",
        {"start": local(TODAY, 17).isoformat(), "end": local(TODAY, 8).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "end" in response.json()["errors"]
    assert not Shift.objects.exists()


def test_short_rest_after_a_call_is_shown_and_notified(ww, cast, client_for):
    day = TODAY - datetime.timedelta(days=2)
    services.shift_log(
        actor=cast.resident,
        start=local(day, 8),
        end=local(day + datetime.timedelta(1), 8),
        kind="on_call",
    )
    shift = services.shift_log(
        actor=cast.resident,
        start=local(day + datetime.timedelta(1), 18),
        end=local(day + datetime.timedelta(1), 23),
        kind="duty",
    )
    assert [v.rule for v in shift.violations] == ["rest"]
    note = Notification.objects.get(user=cast.resident, kind="workhours_violation")
    assert note.params["rule"] == "rest" and note.params["limit"] == 14
    page = client_for("resident").get(reverse("workhours:home")).content.decode()
    assert "Only 10 hours of rest between shifts (at least 14)" in page
    office = client_for("coord_a").get(reverse("workhours:resident", args=[cast.resident.pk]))
    assert "Only 10 hours of rest" in office.content.decode()


def test_the_alert_rule_raises_the_newest_violation_once_per_resident(ww, cast):
    day = TODAY - datetime.timedelta(days=3)
    services.shift_log(
        actor=cast.resident,
        start=local(day, 8),
        end=local(day, 8) + datetime.timedelta(hours=30),
        kind="on_call",
    )
    (cause,) = workhours_violations(NOW, Thresholds({}))
    assert cause.subject_id == ww.world.member.pk
    assert cause.detail["rule"] == "continuous_duty" and cause.detail["value"] == 30
    assert cause.cause.startswith("continuous_duty:")


def test_the_rota_proposes_this_weeks_day_shifts_and_logs_them(ww, cast, client_for):
    proposed = selectors.proposed_week(cast.resident, datetime.date(2026, 12, 7))
    assert [s.start.date().isoformat() for s in proposed] == [
        "2026-12-07",
        "2026-12-08",
        "2026-12-09",
        "2026-12-10",
        "2026-12-11",
    ]
    response = client_for("resident").post(reverse("workhours:rota_confirm"))
    assert response.status_code == 302
    assert Shift.objects.filter(source="rota").count() == 5  # Friday is within two days
    assert selectors.proposed_week(cast.resident, datetime.date(2026, 12, 7)) == []


def test_a_chinese_rule_set_for_the_program_overrides_the_hospital(ww, cast):
    services.ruleset_save(
        actor=cast.coord_a, institution=cast.inst_a, program=ww.world.program, regulator="china"
    )
    ruleset = selectors.ruleset_for_member(ww.world.member)
    assert (ruleset.regulator, ruleset.max_weekly_hours, ruleset.rest_after_long_hours) == (
        "china",
        60,
        12,
    )


def test_a_rule_set_with_an_unknown_time_zone_is_refused(ww, cast):
    with pytest.raises(Exception) as caught:
        services.ruleset_save(
            actor=cast.coord_a, institution=cast.inst_a, regulator="acgme", time_zone="Mars/Base"
        )
    assert "time zone" in str(caught.value)


def test_a_planned_rota_with_calls_every_second_day_breaks_the_rules(ww, cast):
    services.pattern_set(
        actor=cast.coord_a,
        department=ww.world.a1,
        weekdays=[0, 1, 2, 3, 4],
        day_start=datetime.time(8),
        day_end=datetime.time(18),
        call_every=2,
        call_hours=24,
        handover_hours=4,
    )
    assert RotaPattern.objects.count() == 1
    findings = planning.planned_rota_check(make_proposal(ww.world))
    rules_found = {f.violation.rule for f in findings}
    # A call every other day: 28 hours in 48, every day worked (the post-call rest is 20 h).
    assert rules_found == {"weekly_hours", "days_off"}
    assert {f.member.pk for f in findings} == {ww.world.member.pk, ww.world.member2.pk}


def test_the_default_pattern_plans_no_violation(ww, cast, client_for):
    proposal = make_proposal(ww.world)
    assert planning.planned_rota_check(proposal) == []
    page = client_for("coord_a").get(reverse("workhours:proposal_check", args=[proposal.pk]))
    assert "The planned rota breaks no work-hour rule." in page.content.decode()


def _grow(ww, residents: int) -> None:
    """More residents on the schedule, each with a week of long shifts (bulk test data)."""
    world = ww.world
    blocks = list(Block.objects.filter(calendar=world.calendar).order_by("index"))
    start = CohortMember.objects.count()
    for n in range(residents):
        user = UserFactory(username=f"grown{start}_{n}", full_name=f"Grown {start} {n}")
        Membership.objects.create(user=user, role=Role.TRAINEE, institution=world.cast.inst_a)
        TraineeProfileFactory(user=user, kind="resident", cohort=2026)
        member = CohortMember.objects.create(
            cohort=world.cohort, resident=user, program=world.program
        )
        Assignment.objects.bulk_create(
            Assignment(schedule=world.cohort.schedule, member=member, block=b, department=world.a1)
            for b in blocks
        )
        Shift.objects.bulk_create(
            Shift(
                resident=user,
                member=member,
                start=local(TODAY - datetime.timedelta(days=d), 6),
                end=local(TODAY - datetime.timedelta(days=d), 23),
                kind="duty",
            )
            for d in range(1, 8)
        )


def test_the_cohort_page_issues_the_same_queries_for_more_residents(ww, client_for):
    client = client_for("coord_a")
    url = reverse("workhours:cohort", args=[ww.world.cohort.pk])
    _grow(ww, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(ww, 8)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    assert "residents on this page broke a rule" in response.content.decode()


def test_the_excel_export_lists_each_violation(ww, cast, client_for):
    _grow(ww, 1)
    response = client_for("coord_a").get(
        reverse("workhours:cohort_export", args=[ww.world.cohort.pk])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Resident"
    assert {row[2] for row in rows[1:]} == {"Rest between shifts"}


def test_the_proposal_page_links_to_the_work_hour_check(ww, client_for):
    proposal = make_proposal(ww.world)
    page = client_for("coord_a").get(reverse("residency:proposal_detail", args=[proposal.pk]))
    assert reverse("workhours:proposal_check", args=[proposal.pk]) in page.content.decode()
    partner = client_for("coord_b").get(reverse("residency:proposal_detail", args=[proposal.pk]))
    assert reverse("workhours:proposal_check", args=[proposal.pk]) not in partner.content.decode()


def test_the_warning_is_worded_when_shown_in_the_readers_language(ww, cast):
    from django.utils import translation

    from tandem.alerts.models import EarlyWarning
    from tandem.alerts.texts import warning_text

    day = TODAY - datetime.timedelta(days=3)
    services.shift_log(
        actor=cast.resident,
        start=local(day, 8),
        end=local(day, 8) + datetime.timedelta(hours=30),
        kind="on_call",
    )
    (cause,) = workhours_violations(NOW, Thresholds({}))
    warning = EarlyWarning(rule=cause.rule, detail=cause.detail)
    with translation.override("en"):
        assert warning_text(warning).startswith(
            "Work hours of Rui Resident break the rule “Continuous duty”: 30 hours of continuous"
        )
    with translation.override("zh-hans"):
        assert "违反规则“连续工作”：连续工作 30 小时（上限 28）" in warning_text(warning)


def test_a_reader_of_the_rule_set_sees_it_in_words(ww, client_for):
    page = client_for("resident").get(reverse("workhours:ruleset_edit", args=[ww.ruleset.pk]))
    text = page.content.decode()
    assert "<dd>ACGME</dd>" in text and "<dd>acgme</dd>" not in text
    assert 'name="regulator"' not in text
