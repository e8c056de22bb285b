"""The visits API and pages: bad input answers 400 naming the field and saves nothing; the
outsider gets 404, a reader without the role 403; a side reads only its own actions; list pages
keep a constant number of queries."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.visits import services
from tandem.visits.models import Action, Practice, Session
from tandem.visits.tests.factories import build_visitworld

TODAY = datetime.datetime(2026, 11, 19, 6, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 11, 19)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def vw(cast):
    return build_visitworld(cast, starts_on=DAY)


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_api_refuses_a_deadline_before_the_visit_naming_the_field(vw, cast, client_for):
    before = Action.objects.count()
    response = _post(
        client_for("coord_a"),
        f"/api/v1/visits/visits/{vw.visit.pk}/actions",
        {
            "institution_id": cast.inst_a.pk,
            "owner_id": cast.tutor_a.pk,
            "title": "Too early",
            "deadline": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert "cannot be before the visit" in response.json()["errors"]["deadline"][0]
    assert Action.objects.count() == before


def test_api_refuses_an_owner_outside_both_institutions(vw, cast, client_for):
    response = _post(
        client_for("coord_a"),
        f"/api/v1/visits/visits/{vw.visit.pk}/actions",
        {
            "institution_id": cast.inst_a.pk,
            "owner_id": cast.outsider.pk,
            "title": "Outside",
            "deadline": "2026-12-01",
        },
    )
    assert response.status_code == 400
    assert "owner_id" in response.json()["errors"]
    assert "Charlie" not in response.content.decode()


def test_api_refuses_a_session_for_a_third_institutions_base(vw, cast, client_for):
    before = Session.objects.count()
    response = _post(
        client_for("coord_a"),
        f"/api/v1/visits/visits/{vw.visit.pk}/sessions",
        {"host_base_id": vw.base_c.pk},
    )
    assert response.status_code == 400
    assert "not a training base of the host" in response.json()["errors"]["host_base_id"][0]
    assert Session.objects.count() == before


def test_api_outsider_gets_404_and_a_reader_without_the_role_403(vw, cast, client_for):
    url = f"/api/v1/visits/visits/{vw.visit.pk}/practices"
    body = {"institution_id": cast.inst_a.pk, "topic": "other", "title": "x", "summary": "y"}
    assert _post(client_for("outsider"), url, body).status_code == 404
    assert _post(client_for("tutor_a"), url, body).status_code == 403
    assert not Practice.objects.exists()


def test_api_lists_only_the_actions_of_the_readers_side(vw, cast, client_for):
    url = f"/api/v1/visits/visits/{vw.visit.pk}/actions"
    titles_b = {a["title"] for a in client_for("coord_b").get(url).json()["items"]}
    titles_a = {a["title"] for a in client_for("coord_a").get(url).json()["items"]}
    assert titles_b == {vw.action_b.title, vw.done_b.title}
    assert titles_a == titles_b | {vw.action_a.title}


def test_page_form_errors_are_shown_and_nothing_saved(vw, cast, client_for):
    client = client_for("coord_a")
    response = client.post(
        f"/visits/{vw.visit.pk}/actions/",
        {
            "institution": cast.inst_a.pk,
            "owner": cast.tutor_a.pk,
            "title": "Too early",
            "deadline": "2026-11-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The deadline cannot be before the visit" in response.content.decode()
    assert not Action.objects.filter(title="Too early").exists()


def test_visit_new_with_bad_input_answers_400_with_the_reasons(cast, client_for):
    response = client_for("coord_a").post(
        "/visits/new/",
        {
            "host": cast.inst_a.pk,
            "visiting": cast.inst_a.pk,
            "title": "Same twice",
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-19",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "must be two" in text and "cannot be before the first" in text


def test_report_pdf_downloads_in_chinese(vw, client_for):
    response = client_for("coord_b").get(f"/visits/{vw.visit.pk}/report.pdf?lang=zh-hans")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_visit_page_and_library_keep_a_constant_number_of_queries(vw, cast, client_for):
    client = client_for("coord_a")
    visit_url, library_url = f"/visits/{vw.visit.pk}/", "/visits/practices/"
    services.practice_share(
        actor=cast.coord_a,
        visit=vw.visit,
        institution=cast.inst_a,
        topic="other",
        title="First",
        summary="One",
    )
    small = (_queries(client, visit_url), _queries(client, library_url))
    for n in range(6):
        services.practice_share(
            actor=cast.coord_b,
            visit=vw.visit,
            institution=cast.inst_b,
            topic="teaching_methods",
            title=f"Practice {n}",
            summary="More",
        )
        services.action_add(
            actor=cast.coord_b,
            visit=vw.visit,
            institution=cast.inst_b,
            owner=cast.tutor_b,
            title=f"Action {n}",
            deadline=DAY,
        )
    large = (_queries(client, visit_url), _queries(client, library_url))
    assert large == small
