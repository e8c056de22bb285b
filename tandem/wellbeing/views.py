"""Wellbeing pages: thin views over the selectors, permissions and services.

Officer-only pages answer 403 to everyone else; a check-in, an alert or a proposal someone may
not read is the same 404 as one that does not exist."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import tenancy
from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.core.spreadsheets import workbook
from tandem.institutions.selectors import (
    institution_list_coordinated_by,
    institution_list_in_reach_of,
)
from tandem.wellbeing import permissions, selectors, services
from tandem.wellbeing.forms import (
    CheckInForm,
    CloseForm,
    NoteForm,
    OfficerForm,
    ProposalForm,
    SettingsForm,
)
from tandem.wellbeing.models import WellbeingAlert


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "can_check_in": permissions.can_check_in(user),
        "is_officer": permissions.is_officer(user),
        "can_stats": permissions.can_view_stats(user),
        "coordinated": tenancy.coordinated_institution_ids(user),
        "today": timezone.localdate(),
        "tutored": selectors.tutored_trainees(user),
    }
    if context["can_check_in"]:
        context["due"] = selectors.next_due(user)
        context["history"] = paginate(request, selectors.checkin_list_of_trainee(user))
        context["consent"] = selectors.standing_consent_of(user)
        context["proposals"] = selectors.proposal_list_for_trainee(user)
    if context["coordinated"]:
        context["institutions"] = institution_list_coordinated_by(user).filter(
            pk__in=context["coordinated"]
        )
    return render(request, "wellbeing/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_check_in(request.user):
        raise PermissionDenied(_("Only trainees check in."))
    has_host = selectors.home_and_host_of(request.user)[1] is not None
    form = CheckInForm(request.POST or None, has_host=has_host)
    if request.method == "POST":
        if form.is_valid():
            try:
                checkin = services.checkin_submit(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Thank you: your check-in is saved."))
                if hasattr(checkin, "alert") and not selectors.officer_ids_of({checkin.home_id}):
                    messages.warning(
                        request,
                        _(
                            "Your institution has not named a wellbeing officer yet; your "
                            "check-in waits for them. If you need help now, call your "
                            "institution's counselling service."
                        ),
                    )
                return redirect("wellbeing:checkin_detail", pk=checkin.pk)
        return render(request, "wellbeing/checkin_form.html", {"form": form}, status=400)
    return render(request, "wellbeing/checkin_form.html", {"form": form})


@login_required
@require_GET
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = selectors.checkin_get_for_user_or_404(request.user, pk)
    alert = WellbeingAlert.objects.filter(checkin=checkin).first()
    context = {
        "checkin": checkin,
        "is_own": checkin.trainee_id == request.user.pk,
        "alert": alert if permissions.is_officer_for(request.user, checkin) else None,
        "history": audit_history(checkin)[:20],
    }
    return render(request, "wellbeing/checkin_detail.html", context)


@login_required
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    if not permissions.can_check_in(request.user):
        raise PermissionDenied(_("Only trainees check in."))
    try:
        if request.POST.get("give") == "1":
            services.consent_give(actor=request.user)
            messages.success(request, _("Your tutors now see the scores of your check-ins."))
        else:
            services.consent_withdraw(actor=request.user)
            messages.success(request, _("Your tutors no longer see the scores of your check-ins."))
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    return redirect("wellbeing:home")


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = get_object_or_404(institution_list_in_reach_of(request.user), pk=institution_pk)
    if not permissions.can_manage_officers(request.user, institution):
        raise PermissionDenied(
            _("Only the institution's coordinators name its wellbeing officers.")
        )
    config = selectors.settings_for(institution.pk)
    officer_form = OfficerForm(institution=institution)
    settings_form = SettingsForm(
        initial={name: getattr(config, name) for name in services.SETTINGS_FIELDS}
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "appoint":
                officer_form = OfficerForm(request.POST, institution=institution)
                if officer_form.is_valid():
                    services.officer_appoint(
                        actor=request.user, institution=institution, **officer_form.cleaned_data
                    )
                    messages.success(request, _("The wellbeing officer is named."))
                    return redirect("wellbeing:setup", institution_pk=institution.pk)
            elif action == "end":
                officer = get_object_or_404(
                    selectors.officer_list_of(institution), pk=request.POST.get("officer") or 0
                )
                services.officer_end(actor=request.user, officer=officer)
                messages.success(request, _("The appointment has ended."))
                return redirect("wellbeing:setup", institution_pk=institution.pk)
            elif action == "settings":
                settings_form = SettingsForm(request.POST)
                if settings_form.is_valid():
                    services.settings_update(
                        actor=request.user, institution=institution, **settings_form.cleaned_data
                    )
                    messages.success(request, _("The check-in settings are saved."))
                    return redirect("wellbeing:setup", institution_pk=institution.pk)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            apply_validation_error(officer_form if action == "appoint" else settings_form, exc)
        status = 400
    context = {
        "institution": institution,
        "officers": selectors.officer_list_of(institution),
        "officer_form": officer_form,
        "settings_form": settings_form,
        "history": audit_history(institution).filter(action__startswith="wellbeing_")[:20],
    }
    return render(request, "wellbeing/setup.html", context, status=status)


def _require_officer(request: HttpRequest) -> None:
    if not permissions.is_officer(request.user):
        raise PermissionDenied(_("Only wellbeing officers see this page."))


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    context = {
        "alerts": paginate(request, selectors.alert_list_for_officer(request.user)),
        "checkins": selectors.checkin_list_for_officer(request.user)[:50],
    }
    return render(request, "wellbeing/alert_list.html", context)


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user_or_404(request.user, pk)
    user = request.user
    context = {
        "alert": alert,
        "checkin": alert.checkin,
        "notes": alert.notes.select_related("author"),
        "proposals": alert.proposals.all(),
        "can_acknowledge": permissions.can_acknowledge_alert(user, alert),
        "can_note": permissions.can_note_alert(user, alert),
        "can_close": permissions.can_close_alert(user, alert),
        "can_propose": permissions.can_propose_adjustment(user, alert)
        and services.plan_for_alert(alert) is not None,
        "note_form": NoteForm(),
        "close_form": CloseForm(),
        "proposal_form": ProposalForm(),
        "history": audit_history(alert)[:20],
    }
    return render(request, "wellbeing/alert_detail.html", context)


def _step(request: HttpRequest, alert: WellbeingAlert, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("wellbeing:alert_detail", pk=alert.pk)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user_or_404(request.user, pk)
    return _step(
        request,
        alert,
        lambda: services.alert_acknowledge(actor=request.user, alert=alert),
        _("The alert is acknowledged."),
    )


@login_required
@require_POST
def alert_note(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user_or_404(request.user, pk)
    return _step(
        request,
        alert,
        lambda: services.alert_note_add(
            actor=request.user,
            alert=alert,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
        ),
        _("The note is saved."),
    )


@login_required
@require_POST
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user_or_404(request.user, pk)
    return _step(
        request,
        alert,
        lambda: services.alert_close(
            actor=request.user, alert=alert, outcome=request.POST.get("outcome", "")
        ),
        _("The alert is closed."),
    )


@login_required
@require_POST
def alert_propose(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for_user_or_404(request.user, pk)
    return _step(
        request,
        alert,
        lambda: services.adjustment_propose(
            actor=request.user, alert=alert, note=request.POST.get("note", "")
        ),
        _("The proposal is sent to the trainee."),
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get_for_user_or_404(request.user, pk)
    if proposal.alert.checkin.trainee_id != request.user.pk:
        raise PermissionDenied(_("Only the trainee decides on this proposal."))
    accept = request.POST.get("accept") == "1"
    try:
        services.adjustment_decide(actor=request.user, proposal=proposal, accept=accept)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A health-related revision of your plan is open.")
            if accept
            else _("You declined the proposal."),
        )
    return redirect("wellbeing:home")


@login_required
@require_GET
def tutor_view(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    trainee = selectors.tutored_trainee_get_or_404(request.user, trainee_pk)
    context = {
        "trainee": trainee,
        "checkins": selectors.shared_checkins_for_tutor(request.user, trainee)[:50],
    }
    return render(request, "wellbeing/tutor_view.html", context)


def _require_stats(request: HttpRequest) -> list[dict[str, Any]]:
    if not permissions.can_view_stats(request.user):
        raise PermissionDenied(_("Only coordinators see wellbeing statistics."))
    return selectors.stats_for(request.user, tenancy.coordinated_institution_ids(request.user))


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    rows = _require_stats(request)
    return render(request, "wellbeing/stats.html", {"rows": rows, "minimum": selectors.min_group()})


def _stats_header() -> list[str]:
    return [
        _("Institution"),
        _("Month"),
        _("Trainees"),
        _("Physical health"),
        _("Mental health"),
        _("Workload"),
        _("Living conditions"),
    ]


def _stats_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [
        [
            str(row["institution"]),
            row["month"].strftime("%Y-%m"),
            row["trainees"],
            row["physical"],
            row["mental"],
            row["workload"],
            row["living"],
        ]
        for row in rows
    ]


@login_required
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    """The aggregate table as CSV, or Excel with ?format=xlsx: the same suppressed rows."""
    rows = _require_stats(request)
    if request.GET.get("format") == "xlsx":
        content = workbook(_("Wellbeing"), _stats_header(), _stats_rows(rows))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="wellbeing.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wellbeing.csv"'
    writer = csv.writer(response)
    writer.writerow(_stats_header())
    for row in _stats_rows(rows):
        writer.writerow(row)
    return response
