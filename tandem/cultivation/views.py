"""Joint cultivation pages: list, detail, propose, approve and decide. Thin views over the
selectors, permissions and services."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.cultivation import permissions, selectors, services, services_ending, services_training
from tandem.cultivation.forms import (
    ApproveForm,
    CultivationFilterForm,
    EndingAnswerForm,
    EndingForm,
    ProposeForm,
    ReasonForm,
    apply_stay_error,
    filled_stays,
    stay_formset,
)
from tandem.cultivation.models import TutorRole
from tandem.publications import permissions as publication_permissions


@login_required
@require_GET
def cultivation_list(request: HttpRequest) -> HttpResponse:
    filters = CultivationFilterForm(request.GET or None, user=request.user)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    institution = values.get("institution")
    queryset = selectors.cultivation_list_for_page(
        request.user,
        status=values.get("status") or "",
        institution_id=institution.pk if institution else None,
        agreement_id=values.get("agreement"),
        incomplete_only=bool(values.get("incomplete")),
        search=values.get("q") or "",
    )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_propose": permissions.can_propose_cultivation(request.user),
    }
    if request.htmx:
        return render(request, "cultivation/_list_results.html", context)
    return render(request, "cultivation/list.html", context)


DECISION_ACTIONS = {
    "activate": (
        gettext_lazy("Activate"),
        gettext_lazy("The joint cultivation starts: both tutors are paired."),
    ),
    "suspend": (
        gettext_lazy("Suspend"),
        gettext_lazy("The joint cultivation pauses until it is resumed."),
    ),
    "resume": (gettext_lazy("Resume"), gettext_lazy("The joint cultivation continues.")),
    "complete": (
        gettext_lazy("Complete"),
        gettext_lazy("The joint cultivation has reached its end."),
    ),
    "terminate": (
        gettext_lazy("Terminate"),
        gettext_lazy(
            "The joint arrangement ends once the other institution confirms, on a preview of "
            "everything it closes: the tutor pair (kept in the history), stays, debriefings, "
            "bookings and fund allocations. The trainee stays enrolled at the home institution."
        ),
    ),
}


@login_required
@require_GET
def cultivation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    user = request.user
    pair = selectors.current_tutors(cultivation)
    may_approve_for = permissions.institutions_user_may_approve_for(user, cultivation)
    approvals = {d.institution_id: d for d in cultivation.decisions.all() if d.kind == "approve"}
    can_view_insurance = permissions.can_view_insurance(user, cultivation)
    return render(
        request,
        "cultivation/detail.html",
        {
            "cultivation": cultivation,
            "incomplete": selectors.is_incomplete(cultivation),
            "sides": [
                (cultivation.home, approvals.get(cultivation.home_id)),
                (cultivation.host, approvals.get(cultivation.host_id)),
            ],
            "may_approve_for": may_approve_for,
            "actions": [
                (action, label)
                for action, (label, _text) in DECISION_ACTIONS.items()
                if permissions.can_decide_cultivation(user, cultivation, action)
            ],
            "experimental": pair.get(TutorRole.EXPERIMENTAL),
            "theoretical": pair.get(TutorRole.THEORETICAL),
            "pair_history": selectors.pair_history(cultivation),
            "can_assign": permissions.can_assign_tutor(user, cultivation),
            "changes": selectors.change_request_list_for(cultivation),
            "shares": selectors.responsibility_shares(cultivation),
            "signatures": selectors.responsibility_signatures(cultivation),
            "can_edit_responsibilities": permissions.can_edit_responsibilities(
                user, cultivation, pair
            ),
            "can_sign": permissions.can_sign_responsibilities(user, cultivation, pair),
            "can_record_publication": publication_permissions.can_record_publication(
                user, cultivation, pair
            ),
            "quota_used": services.quota_used(cultivation),
            "endings": [
                (ending, permissions.can_answer_ending(user, ending))
                for ending in cultivation.ending_requests.all()
            ],
            "answer_form": EndingAnswerForm(),
            "may_preview_termination": bool(permissions.coordinated_sides(user, cultivation)),
            "can_view_insurance": can_view_insurance,
            "insurance_problem": _insurance_problem(cultivation, can_view_insurance),
            "history": audit_history(cultivation)[:50],
        },
    )


def _insurance_problem(cultivation: Any, can_view_insurance: bool) -> str:
    """Before activation, the stay activation starts; once running, any later host stay
    that still lacks the insurance it needs (decision 094)."""
    if not can_view_insurance:
        return ""
    today = timezone.localdate()
    if cultivation.status == "approved":
        return services_training.stay_insurance_problem(cultivation, today)
    if cultivation.status in ("active", "suspended"):
        return services_training.upcoming_stay_insurance_problem(cultivation, today)
    return ""


def _require_side_coordinator(user: Any, data: Any) -> None:
    """As the service does, refuse a proposal for institutions the person does not coordinate
    before looking at the rest of the input."""
    named = {int(v) for v in (data.get("home"), data.get("host")) if str(v or "").isdigit()}
    if named and not permissions.can_propose_cultivation_between(user, named):
        raise PermissionDenied(
            _(
                "Only a coordinator of the home or the host institution can "
                "propose a joint cultivation."
            )
        )


@login_required
@require_http_methods(["GET", "POST"])
def cultivation_propose(request: HttpRequest) -> HttpResponse:
    if not permissions.can_propose_cultivation(request.user):
        raise PermissionDenied(
            _("Only coordinators and consortium admins propose joint cultivations.")
        )
    data = request.POST if request.method == "POST" else None
    if data is not None:
        _require_side_coordinator(request.user, data)
    adding = data is not None and "add_stay" in data
    if adding:
        data = data.copy()  # type: ignore[union-attr]
        total = int(data.get("stays-TOTAL_FORMS") or 0)
        data["stays-TOTAL_FORMS"] = str(min(total + 1, 20))
    # Without JavaScript, "show the parties" comes back as a GET with what was typed so far.
    initial = request.GET.dict() if data is None else None
    form = ProposeForm(data, user=request.user, initial=initial)
    stays = stay_formset(data, user=request.user)
    if data is not None and not adding:
        if form.is_valid() and stays.is_valid():
            rows = filled_stays(stays)
            try:
                cultivation = services.cultivation_propose(
                    actor=request.user,
                    agreement=form.agreements.get(form.cleaned_data["agreement"]),
                    stays=[row for _index, row in rows],
                    **{
                        key: form.cleaned_data[key]
                        for key in (
                            "trainee",
                            "home",
                            "host",
                            "planned_start",
                            "planned_end",
                            "stay_mode",
                            "research_topic",
                        )
                    },
                )
            except ValidationError as exc:
                apply_stay_error(form, stays, [index for index, _row in rows], exc)
            else:
                messages.success(
                    request,
                    _(
                        "The joint cultivation is proposed; it awaits the "
                        "approval of both institutions."
                    ),
                )
                return redirect("cultivation:detail", pk=cultivation.pk)
        return render(
            request, "cultivation/propose.html", {"form": form, "stays": stays}, status=400
        )
    return render(request, "cultivation/propose.html", {"form": form, "stays": stays})


@login_required
@require_http_methods(["GET", "POST"])
def cultivation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    if not permissions.may_approve_as_side(request.user, cultivation):
        raise PermissionDenied(_("Only a coordinator of the home or the host can approve."))
    may_approve_for = permissions.institutions_user_may_approve_for(request.user, cultivation)
    institutions = [i for i in (cultivation.home, cultivation.host) if i.pk in may_approve_for]
    if not institutions:
        messages.error(request, _("There is nothing for you to approve here."))
        return redirect("cultivation:detail", pk=cultivation.pk)
    form = ApproveForm(
        request.POST if request.method == "POST" else None, institutions=institutions
    )
    if request.method == "POST" and form.is_valid():
        try:
            cultivation = services.cultivation_approve(
                actor=request.user,
                cultivation=cultivation,
                institution=form.cleaned_data.get("institution"),
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if cultivation.status == "approved":
                messages.success(
                    request,
                    _(
                        "Approved by both institutions. Pair the tutors, "
                        "then activate the joint cultivation."
                    ),
                )
            else:
                messages.success(request, _("Approved. It awaits the other institution."))
            return redirect("cultivation:detail", pk=cultivation.pk)
    return render(
        request,
        "cultivation/approve.html",
        {
            "form": form,
            "cultivation": cultivation,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cultivation_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISION_ACTIONS:
        raise Http404
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_cultivation(request.user, cultivation):
        raise PermissionDenied(
            _(
                "Only a coordinator of the home or the host, or a consortium "
                "admin, can decide on this joint cultivation."
            )
        )
    title, explanation = DECISION_ACTIONS[action]
    data = request.POST if request.method == "POST" else None
    two_sided = permissions.is_two_sided(action, cultivation)
    if two_sided and not permissions.coordinated_sides(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the home or the host asks; the other institution confirms.")
        )
    form: ReasonForm | EndingForm = EndingForm(data, kind=action) if two_sided else ReasonForm(data)
    if action in permissions.ACTIONS_NEEDING_REASON:
        form.fields["reason"].required = True
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cultivation_decide(
                    actor=request.user,
                    cultivation=cultivation,
                    action=action,
                    reason=form.cleaned_data.get("reason") or "",
                    ground=form.cleaned_data.get("ground") or "",
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The request is recorded; it awaits the other institution.")
                    if two_sided
                    else _("The decision is recorded."),
                )
                return redirect("cultivation:detail", pk=cultivation.pk)
    elif not permissions.can_decide_cultivation(request.user, cultivation, action):
        messages.error(request, _("This cannot be done in the joint cultivation's present state."))
        return redirect("cultivation:detail", pk=cultivation.pk)
    return render(
        request,
        "cultivation/decide.html",
        {
            "form": form,
            "cultivation": cultivation,
            "title": title,
            "explanation": explanation,
            "two_sided": two_sided,
            "confirm_days": settings.SUSPENSION_CONFIRM_DAYS,
            "action": action,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def ending_answer(request: HttpRequest, pk: int, ending_pk: int) -> HttpResponse:
    """The other institution confirms or declines a suspension, completion or termination."""
    cultivation = selectors.cultivation_get_for_user_or_404(request.user, pk)
    ending = next((e for e in cultivation.ending_requests.all() if e.pk == ending_pk), None)
    if ending is None:
        raise Http404
    if ending.other_side_id() not in permissions.coordinated_sides(request.user, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the other institution confirms or declines this request.")
        )
    form = EndingAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or to decline."))
        return redirect("cultivation:detail", pk=cultivation.pk)
    answer, reason = form.cleaned_data["answer"], form.cleaned_data.get("reason") or ""
    if answer == "confirm" and ending.kind == "terminate":
        # A termination closes much more than the status: confirmed on its preview (decision 098).
        messages.info(request, _("See everything the termination changes, then confirm it here."))
        return redirect("cultivation:termination_preview", pk=cultivation.pk, ending_pk=ending.pk)
    try:
        if answer == "confirm":
            services_ending.ending_confirm(actor=request.user, ending=ending, reason=reason)
        else:
            services_ending.ending_decline(actor=request.user, ending=ending, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Confirmed; the decision is taken.")
            if answer == "confirm"
            else _("Declined; the requesting institution sees your reason."),
        )
    return redirect("cultivation:detail", pk=cultivation.pk)
