"""Exchange-visit pages: thin views over the selectors, permissions and services. A visit or
session someone may not see is the same 404 as one that does not exist; a step of a role
someone does not have answers 403. The actions, the report and the export are in
`views_actions`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.visits import forms, permissions, selectors, services
from tandem.visits.models import Visit

MANAGE_ONLY = _("Only the coordinators of the two institutions run the visit.")


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


def form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _managed(request: HttpRequest, pk: int) -> Visit:
    visit = selectors.visit_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_visit(request.user, visit):
        raise PermissionDenied(MANAGE_ONLY)
    return visit


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    visits = selectors.visit_list_visible_to(request.user)
    return render(
        request,
        "visits/home.html",
        {
            "visits": paginate(request, visits),
            "can_create": permissions.can_create_visit(request.user),
            "dashboard": selectors.visits_dashboard(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_visit(request.user):
        raise PermissionDenied(_("Only the training offices plan exchange visits."))
    form = forms.VisitForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                visit = services.visit_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The visit is planned."))
                return redirect("visits:visit_detail", pk=visit.pk)
        return render(request, "visits/visit_form.html", {"form": form}, status=400)
    return render(request, "visits/visit_form.html", {"form": form})


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = selectors.visit_get_for_user_or_404(user, pk)
    can_manage = permissions.can_change_visit(user, visit)
    side = permissions.notes_side(user, visit)
    context: dict[str, Any] = {
        "visit": visit,
        "full": selectors.takes_part_fully(user, visit),
        "review": selectors.review_of_previous(user, visit),
        "agenda": visit.agenda.select_related("institution", "presenter"),
        "delegates": selectors.delegate_list_in(user, visit),
        "sessions": selectors.session_list_in(user, visit),
        "actions": selectors.action_list_in(user, visit),
        "practices": visit.practices.select_related("institution"),
        "can_manage": can_manage,
        "is_host": permissions.is_host_coordinator(user, visit),
        "notes_side": side,
        "notes": visit.host_notes if side == "host" else visit.visiting_notes,
        "history": audit_history(visit)[:20] if can_manage else [],
    }
    if can_manage:
        context.update(
            agenda_form=forms.AgendaForm(visit=visit, auto_id="agenda_%s"),
            delegate_form=forms.DelegateForm(visit=visit, auto_id="delegate_%s"),
            session_form=forms.SessionForm(visit=visit, auto_id="session_%s"),
            practice_form=forms.PracticeForm(visit=visit, auto_id="practice_%s"),
            action_form=forms.ActionForm(visit=visit, auto_id="action_%s"),
        )
    return render(request, "visits/visit_detail.html", context)


def _post_service(request: HttpRequest, visit: Visit, form: Any, call: Any, done: str) -> None:
    if not form.is_valid():
        form_errors(request, form)
        return
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, done)


@login_required
@require_POST
def visit_status(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    try:
        services.visit_set_status(
            actor=request.user,
            visit=visit,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def visit_notes(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    try:
        services.visit_notes_save(
            actor=request.user, visit=visit, notes=request.POST.get("notes", "")
        )
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("Your internal notes are saved."))
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    form = forms.AgendaForm(request.POST, visit=visit)
    _post_service(
        request,
        visit,
        form,
        lambda data: services.agenda_add(actor=request.user, visit=visit, **data),
        _("The presentation is on the agenda."),
    )
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def delegate_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    form = forms.DelegateForm(request.POST, visit=visit)
    _post_service(
        request,
        visit,
        form,
        lambda data: services.delegate_add(actor=request.user, visit=visit, **data),
        _("The person takes part."),
    )
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    form = forms.SessionForm(request.POST, visit=visit)
    _post_service(
        request,
        visit,
        form,
        lambda data: services.session_add(actor=request.user, visit=visit, **data),
        _("The session is planned."),
    )
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def visit_invite(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    try:
        count = services.visit_invite(actor=request.user, visit=visit)
    except ValidationError as exc:
        show_errors(request, exc)
    else:
        messages.success(request, _("%(n)s people invited.") % {"n": count})
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_POST
def practice_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed(request, pk)
    form = forms.PracticeForm(request.POST, visit=visit)
    _post_service(
        request,
        visit,
        form,
        lambda data: services.practice_share(actor=request.user, visit=visit, **data),
        _("The practice is in the library."),
    )
    return redirect("visits:visit_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_for_user_or_404(request.user, pk)
    can_record = permissions.can_record_minutes(request.user, session)
    form = forms.MinutesForm(
        request.POST or None, initial={"minutes": session.minutes, "topics": session.topics}
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied(
                _("The minutes are written by the training offices and the base's directors.")
            )
        if form.is_valid():
            try:
                services.session_minutes_save(
                    actor=request.user,
                    session=session,
                    minutes=form.cleaned_data["minutes"],
                    topics=form.cleaned_data["topics"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The minutes are saved."))
                return redirect("visits:session_detail", pk=pk)
        status = 400
    else:
        status = 200
    context = {
        "session": session,
        "visit": session.visit,
        "form": form,
        "can_record": can_record,
        "can_remove": permissions.can_change_visit(request.user, session.visit)
        and session.visit.status == "planned"
        and not session.minutes,
        "actions": selectors.action_list_visible_to(request.user).filter(session=session),
    }
    return render(request, "visits/session_detail.html", context, status=status)


@login_required
@require_GET
def practice_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_read_library(request.user):
        raise PermissionDenied(_("The practice library is for the consortium's members."))
    form = forms.PracticeSearchForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    institution = data.get("institution")
    found = selectors.practice_search(
        request.user,
        text=data.get("q", ""),
        specialty=data.get("specialty", ""),
        topic=data.get("topic", ""),
        institution_id=institution.pk if institution else None,
    )
    return render(
        request, "visits/practice_list.html", {"form": form, "practices": paginate(request, found)}
    )
