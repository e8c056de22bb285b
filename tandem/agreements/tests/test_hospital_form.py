"""The hospital–hospital form: residency training cooperation between two hospitals (exchange
rotations, teacher exchange, visits), drafted, signed and put in force like the other forms, with
its own clauses (issue 16 item 1, decision 076)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.agreements import services
from tandem.agreements.models import Agreement, AgreementForm, AgreementStatus
from tandem.agreements.tests.authz_rules import _terms_form
from tandem.core.models import AuditEvent
from tandem.institutions.models import InstitutionKind
from tandem.institutions.tests.factories import InstitutionFactory

API = "/api/v1/agreements"
ROTATIONS = "Residents of each hospital rotate through the oncology base of the other."


@pytest.fixture
def hospitals(cast):
    """Two hospitals, each with a coordinator and a teacher (the cast is there for the outsider
    and the admin)."""
    people = {}
    for code in ("h1", "h2"):
        hospital = InstitutionFactory(
            code=code, name=f"Hospital {code}", kind=InstitutionKind.HOSPITAL
        )
        for role in (Role.COORDINATOR, Role.TEACHER):
            user = UserFactory(username=f"{role}.{code}")
            MembershipFactory(user=user, role=role, institution=hospital)
            people[f"{role}.{code}"] = user
        people[code] = hospital
    return people


def _terms(h, **overrides):
    values = {
        "title": "H1–H2 residency training cooperation",
        "form": AgreementForm.HOSPITAL_HOSPITAL,
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2029, 12, 31),
        "parties": [{"institution": h[code], "funding_share": 50} for code in ("h1", "h2") if h],
        "exchange_rotation_clause": ROTATIONS,
        "teacher_exchange_clause": "Clinical teachers teach at the partner for two weeks a year.",
        "visit_clause": "A yearly visit of both residency training offices.",
    }
    values.update(overrides)
    return values


def _universities(cast, **overrides):
    """Terms between the cast's two universities, A and B."""
    parties = [{"institution": cast.inst_a}, {"institution": cast.inst_b}]
    no_clauses = dict.fromkeys(
        ("exchange_rotation_clause", "teacher_exchange_clause", "visit_clause"), ""
    )
    return _terms({}, parties=parties, **{**no_clauses, **overrides})


def _errors(actor, **overrides):
    with pytest.raises(ValidationError) as caught:
        services.agreement_draft(actor=actor, **overrides)
    return caught.value.message_dict


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# The form's rules ------------------------------------------------------------------------


def test_two_hospitals_draft_sign_and_put_their_agreement_in_force(hospitals):
    h = hospitals
    agreement = services.agreement_draft(actor=h["coordinator.h1"], **_terms(h))
    assert agreement.status == AgreementStatus.DRAFT
    agreement = services.agreement_sign(actor=h["coordinator.h1"], agreement=agreement)
    assert agreement.status == AgreementStatus.SIGNING
    agreement = services.agreement_sign(actor=h["coordinator.h2"], agreement=agreement)
    assert agreement.status == AgreementStatus.ACTIVE and agreement.activated_at
    assert agreement.exchange_rotation_clause == ROTATIONS
    actions = AuditEvent.objects.filter(target_id=str(agreement.pk)).order_by("at", "id")
    assert list(actions.values_list("action", flat=True)) == [
        "agreement.draft",
        "agreement.sign",
        "agreement.sign",
    ]


def test_hospital_form_refuses_a_party_that_is_not_a_hospital(cast, hospitals):
    h = hospitals
    MembershipFactory(user=h["coordinator.h1"], role=Role.COORDINATOR, institution=cast.inst_a)
    parties = [{"institution": h["h1"]}, {"institution": cast.inst_a}]
    errors = _errors(h["coordinator.h1"], **_terms(h, parties=parties))
    assert errors["form"] == [
        f"A hospital–hospital agreement is between hospitals only: {cast.inst_a} is not a hospital."
    ]
    assert not Agreement.objects.filter(form=AgreementForm.HOSPITAL_HOSPITAL).exists()


def test_hospital_form_needs_the_exchange_rotation_clause(hospitals):
    errors = _errors(hospitals["coordinator.h1"], **_terms(hospitals, exchange_rotation_clause=" "))
    assert list(errors) == ["exchange_rotation_clause"]


def test_hospital_form_does_not_carry_the_postgraduate_clauses(hospitals):
    errors = _errors(
        hospitals["coordinator.h1"],
        **_terms(hospitals, ip_clause="Jointly owned.", authorship_clause="Both listed."),
    )
    assert set(errors) == {"ip_clause", "authorship_clause"}
    assert "does not carry this clause" in errors["ip_clause"][0]


def test_a_postgraduate_form_does_not_carry_the_hospital_clauses(cast):
    terms = _universities(cast, form=AgreementForm.UNIVERSITY_DOMESTIC, visit_clause="Visits.")
    errors = _errors(cast.coord_a, **terms)
    assert list(errors) == ["visit_clause"]


def test_two_universities_cannot_use_the_hospital_form(cast):
    terms = _universities(
        cast, form=AgreementForm.HOSPITAL_HOSPITAL, exchange_rotation_clause=ROTATIONS
    )
    assert "form" in _errors(cast.coord_a, **terms)


def test_an_amendment_keeps_the_hospital_clauses(hospitals):
    h = hospitals
    agreement = services.agreement_draft(actor=h["coordinator.h1"], **_terms(h))
    for code in ("h1", "h2"):
        agreement = services.agreement_sign(actor=h[f"coordinator.{code}"], agreement=agreement)
    amendment = services.agreement_amend(
        actor=h["coordinator.h2"], agreement=agreement, reason="More places per block."
    )
    assert amendment.form == AgreementForm.HOSPITAL_HOSPITAL
    assert amendment.exchange_rotation_clause == ROTATIONS
    assert amendment.visit_clause == agreement.visit_clause


def test_a_teacher_of_a_party_hospital_cannot_sign(hospitals):
    h = hospitals
    agreement = services.agreement_draft(actor=h["coordinator.h1"], **_terms(h))
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=h["teacher.h1"], agreement=agreement)


# Pages -----------------------------------------------------------------------------------


def _form_data(cast, h, **overrides):
    """The draft page's form, as a person fills it for two hospitals."""
    return {
        **_terms_form(cast),
        "title": "H1–H2 residency training cooperation",
        "form": "hospital_hospital",
        "exchange_rotation_clause": ROTATIONS,
        "teacher_exchange_clause": "",
        "visit_clause": "Yearly visits.",
        "parties-0-institution": h["h1"].pk,
        "parties-1-institution": h["h2"].pk,
        **overrides,
    }


def test_the_draft_page_makes_a_hospital_agreement_and_its_page_shows_its_clauses(cast, hospitals):
    h = hospitals
    client = _client(h["coordinator.h1"])
    response = client.post(reverse("agreements:create"), _form_data(cast, h))
    assert response.status_code == 302
    agreement = Agreement.objects.get(form=AgreementForm.HOSPITAL_HOSPITAL)
    assert agreement.visit_clause == "Yearly visits."
    body = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Exchange rotations" in body and ROTATIONS in body
    assert "Intellectual property" not in body
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "轮转交流" in body and "医院–医院（住院医师培训）" in body


def test_the_draft_page_shows_the_missing_rotation_clause_on_its_field(cast, hospitals):
    h = hospitals
    response = _client(h["coordinator.h1"]).post(
        reverse("agreements:create"), _form_data(cast, h, exchange_rotation_clause="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "exchange_rotation_clause" in errors
    assert not Agreement.objects.filter(form=AgreementForm.HOSPITAL_HOSPITAL).exists()


def test_outsider_gets_404_on_a_hospital_agreement(cast, hospitals, client_for):
    agreement = services.agreement_draft(actor=hospitals["coordinator.h1"], **_terms(hospitals))
    response = client_for("outsider").get(reverse("agreements:detail", args=[agreement.pk]))
    assert response.status_code == 404


def test_a_teacher_gets_403_when_signing_on_the_page(hospitals):
    agreement = services.agreement_draft(actor=hospitals["coordinator.h1"], **_terms(hospitals))
    response = _client(hospitals["teacher.h1"]).post(
        reverse("agreements:sign", args=[agreement.pk]), {}
    )
    assert response.status_code == 403


# API -------------------------------------------------------------------------------------


def _json(h, **overrides):
    body = {
        "title": "H1–H2 residency training cooperation",
        "form": "hospital_hospital",
        "start_date": "2026-01-01",
        "end_date": "2029-12-31",
        "parties": [
            {"institution_id": h["h1"].pk, "funding_share": 50},
            {"institution_id": h["h2"].pk, "funding_share": 50},
        ],
        "exchange_rotation_clause": ROTATIONS,
        "teacher_exchange_clause": "Two weeks a year.",
    }
    body.update(overrides)
    return json.dumps(body)


def test_the_api_drafts_and_signs_a_hospital_agreement(hospitals):
    h = hospitals
    response = _client(h["coordinator.h1"]).post(
        f"{API}/", _json(h), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["form"] == "hospital_hospital"
    assert created["exchange_rotation_clause"] == ROTATIONS
    assert created["visit_clause"] == ""
    for code in ("h1", "h2"):
        signed = _client(h[f"coordinator.{code}"]).post(
            f"{API}/{created['id']}/sign", "{}", content_type="application/json"
        )
        assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "active"


def test_the_api_names_the_clause_a_hospital_agreement_does_not_carry(hospitals):
    response = _client(hospitals["coordinator.h1"]).post(
        f"{API}/", _json(hospitals, ip_clause="Ours."), content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["ip_clause"]
    assert not Agreement.objects.filter(form=AgreementForm.HOSPITAL_HOSPITAL).exists()


def test_the_api_answers_404_to_an_outsider_and_403_to_a_teacher(cast, hospitals, client_for):
    agreement = services.agreement_draft(actor=hospitals["coordinator.h1"], **_terms(hospitals))
    outsider = client_for("outsider").get(f"{API}/{agreement.pk}")
    assert outsider.status_code == 404
    teacher = _client(hospitals["teacher.h1"]).post(
        f"{API}/{agreement.pk}/sign", "{}", content_type="application/json"
    )
    assert teacher.status_code == 403
