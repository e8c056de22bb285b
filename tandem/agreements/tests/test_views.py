import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.agreements.tests.authz_rules import _terms_form
from tandem.agreements.tests.factories import (
    AgreementAttachmentFactory,
    AgreementFactory,
    AgreementPartyFactory,
    AgreementSignatureFactory,
)
from tandem.core.models import AuditEvent


def test_list_shows_own_agreements_and_hides_others(cast, client_for):
    body = client_for("coord_a").get(reverse("agreements:list")).content.decode()
    assert cast.agreement_ab.title in body
    assert cast.agreement_c.title not in body
    body = client_for("outsider").get(reverse("agreements:list")).content.decode()
    assert cast.agreement_ab.title not in body
    assert cast.agreement_c.title in body


def test_list_filters_by_status_and_search(cast, client_for):
    client = client_for("coord_a")
    body = client.get(reverse("agreements:list"), {"status": "draft"}).content.decode()
    assert cast.draft_ab.title in body and cast.agreement_ab.title not in body
    body = client.get(reverse("agreements:list"), {"q": "teaching"}).content.decode()
    assert cast.draft_ab.title in body and cast.agreement_ab.title not in body


def test_list_htmx_returns_the_results_partial(cast, client_for):
    response = client_for("coord_a").get(reverse("agreements:list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert cast.agreement_ab.title.encode() in response.content


def _make_agreements(cast, count):
    for index in range(count):
        agreement = AgreementFactory(title=f"Bulk {index}", created_by=cast.coord_a)
        AgreementPartyFactory(agreement=agreement, institution=cast.inst_a)
        AgreementPartyFactory(agreement=agreement, institution=cast.inst_b)
        AgreementSignatureFactory(
            agreement=agreement, institution=cast.inst_a, signed_by=cast.coord_a
        )


@pytest.mark.parametrize("actor", ["coord_a", "admin"])
def test_list_query_count_does_not_grow_with_rows(cast, client_for, actor):
    client = client_for(actor)
    client.get(reverse("agreements:list"))  # warm up the session and the content types
    _make_agreements(cast, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("agreements:list")).status_code == 200
    _make_agreements(cast, 20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("agreements:list")).status_code == 200
    assert len(small) == len(large)


def test_detail_shows_parties_signatures_policy_and_history(cast, client_for):
    body = (
        client_for("tutor_b")
        .get(reverse("agreements:detail", args=[cast.agreement_ab.pk]))
        .content.decode()
    )
    assert "Western Medical University" in body and "Eastern Medical University" in body
    assert "Bob Coordinator" in body  # who signed
    assert "first (experimental) or second (theoretical) tutor" in body
    assert "History" in body


def test_detail_offers_sign_button_only_to_unsigned_party_coordinator(cast, client_for):
    url = reverse("agreements:detail", args=[cast.draft_ab.pk])
    assert "Sign for Western Medical University" in client_for("coord_a").get(url).content.decode()
    assert "Sign for" not in client_for("tutor_a").get(url).content.decode()
    assert "Sign for" not in client_for("admin").get(url).content.decode()


def test_outsider_gets_404_on_every_agreement_page(cast, client_for):
    client = client_for("outsider")
    for name in ("detail", "edit", "sign", "amend", "terminate", "withdraw", "attachment_upload"):
        response = client.get(reverse(f"agreements:{name}", args=[cast.agreement_ab.pk]))
        assert response.status_code == 404, name


@pytest.mark.parametrize("actor", ["tutor_a", "trainee"])
def test_wrong_role_gets_403_on_writes(cast, client_for, actor):
    client = client_for(actor)
    assert client.get(reverse("agreements:create")).status_code == 403
    assert client.get(reverse("agreements:edit", args=[cast.draft_ab.pk])).status_code == 403
    response = client.post(
        reverse("agreements:terminate", args=[cast.agreement_ab.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


def test_create_form_renders_and_saves_a_draft(cast, client_for):
    client = client_for("coord_a")
    assert client.get(reverse("agreements:create")).status_code == 200
    response = client.post(reverse("agreements:create"), _terms_form(cast))
    agreement = Agreement.objects.get(title="New exchange")
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:detail", args=[agreement.pk])
    assert agreement.parties.count() == 2


def test_create_with_bad_shares_shows_error_on_the_row_and_saves_nothing(cast, client_for):
    data = {**_terms_form(cast), "parties-1-funding_share": "20"}
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 400
    assert not Agreement.objects.filter(title="New exchange").exists()
    parties = response.context["parties"]
    assert "funding_share" in parties.forms[1].errors
    # Summed up at the top too, linked to the field of party 2.
    body = response.content.decode()
    summary = body[body.index('id="error-summary"') : body.index('id="terms-h"')]
    assert 'href="#id_parties-1-funding_share"' in summary and "(row 2)" in summary


def test_create_with_bad_quota_year_shows_error_on_the_row(cast, client_for):
    data = {**_terms_form(cast), "quotas-0-year": "2035"}
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 400
    assert "year" in response.context["quotas"].forms[0].errors


def test_edit_form_is_prefilled_and_redirects_after_signing(cast, client_for):
    client = client_for("coord_b")
    response = client.get(reverse("agreements:edit", args=[cast.draft_ab.pk]))
    assert response.status_code == 200
    assert response.context["parties"].forms[0].initial["institution"] == cast.inst_a.pk
    client.post(reverse("agreements:sign", args=[cast.draft_ab.pk]))
    response = client.get(reverse("agreements:edit", args=[cast.draft_ab.pk]))
    assert response.status_code == 302


def test_both_coordinators_sign_through_the_pages(cast, client_for):
    url = reverse("agreements:sign", args=[cast.draft_ab.pk])
    assert client_for("coord_a").get(url).status_code == 200
    assert client_for("coord_a").post(url, {"institution": cast.inst_a.pk}).status_code == 302
    assert client_for("coord_b").post(url).status_code == 302
    cast.draft_ab.refresh_from_db()
    assert cast.draft_ab.status == AgreementStatus.ACTIVE


def test_terminate_without_reason_rerenders_with_400(cast, client_for):
    url = reverse("agreements:terminate", args=[cast.agreement_ab.pk])
    response = client_for("coord_a").post(url, {"reason": ""})
    assert response.status_code == 400
    cast.agreement_ab.refresh_from_db()
    assert cast.agreement_ab.status == AgreementStatus.ACTIVE


def test_amend_page_opens_new_version_and_detail_links_versions(cast, client_for):
    client = client_for("coord_a")
    response = client.post(
        reverse("agreements:amend", args=[cast.agreement_ab.pk]), {"reason": "More places"}
    )
    amendment = Agreement.objects.get(amends=cast.agreement_ab)
    assert response["Location"] == reverse("agreements:detail", args=[amendment.pk])
    body = client.get(reverse("agreements:detail", args=[amendment.pk])).content.decode()
    assert reverse("agreements:detail", args=[cast.agreement_ab.pk]) in body
    second = client.post(
        reverse("agreements:amend", args=[cast.agreement_ab.pk]), {"reason": "Again"}
    )
    assert second.status_code == 400
    assert "already being prepared" in second.content.decode()


def test_attachment_upload_rejects_bad_type_naming_the_field(cast, client_for):
    response = client_for("coord_a").post(
        reverse("agreements:attachment_upload", args=[cast.agreement_ab.pk]),
        {"title": "x", "file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not cast.agreement_ab.attachments.exists()


def test_attachment_download_checks_visibility(cast, client_for):
    attachment = AgreementAttachmentFactory(agreement=cast.agreement_ab, uploaded_by=cast.coord_a)
    url = reverse("agreements:attachment_download", args=[cast.agreement_ab.pk, attachment.pk])
    response = client_for("trainee").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_for("outsider").get(url).status_code == 404
    other = reverse("agreements:attachment_download", args=[cast.draft_ab.pk, attachment.pk])
    assert client_for("coord_a").get(other).status_code == 404


def test_withdraw_page_records_reason(cast, client_for):
    client_for("coord_b").post(
        reverse("agreements:withdraw", args=[cast.draft_ab.pk]),
        {"reason": "Superseded by another plan"},
    )
    event = AuditEvent.objects.get(action="agreement.withdraw")
    assert event.reason == "Superseded by another plan"


def test_pages_render_in_simplified_chinese(cast, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("agreements:detail", args=[cast.draft_ab.pk])).content.decode()
    assert "代表西部医科大学签署" in body
    assert "草稿" in body
    body = client.get(reverse("agreements:detail", args=[cast.agreement_ab.pk])).content.decode()
    assert "生效中" in body
    assert "通讯作者" in body


def test_add_party_button_adds_a_row_without_saving(cast, client_for):
    data = {**_terms_form(cast), "add_party": "1"}
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 200
    assert len(response.context["parties"].forms) == 3
    assert not Agreement.objects.filter(title="New exchange").exists()


def test_three_parties_through_the_form(cast, client_for):
    data = {
        **_terms_form(cast),
        "parties-TOTAL_FORMS": "4",
        "parties-0-funding_share": "40",
        "parties-1-funding_share": "30",
        "parties-2-institution": cast.inst_c.pk,
        "parties-2-funding_share": "30",
        "form": "university_institute",
    }
    response = client_for("coord_a").post(reverse("agreements:create"), data)
    assert response.status_code == 302
    assert Agreement.objects.get(title="New exchange").parties.count() == 3


def test_admin_change_page_shows_agreement_with_inlines(cast, client_for):
    url = reverse("admin:agreements_agreement_change", args=[cast.agreement_ab.pk])
    response = client_for("admin").get(url)
    assert response.status_code == 200
    assert b"Eastern Medical University" in response.content
    assert client_for("coord_a").get(url).status_code == 302


@pytest.mark.parametrize(
    "action, heading, explanation",
    [
        ("amend", "修订协议", "将以本协议为基础起草新版本"),
        ("terminate", "终止协议", "协议将立即失效"),
    ],
)
def test_amend_and_terminate_pages_speak_chinese(cast, client_for, action, heading, explanation):
    client = client_for("coord_a")
    client.get(reverse(f"agreements:{action}", args=[cast.agreement_ab.pk]))  # English first
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse(f"agreements:{action}", args=[cast.agreement_ab.pk])).content
    body = body.decode()
    assert f"<h1>{heading}</h1>" in body and explanation in body
    assert f">{heading}</button>" in body


def test_sign_button_is_gone_once_the_party_has_signed(cast, client_for):
    client = client_for("coord_a")
    url = reverse("agreements:detail", args=[cast.draft_ab.pk])
    button = f"Sign for {cast.inst_a}"
    assert button in client.get(url).content.decode()
    client.post(
        reverse("agreements:sign", args=[cast.draft_ab.pk]), {"institution": cast.inst_a.pk}
    )
    assert button not in client.get(url).content.decode()
    assert f"Sign for {cast.inst_b}" in client_for("coord_b").get(url).content.decode()
