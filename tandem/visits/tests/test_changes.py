"""Changing a visit (decision 114): its details, removing a person of the delegation and a
discussion session — by either side's coordinators, audited with the reason, refused with a
message naming what is wrong and nothing saved once the visit is held or cancelled, or when
the session has minutes or actions."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.core.audit import audit_history
from tandem.visits import services, services_changes
from tandem.visits.models import Delegate, Session, Visit
from tandem.visits.tests.factories import build_visitworld

TODAY = datetime.datetime(2026, 11, 19, 6, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2026, 11, 19)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def vw(cast):
    return build_visitworld(cast, starts_on=DAY)


def _fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict) if hasattr(exc, "error_dict") else set()


def _session_without_actions(vw, cast) -> Session:
    return services.session_add(
        actor=cast.coord_a, visit=vw.visit, host_base=vw.surgery_a, topics=["teaching_methods"]
    )


# --- details -------------------------------------------------------------------------------


def test_either_side_changes_the_details_and_only_changes_are_audited(vw, cast):
    services_changes.visit_update(
        actor=cast.coord_b,
        visit=vw.visit,
        place="Library, room 2",
        ends_on=DAY + datetime.timedelta(days=2),
        title=vw.visit.title,  # unchanged
    )
    vw.visit.refresh_from_db()
    assert vw.visit.place == "Library, room 2"
    assert vw.visit.ends_on == DAY + datetime.timedelta(days=2)
    event = audit_history(vw.visit)[0]
    assert event.action == "visits_visit.update"
    assert set(event.changes) == {"place", "ends_on"}


def test_bad_details_are_named_and_nothing_is_saved(vw, cast):
    before = Visit.objects.values().get(pk=vw.visit.pk)
    cases = [
        ({"title": "  "}, "title"),
        ({"ends_on": DAY - datetime.timedelta(days=1)}, "ends_on"),
        ({"place": "x" * 201}, "place"),
        ({"host": cast.inst_c}, "host"),
        # the session-less actions are due in 30+ days; action_a's 60: a first day after them
        (
            {
                "starts_on": DAY + datetime.timedelta(days=40),
                "ends_on": DAY + datetime.timedelta(days=41),
            },
            "starts_on",
        ),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            services_changes.visit_update(actor=cast.coord_a, visit=vw.visit, **values)
        assert field in _fields(caught.value), values
    assert Visit.objects.values().get(pk=vw.visit.pk) == before


def test_the_days_do_not_leave_a_session_outside_the_visit(vw, cast):
    services.session_add(
        actor=cast.coord_a,
        visit=vw.visit,
        host_base=vw.surgery_a,
        starts_at=TODAY + datetime.timedelta(days=1, hours=2),
    )
    with pytest.raises(ValidationError) as caught:
        services_changes.visit_update(actor=cast.coord_a, visit=vw.visit, ends_on=DAY)
    assert "1 session would fall outside the visit" in str(caught.value)


def test_a_held_visit_keeps_its_days_but_its_place_may_be_corrected(vw, cast):
    services.visit_set_status(actor=cast.coord_a, visit=vw.visit, status="held")
    with pytest.raises(ValidationError) as caught:
        services_changes.visit_update(
            actor=cast.coord_a, visit=vw.visit, ends_on=DAY + datetime.timedelta(days=3)
        )
    assert _fields(caught.value) == {"ends_on"}
    services_changes.visit_update(actor=cast.coord_a, visit=vw.visit, place="Hall B")
    vw.visit.refresh_from_db()
    assert vw.visit.place == "Hall B"


def test_a_cancelled_visit_and_other_people_change_nothing(vw, cast):
    for actor in (cast.admin, cast.tutor_b, cast.outsider):
        with pytest.raises(PermissionDenied):
            services_changes.visit_update(actor=actor, visit=vw.visit, place="Elsewhere")
    services.visit_set_status(
        actor=cast.coord_a, visit=vw.visit, status="cancelled", reason="Flu season"
    )
    with pytest.raises(ValidationError, match="cancelled"):
        services_changes.visit_update(actor=cast.coord_a, visit=vw.visit, place="Elsewhere")


# --- the delegation ------------------------------------------------------------------------


def test_a_person_is_removed_with_a_reason_while_planned(vw, cast):
    delegate = vw.visit.delegates.get(person=cast.tutor_b)
    with pytest.raises(ValidationError) as caught:
        services_changes.delegate_remove(
            actor=cast.coord_b, visit=vw.visit, delegate=delegate, reason=" "
        )
    assert _fields(caught.value) == {"reason"}
    assert Delegate.objects.filter(pk=delegate.pk).exists()
    services_changes.delegate_remove(
        actor=cast.coord_b, visit=vw.visit, delegate=delegate, reason="On night duty."
    )
    assert not Delegate.objects.filter(pk=delegate.pk).exists()
    event = audit_history(vw.visit)[0]
    assert (event.action, event.reason) == ("visits_delegate.remove", "On night duty.")


def test_the_delegation_of_a_held_visit_stays(vw, cast):
    services.visit_set_status(actor=cast.coord_a, visit=vw.visit, status="held")
    delegate = vw.visit.delegates.get(person=cast.tutor_b)
    with pytest.raises(ValidationError, match="held"):
        services_changes.delegate_remove(
            actor=cast.coord_a, visit=vw.visit, delegate=delegate, reason="Late change."
        )
    assert Delegate.objects.filter(pk=delegate.pk).exists()


def test_a_delegate_of_another_visit_is_not_removed(vw, cast):
    other = services.visit_create(
        actor=cast.coord_a,
        host=cast.inst_a,
        visiting=cast.inst_b,
        title="The return visit",
        starts_on=DAY + datetime.timedelta(days=20),
        ends_on=DAY + datetime.timedelta(days=21),
    )
    foreign = services.delegate_add(
        actor=cast.coord_a,
        visit=other,
        person=cast.tutor_b,
        institution=cast.inst_b,
        role="teacher",
    )
    with pytest.raises(ValidationError) as caught:
        services_changes.delegate_remove(
            actor=cast.coord_a, visit=vw.visit, delegate=foreign, reason="Wrong visit."
        )
    assert _fields(caught.value) == {"delegate"}


# --- sessions ------------------------------------------------------------------------------


def test_a_session_without_minutes_or_actions_is_removed_with_a_reason(vw, cast):
    session = _session_without_actions(vw, cast)
    services_changes.session_remove(actor=cast.coord_b, session=session, reason="No surgeon.")
    assert not Session.objects.filter(pk=session.pk).exists()
    event = audit_history(vw.visit)[0]
    assert (event.action, event.reason) == ("visits_session.remove", "No surgeon.")


def test_a_session_with_actions_or_minutes_stays(vw, cast):
    with pytest.raises(ValidationError, match="1 improvement action comes from this session"):
        services_changes.session_remove(actor=cast.coord_a, session=vw.session, reason="Merge.")
    session = _session_without_actions(vw, cast)
    services.session_minutes_save(actor=cast.coord_a, session=session, minutes="Rotas.")
    with pytest.raises(ValidationError, match="minutes"):
        services_changes.session_remove(actor=cast.coord_a, session=session, reason="Merge.")
    assert Session.objects.filter(pk__in=[vw.session.pk, session.pk]).count() == 2


# --- pages and API -------------------------------------------------------------------------


def test_pages_edit_and_remove(vw, cast, client_for):
    client = client_for("coord_a")
    url = reverse("visits:visit_edit", kwargs={"pk": vw.visit.pk})
    assert client.get(url).status_code == 200
    data = {
        "title": vw.visit.title,
        "title_zh": vw.visit.title_zh,
        "starts_on": DAY.isoformat(),
        "ends_on": (DAY - datetime.timedelta(days=1)).isoformat(),
        "place": "Hall C",
        "purpose": "",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400 and "ends_on" in bad.context["form"].errors
    vw.visit.refresh_from_db()
    assert vw.visit.place == "Teaching building"
    good = client.post(url, {**data, "ends_on": DAY.isoformat()})
    assert good.status_code == 302
    session = _session_without_actions(vw, cast)
    page = client.get(reverse("visits:session_detail", kwargs={"pk": session.pk}))
    assert "Remove the session" in page.content.decode()
    removed = client.post(
        reverse("visits:session_remove", kwargs={"pk": session.pk}), {"reason": "Merged."}
    )
    assert removed.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    delegate = vw.visit.delegates.get(person=cast.tutor_b)
    refused = client.post(
        reverse("visits:delegate_remove", kwargs={"pk": vw.visit.pk, "delegate_pk": delegate.pk}),
        {"reason": ""},
        follow=True,
    )
    assert "Say why" in refused.content.decode()
    assert Delegate.objects.filter(pk=delegate.pk).exists()


def test_wrong_role_gets_403_and_outsider_404(vw, cast, client_for):
    url = reverse("visits:visit_edit", kwargs={"pk": vw.visit.pk})
    assert client_for("tutor_b").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    api = f"/api/v1/visits/sessions/{vw.session.pk}/remove"
    body = {"data": {"reason": "x"}, "content_type": "application/json"}
    assert client_for("tutor_a").post(api, **body).status_code == 403
    assert client_for("outsider").post(api, **body).status_code == 404


def test_api_update_and_remove(vw, cast, client_for):
    client = client_for("coord_b")
    base = f"/api/v1/visits/visits/{vw.visit.pk}"
    bad = client.patch(base, data={"title": ""}, content_type="application/json")
    assert bad.status_code == 400 and "title" in bad.json()["errors"]
    ok = client.patch(base, data={"purpose": "Teaching quality"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["purpose"] == "Teaching quality"
    delegate = vw.visit.delegates.get(person=cast.tutor_b)
    gone = client.post(
        f"{base}/delegates/{delegate.pk}/remove",
        data={"reason": "On duty."},
        content_type="application/json",
    )
    assert gone.status_code == 200
    assert not Delegate.objects.filter(pk=delegate.pk).exists()
    stays = client.post(
        f"/api/v1/visits/sessions/{vw.session.pk}/remove",
        data={"reason": "Merge."},
        content_type="application/json",
    )
    assert stays.status_code == 400
