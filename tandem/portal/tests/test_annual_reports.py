"""Annual reports: asked for, built in the background with progress, stored, downloaded; the
same figures as the benchmarking table; refusals and failures leave nothing half-made."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.portal import annual, benchmarks, services
from tandem.portal.models import AnnualReport, ReportStatus

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("portal:annual_reports"), data)


def test_the_consortium_report_is_built_stored_and_downloaded(
    consortium, client, django_capture_on_commit_callbacks, monkeypatch
):
    pages = []
    original = annual.render_to_string
    monkeypatch.setattr(
        annual, "render_to_string", lambda *a, **k: pages.append(original(*a, **k)) or pages[-1]
    )
    client.force_login(consortium["admin"])
    year = timezone.localdate().year
    response = _ask(
        client, django_capture_on_commit_callbacks, year=year, language="en", institution=""
    )
    report = AnnualReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portal:annual_report", args=[report.pk]
    )
    assert report.status == ReportStatus.DONE
    assert report.steps_done == report.steps_total == len(benchmarks.INDICATORS) + 1
    pdf = client.get(reverse("portal:annual_report_pdf", args=[report.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The PDF is made from this page: the consortium's 17 joint trainees and East 2's five
    # (its small years hidden), as on the benchmarking page.
    html = pages[0]
    assert "East 2" in html and "<td>17</td>" in html and "<td>5</td>" in html
    assert "<svg" in html
    detail = client.get(reverse("portal:annual_report", args=[report.pk]))
    assert reverse("portal:annual_report_pdf", args=[report.pk]).encode() in detail.content


def test_every_table_in_excel_with_the_benchmark_figures(
    consortium, client, django_capture_on_commit_callbacks
):
    client.force_login(consortium["admin"])
    _ask(client, django_capture_on_commit_callbacks, year=2026, language="en", institution="")
    report = AnnualReport.objects.get()
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("portal:annual_report_xlsx", args=[report.pk])).content)
    )
    assert len(book.worksheets) == len(benchmarks.INDICATORS)
    sheet = book.worksheets[0]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    table = benchmarks.table(
        benchmarks.INDICATORS["joint_trainees"], "region", timezone.localdate()
    )
    east2 = next(row for row in table.institutions if row.label == "East 2")
    expected = [benchmarks.cell_text(east2.cells[key], table.indicator) for key in (2025, 2026)]
    assert list(rows["East 2"][:3]) == [*expected, "5"]


def test_an_institutions_report_shows_it_beside_its_region_and_the_consortium(consortium):
    parts = annual.sections(2026, consortium["east2"].pk, timezone.localdate())
    labels = [row["label"] for row in parts[0]["rows"]]
    assert labels == ["East 2", "Eastern China", "Consortium"]


def test_a_coordinator_asks_only_for_their_institution_and_sees_only_its_reports(
    consortium, client, django_capture_on_commit_callbacks
):
    client.force_login(consortium["coordinator"])  # of East 2
    refused = _ask(
        client,
        django_capture_on_commit_callbacks,
        year=2026,
        language="zh-hans",
        institution=consortium["east1"].pk,
    )
    assert refused.status_code == 200 and "institution" in refused.context["form"].errors
    assert not AnnualReport.objects.exists()
    _ask(
        client,
        django_capture_on_commit_callbacks,
        year=2026,
        language="zh-hans",
        institution=consortium["east2"].pk,
    )
    own = AnnualReport.objects.get()
    assert own.institution == consortium["east2"] and own.status == ReportStatus.DONE
    other = AnnualReport.objects.create(
        institution=consortium["east1"],
        year=2026,
        language="en",
        requested_by=consortium["admin"],
        steps_total=1,
    )
    for name in ("portal:annual_report", "portal:annual_report_pdf", "portal:annual_report_xlsx"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
        assert client.get(reverse(name, args=[other.pk + 100])).status_code == 404
    listed = client.get(reverse("portal:annual_reports")).context["reports"]
    assert [report.pk for report in listed] == [own.pk]


def test_a_year_in_the_future_is_refused_and_nothing_is_queued(consortium, client):
    client.force_login(consortium["admin"])
    response = client.post(
        reverse("portal:annual_reports"),
        {"year": timezone.localdate().year + 1, "language": "en", "institution": ""},
    )
    assert response.status_code == 200 and "year" in response.context["form"].errors
    assert not AnnualReport.objects.exists()


def test_a_failed_build_is_recorded_and_a_second_run_builds_once(consortium, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    report = AnnualReport.objects.create(
        institution=None,
        year=2026,
        language="en",
        requested_by=consortium["admin"],
        steps_total=len(benchmarks.INDICATORS) + 1,
    )
    monkeypatch.setattr(annual, "render_pdf", broken)
    with pytest.raises(RuntimeError):
        services.annual_report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "fonts missing" in report.error
    assert not report.file
    # Run again (a retried task): the failed report is left as it is.
    assert services.annual_report_build(report_id=report.pk).status == ReportStatus.FAILED
