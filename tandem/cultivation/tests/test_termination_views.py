"""The termination preview page and API (decision 098): both sides' coordinators see every
change; the other side confirms the plan it saw; a stale plan is refused and shown again."""

import pytest
from django.urls import reverse

from tandem.cultivation import services
from tandem.cultivation.models import Stay
from tandem.cultivation.tests.termination_data import terminable

pytestmark = pytest.mark.django_db
API = "/api/v1/cultivation"


def _asked(cast):
    data = terminable(cast)
    services.cultivation_decide(
        actor=cast.coord_a,
        cultivation=data.cultivation,
        action="terminate",
        reason="Wants to leave",
        ground="trainee_withdrew",
    )
    return data, data.cultivation.ending_requests.get(status="requested")


def _url(ending):
    return reverse("cultivation:termination_preview", args=[ending.cultivation_id, ending.pk])


def test_preview_page_lists_every_change(cast, client_for):
    data, ending = _asked(cast)
    page = client_for("coord_b").get(_url(ending))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "Tess Tutor",
        "Oncology debriefing",
        "Journal club",
        "JGY2021219",
        "19,500.00",
        "Confocal microscope",
        "A2025001",
        "Confirm the termination",
        "no longer sees the trainee",
    ):
        assert text in html, text
    # The asking side sees it too, without the confirmation.
    html_a = client_for("coord_a").get(_url(ending)).content.decode()
    assert "JGY2021219" in html_a and 'name="fingerprint"' not in html_a


def test_preview_page_in_chinese(cast, client_for):
    _data, ending = _asked(cast)
    client = client_for("coord_b")
    client.cookies["django_language"] = "zh-hans"
    html = client.get(_url(ending)).content.decode()
    assert "终止" in html and "What ends" not in html


def test_confirming_on_the_page_closes_everything(cast, client_for):
    data, ending = _asked(cast)
    client = client_for("coord_b")
    fingerprint = client.get(_url(ending)).context["plan"].fingerprint
    response = client.post(_url(ending), {"fingerprint": fingerprint, "reason": "Agreed"})
    assert response.status_code == 302
    data.cultivation.refresh_from_db()
    data.allocation.refresh_from_db()
    assert (data.cultivation.status, data.allocation.status) == ("terminated", "closed")


def test_a_stale_page_is_shown_again_with_the_new_plan(cast, client_for):
    data, ending = _asked(cast)
    client = client_for("coord_b")
    fingerprint = client.get(_url(ending)).context["plan"].fingerprint
    Stay.objects.filter(cultivation=data.cultivation).delete()
    response = client.post(_url(ending), {"fingerprint": fingerprint})
    assert response.status_code == 400
    assert "changed since the preview" in response.content.decode()
    assert response.context["plan"].fingerprint != fingerprint
    data.cultivation.refresh_from_db()
    assert data.cultivation.status == "active"
    # Confirming what is shown now works.
    response = client.post(_url(ending), {"fingerprint": response.context["plan"].fingerprint})
    assert response.status_code == 302


def test_the_asking_side_cannot_confirm_on_the_page(cast, client_for):
    data, ending = _asked(cast)
    fingerprint = client_for("coord_a").get(_url(ending)).context["plan"].fingerprint
    assert client_for("coord_a").post(_url(ending), {"fingerprint": fingerprint}).status_code == 403
    data.cultivation.refresh_from_db()
    assert data.cultivation.status == "active"


@pytest.mark.parametrize(
    ("actor", "status"),
    [("outsider", 404), ("resident", 404), ("tutor_b", 403), ("trainee", 403), ("admin", 403)],
)
def test_others_get_no_preview(cast, client_for, actor, status):
    _data, ending = _asked(cast)
    assert client_for(actor).get(_url(ending)).status_code == status


def test_api_preview_then_confirm(cast, client_for):
    data, ending = _asked(cast)
    client = client_for("coord_b")
    path = f"{API}/{ending.cultivation_id}/endings/{ending.pk}/termination"
    plan = client.get(path).json()
    assert {s["title"] for s in plan["series"]} == {"Oncology debriefing", "Journal club"}
    assert plan["money_returned"] in ("22500.00", 22500.0, "22500")
    stale = client.post(path, {"fingerprint": "0" * 32}, content_type="application/json")
    assert stale.status_code == 400 and "plan" in stale.json()["errors"]
    blank = client.post(path, {"fingerprint": " "}, content_type="application/json")
    assert blank.status_code == 400 and "fingerprint" in blank.json()["errors"]
    done = client.post(path, {"fingerprint": plan["fingerprint"]}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "terminated"
    # The request is answered: there is no preview any more.
    assert client.get(path).status_code == 404


def test_api_confirm_without_the_fingerprint_is_a_schema_error(cast, client_for):
    _data, ending = _asked(cast)
    path = f"{API}/{ending.cultivation_id}/endings/{ending.pk}/termination"
    response = client_for("coord_b").post(path, {}, content_type="application/json")
    assert response.status_code == 422
