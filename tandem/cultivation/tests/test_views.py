import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.cultivation.models import JointCultivation, ResponsibilitySignature, TutorTraining
from tandem.cultivation.tests.authz_rules import _propose_form
from tandem.cultivation.tests.factories import cultivation_in, joint_trainee

pytestmark = pytest.mark.django_db


def test_list_shows_incomplete_badge_and_filters_incomplete_only(cast, client_for):
    cultivation_in(cast, "active")
    done = cultivation_in(cast, "active", trainee=joint_trainee(cast, "done"), signed=True)
    client = client_for("coord_a")
    body = client.get(reverse("cultivation:list")).content.decode()
    assert "Tina Trainee" in body and "Incomplete" in body
    body = client.get(reverse("cultivation:list"), {"incomplete": "on"}).content.decode()
    assert "Tina Trainee" in body and str(done.trainee) not in body


def test_list_htmx_returns_the_results_partial(cast, client_for):
    cultivation_in(cast, "active")
    response = client_for("coord_a").get(reverse("cultivation:list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Tina Trainee" in response.content


def test_outsider_and_resident_see_nothing(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    for actor in ("outsider", "resident"):
        client = client_for(actor)
        assert "Tina Trainee" not in client.get(reverse("cultivation:list")).content.decode()
        assert client.get(reverse("cultivation:detail", args=[cultivation.pk])).status_code == 404


def _make(cast, count, start):
    for index in range(start, start + count):
        cultivation_in(
            cast, "active", trainee=joint_trainee(cast, f"bulk{index}"), signed=index % 2 == 0
        )


@pytest.mark.parametrize("actor", ["coord_a", "admin", "tutor_b"])
def test_list_query_count_does_not_grow_with_rows(cast, client_for, actor):
    client = client_for(actor)
    client.get(reverse("cultivation:list"))
    _make(cast, 3, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("cultivation:list")).status_code == 200
    _make(cast, 20, 3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("cultivation:list")).status_code == 200
    assert len(small) == len(large)


def test_detail_shows_pair_stays_decisions_and_history(cast, client_for):
    cultivation = cultivation_in(cast, "active", signed=True)
    body = (
        client_for("trainee")
        .get(reverse("cultivation:detail", args=[cultivation.pk]))
        .content.decode()
    )
    assert "Tess Tutor" in body and "Tom Tutor" in body
    assert "Eastern Medical University" in body and "History" in body
    assert "Incomplete" not in body


def test_propose_page_bad_stay_names_the_row_and_saves_nothing(cast, client_for):
    data = _propose_form(cast)
    data["stays-1-end"] = "2029-01-01"
    response = client_for("coord_a").post(reverse("cultivation:propose"), data)
    assert response.status_code == 400
    assert "inside the planned period" in response.content.decode()
    assert not JointCultivation.objects.exists()


def test_propose_page_date_outside_agreement_term(cast, client_for):
    data = _propose_form(cast)
    data["planned_start"] = "2024-01-01"
    response = client_for("coord_b").post(reverse("cultivation:propose"), data)
    assert response.status_code == 400
    assert "before the agreement" in response.content.decode()


def test_approve_buttons_only_for_unapproved_side_coordinator(cast, client_for):
    cultivation = cultivation_in(cast, "proposed", paired=False)
    url = reverse("cultivation:detail", args=[cultivation.pk])
    body = client_for("coord_a").get(url).content.decode()
    assert "Approve for Western Medical University" in body
    assert "Approve for" not in client_for("admin").get(url).content.decode()
    client_for("coord_a").post(reverse("cultivation:approve", args=[cultivation.pk]), {})
    assert "Approve for" not in client_for("coord_a").get(url).content.decode()


def test_terminate_requires_a_reason(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    url = reverse("cultivation:decide", args=[cultivation.pk, "terminate"])
    assert client_for("coord_a").post(url, {"reason": ""}).status_code == 400
    cultivation.refresh_from_db()
    assert cultivation.status == "active"


def test_unknown_decision_is_404(cast, client_for):
    cultivation = cultivation_in(cast, "active")
    url = reverse("cultivation:decide", args=[cultivation.pk, "explode"])
    assert client_for("coord_a").get(url).status_code == 404


def test_changing_the_division_clears_signatures(cast, client_for):
    cultivation = cultivation_in(cast, "active", signed=True)
    roles = {f"role_{i}": "theoretical" for i in range(2)}
    response = client_for("tutor_b").post(
        reverse("cultivation:responsibilities", args=[cultivation.pk]), roles
    )
    assert response.status_code == 302
    assert not ResponsibilitySignature.objects.filter(cultivation=cultivation).exists()
    assert AuditEvent.objects.filter(action="cultivation.responsibilities_divide").exists()


def test_tutor_change_applies_after_both_approvals_and_keeps_history(cast, client_for):
    from tandem.cultivation.tests.authz_rules import _change_kwargs

    kwargs = _change_kwargs(cast)
    url = reverse("cultivation:change_approve", kwargs=kwargs)
    client_for("coord_a").post(url)
    client_for("coord_b").post(url)
    cultivation = JointCultivation.objects.get(pk=kwargs["pk"])
    theoretical = cultivation.tutor_assignments.filter(role="theoretical").order_by("id")
    assert [a.tutor.username for a in theoretical] == ["tutor_a", "tutor_new"]
    assert theoretical[0].ended_at and theoretical[0].end_reason == "Retirement"
    assert theoretical[1].ended_at is None


def test_training_certificate_must_be_pdf_or_image(cast, client_for):
    response = client_for("tutor_a").post(
        reverse("cultivation:training_add", args=[cast.tutor_a.pk]),
        {
            "course": "X",
            "hours": "2",
            "date": "2025-01-01",
            "certificate": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 400 and not TutorTraining.objects.exists()
    response = client_for("tutor_a").post(
        reverse("cultivation:training_add", args=[cast.tutor_a.pk]),
        {
            "course": "X",
            "hours": "2",
            "date": (datetime.date.today() + datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400 and "future" in response.content.decode()


def test_tutor_load_shows_quota_use(cast, client_for):
    cultivation_in(cast, "active")
    body = (
        client_for("coord_a")
        .get(reverse("cultivation:tutor_load", args=[cast.tutor_a.pk]), {"year": 2026})
        .content.decode()
    )
    assert "1 of 3 places taken" in body and "Western Medical University" in body


def test_sign_button_is_gone_once_the_tutor_has_signed(cast, client_for):
    cultivation = cultivation_in(cast, "active", divided=True)
    client = client_for("tutor_a")
    url = reverse("cultivation:detail", args=[cultivation.pk])
    assert "Sign the division" in client.get(url).content.decode()
    client.post(reverse("cultivation:responsibilities_sign", args=[cultivation.pk]))
    assert "Sign the division" not in client.get(url).content.decode()
    assert "Sign the division" in client_for("tutor_b").get(url).content.decode()


def _tutor_options(body):
    import re

    select = re.search(r'<select name="tutor".*?</select>', body, re.S).group(0)
    return select


def test_pairing_form_offers_the_tutors_of_the_role_it_shows(cast, client_for):
    cultivation = cultivation_in(cast, "approved", paired=False)
    url = reverse("cultivation:tutor_assign", args=[cultivation.pk])
    client = client_for("coord_a")
    body = client.get(url).content.decode()
    assert 'value="experimental" selected' in body
    options = _tutor_options(body)
    assert str(cast.tutor_b) in options and str(cast.tutor_a) not in options  # host only
    # A refused choice keeps the role, the list and the selection, with the reason on top.
    response = client.post(url, {"role": "experimental", "tutor": cast.tutor_a.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert str(cast.tutor_b) in _tutor_options(body)


def test_pairing_form_says_when_no_tutor_can_be_paired_and_how_to_add_one(cast, client_for):
    from tandem.accounts.models import TutorProfile

    cultivation = cultivation_in(cast, "approved", paired=False)
    TutorProfile.objects.filter(user=cast.tutor_b).delete()
    url = reverse("cultivation:tutor_assign", args=[cultivation.pk]) + "?role=experimental"
    invite = reverse("accounts:person_invite")
    body = client_for("coord_b").get(url).content.decode()
    assert f"{cast.inst_b} has no tutor who can be paired in this role yet." in body
    assert invite in body
    body = client_for("coord_a").get(url).content.decode()  # cannot add people at B
    assert "has no tutor who can be paired" in body and invite not in body


def _options(body, name):
    import re

    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


def test_proposal_form_offers_only_trainees_and_parties_that_can_be_proposed(cast, client_for):
    from tandem.accounts.models import TraineeProfile
    from tandem.accounts.tests.factories import MembershipFactory, UserFactory

    busy = UserFactory(username="trainee_busy", full_name="Busy Bai")
    MembershipFactory(user=busy, role="trainee", institution=cast.inst_a)
    TraineeProfile.objects.create(user=busy, kind="academic_master", cohort=2025)
    cultivation_in(cast, "active", trainee=busy, paired=False)
    client = client_for("coord_a")
    url = reverse("cultivation:propose")
    body = client.get(url + f"?agreement={cast.agreement_ab.pk}").content.decode()
    trainees = _options(body, "trainee")
    assert str(cast.trainee.pk) in trainees and str(busy.pk) not in trainees
    parties = {str(cast.inst_a.pk), str(cast.inst_b.pk)}
    assert _options(body, "home") == parties and _options(body, "host") == parties
    # The service still refuses, with a clear message, what the form no longer offers.
    data = {**_propose_form(cast), "trainee": busy.pk, "host": cast.inst_c.pk}
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "no open joint cultivation" in errors["trainee"][0]
    assert "parties to the chosen agreement" in errors["host"][0]
    assert not JointCultivation.objects.filter(trainee=busy, status="proposed").exists()


def test_busy_trainee_is_refused_by_the_service_too(cast):
    from tandem.cultivation import services

    cultivation_in(cast, "active")
    with pytest.raises(Exception) as error:
        services.cultivation_propose(
            actor=cast.coord_a,
            trainee=cast.trainee,
            agreement=cast.agreement_ab,
            home=cast.inst_a,
            host=cast.inst_c,
            planned_start=datetime.date(2026, 9, 1),
            planned_end=datetime.date(2028, 6, 30),
            stays=[
                {
                    "institution": cast.inst_a,
                    "start": datetime.date(2026, 9, 1),
                    "end": datetime.date(2027, 6, 30),
                }
            ],
        )
    messages = error.value.message_dict
    assert "not finished" in messages["trainee"][0]
    assert "not a party" in messages["host"][0]
