"""Logbook pages for residents, teachers and training offices: thin views over the selectors,
permissions and services. An entry, resident, cohort or department someone may not see is the
same 404 as one that does not exist; a page of a role someone does not have answers 403."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.logbook import permissions, selectors, services
from tandem.logbook.forms import EntryForm, ReviewForm
from tandem.logbook.models import CatalogueItem
from tandem.logbook.progress import period_progress
from tandem.residency.models import Department


def _items_by_id(rows: list[Any]) -> dict[int, CatalogueItem]:
    ids = {line.item_id for _s, _m, progress in rows for line in progress.lines}
    return CatalogueItem.objects.in_bulk(ids) if ids else {}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "can_log": permissions.can_log_entries(user),
        "can_review": permissions.can_review_any(user),
        "to_review": selectors.pending_review_count(user),
        "cohorts": selectors.cohort_list_for_progress(user)[:50],
        "departments": selectors.department_list_for_progress(user)[:50],
    }
    if context["can_log"]:
        context["entries"] = paginate(request, selectors.entry_list_of_resident(user))
    return render(request, "logbook/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_log_entries(request.user):
        raise PermissionDenied(_("Only residents on a published schedule log cases."))
    initial = {"date": timezone.localdate()}
    form = EntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = services.entry_log(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Logged; it waits for your teacher's verification."))
                if entry.duplicates:
                    messages.warning(
                        request,
                        _(
                            "You logged this case or procedure for the same patient before. "
                            "If it is a mistake, withdraw this entry."
                        ),
                    )
                if request.POST.get("another"):
                    return redirect("logbook:entry_new")
                return redirect("logbook:entry_detail", pk=entry.pk)
        return render(request, "logbook/entry_form.html", {"form": form}, status=400)
    return render(request, "logbook/entry_form.html", {"form": form})


@login_required
@require_GET
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    context = {
        "entry": entry,
        "is_duplicate": services.duplicates_of(entry) > 0,
        "can_review": permissions.can_review_entry(request.user, entry),
        "can_change": permissions.can_change_entry(request.user, entry),
        "review_form": ReviewForm(),
        "history": audit_history(entry)[:20],
    }
    return render(request, "logbook/entry_detail.html", context)


def _show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_POST
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    if not permissions.is_teacher_of(request.user, entry):
        raise PermissionDenied(_("Only a teacher of the department verifies its entries."))
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to verify or to return the entry."))
        return redirect("logbook:entry_detail", pk=pk)
    try:
        services.entry_review(actor=request.user, entry=entry, **form.cleaned_data)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("logbook:entry_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident corrects an entry that waits or was returned (it waits again)."""
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_entry(request.user, entry):
        raise PermissionDenied(_("Only the resident who logged an entry corrects it."))
    initial = {
        "department": entry.department_id,
        "date": entry.date,
        "item": entry.item_id,
        "role": entry.role,
        "note": entry.note,
    }
    form = EntryForm(request.POST or None, user=request.user, initial=initial, correcting=True)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.entry_correct(actor=request.user, entry=entry, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Corrected; it waits for your teacher again."))
                return redirect("logbook:entry_detail", pk=entry.pk)
        return render(
            request, "logbook/entry_form.html", {"form": form, "entry": entry}, status=400
        )
    return render(request, "logbook/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user_or_404(request.user, pk)
    if entry.resident_id != request.user.pk:
        raise PermissionDenied(_("Only the resident who logged an entry withdraws it."))
    try:
        services.entry_withdraw(actor=request.user, entry=entry)
    except ValidationError as exc:
        _show_errors(request, exc)
        return redirect("logbook:entry_detail", pk=pk)
    messages.success(request, _("The entry is withdrawn."))
    return redirect("logbook:home")


def _monday(value: str | None) -> datetime.date:
    day = parse_date(value or "") if value else None
    day = day or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    """One screen for a week's entries of the teacher's departments, verified or returned in
    bulk. ?week=any day of the week; ?all=1 every waiting entry."""
    if not permissions.can_review_any(request.user):
        raise PermissionDenied(_("Only the departments' teachers verify entries."))
    week = _monday(request.GET.get("week") or request.POST.get("week"))
    every = request.GET.get("all") == "1"
    if request.method == "POST":
        form = ReviewForm(request.POST)
        ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
        if form.is_valid():
            try:
                result = services.entry_review_bulk(
                    actor=request.user, entry_ids=ids, **form.cleaned_data
                )
            except ValidationError as exc:
                _show_errors(request, exc)
            else:
                if result.done:
                    messages.success(request, _("%(n)s entries saved.") % {"n": len(result.done)})
                for _pk, message in result.skipped:
                    messages.warning(request, message)
        else:
            messages.error(request, _("Choose to verify or to return the entries."))
        return redirect(f"{request.path}?week={week.isoformat()}")
    entries = selectors.entries_to_review(request.user, week=None if every else week)
    context = {
        "week": week,
        "previous": week - datetime.timedelta(days=7),
        "next": week + datetime.timedelta(days=7),
        "week_end": week + datetime.timedelta(days=6),
        "every": every,
        "entries": paginate(request, entries, per_page=200),
        "waiting": selectors.pending_review_count(request.user),
        "form": ReviewForm(),
    }
    return render(request, "logbook/review.html", context)


@login_required
@require_GET
def resident(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.resident_get_for_user_or_404(request.user, pk)
    rows = selectors.resident_progress(request.user, person)
    period = None
    member = selectors.latest_member_of(person)
    if member is not None and selectors.sees_whole_log(request.user, person):
        period = period_progress(member)
    context = {
        "person": person,
        "rows": rows,
        "items": _items_by_id(rows + ([(None, None, period)] if period else [])),
        "period": period,
        "departments": Department.objects.in_bulk({s.department_id for s, _m, _p in rows}),
        "today": timezone.localdate(),
    }
    return render(request, "logbook/resident.html", context)


@login_required
@require_GET
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.cohort_get_for_user_or_404(request.user, pk)
    page = paginate(request, selectors.member_list_for_progress(found))
    progress = selectors.cohort_progress(list(page.object_list))
    context = {
        "cohort": found,
        "page": page,
        "rows": [(member, progress[member.pk]) for member in page.object_list],
    }
    return render(request, "logbook/cohort.html", context)


@login_required
@require_GET
def department(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.department_get_for_user_or_404(request.user, pk)
    page = paginate(request, selectors.department_members(found))
    progress = selectors.department_progress(found, list(page.object_list))
    context = {
        "department": found,
        "page": page,
        "rows": [(member, progress[member.pk]) for member in page.object_list],
    }
    return render(request, "logbook/department.html", context)
