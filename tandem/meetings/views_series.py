"""Pages that change a series as a whole: edit it, end it, take someone off it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.meetings import permissions, selectors, services_series
from tandem.meetings.forms import EndSeriesForm, SeriesEditForm
from tandem.meetings.models import MeetingSeries, SeriesParticipant
from tandem.meetings.recurrence import series_today


def _series_for_editing(request: HttpRequest, pk: int) -> MeetingSeries:
    series = selectors.series_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_series(request.user, series):
        raise PermissionDenied(_("Only the organizer or a coordinator can change the series."))
    return series


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series_for_editing(request, pk)
    form = SeriesEditForm(request.POST or None, instance=series)
    context = {"form": form, "series": series}
    if request.method == "POST":
        if form.is_valid():
            try:
                services_series.series_update(
                    actor=request.user, series=series, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The series is changed; the meetings ahead follow."))
                return redirect("meetings:series_detail", pk=series.pk)
        return render(request, "meetings/series_edit.html", context, status=400)
    return render(request, "meetings/series_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def series_end(request: HttpRequest, pk: int) -> HttpResponse:
    series = _series_for_editing(request, pk)
    form = EndSeriesForm(request.POST or None, initial={"after": series_today(series)})
    context = {"form": form, "series": series}
    if request.method == "POST":
        if form.is_valid():
            try:
                services_series.series_end(actor=request.user, series=series, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("The series has ended; the meetings after the date are cancelled.")
                )
                return redirect("meetings:series_detail", pk=series.pk)
        return render(request, "meetings/series_end.html", context, status=400)
    return render(request, "meetings/series_end.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """GET asks for confirmation (so it works without JavaScript); POST takes the person off."""
    series = selectors.series_get_for_user_or_404(request.user, pk)
    if not permissions.can_remove_participant(request.user, series):
        raise PermissionDenied(
            _("Only the tutors of the series or a coordinator can take people off it.")
        )
    participant: SeriesParticipant | None = next(
        (p for p in series.current_participants if p.user_id == user_pk), None
    )
    if participant is None:
        raise Http404
    context = {"series": series, "participant": participant}
    if request.method == "POST":
        try:
            services_series.participant_remove(
                actor=request.user, series=series, person=participant.user
            )
        except ValidationError as exc:
            context["errors"] = exc.messages
            return render(request, "meetings/participant_remove.html", context, status=400)
        messages.success(
            request, _("%(name)s is no longer invited to this series.") % {"name": participant.user}
        )
        return redirect("meetings:series_detail", pk=series.pk)
    return render(request, "meetings/participant_remove.html", context)
