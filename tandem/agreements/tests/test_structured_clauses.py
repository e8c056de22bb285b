"""The structured parts of the IP, insurance and housing clauses (decision 093): stored, validated,
copied into an amendment, shown on the page and in the API, in both languages."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.agreements import services
from tandem.agreements.models import Agreement, AgreementForm, AgreementStatus
from tandem.agreements.tests.authz_rules import _terms_form, _terms_json
from tandem.agreements.tests.test_services import draft_kwargs
from tandem.core.models import AuditEvent

pytestmark = pytest.mark.django_db
API = "/api/v1/agreements"


def test_draft_stores_the_structured_clauses_and_audits_them(cast):
    agreement = services.agreement_draft(
        actor=cast.coord_a,
        **draft_kwargs(
            cast,
            insurance_required=True,
            stay_may_start_uninsured=False,
            housing_provider="host",
            ip_owner="shared",
        ),
    )
    agreement.refresh_from_db()
    assert agreement.insurance_required and not agreement.stay_may_start_uninsured
    assert agreement.requires_insurance_before_stay
    assert agreement.housing_provider == "host"
    assert agreement.ip_owner == "shared"
    event = AuditEvent.objects.get(action="agreement.draft", target_id=str(agreement.pk))
    assert event.changes["insurance_required"] == [None, True]
    assert event.changes["housing_provider"] == [None, "host"]


def test_existing_agreements_keep_the_defaults_and_stay_valid(cast):
    agreement = Agreement.objects.get(pk=cast.agreement_ab.pk)
    assert agreement.insurance_required is False
    assert agreement.housing_provider == "" and agreement.ip_owner == ""
    assert not agreement.requires_insurance_before_stay
    agreement.full_clean()


def test_ip_owner_other_needs_the_text_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(actor=cast.coord_a, **draft_kwargs(cast, ip_owner="other"))
    assert "other" in " ".join(exc.value.message_dict["ip_owner_other"])
    assert not Agreement.objects.filter(title="WMU–EMU doctoral exchange").exists()
    agreement = services.agreement_draft(
        actor=cast.coord_a,
        **draft_kwargs(cast, ip_owner="other", ip_owner_other="The funding enterprise"),
    )
    assert agreement.ip_owner_text() == "The funding enterprise"


def test_other_owner_text_without_other_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(
            actor=cast.coord_a, **draft_kwargs(cast, ip_owner="home", ip_owner_other="Someone")
        )
    assert "ip_owner_other" in exc.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("housing_provider", "landlord"), ("ip_owner", "everyone"), ("insurance_required", "yes")],
)
def test_unknown_choices_are_refused_by_name(cast, field, value):
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(actor=cast.coord_a, **draft_kwargs(cast, **{field: value}))
    assert field in exc.value.message_dict


def test_hospital_hospital_agreement_carries_no_ip_owner(cast):
    from tandem.institutions.models import InstitutionKind

    cast.inst_a.kind = cast.inst_b.kind = InstitutionKind.HOSPITAL
    cast.inst_a.save()
    cast.inst_b.save()
    kwargs = draft_kwargs(
        cast,
        form=AgreementForm.HOSPITAL_HOSPITAL,
        ip_clause="",
        ip_owner="host",
        exchange_rotation_clause="Two residents a year rotate for three months.",
    )
    with pytest.raises(ValidationError) as exc:
        services.agreement_draft(actor=cast.coord_a, **kwargs)
    assert "ip_owner" in exc.value.message_dict
    kwargs.update(ip_owner="", insurance_required=True, housing_provider="host")
    agreement = services.agreement_draft(actor=cast.coord_a, **kwargs)
    assert agreement.insurance_required and agreement.housing_provider == "host"


def test_amendment_copies_the_structured_clauses(cast):
    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(
        insurance_required=True, housing_provider="trainee", ip_owner="host"
    )
    cast.agreement_ab.refresh_from_db()
    amendment = services.agreement_amend(
        actor=cast.coord_a, agreement=cast.agreement_ab, reason="New quotas"
    )
    assert amendment.insurance_required
    assert amendment.housing_provider == "trainee" and amendment.ip_owner == "host"


def test_form_saves_the_structured_clauses(cast, client_for):
    data = _terms_form(cast) | {
        "insurance_required": "on",
        "housing_provider": "home",
        "ip_owner": "other",
        "ip_owner_other": "The enterprise that funds the project",
    }
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 302
    agreement = Agreement.objects.get(title="New exchange")
    assert agreement.insurance_required and not agreement.stay_may_start_uninsured
    assert agreement.housing_provider == "home"
    assert agreement.ip_owner_other == "The enterprise that funds the project"


def test_form_shows_a_clear_message_for_other_without_text(cast, client_for):
    data = _terms_form(cast) | {"ip_owner": "other"}
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 400
    assert "Say who owns the results" in response.content.decode()
    assert not Agreement.objects.filter(title="New exchange").exists()


def test_form_rejects_an_unknown_housing_choice(cast, client_for):
    data = _terms_form(cast) | {"housing_provider": "landlord"}
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 400
    assert not Agreement.objects.filter(title="New exchange").exists()


def _structured(cast):
    Agreement.objects.filter(pk=cast.agreement_ab.pk).update(
        insurance_required=True, housing_provider="host", ip_owner="shared"
    )


def test_detail_page_shows_the_structured_clauses(cast, client_for):
    _structured(cast)
    body = client_for("coord_a").get(reverse("agreements:detail", args=[cast.agreement_ab.pk]))
    text = body.content.decode()
    assert "a stay cannot start until insurance valid on its first day is on file" in text
    assert "The host institution" in text
    assert "Shared, as the agreement says" in text


def test_detail_page_shows_the_structured_clauses_in_chinese(cast, client_for):
    _structured(cast)
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    text = client.get(reverse("agreements:detail", args=[cast.agreement_ab.pk])).content.decode()
    assert "住宿提供方" in text
    assert "接收单位" in text
    assert "在档案中有首日有效的保险之前" in text


def test_api_accepts_and_returns_the_structured_clauses(cast, client_for):
    body = _terms_json(cast) | {
        "insurance_required": True,
        "stay_may_start_uninsured": True,
        "housing_provider": "none",
        "ip_owner": "home",
    }
    response = client_for("coord_a").post(
        f"{API}/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["insurance_required"] and out["stay_may_start_uninsured"]
    assert out["housing_provider"] == "none" and out["ip_owner"] == "home"
    assert "may start before the insurance is on file" in out["insurance_policy"]


def test_api_names_the_bad_field(cast, client_for):
    body = _terms_json(cast) | {"ip_owner": "other"}
    response = client_for("coord_a").post(
        f"{API}/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert "ip_owner_other" in json.dumps(response.json())
    assert not Agreement.objects.filter(title="New exchange", status=AgreementStatus.DRAFT).exists()
