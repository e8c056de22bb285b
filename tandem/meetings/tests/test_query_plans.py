"""The dashboard panels' SQL keeps following indexes at scale-like size (PostgreSQL only).

A module fixture bulk-loads a small province (`seed_scale`: 1,500 trainees, ~37,000 progress
reports, ~2,000 meetings) plus bookings, runs `ANALYZE` and rolls it all back at the end. Each
test captures the SQL a panel issues for one person and fails if PostgreSQL would read a table
that grows with the consortium whole (a `Seq Scan`). With enough rows the planner only reads a
table whole when no index serves the query, so a rule rewritten as one OR again, or a dropped
index, fails here (decision 081). The query-count tests elsewhere keep the number of queries
fixed; these keep each query's cost from growing with the data.
"""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core.tests.plans import scanned_tables

pytestmark = pytest.mark.postgres

# Tables that grow with trainees, reports, meetings and bookings; a small one (under the
# threshold below after ANALYZE) may rightly be read whole.
GROWING = {
    "accounts_user",
    "accounts_membership",
    "cultivation_jointcultivation",
    "cultivation_tutorassignment",
    "meetings_meeting",
    "meetings_meetingseries",
    "meetings_seriesparticipant",
    "meetings_progressreport",
    "meetings_reportcomment",
    "meetings_attendance",
    "meetings_actionitem",
    "meetings_mentoringcontact",
    "plans_trainingplan",
    "plans_planmilestone",
    "bookings_booking",
    "alerts_earlywarning",
    "alerts_notification",
}
LARGE = 3000  # rows from which a sequential scan of a growing table is a finding


def _bookings() -> None:
    """A few thousand past bookings of the scale instruments, by the scale trainees."""
    from tandem.bookings.models import Booking
    from tandem.resources.models import ResourceOpening

    openings = list(ResourceOpening.objects.select_related("resource").order_by("id"))
    trainees = list(
        User.objects.filter(username__startswith="scale-trainee-").values_list("id", flat=True)
    )
    start = timezone.now() - datetime.timedelta(days=400)
    rows = []
    for n, trainee_id in enumerate(trainees * 4):
        opening = openings[n % len(openings)]
        begins = start + datetime.timedelta(hours=2 * (n // len(openings)))
        rows.append(
            Booking(
                resource_id=opening.resource_id,
                booked_by_id=trainee_id,
                institution_id=opening.partner_id,
                agreement_id=opening.agreement_id,
                start=begins,
                end=begins + datetime.timedelta(hours=1),
                status="completed",
            )
        )
    Booking.objects.bulk_create(rows, batch_size=5000)


@pytest.fixture(scope="module")
def province(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL (DATABASE_URL=postgres://…)")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_scale", trainees=1500, institutions=20, verbosity=0)
        _bookings()
        admin = User.objects.create(username="scale-plan-admin", full_name="Plan Admin")
        Membership.objects.create(user=admin, role=Role.CONSORTIUM_ADMIN)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= %s",
                [LARGE],
            )
            large = {name for (name,) in cursor.fetchall()} & GROWING
        tutor = (
            User.objects.filter(
                username__startswith="scale-tutor-", tutor_assignments__role="experimental"
            )
            .order_by("id")
            .first()
        )
        people = {
            "admin": admin,
            "tutor": tutor,
            "trainee": User.objects.get(username="scale-trainee-000007"),
            "coordinator": User.objects.get(username="scale-coord-003"),
        }
        yield {"people": people, "large": large}
        transaction.set_rollback(True)


def _fresh(user: User) -> User:
    """The person as a new request sees them (no per-request tenancy cache)."""
    return User.objects.get(pk=user.pk)


def _assert_indexed(province: dict[str, Any], call: Any) -> None:
    found = scanned_tables(call, province["large"])
    assert not found, "sequential scans over growing tables:\n" + "\n".join(
        f"{sorted(tables)} in {sql}" for sql, tables in found.items()
    )


def test_the_fixture_is_large_enough_for_the_planner_to_prefer_indexes(province):
    assert {
        "meetings_progressreport",
        "meetings_meeting",
        "cultivation_tutorassignment",
        "bookings_booking",
    } <= province["large"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "tutor", "trainee", "coordinator"])
def test_reports_to_comment_follows_indexes(province, who):
    from tandem.meetings.selectors import reports_to_comment

    user = _fresh(province["people"][who])
    _assert_indexed(province, lambda: reports_to_comment(user, limit=5))


@pytest.mark.django_db
def test_reports_to_comment_still_finds_the_tutors_reports(province):
    from tandem.meetings.selectors import reports_to_comment

    reports = reports_to_comment(_fresh(province["people"]["tutor"]), limit=5)
    assert len(reports) == 5
    assert [r.submitted_at for r in reports] == sorted(
        (r.submitted_at for r in reports), reverse=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["tutor", "trainee"])
def test_meetings_panel_and_series_list_follow_indexes(province, who):
    from tandem.meetings.selectors import meetings_dashboard, series_list_for_page

    user = _fresh(province["people"][who])

    def panel_and_list() -> None:
        meetings_dashboard(user)
        series = series_list_for_page(user).order_by("title", "id")
        series.count()
        list(series[:20])

    _assert_indexed(province, panel_and_list)


@pytest.mark.django_db
def test_tutor_workspace_latest_reports_follow_indexes(province):
    from tandem.portal.selectors import workspace_rows

    user = _fresh(province["people"]["tutor"])
    rows = workspace_rows(user)
    assert rows and all(row["last_progress_report"] is not None for row in rows)
    _assert_indexed(province, lambda: workspace_rows(user))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["tutor", "trainee"])
def test_other_dashboard_panels_follow_indexes(province, who):
    from tandem.alerts.selectors import alerts_dashboard
    from tandem.bookings.selectors import booking_dashboard
    from tandem.funds.selectors import funds_dashboard
    from tandem.plans.selectors import plans_dashboard
    from tandem.publications.selectors import publications_dashboard
    from tandem.residency.selectors import residency_dashboard

    user = _fresh(province["people"][who])
    for panel in (
        plans_dashboard,
        alerts_dashboard,
        funds_dashboard,
        booking_dashboard,
        publications_dashboard,
        residency_dashboard,
    ):
        _assert_indexed(province, lambda panel=panel: panel(user))


@pytest.mark.django_db
def test_the_mentoring_log_follows_indexes(province):
    from tandem.meetings.selectors import contact_list_for_page, loggable_cultivations

    user = _fresh(province["people"]["tutor"])

    def log_page() -> None:
        contacts = contact_list_for_page(user)
        contacts.count()
        list(contacts[:20])
        list(loggable_cultivations(user))

    _assert_indexed(province, log_page)


@pytest.mark.django_db
def test_the_check_catches_the_old_or_over_reports(province):
    """The rule as it was written before (one OR across the joins, NOT EXISTS, newest first)
    is caught: the check can fail."""
    from django.db.models import Exists, OuterRef, Q

    from tandem.meetings.models import ProgressReport, ReportComment, SeriesParticipant
    from tandem.meetings.selectors import pair_trainee_ids_query

    user = _fresh(province["people"]["tutor"])
    mine = SeriesParticipant.objects.filter(
        series=OuterRef("meeting__series"), user=user, role="tutor"
    )
    commented = ReportComment.objects.filter(report=OuterRef("pk"), tutor=user)
    old = (
        ProgressReport.objects.filter(
            Q(trainee_id__in=pair_trainee_ids_query(user))
            | Q(meeting__series__organizer=user)
            | Exists(mine)
        )
        .exclude(Exists(commented))
        .order_by("-submitted_at", "-id")
    )
    found = scanned_tables(lambda: list(old[:5]), province["large"])
    assert any("meetings_progressreport" in tables for tables in found.values())
