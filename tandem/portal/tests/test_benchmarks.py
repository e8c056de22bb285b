"""Consortium benchmarking: figures checked against a consortium built by hand, the same figure
on the page, in the API and in Excel, suppression that cannot be undone by narrowing filters,
and a constant number of queries."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory
from tandem.institutions.models import Region
from tandem.institutions.tests.factories import InstitutionFactory
from tandem.plans.models import MilestoneSubmission, PlanMilestone, ReviewOutcome, TrainingPlan
from tandem.portal import benchmarks
from tandem.portal.tests.conftest import cultivations

pytestmark = pytest.mark.django_db


def _figures(table):
    """{(row label, column): text} of the whole table."""
    return {
        (row.label, str(key)): benchmarks.cell_text(row.cells[key], table.indicator)
        for row in table.rows()
        for key, _label in table.columns
    }


def test_joint_trainees_by_region_with_small_groups_hidden_and_their_complements(consortium):
    table = benchmarks.table(
        benchmarks.INDICATORS["joint_trainees"], "region", timezone.localdate()
    )
    figures = _figures(table)
    eastern, western = str(Region.EASTERN.label), str(Region.WESTERN.label)
    # East 2 has one trainee in 2025: hidden, and so is its 2026 (else its total gives it away)
    # and East 1's 2025 and 2026 (else the eastern subtotals give it away).
    assert figures[("East 2", "2025")] == figures[("East 2", "2026")] == "–"
    assert figures[("East 1", "2025")] == figures[("East 1", "2026")] == "–"
    assert figures[("East 1", "total")] == "9" and figures[("East 2", "total")] == "5"
    assert (figures[(eastern, "2025")], figures[(eastern, "2026")]) == ("5", "9")
    assert figures[(eastern, "total")] == "14"
    assert (figures[("West 1", "2025")], figures[("West 1", "2026")]) == ("0", "3")
    assert figures[(western, "total")] == "3"
    assert figures[("Consortium", "total")] == "17"


def test_tiers_compare_the_key_university_with_the_others(consortium):
    table = benchmarks.table(benchmarks.INDICATORS["joint_trainees"], "tier", timezone.localdate())
    totals = {row.key: row.total.units for row in table.groups}
    assert totals == {"key": 9, "other": 8}


def test_flows_count_who_sends_to_whom(consortium):
    table = benchmarks.table(benchmarks.INDICATORS["flows"], "region", timezone.localdate())
    figures = _figures(table)
    west1, east1 = consortium["west1"].pk, consortium["east1"].pk
    assert figures[("East 1", str(west1))] == "9"
    assert figures[("East 2", str(west1))] == "5"
    assert figures[("West 1", str(east1))] == "3"
    assert [label for _key, label in table.columns] == ["East 1", "West 1", "Total"]


def test_milestones_on_time_is_the_share_passed_by_the_end_of_the_window(consortium):
    closes = datetime.date(2025, 12, 31)
    for index, cultivation in enumerate(consortium["e1_2025"]):
        plan = TrainingPlan.objects.create(cultivation=cultivation, created_by=cultivation.trainee)
        milestone = PlanMilestone.objects.create(
            plan=plan,
            key="proposal",
            kind="proposal",
            status="passed",
            earliest=datetime.date(2025, 9, 1),
            latest=closes,
        )
        # Three submitted in time, the fourth a day late.
        day = closes if index < 3 else closes + datetime.timedelta(days=1)
        MilestoneSubmission.objects.create(
            milestone=milestone,
            number=1,
            submitted_by=cultivation.trainee,
            outcome=ReviewOutcome.PASSED,
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
            reviewed_by=consortium["admin"],
            reviewed_at=timezone.make_aware(datetime.datetime(2026, 1, 10, 10)),
        )
    table = benchmarks.table(
        benchmarks.INDICATORS["milestones_on_time"], "region", datetime.date(2026, 6, 1)
    )
    row = next(row for row in table.institutions if row.label == "East 1")
    assert (row.total.units, row.total.hits, row.total.rate()) == (4, 3, 75.0)
    assert benchmarks.cell_text(row.total, table.indicator) == "75.0 % / 4"


def test_the_same_figures_on_the_page_in_the_api_and_in_excel(consortium, client):
    client.force_login(consortium["admin"])
    query = {"indicator": "joint_trainees", "grouping": "region"}
    page = client.get(reverse("portal:benchmark"), query)
    assert page.status_code == 200
    shown = {item["row"].label: item["cells"] for item in page.context["rows"]}
    api = client.get("/api/v1/reports/benchmarks/joint_trainees", {"grouping": "region"}).json()
    from_api = {
        row["label"]: ["–" if c["suppressed"] else str(c["units"]) for c in row["cells"]]
        for row in api["rows"]
    }
    export = client.get(reverse("portal:benchmark_export"), query)
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).worksheets[0]
    from_excel = {
        row[0]: [str(value) for value in row[1:]]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[1] is not None
    }
    assert shown == from_api == from_excel
    assert shown["East 2"] == ["–", "–", "5"]
    assert b"<svg" in page.content


def test_narrowing_filters_only_hide_rows_and_columns_of_the_same_table(consortium, client):
    """East 2's 2025 cell stays hidden whatever the filters: asking for the eastern region only,
    or for 2025 only, shows the same suppressed cells as the whole table."""
    client.force_login(consortium["admin"])
    whole = client.get("/api/v1/reports/benchmarks/joint_trainees").json()
    narrow = client.get(
        "/api/v1/reports/benchmarks/joint_trainees",
        {"group": "eastern", "first": 2025, "last": 2025},
    ).json()
    cells = {(row["label"], cell["column"]): cell for row in whole["rows"] for cell in row["cells"]}
    for row in narrow["rows"]:
        for cell in row["cells"]:
            assert cell == cells[(row["label"], cell["column"])]
    east2 = next(row for row in narrow["rows"] if row["label"] == "East 2")
    assert [c["column"] for c in east2["cells"]] == ["2025", "total"]
    assert east2["cells"][0] == {
        "column": "2025",
        "units": None,
        "hits": None,
        "rate": None,
        "value": None,
        "mean": None,
        "suppressed": True,
    }


def test_a_coordinator_drills_down_to_their_own_institution_only(consortium, client):
    client.force_login(consortium["coordinator"])
    page = client.get(reverse("portal:benchmark"))
    drill = {item["row"].label for item in page.context["rows"] if item["drill"]}
    assert drill == {"East 2"}
    assert reverse("institutions:detail", args=[consortium["east2"].pk]).encode() in page.content
    assert reverse("institutions:detail", args=[consortium["east1"].pk]).encode() not in (
        page.content
    )


def test_bad_filters_are_named_and_nothing_is_shown(consortium, client):
    client.force_login(consortium["admin"])
    page = client.get(reverse("portal:benchmark"), {"first": 2027, "last": 2025, "group": "mars"})
    assert page.status_code == 400
    assert "table" not in page.context
    assert set(page.context["form"].errors) == {"first", "group"}
    api = client.get("/api/v1/reports/benchmarks/joint_trainees", {"grouping": "planets"})
    assert api.status_code == 400 and "grouping" in api.json()["errors"]
    assert client.get("/api/v1/reports/benchmarks/nonsense").status_code == 404


def test_a_trainee_or_tutor_is_refused(consortium, client):
    trainee = consortium["e1_2025"][0].trainee
    MembershipFactory(user=trainee, institution=consortium["east1"], role=Role.TRAINEE)
    client.force_login(trainee)
    assert client.get(reverse("portal:benchmark")).status_code == 403
    assert client.get("/api/v1/reports/benchmarks/flows").status_code == 403


def _queries(client, indicator):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:benchmark"), {"indicator": indicator}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("indicator", list(benchmarks.INDICATORS))
def test_pages_take_a_constant_number_of_queries(consortium, client, indicator):
    client.force_login(consortium["admin"])
    small = _queries(client, indicator)
    for region in (Region.CENTRAL, Region.WESTERN, Region.NORTHEASTERN):
        home = InstitutionFactory(region=region)
        cultivations(home, consortium["east1"], 2024, 4)
        cultivations(home, consortium["west1"], 2026, 2)
    assert _queries(client, indicator) == small


def test_resource_sharing_sums_the_hours_partners_used(consortium):
    from tandem.bookings.models import BookingStatus
    from tandem.bookings.tests.factories import BookingFactory
    from tandem.resources.tests.factories import SharedResourceFactory

    microscope = SharedResourceFactory(institution=consortium["west1"])
    start = timezone.make_aware(datetime.datetime(2026, 3, 2, 9))
    for cultivation in consortium["e1_2026"][:3]:
        BookingFactory(
            resource=microscope,
            booked_by=cultivation.trainee,
            institution=consortium["east1"],
            start=start,
            end=start + datetime.timedelta(hours=2, minutes=30),
            status=BookingStatus.COMPLETED,
        )
    # West 1's own people and a booking not completed are not partners' use.
    BookingFactory(
        resource=microscope,
        booked_by=consortium["w1_2026"][0].trainee,
        start=start,
        end=start + datetime.timedelta(hours=5),
        status=BookingStatus.COMPLETED,
    )
    BookingFactory(
        resource=microscope,
        booked_by=consortium["e1_2025"][0].trainee,
        institution=consortium["east1"],
        start=start,
        status=BookingStatus.CONFIRMED,
    )
    table = benchmarks.table(
        benchmarks.INDICATORS["resource_sharing"], "region", timezone.localdate()
    )
    figures = _figures(table)
    assert figures[("West 1", "2026")] == "7.5"
    assert figures[("Consortium", "total")] == "7.5"


def test_days_to_close_counts_each_anonymous_item_as_its_own_person(consortium):
    from tandem.agreements.tests.factories import AgreementFactory
    from tandem.feedback.models import FeedbackItem, ItemStatus

    agreement = AgreementFactory()
    closed = timezone.make_aware(datetime.datetime(2026, 5, 4, 12))

    def item(institution, days, raiser=None):
        FeedbackItem.objects.create(
            category="housing",
            title="Heating",
            description="Cold rooms",
            is_anonymous=raiser is None,
            raised_by=raiser,
            agreement=agreement,
            institution=institution,
            handler_role="coordinator",
            status=ItemStatus.CLOSED,
            raised_on=datetime.date(2026, 4, 1),
            acknowledge_due=datetime.date(2026, 4, 3),
            resolve_due=datetime.date(2026, 4, 15),
            resolved_at=closed,
            resolution="Fixed",
            closed_at=closed,
            days_to_close=days,
        )

    for days in (4, 6, 8):
        item(consortium["west1"], days)
    for days in (10, 10, 10):
        item(consortium["east2"], days)
    raiser = consortium["e1_2025"][0].trainee
    for days in (2, 4):
        item(consortium["east1"], days, raiser)
    table = benchmarks.table(
        benchmarks.INDICATORS["feedback_days_to_close"], "region", timezone.localdate()
    )
    figures = _figures(table)
    assert figures[("West 1", "2026")] == "6.0 / 3"
    # Two items of one trainee: one person, hidden, and East 2 with it (else the eastern
    # subtotal gives it away); the subtotal itself describes four people.
    assert figures[("East 1", "2026")] == figures[("East 2", "2026")] == "–"
    assert figures[(str(Region.EASTERN.label), "2026")] == "7.2 / 5"


def test_publications_compliant_is_the_share_acceptable_under_the_authorship_rules(consortium):
    from tandem.publications.models import Publication

    for index, cultivation in enumerate(consortium["e1_2026"]):
        Publication.objects.create(
            cultivation=cultivation,
            title=f"Paper {index}",
            year=2026,
            compliant=index < 4,
            created_by=cultivation.trainee,
        )
    table = benchmarks.table(
        benchmarks.INDICATORS["publications_compliant"], "region", timezone.localdate()
    )
    assert _figures(table)[("East 1", "2026")] == "80.0 % / 5"


def test_the_dashboard_shows_report_readers_the_regions_and_never_an_institution(
    consortium, client
):
    client.force_login(consortium["coordinator"])
    chart = client.get("/").context["benchmark_chart"]
    bars = {bar.label: bar.text for bar in chart.bars}
    assert bars == {str(Region.EASTERN.label): "14", str(Region.WESTERN.label): "3"}
    trainee = consortium["e1_2025"][0].trainee
    MembershipFactory(user=trainee, institution=consortium["east1"], role=Role.TRAINEE)
    client.force_login(trainee)
    assert "benchmark_chart" not in client.get("/").context
