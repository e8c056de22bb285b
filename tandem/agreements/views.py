"""Agreement pages: thin views over the selectors, permissions and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tandem.agreements import permissions, selectors, services
from tandem.agreements.forms import (
    TERM_FIELDS,
    AgreementFilterForm,
    AgreementTermsForm,
    AttachmentForm,
    ReasonForm,
    SignForm,
    apply_terms_error,
    filled_rows,
    party_formset,
    quota_formset,
)
from tandem.agreements.models import Agreement
from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    filters = AgreementFilterForm(request.GET or None, user=request.user)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    institution = values.get("institution")
    queryset = selectors.agreement_list_for_page(
        request.user,
        status=values.get("status") or "",
        form=values.get("form") or "",
        institution_id=institution.pk if institution else None,
        search=values.get("q") or "",
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_create": permissions.can_create_agreement(request.user),
    }
    if request.htmx:
        return render(request, "agreements/_list_results.html", context)
    return render(request, "agreements/list.html", context)


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user_or_404(request.user, pk)
    user = request.user
    signed = {s.institution_id: s for s in agreement.signatures.all()}
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "parties": [(p, signed.get(p.institution_id)) for p in agreement.parties.all()],
            "may_sign_for": permissions.institutions_user_may_sign_for(user, agreement),
            "can_edit": permissions.can_edit_agreement(user, agreement),
            "can_sign": permissions.can_sign_agreement(user, agreement),
            "can_amend": permissions.can_amend_agreement(user, agreement),
            "has_open_amendment": permissions.has_open_amendment(agreement),
            "can_terminate": permissions.can_terminate_agreement(user, agreement),
            "can_withdraw": permissions.can_withdraw_agreement(user, agreement),
            "can_attach": permissions.can_add_attachment(user, agreement),
            "attachments": selectors.attachment_list_for(agreement),
            "versions": selectors.agreement_versions(user, agreement),
            "history": audit_history(agreement)[:50],
        },
    )


def _terms_payload(form: AgreementTermsForm, parties: Any, quotas: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    return {
        **data,
        "parties": [
            {
                "institution": row["institution"],
                "funding_share": row.get("funding_share"),
                "responsibilities": row.get("responsibilities", ""),
            }
            for _index, row in filled_rows(parties, "institution")
        ],
        "quotas": [
            {"year": row["year"], "max_trainees": row.get("max_trainees")}
            for _index, row in filled_rows(quotas, "year")
        ],
    }


def _terms_page(
    request: HttpRequest,
    agreement: Agreement | None,
    initial: dict[str, Any] | None = None,
    party_rows: list[dict] | None = None,
    quota_rows: list[dict] | None = None,
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    adding = data is not None and ("add_party" in data or "add_quota" in data)
    if adding:
        # "Add a row" is a plain submit button, so it works without JavaScript: the same
        # input comes back with one more empty row, and nothing is saved.
        data = data.copy()  # type: ignore[union-attr]
        prefix = "parties" if "add_party" in data else "quotas"
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, 50))
    form = AgreementTermsForm(data, initial=initial, user=request.user)
    parties = party_formset(data, party_rows, user=request.user)
    quotas = quota_formset(data, quota_rows)
    status = 200
    if data is not None and not adding:
        if form.is_valid() and parties.is_valid() and quotas.is_valid():
            payload = _terms_payload(form, parties, quotas)
            try:
                if agreement is None:
                    agreement = services.agreement_draft(actor=request.user, **payload)
                    messages.success(request, _("The draft agreement is saved."))
                else:
                    agreement = services.agreement_update(
                        actor=request.user, agreement=agreement, **payload
                    )
                    messages.success(request, _("The draft agreement is updated."))
            except ValidationError as exc:
                apply_terms_error(
                    form,
                    {
                        "parties": (
                            parties,
                            [i for i, _row in filled_rows(parties, "institution")],
                        ),
                        "quotas": (quotas, [i for i, _row in filled_rows(quotas, "year")]),
                    },
                    exc,
                )
            else:
                return redirect("agreements:detail", pk=agreement.pk)
        status = 400
    return render(
        request,
        "agreements/form.html",
        {
            "form": form,
            "parties": parties,
            "quotas": quotas,
            "agreement": agreement,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_agreement(request.user):
        raise PermissionDenied(_("Only coordinators and consortium admins draft agreements."))
    return _terms_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied(_("Only a coordinator of a party can edit this agreement."))
    if not permissions.can_edit_agreement(request.user, agreement):
        messages.error(
            request, _("Only a draft can be edited; once someone has signed, amend it instead.")
        )
        return redirect("agreements:detail", pk=agreement.pk)
    initial = model_to_dict(agreement, fields=TERM_FIELDS)
    party_rows = [
        {
            "institution": p.institution_id,
            "funding_share": p.funding_share,
            "responsibilities": p.responsibilities,
        }
        for p in agreement.parties.all()
    ]
    quota_rows = [{"year": q.year, "max_trainees": q.max_trainees} for q in agreement.quotas.all()]
    return _terms_page(request, agreement, initial, party_rows, quota_rows)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user_or_404(request.user, pk)
    if not permissions.may_sign_as_party(request.user, agreement):
        raise PermissionDenied(_("Only a coordinator of a party institution can sign."))
    may_sign_for = permissions.institutions_user_may_sign_for(request.user, agreement)
    institutions = [
        p.institution for p in agreement.parties.all() if p.institution_id in may_sign_for
    ]
    if not institutions:
        messages.error(request, _("There is nothing for you to sign on this agreement."))
        return redirect("agreements:detail", pk=agreement.pk)
    data = request.POST if request.method == "POST" else None
    form = SignForm(data, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                institution=form.cleaned_data.get("institution"),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if agreement.status == "active":
                messages.success(
                    request, _("Signed. Every party has signed: the agreement is now in force.")
                )
            else:
                messages.success(request, _("Signed. The agreement awaits the other parties."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/sign.html",
        {"form": form, "agreement": agreement},
        status=400 if request.method == "POST" else 200,
    )


# Lazy: worded in the language of each request, not of the process that imported the module.
REASON_ACTIONS = {
    "amend": (
        permissions.can_amend_agreement,
        services.agreement_amend,
        gettext_lazy("Amend the agreement"),
        gettext_lazy(
            "A new version is drafted from this one; this version stays in force "
            "until every party has signed the new one."
        ),
        gettext_lazy("The new version is drafted: edit it, then ask every party to sign."),
    ),
    "terminate": (
        permissions.can_terminate_agreement,
        services.agreement_terminate,
        gettext_lazy("Terminate the agreement"),
        gettext_lazy("The agreement stops being in force now. This cannot be undone."),
        gettext_lazy("The agreement is terminated."),
    ),
    "withdraw": (
        permissions.can_withdraw_agreement,
        services.agreement_withdraw,
        gettext_lazy("Withdraw the agreement"),
        gettext_lazy(
            "The draft is abandoned and kept for the record; signatures already given lapse."
        ),
        gettext_lazy("The agreement is withdrawn."),
    ),
}


def _reason_page(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    agreement = selectors.agreement_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied(
            _("Only a coordinator of a party or a consortium admin can do this.")
        )
    allowed, service, title, explanation, done = REASON_ACTIONS[action]
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                result = service(
                    actor=request.user, agreement=agreement, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("agreements:detail", pk=result.pk)
    elif not allowed(request.user, agreement):
        messages.error(request, _("This cannot be done in the agreement's present state."))
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/reason_form.html",
        {
            "form": form,
            "agreement": agreement,
            "title": title,
            "explanation": explanation,
            "action": action,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "amend")


@login_required
@require_http_methods(["GET", "POST"])
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "terminate")


@login_required
@require_http_methods(["GET", "POST"])
def agreement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "withdraw")


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_agreement(request.user, agreement):
        raise PermissionDenied(_("Only a coordinator of a party can add attachments."))
    posted = request.method == "POST"
    form = AttachmentForm(request.POST, request.FILES) if posted else AttachmentForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_attachment_add(
                actor=request.user,
                agreement=agreement,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The attachment is added."))
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/attachment_form.html",
        {
            "form": form,
            "agreement": agreement,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user_or_404(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)
