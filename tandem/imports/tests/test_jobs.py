"""The import job itself: who sees it, the progress page with and without JavaScript, the API,
and errors as rows."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.services_import import people_import_job_start
from tandem.imports import rules, selectors
from tandem.imports.models import ImportJob, ImportPhase, ImportStatus
from tandem.imports.services import Progress, import_job_run

CSV = b"full_name,email,role\nNew Teacher,new.teacher@example.org,teacher\n"


@pytest.fixture
def job(cast):
    return people_import_job_start(
        actor=cast.coord_a, institution=cast.inst_a, file_name="people.csv", content=CSV
    )


def test_outsider_gets_404_for_the_page_and_the_api(job, client_for):
    for actor in ("outsider", "coord_b", "tutor_a"):
        client = client_for(actor)
        assert client.get(reverse("imports:job_detail", kwargs={"pk": job.pk})).status_code == 404
        assert client.get(f"/api/v1/imports/{job.pk}").status_code == 404
    missing = job.pk + 1000
    assert client_for("coord_a").get(f"/api/v1/imports/{missing}").status_code == 404


def test_another_coordinator_of_the_institution_follows_the_job(job, cast):
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, institution=cast.inst_a, role="coordinator")
    assert selectors.import_job_get_for_user_or_404(colleague, job.pk) == job


def test_a_running_job_polls_with_htmx_and_refreshes_without_javascript(job, client_for):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, phase=ImportPhase.CHECKING, rows_done=40, rows_total=100
    )
    client = client_for("coord_a")
    url = reverse("imports:job_detail", kwargs={"pk": job.pk})
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page and "<noscript>" in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 1s"' in page
    assert "40 of 100 rows checked" in page and 'value="40"' in page
    assert f'href="{url}"' in page  # the refresh link
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "40 of 100 rows checked" in partial


def test_a_finished_job_stops_polling_and_links_the_result(job, client_for):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        rows_done=1,
        rows_total=1,
        result={"total": 1, "invited": 1, "roles_added": 0, "url": "/people/?institution=1"},
    )
    page = client_for("coord_a").get(reverse("imports:job_detail", kwargs={"pk": job.pk}))
    text = page.content.decode()
    assert "hx-trigger" not in text and 'http-equiv="refresh"' not in text
    assert "Imported 1 people: 1 invited" in text
    assert 'href="/people/?institution=1"' in text


def test_a_failed_job_lists_every_error_with_row_and_column_in_chinese(job, client_for, cast):
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        errors=[{"row": 7, "column": "邮箱", "message": "“x” 不是电子邮件地址。"}],
    )
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("imports:job_detail", kwargs={"pk": job.pk})).content.decode()
    assert "<td>7</td><td>邮箱</td>" in page
    assert "文件中有 1 处问题，未导入任何数据。" in page and "失败" in page


def test_a_job_runs_only_once(job):
    calls = []

    def work(job, progress):
        calls.append(job.pk)
        return {"url": "/"}

    import_job_run(job_id=job.pk, work=work)
    import_job_run(job_id=job.pk, work=work)
    assert calls == [job.pk]


def test_an_unexpected_error_fails_the_job_with_a_message_not_a_traceback(job):
    def work(job, progress):
        progress.rows(3, 10)
        raise RuntimeError("disk on fire")

    import_job_run(job_id=job.pk, work=work)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [
        {
            "row": None,
            "column": "",
            "message": "The import stopped on an unexpected error; nothing was saved.",
        }
    ]
    assert (job.rows_done, job.rows_total) == (3, 10)


def test_progress_is_written_as_rows_are_checked(job, monkeypatch):
    seen = []

    def work(job, progress):
        for done in range(1, 6):
            progress.rows(done, 5)
            seen.append(ImportJob.objects.get(pk=job.pk).rows_done)
        progress.saving()
        seen.append(ImportJob.objects.get(pk=job.pk).phase)
        return {}

    monkeypatch.setattr("tandem.imports.services.PROGRESS_EVERY_SECONDS", 0)
    import_job_run(job_id=job.pk, work=work)
    assert seen == [1, 2, 3, 4, 5, ImportPhase.SAVING]


def test_progress_is_not_written_for_every_row_of_a_fast_file(job):
    progress = Progress(job)
    progress.rows(1, 1000)
    progress.rows(2, 1000)  # within half a second of the first: not written
    assert ImportJob.objects.get(pk=job.pk).rows_done == 1
    progress.rows(1000, 1000)  # the last row always is
    assert ImportJob.objects.get(pk=job.pk).rows_done == 1000


def test_errors_keyed_by_json_path_become_row_and_column():
    exc = ValidationError(
        {"plan.versions[1].courses[0].credits": ["Give a number."], "id": ["Taken."]}
    )
    assert rules.error_rows(exc) == [
        {"row": "plan.versions[1].courses[0]", "column": "credits", "message": "Give a number."},
        {"row": None, "column": "id", "message": "Taken."},
    ]
    assert rules.error_rows(ValidationError("Bad file.")) == [
        {"row": None, "column": "", "message": "Bad file."}
    ]


def test_the_size_threshold_is_a_setting(settings):
    settings.IMPORT_BACKGROUND_BYTES = 100
    assert not rules.runs_in_background(100)
    assert rules.runs_in_background(101)
    assert rules.runs_in_background(1, asked=True)
