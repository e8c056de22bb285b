"""The residents of a cohort: add them (searching the hospital's residents), edit their program,
leave and preferences, and remove them."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.residency import permissions, selectors, services
from tandem.residency.forms import (
    MemberAddForm,
    MemberForm,
    PreferenceFormSet,
    preferences_from,
)
from tandem.residency.models import Block

CANDIDATES_SHOWN = 50
MEMBER_ACTIONS = ("cohort.member_add", "cohort.member_update", "cohort.member_remove")


def _managed_cohort(request: HttpRequest, pk: int) -> Any:
    cohort = selectors.cohort_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionDenied(_("Only the hospital's training office manages its cohorts."))
    return cohort


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the hospital's residents (HTMX narrows the list as one types; without JavaScript
    the search button does), tick one or more, choose their program."""
    cohort = _managed_cohort(request, pk)
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:100]
    data = request.POST if request.method == "POST" else None
    form = MemberAddForm(
        data,
        candidates=selectors.resident_candidates(cohort),
        programs=selectors.program_list_for_cohort(cohort),
    )
    if data is not None and form.is_valid():
        try:
            added = services.member_add_many(
                actor=request.user,
                cohort=cohort,
                residents=list(form.cleaned_data["residents"]),
                program=form.cleaned_data["program"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)d resident is added to the cohort.",
                    "%(n)d residents are added to the cohort.",
                    len(added),
                )
                % {"n": len(added)},
            )
            return redirect("residency:cohort_detail", pk=cohort.pk)
    shown = selectors.resident_candidates(cohort, q)
    context = {
        "cohort": cohort,
        "form": form,
        "q": q,
        "candidates": shown[:CANDIDATES_SHOWN],
        "total": shown.count(),
        "limit": CANDIDATES_SHOWN,
        "chosen": {str(v) for v in (data.getlist("residents") if data is not None else [])},
    }
    if request.htmx and data is None:
        return render(request, "residency/_candidates.html", context)
    return render(
        request, "residency/member_add.html", context, status=400 if data is not None else 200
    )


def _member_for_editor(request: HttpRequest, pk: int) -> Any:
    member = selectors.member_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_member(request.user, member):
        raise PermissionDenied(_("Only the hospital's training office manages its cohorts."))
    return member


def _show_error(form: MemberForm, exc: ValidationError) -> list[str]:
    """Put the service's errors on the form; those about `preferences` are returned, to be
    shown above the preference rows."""
    errors = dict(getattr(exc, "error_dict", {}))
    about_preferences = [m for e in errors.pop("preferences", []) for m in e.messages]
    if errors or not hasattr(exc, "error_dict"):
        apply_validation_error(form, ValidationError(errors) if errors else exc)
    return about_preferences


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_editor(request, pk)
    cohort = member.cohort
    programs = selectors.program_list_for_cohort(cohort)
    departments = list(selectors.departments_of_programs(programs.values("pk")))
    data = request.POST if request.method == "POST" else None
    form = MemberForm(
        data,
        programs=programs,
        blocks=Block.objects.filter(calendar_id=cohort.calendar_id),
        initial={"program": member.program_id, "leave_blocks": member.leave_blocks},
    )
    formset = PreferenceFormSet(
        data,
        prefix="preferences",
        initial=[dict(p) for p in member.preferences],
        form_kwargs={"departments": departments},
    )
    preference_errors: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.member_update(
                actor=request.user,
                member=member,
                program=form.cleaned_data["program"],
                leave_blocks=form.cleaned_data["leave_blocks"],
                preferences=preferences_from(formset),
            )
        except ValidationError as exc:
            preference_errors = _show_error(form, exc)
        else:
            messages.success(request, _("The resident's plan is saved."))
            return redirect("residency:member_edit", pk=member.pk)
    context = {
        "member": member,
        "cohort": cohort,
        "form": form,
        "formset": formset,
        "preference_errors": preference_errors,
        "on_schedule": selectors.member_on_schedule(member),
        "has_schedule": hasattr(cohort, "schedule"),
        "history": audit_history(cohort).filter(action__in=MEMBER_ACTIONS)[:50],
    }
    return render(
        request, "residency/member_form.html", context, status=400 if data is not None else 200
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member_for_editor(request, pk)
    try:
        services.member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("residency:member_edit", pk=member.pk)
    messages.success(request, _("%(name)s is removed from the cohort.") % {"name": member.resident})
    return redirect("residency:cohort_detail", pk=member.cohort_id)
