"""Debriefing pages: thin views over the selectors, permissions and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.institutions.selectors import institution_list_by_ids
from tandem.meetings import permissions, selectors, services
from tandem.meetings.forms import (
    ActionForm,
    CloseActionForm,
    CommentForm,
    InviteForm,
    NotesForm,
    ReasonForm,
    ReportForm,
    SeriesFilterForm,
    SeriesForm,
    organizing_institutions,
    picker_initial,
)
from tandem.meetings.models import (
    AttendanceStatus,
    Meeting,
    MeetingSeries,
    ParticipantRole,
    SeriesParticipant,
)


@login_required
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    filters = SeriesFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.series_list_for_page(request.user, search=values.get("q") or "")
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "upcoming": selectors.upcoming_meetings(request.user),
        "can_create": permissions.can_create_series(request.user),
    }
    if request.htmx:
        return render(request, "meetings/_series_results.html", context)
    return render(request, "meetings/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_series(request.user):
        raise PermissionDenied(_("Only tutors and coordinators schedule debriefings."))
    posted = request.POST.get("institution", "")
    if posted.isdigit() and not organizing_institutions(request.user).filter(pk=posted).exists():
        raise PermissionDenied(
            _("Only a tutor or coordinator of the institution can schedule a series there.")
        )
    if _is_search(request, SeriesForm.pickers):
        form = SeriesForm(
            user=request.user,
            search_data=request.POST,
            initial=picker_initial(request.POST, SeriesForm.pickers),
        )
        return render(request, "meetings/series_form.html", {"form": form})
    form = SeriesForm(
        request.POST or None,
        user=request.user,
        search_data=request.POST,
        initial={"time_zone": "Asia/Shanghai", "interval_weeks": 2},
    )
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                series = services.series_create(
                    actor=request.user,
                    tutors=list(data.pop("tutors")),
                    trainees=list(data.pop("trainees")),
                    **data,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The debriefing series is scheduled."))
                return redirect("meetings:series_detail", pk=series.pk)
        return render(request, "meetings/series_form.html", {"form": form}, status=400)
    return render(request, "meetings/series_form.html", {"form": form})


def _is_search(request: HttpRequest, pickers: Any) -> bool:
    """The form came back through a picker's "Search" button, not to be saved."""
    return request.method == "POST" and any(f"{name}_search" in request.POST for name in pickers)


PICKER_FORMS = {"series": SeriesForm, "invite": InviteForm}


@login_required
@require_GET
def person_search(request: HttpRequest) -> HttpResponse:
    """The matches of a people picker's search, as the HTMX partial of its form field."""
    form_class = PICKER_FORMS.get(request.GET.get("form", ""))
    name = request.GET.get("field", "")
    if form_class is None or name not in form_class.pickers:
        raise Http404
    if not permissions.can_create_series(request.user):
        raise PermissionDenied(_("Only tutors and coordinators schedule debriefings."))
    form = form_class(user=request.user, search_data=request.GET)
    row = next(r for r in form.picker_rows() if r["field"].name == name)
    return render(request, "meetings/_person_results.html", {"picker": row})


@login_required
@require_GET
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user_or_404(request.user, pk)
    return render(request, "meetings/series_detail.html", series_context(request, series))


def series_context(request: HttpRequest, series: MeetingSeries, **forms: Any) -> dict[str, Any]:
    can_manage = permissions.can_manage_series(request.user, series)
    invite_form = forms.get("invite_form")
    if invite_form is None and can_manage and not series.is_ended:
        invite_form = InviteForm(user=request.user)
    return {
        "series": series,
        "meetings": selectors.meeting_list_for(series),
        "can_manage": can_manage,
        "can_edit": permissions.can_edit_series(request.user, series) and not series.is_ended,
        "can_end": permissions.can_end_series(request.user, series),
        "can_remove": permissions.can_remove_participant(request.user, series),
        "invite_form": invite_form,
        "history": audit_history(series)[:50],
    }


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    series = selectors.series_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_series(request.user, series):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can invite."))
    if _is_search(request, InviteForm.pickers):
        form = InviteForm(
            user=request.user,
            search_data=request.POST,
            initial=picker_initial(request.POST, InviteForm.pickers),
        )
        return render(
            request,
            "meetings/series_detail.html",
            series_context(request, series, invite_form=form),
        )
    form = InviteForm(request.POST, user=request.user, search_data=request.POST)
    if form.is_valid():
        try:
            services.participant_add(
                actor=request.user,
                series=series,
                person=form.cleaned_data["person"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The person is invited to every meeting."))
            return redirect("meetings:series_detail", pk=series.pk)
    return render(
        request,
        "meetings/series_detail.html",
        series_context(request, series, invite_form=form),
        status=400,
    )


def _invited(meeting: Meeting) -> list[SeriesParticipant]:
    """Who was (or is) invited to this meeting: not those taken off the series before it."""
    return [p for p in meeting.series.participants.all() if p.is_invited_to(meeting)]


def _meeting_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    series = meeting.series
    can_manage = permissions.can_manage_meeting(user, meeting)
    pair_ids = selectors.pair_trainee_ids(user)
    reports = list(selectors.report_list_for_meeting(user, meeting))
    for report in reports:
        report.meeting = meeting  # with the series' participants already loaded
        report.can_comment = permissions.can_comment_report(user, report, pair_ids)
        report.my_comment = next((c for c in report.comments.all() if c.tutor_id == user.pk), None)
    agenda = selectors.actions_visible_in_meeting(
        user, selectors.agenda_actions(meeting), series, can_manage
    )
    raised = selectors.actions_visible_in_meeting(
        user, selectors.raised_actions(meeting), series, can_manage
    )
    attendance = {a.person_id: a for a in meeting.attendance.select_related("site")}
    participants = _invited(meeting)
    invited = [(series.organizer, ParticipantRole.TUTOR)] + [(p.user, p.role) for p in participants]
    roster = [
        {"person": person, "role": role, "row": attendance.get(person.pk)}
        for person, role in invited
    ]
    sites = institution_list_by_ids(
        user,
        {series.institution_id}
        | {p.cultivation.home_id for p in participants if p.cultivation}
        | {p.cultivation.host_id for p in participants if p.cultivation},
    )
    return {
        "meeting": meeting,
        "series": series,
        "can_manage": can_manage,
        "can_cancel": permissions.can_cancel_meeting(user, meeting),
        "can_report": permissions.can_submit_report(user, meeting),
        "own_report": next((r for r in reports if r.trainee_id == user.pk), None),
        "reports": reports,
        "agenda": agenda,
        "raised": raised,
        "roster": roster,
        "sites": sites,
        "attendance_choices": AttendanceStatus.choices,
        "action_form": forms.get("action_form")
        or (ActionForm(user=user, series=series) if can_manage else None),
        "notes_form": forms.get("notes_form") or NotesForm(initial={"notes": meeting.notes}),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "comment_errors": forms.get("comment_errors") or {},
        "history": audit_history(meeting)[:50],
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    return render(request, "meetings/meeting_detail.html", _meeting_context(request, meeting))


def _manage_or_403(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("Only the tutors of the series or a coordinator can do this."))
    return meeting


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _manage_or_403(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting is cancelled."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        _meeting_context(request, meeting, cancel_form=form),
        status=400,
    )


@login_required
@require_POST
def meeting_notes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _manage_or_403(request, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_record_notes(
                actor=request.user, meeting=meeting, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The notes are saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        _meeting_context(request, meeting, notes_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    if not permissions.can_submit_report(request.user, meeting):
        raise PermissionDenied(_("Only a trainee invited to this meeting can report for it."))
    existing = selectors.own_report(request.user, meeting)
    initial = {}
    if existing is not None:
        initial = {f: getattr(existing, f) for f in services.REPORT_FIELDS}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_submit(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your progress report is submitted."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        return render(
            request,
            "meetings/report_form.html",
            {"form": form, "meeting": meeting, "report": existing},
            status=400,
        )
    return render(
        request, "meetings/report_form.html", {"form": form, "meeting": meeting, "report": existing}
    )


@login_required
@require_POST
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user_or_404(request.user, pk)
    meeting = selectors.meeting_get_for_user_or_404(request.user, report.meeting_id)
    report.meeting = meeting
    if not permissions.can_comment_report(
        request.user, report, selectors.pair_trainee_ids(request.user)
    ):
        raise PermissionDenied(_("Only the trainee's tutors can comment on this report."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_save(actor=request.user, report=report, body=form.cleaned_data["body"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    errors = {report.pk: [e for errs in form.errors.values() for e in errs]}
    return render(
        request,
        "meetings/meeting_detail.html",
        _meeting_context(request, meeting, comment_errors=errors),
        status=400,
    )


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    report = selectors.report_get_for_user_or_404(request.user, pk)
    attachment = get_object_or_404(report.attachments.all(), pk=file_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _manage_or_403(request, pk)
    series = meeting.series
    people = [series.organizer_id] + [p.user_id for p in _invited(meeting)]
    entries = []
    for person_id in people:
        status = request.POST.get(f"status_{person_id}", "")
        if not status:
            continue
        site = request.POST.get(f"site_{person_id}") or None
        entries.append(
            {
                "person": person_id,
                "status": status,
                "site": int(site) if site and site.isdigit() else None,
            }
        )
    try:
        services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return render(
            request, "meetings/meeting_detail.html", _meeting_context(request, meeting), status=400
        )
    messages.success(request, _("Attendance is recorded."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _manage_or_403(request, pk)
    form = ActionForm(request.POST, user=request.user, series=meeting.series)
    if form.is_valid():
        try:
            services.action_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The action item is added."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_detail.html",
        _meeting_context(request, meeting, action_form=form),
        status=400,
    )


@login_required
@require_POST
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get_for_user_or_404(request.user, pk)
    if not permissions.can_close_action(request.user, action):
        raise PermissionDenied(_("Only the owner, the tutors or a coordinator close actions."))
    form = CloseActionForm(request.POST)
    meeting = None
    meeting_id = request.POST.get("meeting")
    if meeting_id and meeting_id.isdigit():
        meeting = (
            selectors.meeting_list_visible_to(request.user)
            .filter(pk=int(meeting_id), series_id=action.series_id)
            .first()
        )
    if form.is_valid():
        try:
            services.action_close(
                actor=request.user, action=action, meeting=meeting, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The action item is closed."))
    target = meeting.pk if meeting else action.raised_in_id
    return redirect("meetings:meeting_detail", pk=target)
