"""Tutor pages of joint cultivation: pairing, changes, responsibilities, training records and
load (the tutor's workspace, which looks across apps, is in `tandem.portal`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.accounts import permissions as people_permissions
from tandem.agreements.selectors import agreement_get_for_user_or_404
from tandem.core.forms import apply_validation_error
from tandem.cultivation import (
    permissions,
    selectors,
    selectors_training,
    services_responsibility,
    services_tutor,
)
from tandem.cultivation.forms import (
    AssignForm,
    ChangeRequestForm,
    DivisionForm,
    LoadForm,
    ReasonForm,
    TrainingForm,
    template_formset,
)
from tandem.cultivation.models import ResponsibilityKey, TutorRole


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _manageable(request: HttpRequest, pk: int) -> Any:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cultivation(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host, or a consortium admin, can do this.")
        )
    return cultivation


def _pairing_role(request: HttpRequest, cultivation: Any) -> str:
    """The role asked for, or else the first one the pair still lacks: the list of tutors is
    always the one for the role the form shows."""
    asked = request.POST.get("role") or request.GET.get("role")
    if asked in TutorRole.values:
        return str(asked)
    pair = selectors.current_tutors(cultivation)
    return next((r for r in TutorRole.values if r not in pair), TutorRole.EXPERIMENTAL)


def _no_tutor_help(request: HttpRequest, cultivation: Any, role: str) -> dict[str, Any]:
    """Where the tutors for `role` would come from, and whether this person can add one."""
    places = [cultivation.host]
    if role == TutorRole.THEORETICAL:
        places.append(cultivation.home)
    return {
        "places": " / ".join(str(p) for p in places),
        "may_invite": any(
            people_permissions.can_manage_people_at(request.user, p.pk) for p in places
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def tutor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = _manageable(request, pk)
    role = _pairing_role(request, cultivation)
    tutors = selectors.eligible_tutors(cultivation, role)
    form = AssignForm(_posted(request), initial={"role": role}, tutors=tutors)
    if request.method == "POST" and form.is_valid():
        try:
            services_tutor.tutor_assign(
                actor=request.user,
                cultivation=cultivation,
                tutor=form.cleaned_data["tutor"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The tutor is paired."))
            return redirect("cultivation:detail", pk=cultivation.pk)
    return render(
        request,
        "cultivation/tutor_assign.html",
        {
            "form": form,
            "cultivation": cultivation,
            "no_tutor": None if tutors.exists() else _no_tutor_help(request, cultivation, role),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = _manageable(request, pk)
    role = _pairing_role(request, cultivation)
    form = ChangeRequestForm(
        _posted(request),
        initial={"role": role},
        tutors=selectors.eligible_tutors(cultivation, role),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_tutor.tutor_change_request(
                actor=request.user,
                cultivation=cultivation,
                role=form.cleaned_data["role"],
                new_tutor=form.cleaned_data["new_tutor"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The change of tutor is requested; it is applied when "
                    "both institutions approve."
                ),
            )
            return redirect("cultivation:detail", pk=cultivation.pk)
    return render(
        request,
        "cultivation/change_request.html",
        {
            "form": form,
            "cultivation": cultivation,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def change_approve(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    change = selectors.change_request_get_for_user_or_404(request.user, pk, request_pk)
    if not permissions.may_approve_as_side(request.user, change.cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host can approve a change of tutor.")
        )
    try:
        change = services_tutor.tutor_change_approve(
            actor=request.user, change=change, institution=request.POST.get("institution")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cultivation:detail", pk=pk)
    if change.status == "approved":
        messages.success(request, _("Approved by both institutions: the new tutor is paired."))
    else:
        messages.success(request, _("Approved. It awaits the other institution."))
    return redirect("cultivation:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def change_reject(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    change = selectors.change_request_get_for_user_or_404(request.user, pk, request_pk)
    if not permissions.can_manage_cultivation(request.user, change.cultivation):
        raise PermissionDenied(
            _(
                "Only a coordinator of the home or the host, or a consortium "
                "admin, can reject a change of tutor."
            )
        )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services_tutor.tutor_change_reject(
                actor=request.user, change=change, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The change of tutor is rejected."))
            return redirect("cultivation:detail", pk=pk)
    return render(
        request,
        "cultivation/change_reject.html",
        {
            "form": form,
            "cultivation": change.cultivation,
            "change": change,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Responsibilities --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    pair = selectors.current_tutors(cultivation)
    if not permissions.can_edit_responsibilities(request.user, cultivation, pair):
        raise PermissionDenied(
            _(
                "Only the trainee's tutors or a coordinator of the home or the "
                "host can divide the responsibilities of an open joint "
                "cultivation."
            )
        )
    shares = selectors.responsibility_shares(cultivation)
    if shares:
        items, roles = shares, [s.role for s in shares]
    else:
        items = selectors.responsibility_template_for(cultivation.agreement)
        roles = [selectors.suggested_role(item) for item in items]
    form = DivisionForm(_posted(request), items=items, initial_roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services_responsibility.responsibilities_divide(
                actor=request.user, cultivation=cultivation, items=form.payload()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The division is saved; both tutors sign it now."))
            return redirect("cultivation:detail", pk=pk)
    return render(
        request,
        "cultivation/responsibilities.html",
        {
            "form": form,
            "cultivation": cultivation,
            "pair": pair,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def responsibilities_sign(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    try:
        services_responsibility.responsibilities_sign(actor=request.user, cultivation=cultivation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You signed the division of responsibilities."))
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect("cultivation:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def responsibility_template(request: HttpRequest, agreement_pk: int) -> HttpResponse:
    agreement = agreement_get_for_user_or_404(request.user, agreement_pk)
    party_ids = {party.institution_id for party in agreement.parties.all()}
    if not permissions.can_edit_template(request.user, party_ids):
        raise PermissionDenied(_("Only a coordinator of a party can edit the template."))
    items = selectors.responsibility_template_for(agreement)
    initial = [{"key": item.key, "title": item.title} for item in items]
    formset = template_formset(_posted(request), initial)
    if request.method == "POST" and formset.is_valid():
        payload = [
            {"key": row.get("key") or "", "title": row.get("title") or ""}
            for row in (f.cleaned_data for f in formset.forms)
            if row and not row.get("remove") and (row.get("key") or row.get("title"))
        ]
        try:
            services_responsibility.responsibility_template_update(
                actor=request.user, agreement=agreement, items=payload
            )
        except ValidationError as exc:
            formset.forms[0].add_error(None, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The template is saved. Divisions made from now on use it.")
            )
            return redirect("cultivation:template", agreement_pk=agreement.pk)
    labels = dict(ResponsibilityKey.choices)
    rows = [(form, labels.get(form.initial.get("key") or "", "")) for form in formset.forms]
    return render(
        request,
        "cultivation/template.html",
        {
            "formset": formset,
            "rows": rows,
            "agreement": agreement,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The tutor's own pages ----------------------------------------------------------------------


def _tutor_for_development(request: HttpRequest, user_pk: int) -> tuple[Any, set[int]]:
    tutor = selectors.tutor_get_for_user_or_404(request.user, user_pk)
    institutions = selectors.tutor_institution_ids(tutor)
    if not permissions.can_view_tutor_development(request.user, tutor, institutions):
        raise PermissionDenied(
            _("Only the tutor and coordinators see a tutor's development and load.")
        )
    return tutor, institutions


@login_required
@require_GET
def trainings(request: HttpRequest, user_pk: int) -> HttpResponse:
    tutor, institutions = _tutor_for_development(request, user_pk)
    return render(
        request,
        "cultivation/trainings.html",
        {
            "tutor": tutor,
            "trainings": selectors.training_list_for(tutor),
            "can_record": permissions.can_record_training(request.user, tutor, institutions),
            "requirements": selectors_training.training_status_of(tutor, institutions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_add(request: HttpRequest, user_pk: int) -> HttpResponse:
    tutor = selectors.tutor_get_for_user_or_404(request.user, user_pk)
    if not permissions.can_record_training(
        request.user, tutor, selectors.tutor_institution_ids(tutor)
    ):
        raise PermissionDenied(
            _("Only the tutor or a coordinator of their institution can record a training.")
        )
    posted = request.method == "POST"
    form = TrainingForm(request.POST, request.FILES) if posted else TrainingForm()
    if posted and form.is_valid():
        try:
            services_tutor.tutor_training_record(
                actor=request.user, tutor=tutor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("cultivation:trainings", user_pk=tutor.pk)
    return render(
        request,
        "cultivation/training_form.html",
        {
            "form": form,
            "tutor": tutor,
        },
        status=400 if posted else 200,
    )


@login_required
@require_GET
def training_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    training = selectors.training_get_for_user_or_404(request.user, pk)
    _tutor_for_development(request, training.tutor_id)
    if not training.certificate:
        raise Http404
    try:
        handle = training.certificate.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    filename = training.certificate.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
@require_GET
def tutor_load(request: HttpRequest, user_pk: int) -> HttpResponse:
    tutor, _institutions = _tutor_for_development(request, user_pk)
    form = LoadForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or (
        timezone.localdate().year
    )
    load = selectors.tutor_load(tutor, year)
    return render(
        request,
        "cultivation/tutor_load.html",
        {
            "tutor": tutor,
            "form": form,
            "load": load,
            "rows": load["rows"],
        },
    )
