"""Pages for allocations (money for a joint trainee's research) and joint fund applications."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.numbers import format_money
from tandem.core.pagination import paginate, query_without_page
from tandem.cultivation.selectors import (
    cultivation_get_for_user_or_404,
    cultivation_list_visible_to,
    current_tutors,
)
from tandem.funds import permissions, selectors
from tandem.funds import services_allocation as services
from tandem.funds.forms import (
    AllocationFilterForm,
    AllocationForm,
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
)
from tandem.funds.views import form_page

OPEN_CULTIVATION = ("proposed", "approved", "active", "suspended")


def _with_warnings(allocations: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {"allocation": a, "warnings": selectors.allocation_warnings(a, today)} for a in allocations
    ]


@login_required
@require_GET
def allocation_list(request: HttpRequest) -> HttpResponse:
    filters = AllocationFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.allocation_list_for_page(
        request.user, status=values.get("status") or "", search=values.get("q") or ""
    )
    page_obj = paginate(request, queryset)
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "query": query_without_page(request),
        "rows": _with_warnings(page_obj),
    }
    if request.htmx:
        return render(request, "funds/_allocation_results.html", context)
    return render(request, "funds/allocation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def allocation_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get_for_user_or_404(request.user, pk)
    if not permissions.can_allocate(request.user, fund):
        raise PermissionDenied(_("Only the fund's coordinators or its PI can allocate money."))
    cultivations = (
        cultivation_list_visible_to(request.user)
        .filter(
            Q(home_id=fund.institution_id) | Q(host_id=fund.institution_id),
            status__in=OPEN_CULTIVATION,
        )
        .select_related("trainee", "home", "host")
    )
    form = AllocationForm(request.POST or None, cultivations=cultivations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.allocation_propose(
                actor=request.user,
                fund=fund,
                cultivation=data["cultivation"],
                amount=data["amount"],
                warn_below=data["warn_below"],
                shares=form.shares(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The allocation is saved."))
            return redirect("funds:allocation_detail", pk=allocation.pk)
    return form_page(
        request,
        form,
        title=_("Allocate money to a joint trainee"),
        back_url=reverse("funds:detail", args=[pk]),
        back_label=str(fund),
        status=400 if request.method == "POST" else 200,
        explanation=_(
            "Available: %(balance)s CNY. Unless you enter another split, the home and "
            "the host bear the shares set in their agreement; another split needs the "
            "approval of the coordinators of both."
        )
        % {"balance": format_money(fund.balance)},
    )


@login_required
@require_GET
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get_for_user_or_404(request.user, pk)
    expenses = selectors.expense_list_for(
        request.user, allocation.fund, allocation_id=allocation.pk
    )
    return render(
        request,
        "funds/allocation_detail.html",
        {
            "allocation": allocation,
            "warnings": selectors.allocation_warnings(allocation),
            "may_approve_for": permissions.sides_user_may_approve(request.user, allocation),
            "expenses": expenses[:50],
            "history": audit_history(allocation)[:50],
        },
    )


@login_required
@require_POST
def allocation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = selectors.allocation_get_for_user_or_404(request.user, pk)
    if not permissions.may_approve_as_side(request.user, allocation):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host approve a split.")
        )
    try:
        services.allocation_approve(actor=request.user, allocation=allocation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your approval is recorded."))
    return redirect("funds:allocation_detail", pk=pk)


@login_required
@require_GET
def cultivation_funds(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, pk)
    allocations = selectors.allocation_list_for_cultivation(request.user, cultivation)
    pair = current_tutors(cultivation)
    return render(
        request,
        "funds/cultivation_funds.html",
        {
            "cultivation": cultivation,
            "rows": _with_warnings(allocations),
            "applications": selectors.application_list_for_page(request.user).filter(
                cultivation=cultivation
            ),
            "can_apply": request.user.pk in {a.tutor_id for a in pair.values()},
        },
    )


# --- Joint fund applications ----------------------------------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    filters = ApplicationFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.application_list_for_page(
        request.user, status=values.get("status") or "", search=values.get("q") or ""
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
    }
    if request.htmx:
        return render(request, "funds/_application_results.html", context)
    return render(request, "funds/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, pk)
    pair = current_tutors(cultivation)
    if request.user.pk not in {a.tutor_id for a in pair.values()}:
        raise PermissionDenied(_("Only the trainee's tutors apply jointly for funds."))
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_draft(
                actor=request.user, cultivation=cultivation, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The joint application is drafted."))
            return redirect("funds:application_detail", pk=application.pk)
    return form_page(
        request,
        form,
        title=_("Draft a joint fund application"),
        back_url=reverse("funds:cultivation_funds", args=[pk]),
        back_label=str(cultivation.trainee),
        status=400 if request.method == "POST" else 200,
        explanation=_("Both tutors of the pair apply together: %(tutors)s.")
        % {"tutors": "; ".join(str(a.tutor) for a in pair.values())},
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "funds/application_detail.html",
        {
            "application": application,
            "can_submit": permissions.can_edit_application(request.user, application),
            "can_decide": permissions.can_decide_application(request.user, application),
            "history": audit_history(application)[:50],
        },
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user_or_404(request.user, pk)
    if not permissions.is_application_tutor(request.user, application):
        raise PermissionDenied(_("Only the applying tutors submit the application."))
    try:
        services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The application is submitted."))
    return redirect("funds:application_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user_or_404(request.user, pk)
    if not permissions.can_decide_application(request.user, application):
        raise PermissionDenied(_("Only the tutors or the coordinators record the outcome."))
    funds = selectors.fund_list_visible_to(request.user).filter(application__isnull=True)
    form = DecisionForm(request.POST or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The outcome is recorded."))
            return redirect("funds:application_detail", pk=pk)
    return form_page(
        request,
        form,
        title=_("Record the funder's decision"),
        back_url=reverse("funds:application_detail", args=[pk]),
        back_label=application.title,
        status=400 if request.method == "POST" else 200,
        explanation=_("A granted application names the research fund it was registered as."),
    )
