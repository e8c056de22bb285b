"""Teaching pages for teachers, residents and training offices: thin views over the selectors,
permissions and services. An activity or base someone may not see is the same 404 as one that
does not exist; an action of a role someone does not have answers 403."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.teaching import codes, permissions, selectors, services, stats, window
from tandem.teaching.forms import ActivityForm, CancelForm, CorrectForm, SignInForm
from tandem.teaching.models import Activity
from tandem.teaching.qr import qr_svg


def _show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    upcoming = selectors.with_counts(selectors.activities_upcoming_for(user))[:30]
    context: dict[str, Any] = {
        "upcoming": upcoming,
        "mine": selectors.my_activities(user).filter(starts_at__lte=timezone.now())[:10],
        "summary": stats.resident_summary(user.pk),
        "can_schedule": permissions.can_schedule_any(user),
        "bases": selectors.base_list_managed_by(user)[:50],
    }
    return render(request, "teaching/home.html", context)


def _schedule_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data.get(key) for key in ActivityForm.base_fields if key in data}


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_schedule_any(request.user):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers schedule.")
        )
    initial = {"date": timezone.localdate(), "duration_minutes": 60}
    form = ActivityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.activity_schedule(
                    actor=request.user, **_schedule_kwargs(form.cleaned_data)
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Scheduled %(n)s time(s); the teacher and the audience are told.")
                    % {"n": len(created)},
                )
                return redirect("teaching:activity_detail", pk=created[0].pk)
        return render(request, "teaching/activity_form.html", {"form": form}, status=400)
    return render(request, "teaching/activity_form.html", {"form": form})


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    user = request.user
    now = timezone.now()
    can_view_attendance = permissions.can_view_attendance(user, activity)
    can_run = permissions.can_run_activity(user, activity)
    mine = selectors.attendance_of(activity, user)
    # A resident the schedule placed there after the audience was taken may still sign in.
    walk_in = (
        mine is None
        and activity.teacher_id != user.pk
        and activity.department_id in selectors.rotation_department_ids(user)
    )
    context: dict[str, Any] = {
        "activity": activity,
        "mine": mine,
        "walk_in": walk_in,
        "sign_in_open": window.is_open(activity.starts_at, activity.ends_at, now),
        "opens_at": window.opens_at(activity.starts_at),
        "sign_in_form": SignInForm(),
        "can_run": can_run,
        "can_change": permissions.can_change_activity(user, activity)
        and activity.status == "scheduled",
        "can_view_attendance": can_view_attendance,
        "cancel_form": CancelForm(),
        "history": audit_history(activity)[:20],
    }
    if can_view_attendance:
        context["attendances"] = paginate(request, selectors.attendance_list_of(activity), 100)
        context["counts"] = selectors.with_counts(Activity.objects.filter(pk=activity.pk)).values(
            "expected_n", "present_n"
        )[0]
    if can_run:
        context["correct_form"] = CorrectForm(
            residents=selectors.residents_for_correction(activity)
        )
    return render(request, "teaching/activity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_activity(request.user, activity):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers change it.")
        )
    local = timezone.localtime(activity.starts_at)
    initial = {
        "kind": activity.kind_id,
        "topic": activity.topic,
        "teacher": activity.teacher_id,
        "place": activity.place,
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": int((activity.ends_at - activity.starts_at).total_seconds() // 60),
    }
    form = ActivityForm(request.POST or None, user=request.user, initial=initial, changing=True)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.activity_change(
                    actor=request.user, activity=activity, **_schedule_kwargs(form.cleaned_data)
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("teaching:activity_detail", pk=pk)
        context = {"form": form, "activity": activity}
        return render(request, "teaching/activity_form.html", context, status=400)
    return render(request, "teaching/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_activity(request.user, activity):
        raise PermissionDenied(
            _("Only the department's teachers and its base's managers cancel it.")
        )
    try:
        services.activity_cancel(
            actor=request.user, activity=activity, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("The activity is cancelled."))
    return redirect("teaching:activity_detail", pk=pk)


def _code_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    now = timezone.now()
    code = codes.current_code(activity.secret, now)
    url = request.build_absolute_uri(
        reverse("teaching:sign_in", kwargs={"pk": activity.pk}) + f"?code={code}"
    )
    counts = selectors.with_counts(Activity.objects.filter(pk=activity.pk)).values(
        "expected_n", "present_n"
    )[0]
    return {
        "activity": activity,
        "code": code,
        "code_spaced": f"{code[:3]} {code[3:]}",
        "qr": qr_svg(url),
        "seconds_left": codes.seconds_left(now),
        "is_open": window.is_open(activity.starts_at, activity.ends_at, now),
        "opens_at": window.opens_at(activity.starts_at),
        "counts": counts,
    }


@login_required
@require_GET
def activity_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The teacher's phone: the code and its QR, new every 30 seconds. HTMX swaps the panel
    every few seconds; without JavaScript the page reloads itself (a meta refresh inside
    <noscript>, so that it does not also reload when HTMX runs)."""
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    if not permissions.can_run_activity(request.user, activity):
        raise PermissionDenied(_("Only the activity's teacher shows its sign-in code."))
    context = _code_context(request, activity)
    template = "teaching/_code.html" if request.htmx else "teaching/code.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's sign-in: the QR opens it with the code filled in; a tap signs in (a GET
    never signs anyone in)."""
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    form = SignInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    mine = selectors.attendance_of(activity, request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attendance_sign_in(
                    actor=request.user, activity=activity, code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("You are signed in. Thank you!"))
                return redirect("teaching:activity_detail", pk=pk)
        context = {"form": form, "activity": activity, "mine": mine}
        return render(request, "teaching/sign_in.html", context, status=400)
    return render(
        request, "teaching/sign_in.html", {"form": form, "activity": activity, "mine": mine}
    )


@login_required
@require_POST
def attendance_correct(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user_or_404(request.user, pk)
    if not permissions.can_run_activity(request.user, activity):
        raise PermissionDenied(_("Only the activity's teacher corrects its attendance."))
    form = CorrectForm(request.POST, residents=selectors.residents_for_correction(activity))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("teaching:activity_detail", pk=pk)
    try:
        services.attendance_correct(actor=request.user, activity=activity, **form.cleaned_data)
    except ValidationError as exc:
        _show_errors(request, exc)
    else:
        messages.success(request, _("Attendance corrected."))
    return redirect("teaching:activity_detail", pk=pk)
