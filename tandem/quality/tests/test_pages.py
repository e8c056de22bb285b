"""The quality pages: who sees what (outsider 404, wrong role 403), bad input named with nothing
saved, the compliance page at a constant number of queries, the rectification lifecycle, the
self-assessment from scores to the read-only submitted version and its Excel read back."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.alerts.models import Notification
from tandem.assessments.models import Assessment
from tandem.quality.models import (
    Evidence,
    Observation,
    Rectification,
    RectificationStatus,
    SelfScore,
    Standard,
)
from tandem.residency.tests.factories import make_resident
from tandem.teaching.models import Activity

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_outsider_gets_404_everywhere(client, cast, qw):
    _login(client, cast.outsider)
    for name, pk in [
        ("quality:base_detail", qw.tw.world.base_a.pk),
        ("quality:compliance", qw.tw.world.base_a.pk),
        ("quality:observation_detail", qw.observation.pk),
        ("quality:item_detail", qw.item.pk),
        ("quality:assessment_detail", qw.assessment.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    response = client.post(reverse("quality:item_respond", args=[qw.item.pk]), {"response": "x"})
    assert response.status_code == 404


def test_the_teacher_sees_the_observation_but_records_no_finding(client, cast, qw):
    _login(client, cast.tutor_a)
    assert (
        client.get(reverse("quality:observation_detail", args=[qw.observation.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("quality:finding_add", args=[qw.observation.pk]),
        {"finding": "Mine", "owner": cast.tutor_a.pk, "deadline": "2099-01-01"},
    )
    assert response.status_code == 403
    assert Rectification.objects.count() == 1


def test_a_non_supervisor_cannot_observe(client, cast, qw):
    # The resident sees the activity (in its audience) but supervises nothing.
    _login(client, cast.resident)
    response = client.post(reverse("quality:observation_start", args=[qw.tw.now.pk]))
    assert response.status_code == 403
    assert Observation.objects.count() == 1


def test_the_supervisor_cannot_report_the_owners_action(client, cast, qw):
    _login(client, cast.coord_a)
    response = client.post(reverse("quality:item_respond", args=[qw.item.pk]), {"response": "Done"})
    assert response.status_code == 403


def test_rectification_lifecycle_returned_then_accepted(client, cast, qw):
    item_url = reverse("quality:item_detail", args=[qw.item.pk])
    _login(client, cast.tutor_a)
    response = client.post(
        reverse("quality:item_respond", args=[qw.item.pk]), {"response": " "}, follow=True
    )
    assert "Say what action was taken." in _messages(response)
    qw.item.refresh_from_db()
    assert qw.item.status == RectificationStatus.OPEN
    client.post(
        reverse("quality:item_respond", args=[qw.item.pk]),
        {"response": "Case presentations added."},
    )
    qw.item.refresh_from_db()
    assert qw.item.status == RectificationStatus.RESPONDED
    # The owner cannot accept their own item.
    response = client.post(
        reverse("quality:item_decide", args=[qw.item.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403

    _login(client, cast.coord_a)
    response = client.post(
        reverse("quality:item_decide", args=[qw.item.pk]),
        {"decision": "return", "note": ""},
        follow=True,
    )
    assert "Say what is missing when returning an item." in _messages(response)
    client.post(
        reverse("quality:item_decide", args=[qw.item.pk]),
        {"decision": "return", "note": "Show the new schedule."},
    )
    qw.item.refresh_from_db()
    assert qw.item.status == RectificationStatus.OPEN and qw.item.return_note

    _login(client, cast.tutor_a)
    client.post(
        reverse("quality:item_respond", args=[qw.item.pk]), {"response": "Schedule attached."}
    )
    _login(client, cast.coord_a)
    client.post(reverse("quality:item_decide", args=[qw.item.pk]), {"decision": "accept"})
    qw.item.refresh_from_db()
    assert qw.item.status == RectificationStatus.ACCEPTED and qw.item.accepted_by == cast.coord_a
    assert client.get(item_url).status_code == 200
    # Each step told the other side, with a link to the item.
    told = Notification.objects.filter(kind="rectification").order_by("pk")
    assert [n.params["step"] for n in told.filter(user=cast.tutor_a)] == [
        "assigned",
        "returned",
        "accepted",
    ]
    assert [n.params["step"] for n in told.filter(user=cast.coord_a)] == ["responded"] * 2
    assert {n.url for n in told} == {item_url}


def test_a_finding_with_a_past_deadline_or_a_stranger_owner_is_refused(client, cast, qw):
    _login(client, cast.coord_a)
    url = reverse("quality:finding_add", args=[qw.observation.pk])
    response = client.post(
        url,
        {"finding": "Late start", "owner": cast.tutor_a.pk, "deadline": "2000-01-01"},
        follow=True,
    )
    assert "The deadline cannot be in the past." in _messages(response)
    response = client.post(
        url,
        {"finding": "Late start", "owner": cast.outsider.pk, "deadline": "2099-01-01"},
        follow=True,
    )
    assert any("The owner is the activity" in m for m in _messages(response))
    assert Rectification.objects.count() == 1


def test_a_standard_with_a_bad_period_is_refused_with_nothing_saved(client, cast, qw):
    _login(client, cast.coord_a)
    response = client.post(
        reverse("quality:standard_add", args=[qw.tw.world.base_a.pk]),
        {
            "kind": "frequency",
            "activity_kind": qw.tw.lecture.pk,
            "count": 1,
            "period": 0,
            "unit": "week",
            "within_days": 3,
        },
        follow=True,
    )
    assert "Give a period from 1 to 52." in _messages(response)
    response = client.post(
        reverse("quality:standard_add", args=[qw.tw.world.base_a.pk]),
        {"kind": "frequency", "count": 1, "period": 1, "unit": "week", "within_days": 3},
        follow=True,
    )
    assert "Choose the kind of activity the standard counts." in _messages(response)
    assert Standard.objects.count() == 2


def test_a_wrong_role_cannot_set_standards(client, cast, qw):
    # B's office does not manage A's base: the same 404 as for a missing one.
    _login(client, cast.coord_b)
    response = client.post(
        reverse("quality:standard_add", args=[qw.tw.world.base_a.pk]),
        {"kind": "teacher_load", "count": 3, "period": 1, "unit": "week", "within_days": 3},
    )
    assert response.status_code == 404
    assert Standard.objects.count() == 2


def _grow(qw, residents: int, weeks: int) -> None:
    """More residents rotating in A1 (with assessments naming tutor_a) and more past rounds."""
    cast = qw.tw.world.cast
    base = Assessment.objects.filter(department=qw.tw.world.a1).first()
    today = timezone.localdate()
    offset = Assessment.objects.count()
    for n in range(residents):
        person = make_resident(cast, f"q{offset}_{n}")
        Assessment.objects.create(
            member=base.member,
            resident=person,
            department=qw.tw.world.a1,
            start=today.replace(day=1) - datetime.timedelta(days=offset + n),
            end=today + datetime.timedelta(days=20),
            due_on=today + datetime.timedelta(days=30),
            teacher=cast.tutor_a,
        )
    for k in range(weeks):
        start = qw.tw.now.starts_at - datetime.timedelta(days=7 * (k + 1))
        Activity.objects.create(
            department=qw.tw.world.a1,
            kind=qw.tw.rounds,
            teacher=cast.tutor_a,
            topic=f"R{k}",
            place="Room",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            created_by=cast.coord_a,
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_compliance_page_at_a_constant_number_of_queries(client, cast, qw):
    from tandem.quality import services

    services.standard_add(actor=cast.coord_a, base=qw.tw.world.base_a, kind="teacher_load", count=2)
    _login(client, cast.coord_a)
    url = reverse("quality:compliance", args=[qw.tw.world.base_a.pk])
    _grow(qw, 2, 3)
    small = _queries(client, url)
    _grow(qw, 20, 40)
    large = _queries(client, url)
    assert small == large
    response = client.get(url)
    assert response.context["result"].rows
    # tutor_a now has more than two residents at once: named in the evidence.
    load = [r for r in response.context["result"].rows if r["standard"].kind == "teacher_load"][0]
    assert load["status"] == "missed"
    assert load["outcomes"][0].evidence[0]["person"] == str(
        cast.tutor_a.full_name or cast.tutor_a.username
    )
    assert len(response.context["result"].history) == 12


def test_self_assessment_scores_evidence_submit_and_excel(client, cast, qw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _login(client, cast.coord_a)
    url = reverse("quality:assessment_detail", args=[qw.assessment.pk])
    page = client.get(url)
    indicators = [r["indicator"] for g in page.context["groups"] for r in g["rows"]]
    first = indicators[0]
    # A score above the maximum is named; nothing is saved.
    data = {f"score_{i.pk}": "1" for i in indicators}
    data[f"score_{first.pk}"] = "99"
    response = client.post(url, data)
    assert response.status_code == 400
    assert any("give a score from 0 to" in m for m in _messages(response))
    assert not SelfScore.objects.exists()
    # Submitting with scores missing names them.
    response = client.post(
        reverse("quality:assessment_submit", args=[qw.assessment.pk]), follow=True
    )
    assert any("Score every indicator" in m for m in _messages(response))
    data[f"score_{first.pk}"] = "8.5"
    data[f"comment_{first.pk}"] = "Beds and case mix met."
    assert client.post(url, data).status_code == 302
    # Evidence: a wrong type is refused, a PDF is kept.
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("quality:evidence_add", args=[qw.assessment.pk]),
        {"indicator": first.pk, "file": bad},
        follow=True,
    )
    assert any("Upload a PDF" in m for m in _messages(response))
    pdf = SimpleUploadedFile("beds.pdf", b"%PDF-1.4 beds", content_type="application/pdf")
    client.post(
        reverse("quality:evidence_add", args=[qw.assessment.pk]),
        {"indicator": first.pk, "title": "Bed census", "file": pdf},
    )
    evidence = Evidence.objects.get()
    download = client.get(reverse("quality:evidence_download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 beds"
    client.post(reverse("quality:assessment_submit", args=[qw.assessment.pk]))
    qw.assessment.refresh_from_db()
    assert qw.assessment.status == "submitted"
    # Read-only now.
    data[f"score_{first.pk}"] = "2"
    client.post(url, data)
    assert SelfScore.objects.get(indicator=first).score == 8.5
    # The export read back.
    body = client.get(reverse("quality:assessment_xlsx", args=[qw.assessment.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Group", "Indicator", "Maximum score", "Score")
    assert (
        rows[1][3] == 8.5 and rows[1][4] == "Beds and case mix met." and rows[1][5] == "Bed census"
    )
    assert len(rows) == 1 + len(indicators)


def test_home_and_dashboard_show_the_owners_items(client, cast, qw):
    _login(client, cast.tutor_a)
    response = client.get(reverse("quality:home"))
    assert qw.item in list(response.context["items"])
    dashboard = client.get("/")
    assert dashboard.status_code == 200
