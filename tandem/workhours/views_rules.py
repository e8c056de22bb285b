"""The training office's pages: rule sets per hospital and program, the departments' rota
patterns, and the check of a planned rota before it is published."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.residency import selectors as residency_selectors
from tandem.workhours import permissions, planning, selectors, services
from tandem.workhours.forms import NewRuleSetForm, PatternForm, RuleSetForm
from tandem.workhours.models import LIMIT_FIELDS, RuleSet
from tandem.workhours.texts import rule_label, violation_text


def _new_form(request: HttpRequest, data: Any = None) -> NewRuleSetForm:
    institutions = residency_selectors.institution_list_managed_by(request.user)
    programs = residency_selectors.program_list_visible_to(request.user).filter(
        institution__in=institutions
    )
    return NewRuleSetForm(data, institutions=institutions, programs=programs)


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_list(request: HttpRequest) -> HttpResponse:
    form = _new_form(request, request.POST or None)
    status = 200
    if request.method == "POST":
        if not permissions.can_manage_any_rules(request.user):
            raise PermissionDenied(_("Only a training office sets work-hour rules."))
        if form.is_valid():
            try:
                ruleset = services.ruleset_save(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Rule set saved."))
                return redirect("workhours:ruleset_edit", pk=ruleset.pk)
        status = 400
    context = {
        "rulesets": selectors.ruleset_list_visible_to(request.user)[:200],
        "form": form,
        "can_manage": permissions.can_manage_any_rules(request.user),
    }
    return render(request, "workhours/ruleset_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ruleset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ruleset = selectors.ruleset_get_for_user_or_404(request.user, pk)
    can_edit = permissions.can_edit_ruleset(request.user, ruleset)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the hospital's training office sets work-hour rules."))
    form = RuleSetForm(request.POST or None, instance=ruleset)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.ruleset_save(
                    actor=request.user,
                    institution=ruleset.institution,
                    program=ruleset.program,
                    regulator=data["regulator"],
                    time_zone=data["time_zone"],
                    limits={name: data[name] for name in LIMIT_FIELDS},
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Rule set saved."))
                return redirect("workhours:ruleset_edit", pk=pk)
        ruleset.refresh_from_db()
        return render(
            request,
            "workhours/ruleset_edit.html",
            {"ruleset": ruleset, "form": form, "can_edit": can_edit},
            status=400,
        )
    return render(
        request,
        "workhours/ruleset_edit.html",
        {"ruleset": ruleset, "form": form, "can_edit": can_edit, "shown": _shown(ruleset)},
    )


def _shown(ruleset: RuleSet) -> list[tuple[str, Any]]:
    """The rule set as its readers see it: labels and values in words."""
    rows: list[tuple[str, Any]] = [
        (str(RuleSet._meta.get_field("regulator").verbose_name), ruleset.get_regulator_display()),
        (str(RuleSet._meta.get_field("time_zone").verbose_name), ruleset.time_zone),
    ]
    for name in LIMIT_FIELDS:
        rows.append((str(RuleSet._meta.get_field(name).verbose_name), getattr(ruleset, name)))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def pattern_set(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_any_rules(request.user):
        raise PermissionDenied(_("Only a training office sets rota patterns."))
    managed = residency_selectors.institution_list_managed_by(request.user)
    departments = selectors.pattern_list_visible_to(request.user).filter(
        base__institution__in=managed
    )
    form = PatternForm(
        request.POST or None,
        departments=departments,
        initial={
            "weekdays": [0, 1, 2, 3, 4],
            "day_start": "08:00",
            "day_end": "17:00",
            "call_every": 0,
            "call_hours": 24,
            "handover_hours": 0,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.pattern_set(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Rota pattern saved."))
                return redirect("workhours:pattern_set")
        status = 400
    context = {"form": form, "departments": departments.order_by("base__name", "name")[:200]}
    return render(request, "workhours/patterns.html", context, status=status)


@login_required
@require_GET
def proposal_check(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = residency_selectors.proposal_get_for_user_or_404(request.user, pk)
    if not permissions.can_check_proposal(request.user, proposal):
        raise PermissionDenied(_("Only the hospital's training office checks a planned rota."))
    findings = planning.planned_rota_check(proposal) if proposal.solution else []
    rows = [
        {
            "member": f.member,
            "rule": rule_label(f.violation.rule),
            "text": violation_text(f.violation, f.limits),
        }
        for f in findings
    ]
    context = {
        "proposal": proposal,
        "rows": rows,
        "residents": len({f.member.pk for f in findings}),
        "solved": bool(proposal.solution),
    }
    return render(request, "workhours/proposal_check.html", context)
