"""Residency set-up pages: overview, departments of training bases, calendars and a program's
page with its requirements and rules. (Creating and editing programs, requirements, cohorts and
quotas: `views_setup.py`; cohort members: `views_member.py`.)"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.audit import audit_history
from tandem.core.audit_labels import worded
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.institutions.models import Specialty
from tandem.residency import permissions, rules, selectors, services
from tandem.residency.forms import (
    CalendarForm,
    DepartmentFilterForm,
    DepartmentForm,
    RequirementForm,
    RulesForm,
    SequenceRuleFormSet,
    rule_rows,
)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "residency/home.html",
        {
            "cohorts": selectors.cohort_list_visible_to(user)[:50],
            "programs": selectors.program_list_visible_to(user)[:50],
            "calendars": selectors.calendar_list_visible_to(user)[:20],
            "quotas": selectors.quota_list_visible_to(user)[:20],
            "my_memberships": selectors.my_memberships(user),
            "can_manage": permissions.can_manage_any(user),
            "can_create_program": permissions.can_create_program(user),
            "can_create_cohort": permissions.can_create_cohort(user),
            "can_view_quotas": permissions.can_view_quotas(user),
            "summary": selectors.residency_dashboard(user),
        },
    )


@login_required
@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    bases = selectors.base_list_visible_to(request.user)
    filters = DepartmentFilterForm(request.GET or None, bases=bases)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    base = values.get("base")
    queryset = selectors.department_list_for_page(
        request.user, base_id=base.pk if base else None, q=values.get("q") or ""
    )
    editable = set(selectors.base_list_editable_by(request.user).values_list("pk", flat=True))
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "editable_bases": editable,
        "can_create": permissions.can_create_department(request.user),
    }
    if request.htmx:
        return render(request, "residency/_department_results.html", context)
    return render(request, "residency/department_list.html", context)


def _department_page(request: HttpRequest, department: Any = None) -> HttpResponse:
    bases = selectors.base_list_editable_by(request.user)
    initial = None
    if department is not None:
        initial = {
            "base": department.base_id,
            "name": department.name,
            "name_zh": department.name_zh,
            "code": department.code,
            "min_per_block": department.min_per_block,
            "max_per_block": department.max_per_block,
            "duration": department.duration,
            "teachers": [t.pk for t in department.teachers.all()],
        }
    form = DepartmentForm(
        request.POST if request.method == "POST" else None, initial=initial, bases=bases
    )
    if department is not None:
        form.fields["base"].disabled = True
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            base = data.pop("base")
            data["teachers"] = list(data["teachers"])
            try:
                if department is None:
                    department = services.department_create(actor=request.user, base=base, **data)
                    messages.success(request, _("The department is added."))
                else:
                    services.department_update(actor=request.user, department=department, **data)
                    messages.success(request, _("The department is saved."))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("residency:department_edit", pk=department.pk)
        return render(
            request,
            "residency/department_form.html",
            {"form": form, "department": department},
            status=400,
        )
    history = audit_history(department)[:50] if department is not None else []
    return render(
        request,
        "residency/department_form.html",
        {"form": form, "department": department, "history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_department(request.user):
        raise PermissionDenied(_("Only training offices and base directors add departments."))
    return _department_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_department(request.user, department):
        raise PermissionDenied(
            _("Only the training office or the base's director can edit this department.")
        )
    return _department_page(request, department)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_any(request.user):
        raise PermissionDenied(_("Only training offices create block calendars."))
    form = CalendarForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                cal = services.calendar_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The calendar is created."))
                return redirect("residency:calendar_detail", pk=cal.pk)
        return render(request, "residency/calendar_form.html", {"form": form}, status=400)
    return render(request, "residency/calendar_form.html", {"form": form})


@login_required
@require_GET
def calendar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cal = selectors.calendar_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "residency/calendar_detail.html",
        {"calendar": cal, "blocks": cal.blocks.all(), "history": audit_history(cal)[:50]},
    )


def _program_context(request: HttpRequest, program: Any, **extra: Any) -> dict[str, Any]:
    departments = selectors.department_list_visible_to(request.user).filter(is_active=True)
    return {
        "program": program,
        "specialty": dict(Specialty.choices).get(program.specialty, program.specialty),
        "requirements": program.requirements.all(),
        "can_edit": permissions.can_manage_institution(request.user, program.institution_id),
        "requirement_form": extra.pop("requirement_form", None)
        or RequirementForm(departments=departments),
        "rules_form": extra.pop("rules_form", None)
        or RulesForm(
            initial={
                "rules": json.dumps(program.rules or {}, indent=2),
                "may_idle": program.may_idle,
            }
        ),
        "rule_rows": extra.pop("rule_rows", None)
        or SequenceRuleFormSet(
            prefix="rule",
            initial=rule_rows(program.rules or {}),
            form_kwargs={"departments": _program_departments(program)},
        ),
        "rule_sentences": [worded(text) for text in rules.rules_text(program.rules)],
        "history": audit_history(program)[:50],
        **extra,
    }


@login_required
@require_GET
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_get_for_user_or_404(request.user, pk)
    return render(request, "residency/program_detail.html", _program_context(request, program))


def _program_departments(program: Any) -> Any:
    return selectors.departments_of_programs([program.pk]).order_by("name")


def _program_rule_rows(request: HttpRequest, program: Any) -> HttpResponse:
    rows = SequenceRuleFormSet(
        request.POST, prefix="rule", form_kwargs={"departments": _program_departments(program)}
    )
    if rows.is_valid():
        try:
            services.program_rules_update(
                actor=request.user,
                program=program,
                rules=rows.rules(),
                may_idle=bool(request.POST.get("may_idle")),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("residency:program_detail", pk=program.pk)
    return render(
        request,
        "residency/program_detail.html",
        _program_context(request, program, rule_rows=rows),
        status=400,
    )


def _require_program_editor(request: HttpRequest, pk: int) -> Any:
    program = selectors.program_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_institution(request.user, program.institution_id):
        raise PermissionDenied(_("Only the hospital's training office manages its programs."))
    return program


@login_required
@require_http_methods(["POST"])
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = _require_program_editor(request, pk)
    departments = selectors.department_list_visible_to(request.user).filter(is_active=True)
    form = RequirementForm(request.POST, departments=departments)
    if form.is_valid():
        try:
            services.requirement_add(
                actor=request.user,
                program=program,
                departments=list(form.cleaned_data["departments"]),
                min_blocks=form.cleaned_data["min_blocks"],
                max_blocks=form.cleaned_data["max_blocks"],
                is_elective=form.cleaned_data["is_elective"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The requirement is added."))
            return redirect("residency:program_detail", pk=program.pk)
    return render(
        request,
        "residency/program_detail.html",
        _program_context(request, program, requirement_form=form),
        status=400,
    )


@login_required
@require_http_methods(["POST"])
def program_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """Sequence rules as rows (the page's form) or, under "Edit as JSON", in the instance
    format."""
    program = _require_program_editor(request, pk)
    if "rule-TOTAL_FORMS" in request.POST:
        return _program_rule_rows(request, program)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            services.program_rules_update(
                actor=request.user,
                program=program,
                rules=form.cleaned_data["rules"],
                may_idle=form.cleaned_data["may_idle"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The rules are saved."))
            return redirect("residency:program_detail", pk=program.pk)
    return render(
        request,
        "residency/program_detail.html",
        _program_context(request, program, rules_form=form),
        status=400,
    )
