"""Who gets what on every agreements page and API operation (see tandem/core/tests/authz.py).

Visible to: admin and everyone with a role at A or B (the parties of agreement_ab and draft_ab);
the outsider (C) gets 404. Writes: the coordinators of A and B and the admin; signing only the
party coordinators (the admin does not sign); tutors, trainees and residents get 403.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.agreements.tests.factories import AgreementAttachmentFactory
from tandem.core.tests.authz import CREATED, REDIRECT, api, everyone_else, expect, page

VISIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee", "resident"]
PARTY_STAFF = ["admin", "coord_a", "coord_b"]
NOT_STAFF = ["tutor_a", "tutor_b", "trainee", "resident"]
SIGNERS = ["coord_a", "coord_b"]


def _terms_form(cast):
    return {
        "title": "New exchange",
        "reference": "",
        "form": "university_domestic",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "initiating_tutor": "",
        "funding_clause": "",
        "corresponding_author_rule": "first_or_second_tutor",
        "trainee_lists_both_institutions": "on",
        "authorship_clause": "",
        "ip_clause": "",
        "insurance_clause": "",
        "housing_clause": "",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-0-institution": cast.inst_a.pk,
        "parties-0-funding_share": "50",
        "parties-1-institution": cast.inst_b.pk,
        "parties-1-funding_share": "50",
        "quotas-TOTAL_FORMS": "1",
        "quotas-INITIAL_FORMS": "0",
        "quotas-0-year": "2026",
        "quotas-0-max_trainees": "3",
    }


def _terms_json(cast):
    return {
        "title": "New exchange",
        "form": "university_domestic",
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "parties": [
            {"institution_id": cast.inst_a.pk, "funding_share": 50},
            {"institution_id": cast.inst_b.pk, "funding_share": 50},
        ],
        "quotas": [{"year": 2026, "max_trainees": 3}],
    }


def _attachment_kwargs(cast):
    attachment = AgreementAttachmentFactory(agreement=cast.agreement_ab, uploaded_by=cast.coord_a)
    return {"pk": cast.agreement_ab.pk, "attachment_pk": attachment.pk}


def _ab(cast):
    return {"pk": cast.agreement_ab.pk}


def _draft(cast):
    return {"pk": cast.draft_ab.pk}


def _reason(cast):
    return {"reason": "Checked by the matrix"}


API = "/api/v1/agreements"

RULES = {
    "agreements:list": page(expect=expect(ok=everyone_else())),
    "agreements:detail": page(kwargs=_ab, expect=expect(ok=VISIBLE, hidden=["outsider"])),
    "agreements:create": page(
        "POST",
        data=_terms_form,
        expect=expect(ok=PARTY_STAFF, forbidden=everyone_else(PARTY_STAFF), ok_status=REDIRECT),
    ),
    "agreements:edit": page(
        "POST",
        kwargs=_draft,
        data=_terms_form,
        expect=expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "agreements:sign": page(
        "POST",
        kwargs=_draft,
        data=lambda cast: {},
        expect=expect(
            ok=SIGNERS, forbidden=["admin", *NOT_STAFF], hidden=["outsider"], ok_status=REDIRECT
        ),
    ),
    "agreements:amend": page(
        "POST",
        kwargs=_ab,
        data=_reason,
        expect=expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "agreements:terminate": page(
        "POST",
        kwargs=_ab,
        data=_reason,
        expect=expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "agreements:withdraw": page(
        "POST",
        kwargs=_draft,
        data=_reason,
        expect=expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "agreements:attachment_upload": page(
        "POST",
        kwargs=_ab,
        data=lambda cast: {"title": "Scan", "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4")},
        expect=expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], ok_status=REDIRECT),
    ),
    "agreements:attachment_download": page(
        kwargs=_attachment_kwargs,
        expect=expect(ok=VISIBLE, hidden=["outsider"]),
    ),
    # API
    "agreements_agreement_list": api(
        "GET", lambda cast: f"{API}/", expect(ok=everyone_else(), anonymous=401)
    ),
    "agreements_agreement_awaiting_signature": api(
        "GET",
        lambda cast: f"{API}/awaiting-my-signature",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "agreements_agreement_get": api(
        "GET",
        lambda cast: f"{API}/{cast.agreement_ab.pk}",
        expect(ok=VISIBLE, hidden=["outsider"], anonymous=401),
    ),
    "agreements_agreement_create": api(
        "POST",
        lambda cast: f"{API}/",
        expect(
            ok=PARTY_STAFF, forbidden=everyone_else(PARTY_STAFF), ok_status=CREATED, anonymous=401
        ),
        data=_terms_json,
    ),
    "agreements_agreement_update": api(
        "PUT",
        lambda cast: f"{API}/{cast.draft_ab.pk}",
        expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], anonymous=401),
        data=_terms_json,
    ),
    "agreements_agreement_sign": api(
        "POST",
        lambda cast: f"{API}/{cast.draft_ab.pk}/sign",
        expect(ok=SIGNERS, forbidden=["admin", *NOT_STAFF], hidden=["outsider"], anonymous=401),
        data=lambda cast: {},
    ),
    "agreements_agreement_amend": api(
        "POST",
        lambda cast: f"{API}/{cast.agreement_ab.pk}/amend",
        expect(
            ok=PARTY_STAFF,
            forbidden=NOT_STAFF,
            hidden=["outsider"],
            ok_status=CREATED,
            anonymous=401,
        ),
        data=_reason,
    ),
    "agreements_agreement_terminate": api(
        "POST",
        lambda cast: f"{API}/{cast.agreement_ab.pk}/terminate",
        expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], anonymous=401),
        data=_reason,
    ),
    "agreements_agreement_withdraw": api(
        "POST",
        lambda cast: f"{API}/{cast.draft_ab.pk}/withdraw",
        expect(ok=PARTY_STAFF, forbidden=NOT_STAFF, hidden=["outsider"], anonymous=401),
        data=_reason,
    ),
    "agreements_attachment_list": api(
        "GET",
        lambda cast: f"{API}/{cast.agreement_ab.pk}/attachments",
        expect(ok=VISIBLE, hidden=["outsider"], anonymous=401),
    ),
}
