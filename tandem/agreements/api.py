"""The agreements API: the same selectors, permissions and services as the pages."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts.selectors import person_list_visible_to
from tandem.agreements import permissions, selectors, services
from tandem.agreements.models import Agreement, AgreementAttachment
from tandem.core.api import ERRORS, Pagination
from tandem.core.lookups import resolve_one

router = Router(tags=["agreements"])


class PartyIn(Schema):
    institution_id: int
    funding_share: Decimal = Decimal("0")
    responsibilities: str = ""


class QuotaIn(Schema):
    year: int
    max_trainees: int


class AgreementIn(Schema):
    title: str
    reference: str = ""
    form: str
    start_date: datetime.date
    end_date: datetime.date
    initiating_tutor_id: int | None = None
    parties: list[PartyIn]
    quotas: list[QuotaIn] = []
    funding_clause: str = ""
    corresponding_author_rule: str = "first_or_second_tutor"
    trainee_lists_both_institutions: bool = True
    authorship_clause: str = ""
    ip_clause: str = ""
    ip_owner: str = ""
    ip_owner_other: str = ""
    insurance_clause: str = ""
    insurance_required: bool = False
    stay_may_start_uninsured: bool = False
    housing_clause: str = ""
    housing_provider: str = ""
    exchange_rotation_clause: str = ""
    teacher_exchange_clause: str = ""
    visit_clause: str = ""


class PartyOut(Schema):
    institution_id: int
    institution_name: str
    funding_share: Decimal
    responsibilities: str

    @staticmethod
    def resolve_institution_name(obj: Any) -> str:
        return str(obj.institution)


class QuotaOut(Schema):
    year: int
    max_trainees: int


class AgreementSignatureOut(Schema):
    institution_id: int
    signed_by_id: int
    signed_by_name: str
    signed_at: datetime.datetime

    @staticmethod
    def resolve_signed_by_name(obj: Any) -> str:
        return str(obj.signed_by)


class AgreementOut(Schema):
    id: int
    title: str
    reference: str
    form: str
    status: str
    version: int
    amends_id: int | None
    start_date: datetime.date
    end_date: datetime.date
    initiating_tutor_id: int | None
    funding_clause: str
    corresponding_author_rule: str
    trainee_lists_both_institutions: bool
    authorship_policy: str
    authorship_clause: str
    ip_clause: str
    ip_owner: str
    ip_owner_other: str
    insurance_clause: str
    insurance_required: bool
    stay_may_start_uninsured: bool
    insurance_policy: str
    housing_clause: str
    housing_provider: str
    exchange_rotation_clause: str
    teacher_exchange_clause: str
    visit_clause: str
    created_by_id: int
    created_at: datetime.datetime
    activated_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    end_reason: str
    parties: list[PartyOut]
    quotas: list[QuotaOut]
    signatures: list[AgreementSignatureOut]

    @staticmethod
    def resolve_insurance_policy(obj: Agreement) -> str:
        return obj.insurance_policy_text()

    @staticmethod
    def resolve_authorship_policy(obj: Agreement) -> str:
        return obj.authorship_policy_text()

    @staticmethod
    def resolve_parties(obj: Agreement) -> list:
        return list(obj.parties.all())

    @staticmethod
    def resolve_quotas(obj: Agreement) -> list:
        return list(obj.quotas.all())

    @staticmethod
    def resolve_signatures(obj: Agreement) -> list:
        return list(obj.signatures.all())


class AgreementFilters(FilterSchema):
    status: str | None = None
    form: str | None = None
    institution_id: int | None = None
    q: str | None = None


class AgreementReasonIn(Schema):
    reason: str


class SignIn(Schema):
    institution_id: int | None = None


class AttachmentOut(Schema):
    id: int
    title: str
    uploaded_by_id: int
    uploaded_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: AgreementAttachment) -> str:
        return reverse("agreements:attachment_download", args=[obj.agreement_id, obj.pk])


def _reload(request: HttpRequest, agreement: Agreement) -> Agreement:
    return selectors.agreement_get_for_user_or_404(request.user, agreement.pk)


def _terms(user: Any, payload: AgreementIn) -> dict[str, Any]:
    data = payload.dict()
    # Only a tutor of a party passes the service's check; a person the caller cannot see is
    # "Not found." like an id that names nobody.
    tutor = resolve_one(
        "initiating_tutor", person_list_visible_to(user), data.pop("initiating_tutor_id")
    )
    data["parties"] = [
        {
            "institution": p["institution_id"],
            "funding_share": p["funding_share"],
            "responsibilities": p["responsibilities"],
        }
        for p in data["parties"]
    ]
    data["initiating_tutor"] = tutor
    return data


@router.get(
    "/", response={200: list[AgreementOut], **ERRORS}, operation_id="agreements_agreement_list"
)
@paginate(Pagination)
def agreement_list(request: HttpRequest, filters: Query[AgreementFilters]) -> Any:
    return selectors.agreement_list_for_page(
        request.user,
        status=filters.status or "",
        form=filters.form or "",
        institution_id=filters.institution_id,
        search=filters.q or "",
    )


@router.get(
    "/awaiting-my-signature",
    response={200: list[AgreementOut], **ERRORS},
    operation_id="agreements_agreement_awaiting_signature",
)
def agreement_awaiting_signature(request: HttpRequest) -> Any:
    return list(selectors.agreement_list_awaiting_signature_of(request.user)[:100])


@router.get(
    "/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_get",
)
def agreement_get(request: HttpRequest, agreement_id: int) -> Any:
    return selectors.agreement_get_for_user_or_404(request.user, agreement_id)


@router.post(
    "/", response={201: AgreementOut, **ERRORS}, operation_id="agreements_agreement_create"
)
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Any:
    if not permissions.can_create_agreement(request.user):
        raise PermissionDenied(_("Only coordinators and consortium admins draft agreements."))
    agreement = services.agreement_draft(actor=request.user, **_terms(request.user, payload))
    return Status(201, _reload(request, agreement))


@router.put(
    "/{agreement_id}",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_update",
)
def agreement_update(request: HttpRequest, agreement_id: int, payload: AgreementIn) -> Any:
    agreement = selectors.agreement_get_for_user_or_404(request.user, agreement_id)
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied(_("Only a coordinator of a party can edit this agreement."))
    agreement = services.agreement_update(
        actor=request.user, agreement=agreement, **_terms(request.user, payload)
    )
    return _reload(request, agreement)


@router.post(
    "/{agreement_id}/sign",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_sign",
)
def agreement_sign(request: HttpRequest, agreement_id: int, payload: SignIn) -> Any:
    agreement = selectors.agreement_get_for_user_or_404(request.user, agreement_id)
    if not permissions.may_sign_as_party(request.user, agreement):
        raise PermissionDenied(_("Only a coordinator of a party institution can sign."))
    agreement = services.agreement_sign(
        actor=request.user, agreement=agreement, institution=payload.institution_id
    )
    return _reload(request, agreement)


def _reason_action(request: HttpRequest, agreement_id: int, reason: str, service: Any) -> Any:
    agreement = selectors.agreement_get_for_user_or_404(request.user, agreement_id)
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied(
            _("Only a coordinator of a party or a consortium admin can do this.")
        )
    return _reload(request, service(actor=request.user, agreement=agreement, reason=reason))


@router.post(
    "/{agreement_id}/amend",
    response={201: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_amend",
)
def agreement_amend(request: HttpRequest, agreement_id: int, payload: AgreementReasonIn) -> Any:
    amendment = _reason_action(request, agreement_id, payload.reason, services.agreement_amend)
    return Status(201, amendment)


@router.post(
    "/{agreement_id}/terminate",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_terminate",
)
def agreement_terminate(request: HttpRequest, agreement_id: int, payload: AgreementReasonIn) -> Any:
    return _reason_action(request, agreement_id, payload.reason, services.agreement_terminate)


@router.post(
    "/{agreement_id}/withdraw",
    response={200: AgreementOut, **ERRORS},
    operation_id="agreements_agreement_withdraw",
)
def agreement_withdraw(request: HttpRequest, agreement_id: int, payload: AgreementReasonIn) -> Any:
    return _reason_action(request, agreement_id, payload.reason, services.agreement_withdraw)


@router.get(
    "/{agreement_id}/attachments",
    response={200: list[AttachmentOut], **ERRORS},
    operation_id="agreements_attachment_list",
)
def attachment_list(request: HttpRequest, agreement_id: int) -> Any:
    agreement = selectors.agreement_get_for_user_or_404(request.user, agreement_id)
    return list(selectors.attachment_list_for(agreement))
