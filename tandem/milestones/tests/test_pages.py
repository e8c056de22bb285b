"""The committee's pages: who sees what, ratings and the decision through the forms, the
resident's summary without the members' notes, the evidence page at a constant number of
queries, and the import of a set with bad rows (nothing saved)."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.assessments.models import Wba, WbaForm, WbaKind, WbaStatus
from tandem.milestones import services
from tandem.milestones.models import Rating, ReviewStatus, Subcompetency
from tandem.milestones.services_import import set_export
from tandem.residency import services as residency_services
from tandem.residency.tests.factories import make_resident

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_outsider_gets_404(mw, client_for):
    client = client_for("outsider")
    for name, pk in (
        ("milestones:committee_detail", mw.committee.pk),
        ("milestones:review_detail", mw.open.pk),
        ("milestones:resident_review", mw.open_rr.pk),
        ("milestones:summary", mw.done_rr.pk),
    ):
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404


def test_teacher_who_is_not_a_member_sees_nothing(mw, client_for):
    client = client_for("tutor_b")
    assert (
        client.get(reverse("milestones:resident_review", args=[mw.open_rr.pk])).status_code == 404
    )
    assert client.get(reverse("milestones:summary", args=[mw.done_rr.pk])).status_code == 404


def test_coordinator_sees_but_cannot_rate_403(mw, client_for):
    client = client_for("coord_a")
    assert (
        client.get(reverse("milestones:resident_review", args=[mw.open_rr.pk])).status_code == 200
    )
    sub = mw.milestone_set.subcompetencies.first()
    response = client.post(reverse("milestones:rate", args=[mw.open_rr.pk]), {f"sub_{sub.pk}": "3"})
    assert response.status_code == 403
    assert not Rating.objects.filter(resident_review=mw.open_rr).exists()


def test_resident_sees_only_the_finalised_summary(mw, client_for):
    client = client_for("resident")
    assert (
        client.get(reverse("milestones:resident_review", args=[mw.open_rr.pk])).status_code == 404
    )
    assert client.get(reverse("milestones:summary", args=[mw.open_rr.pk])).status_code == 404
    page = client.get(reverse("milestones:summary", args=[mw.done_rr.pk]))
    assert page.status_code == 200
    assert "Progressing" in page.content.decode()


def test_a_member_rates_and_finalises_and_the_notes_stay_hidden(mw, cast, client_for):
    subs = list(mw.milestone_set.subcompetencies.all())
    data = {f"sub_{s.pk}": "4" for s in subs} | {f"note_{subs[0].pk}": "Secret note of Tom"}
    for member in (cast.tutor_a, mw.two, mw.three):
        response = _client(member).post(reverse("milestones:rate", args=[mw.open_rr.pk]), data)
        assert response.status_code == 302
    response = client_for("tutor_a").post(
        reverse("milestones:finalise", args=[mw.open_rr.pk]),
        {
            "decision": "remediation",
            "plan": "Weekly case review with the chair",
            "plan_owner": mw.two.pk,
            "plan_due": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    mw.open_rr.refresh_from_db()
    assert mw.open_rr.status == ReviewStatus.FINALISED
    page = client_for("resident").get(reverse("milestones:summary", args=[mw.open_rr.pk]))
    text = page.content.decode()
    assert "Weekly case review with the chair" in text
    assert "Secret note of Tom" not in text
    assert "2026 H1" in text and "2026 H2" in text  # the trend over both reviews
    assert "<svg" in text


def test_bad_level_through_the_form_is_refused_with_a_message(mw, client_for):
    sub = mw.milestone_set.subcompetencies.first()
    client = client_for("tutor_a")
    response = client.post(
        reverse("milestones:rate", args=[mw.open_rr.pk]), {f"sub_{sub.pk}": "9"}, follow=True
    )
    assert "whole number from 1 to 5" in response.content.decode()
    assert not Rating.objects.filter(resident_review=mw.open_rr).exists()


def _evidence(mw, cast, n: int) -> None:
    form = WbaForm.objects.create(kind=WbaKind.MINI_CEX, name="Mini-CEX", domains=[])
    today = timezone.localdate()
    for i in range(n):
        Wba.objects.create(
            resident=cast.resident,
            member=mw.world.member,
            department=mw.world.a1,
            form=form,
            teacher=cast.tutor_a,
            date=today - datetime.timedelta(days=i % 5),
            case=f"case {i}",
            status=WbaStatus.CONFIRMED if i % 2 else WbaStatus.AWAITING,
            confirmed_by="account" if i % 2 else "",
            confirmed_at=timezone.now() if i % 2 else None,
        )
    rate_levels = {s.pk: 1 + i % 5 for i, s in enumerate(mw.milestone_set.subcompetencies.all())}
    services.ratings_save(
        actor=cast.tutor_a, resident_review=mw.open_rr, subcompetencies=rate_levels
    )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_evidence_page_at_a_constant_number_of_queries(mw, cast, client_for):
    client = client_for("tutor_a")
    url = reverse("milestones:resident_review", args=[mw.open_rr.pk])
    _evidence(mw, cast, 2)
    small = _count(client, url)
    _evidence(mw, cast, 12)
    services.ratings_save(
        actor=mw.two,
        resident_review=mw.open_rr,
        subcompetencies={s.pk: 2 for s in mw.milestone_set.subcompetencies.all()},
    )
    assert _count(client, url) == small


def _own_set(cast):
    return services.set_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        specialty="internal_medicine",
        version="2026",
        name="IM milestones",
    )


def _upload(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "set.xlsx"
    return buffer


HEADER = ["type", "code", "domain", "name", "name_zh", *[f"level_{n}" for n in range(1, 6)]]


def test_import_with_bad_rows_lists_them_and_saves_nothing(cast, client_for):
    milestone_set = _own_set(cast)
    rows = [
        HEADER,
        ["subcompetency", "PC1", "patient_care", "History", "病史", "a", "b", "c", "d", "e"],
        ["subcompetency", "PC2", "cooking", "Reasoning", "", "a", "b", "c", "d", "e"],
        ["subcompetency", "PC3", "patient_care", "Plans", "", "a", "b", "", "d", "e"],
        ["epa", "PC1", "", "", "", "", "", "", "", ""],
        ["thing", "X", "", "Y", "", "", "", "", "", ""],
    ]
    response = client_for("coord_a").post(
        reverse("milestones:set_import", args=[milestone_set.pk]), {"file": _upload(rows)}
    )
    assert response.status_code == 400
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert {(3, "domain"), (4, "level_3"), (5, "name"), (6, "type")} <= errors
    assert not Subcompetency.objects.filter(milestone_set=milestone_set).exists()


def test_export_imports_again_as_it_is(cast, client_for):
    source = services.builtin_set_ensure()
    target = _own_set(cast)
    file = io.BytesIO(set_export(source))
    file.name = "export.xlsx"
    response = client_for("coord_a").post(
        reverse("milestones:set_import", args=[target.pk]), {"file": file}
    )
    assert response.status_code == 302
    assert target.subcompetencies.count() == source.subcompetencies.count()
    assert target.epas.count() == source.epas.count()
    assert (
        client_for("coord_a").get(reverse("milestones:set_export", args=[target.pk])).status_code
        == 200
    )


def test_dashboard_panels(mw, cast, client_for):
    member_page = client_for("tutor_a").get(reverse("dashboard")).content.decode()
    assert "residents to rate" in member_page or "resident to rate" in member_page
    resident_page = client_for("resident").get(reverse("dashboard")).content.decode()
    assert "Your competency review 2026 H1" in resident_page


def _review_with(mw, cast, extra: int, label: str):
    for index in range(extra):
        resident = make_resident(cast, f"{label.replace(' ', '')}.r{index}")
        residency_services.member_add(
            actor=cast.coord_a, cohort=mw.world.cohort, resident=resident, program=mw.world.program
        )
    today = timezone.localdate()
    return services.review_open(
        actor=cast.tutor_a,
        committee=mw.committee,
        milestone_set=mw.milestone_set,
        label=label,
        period_start=today,
        period_end=today + datetime.timedelta(days=180),
        due_on=today + datetime.timedelta(days=200),
    )


def test_review_and_committee_pages_at_a_constant_number_of_queries(mw, cast, client_for):
    client = client_for("tutor_a")
    small = _review_with(mw, cast, 0, "2027 H1")
    small_count = _count(client, reverse("milestones:review_detail", args=[small.pk]))
    committee_small = _count(client, reverse("milestones:committee_detail", args=[mw.committee.pk]))
    large = _review_with(mw, cast, 6, "2027 H2")
    assert large.residents.count() == small.residents.count() + 6
    assert _count(client, reverse("milestones:review_detail", args=[large.pk])) == small_count
    committee_large = _count(client, reverse("milestones:committee_detail", args=[mw.committee.pk]))
    assert committee_large == committee_small
