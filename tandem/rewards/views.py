"""Reward pages: thin views over the selectors, permissions and services.

A nomination someone may not read is the same 404 as one that does not exist; a step someone
may not take on what they read is a 403. Every step is a POST back to its page with the
service's message when it refuses (nothing saved); the vote form answers an HTMX request with
the votes section alone, and works as a plain form without JavaScript."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.rewards import (
    permissions,
    selectors,
    services,
    services_announce,
    services_committee,
)
from tandem.rewards.forms import NominationForm, RoundEditForm, RoundForm
from tandem.rewards.models import NominationStatus, ReferenceKind, VoteChoice


def _say(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    texts = error_messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
    for message in texts:
        messages.error(request, message)


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "rounds": paginate(request, selectors.round_list_visible_to(user)),
        "can_create": permissions.can_create_round(user),
        "today": selectors.today(),
        "announced": selectors.announced_round_list_visible_to(user)
        .filter(announced_on__lte=selectors.today(), objection_until__gte=selectors.today())
        .order_by("objection_until", "id")[:20],
    }
    return render(request, "rewards/round_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_round(request.user):
        raise PermissionDenied(
            _("Only a coordinator of the deciding institution or the consortium admin does this.")
        )
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                round_ = services.round_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The round is open for nominations in its window."))
                return redirect("rewards:round_detail", pk=round_.pk)
        return render(request, "rewards/round_form.html", {"form": form}, status=400)
    return render(request, "rewards/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = selectors.round_get_for_user_or_404(user, pk)
    day = selectors.today()
    manages = permissions.can_manage_round(user, round_)
    context: dict[str, Any] = {
        "round": round_,
        "today": day,
        "members": selectors.members_of(round_).order_by("full_name", "username"),
        "nominations": selectors.nominations_of_round_for(user, round_),
        "can_nominate": permissions.can_nominate(user, round_)
        and round_.accepts_nominations_on(day),
        "can_manage": manages,
        "can_change": manages and round_.is_open_to_change,
        "member_candidates": selectors.member_candidates(round_) if manages else [],
        "can_announce": permissions.can_announce(user, round_) and round_.is_open_to_change,
        "history": audit_history(round_)[:20] if manages else [],
    }
    return render(request, "rewards/round_detail.html", context)


@login_required
@require_POST
def round_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change its committee."))
    user = selectors.member_candidates(round_).filter(pk=_int(request.POST.get("user"))).first()
    try:
        services.round_member_add(actor=request.user, round_=round_, user=user)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The member is added to the committee."))
    return redirect("rewards:round_detail", pk=pk)


@login_required
@require_POST
def round_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change the round and its committee."))
    user = selectors.members_of(round_).filter(pk=_int(request.POST.get("user"))).first()
    try:
        services_committee.round_member_remove(
            actor=request.user, round_=round_, user=user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The member is removed from the committee."))
    return redirect("rewards:round_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change the round and its committee."))
    initial = {name: getattr(round_, name) for name in services_committee.EDITABLE}
    form = RoundEditForm(request.POST or None, initial=initial)
    context = {"form": form, "round": round_}
    if request.method == "POST":
        if form.is_valid():
            try:
                services_committee.round_update(
                    actor=request.user, round_=round_, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The round is changed."))
                return redirect("rewards:round_detail", pk=pk)
        return render(request, "rewards/round_edit.html", context, status=400)
    if not round_.is_open_to_change:
        messages.info(request, _("This round is decided or cancelled: it no longer changes."))
    return render(request, "rewards/round_edit.html", context)


@login_required
@require_POST
def round_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the round's managers change the round and its committee."))
    try:
        services_committee.round_cancel(
            actor=request.user, round_=round_, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(
            request, _("The round is cancelled; its nominations are closed and everyone told.")
        )
    return redirect("rewards:round_detail", pk=pk)


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def round_announce(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_announce(request.user, round_):
        raise PermissionDenied(_("Only the round's committee or managers announce its result."))
    try:
        services_announce.round_announce(actor=request.user, round_=round_)
    except ValidationError as exc:
        _say(request, exc)
        return redirect("rewards:round_detail", pk=pk)
    messages.success(request, _("The result is announced to the consortium."))
    return redirect("rewards:announcement", pk=pk)


@login_required
@require_GET
def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """The public announcement (公示), to the whole consortium: the round, its criteria, the
    awarded nominees, the period, how many objections each has and whether they are answered —
    never the statements, evidence, votes or who objected."""
    user = request.user
    round_ = selectors.announced_round_get_or_404(user, pk)
    day = selectors.today()
    rows = []
    for award in selectors.awards_of_round(round_):
        objections = list(award.objections.all())
        rows.append(
            {
                "award": award,
                "nominees": list(award.nominees.all()),
                "status": selectors.status_on_read(award, day),
                "objections": len(objections),
                "unanswered": sum(1 for o in objections if not o.is_answered),
                "can_object": award.status == NominationStatus.ANNOUNCED
                and round_.in_objection_period_on(day)
                and permissions.can_object(user, award),
            }
        )
    context = {
        "round": round_,
        "rows": rows,
        "today": day,
        "in_period": round_.in_objection_period_on(day),
        "own_objections": selectors.own_objections(user, round_),
        "reads_round": selectors.round_list_visible_to(user).filter(pk=round_.pk).exists(),
    }
    return render(request, "rewards/announcement.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    round_ = selectors.round_get_for_user_or_404(user, pk)
    if not permissions.can_nominate(user, round_):
        raise PermissionDenied(_("Tutors and coordinators nominate."))
    form = NominationForm(request.POST or None, user=user, round_=round_)
    context = {"form": form, "round": round_}
    if request.method == "POST":
        if form.is_valid():
            try:
                nomination = services.nomination_create(
                    actor=user,
                    round_=round_,
                    nominees=form.cleaned_data["nominees"],
                    statement=form.cleaned_data["statement"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The nomination is submitted to the committee."))
                return redirect("rewards:nomination_detail", pk=nomination.pk)
        return render(request, "rewards/nomination_form.html", context, status=400)
    return render(request, "rewards/nomination_form.html", context)


def _detail_context(user: Any, nomination: Any) -> dict[str, Any]:
    round_ = nomination.round
    day = selectors.today()
    is_member = permissions.is_member(user, round_)
    counts = services.tally(nomination)
    status = selectors.status_on_read(nomination, day)
    open_for_review = nomination.status == NominationStatus.SUBMITTED and not round_.announced_on
    return {
        "nomination": nomination,
        "round": round_,
        "today": day,
        "status": status,
        "status_label": NominationStatus(status).label,
        "nominees": list(nomination.nominees.all()),
        "evidence": nomination.evidence.all(),
        "is_member": is_member,
        "is_recused": is_member and permissions.is_recused(user, nomination),
        "can_vote": permissions.can_vote(user, nomination) and open_for_review,
        "can_evidence": permissions.can_add_evidence(user, nomination) and open_for_review,
        "votes": nomination.votes.select_related("member") if is_member else [],
        "my_vote": nomination.votes.filter(member_id=user.pk).first(),
        "tally": counts,
        "choices": VoteChoice.choices,
        "reference_kinds": ReferenceKind.choices,
        "objections": selectors.objections_for(user, nomination),
        "see_objector": permissions.can_see_objector(user, nomination),
        "can_answer": permissions.can_vote(user, nomination)
        and nomination.status == NominationStatus.ANNOUNCED,
        "can_finalise": permissions.can_finalise(user, nomination)
        and nomination.status == NominationStatus.ANNOUNCED,
        "history": audit_history(nomination)[:30]
        if (is_member or permissions.can_manage_round(user, round_))
        else [],
    }


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for_user_or_404(request.user, pk)
    return render(
        request, "rewards/nomination_detail.html", _detail_context(request.user, nomination)
    )


def _step(
    request: HttpRequest,
    pk: int,
    allowed: Callable[[Any, Any], bool],
    run: Callable[[Any], Any],
    done: str,
) -> HttpResponse:
    nomination = selectors.nomination_get_for_user_or_404(request.user, pk)
    if not allowed(request.user, nomination):
        raise PermissionDenied(_("You do not take this step on this nomination."))
    try:
        run(nomination)
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(request, done)
    return redirect("rewards:nomination_detail", pk=pk)


@login_required
@require_POST
def nomination_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _step(
        request,
        pk,
        permissions.can_add_evidence,
        lambda nomination: services.evidence_add(
            actor=request.user,
            nomination=nomination,
            description=post.get("description", ""),
            file=request.FILES.get("file"),
            reference_kind=post.get("reference_kind", ""),
            reference_id=post.get("reference_id"),
        ),
        _("The evidence is added."),
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """An evidence file, to those who read the nomination (never straight from MEDIA_URL)."""
    nomination = selectors.nomination_get_for_user_or_404(request.user, pk)
    evidence = nomination.evidence.filter(pk=evidence_pk).exclude(file="").first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def nomination_vote(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    nomination = selectors.nomination_get_for_user_or_404(user, pk)
    if not permissions.is_member(user, nomination.round):
        raise PermissionDenied(_("Only the members of the round's committee vote."))
    try:
        services.nomination_vote(
            actor=user,
            nomination=nomination,
            choice=request.POST.get("choice", ""),
            comment=request.POST.get("comment", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        _say(request, exc)
    else:
        messages.success(request, _("Your vote is recorded."))
    if getattr(request, "htmx", False):
        nomination = selectors.nomination_get_for_user_or_404(user, pk)
        return render(request, "rewards/_votes.html", _detail_context(user, nomination))
    return redirect("rewards:nomination_detail", pk=pk)


@login_required
@require_POST
def objection_lodge(request: HttpRequest, pk: int) -> HttpResponse:
    """From the announcement page: anyone in the consortium reaches an announced award."""
    user = request.user
    award = selectors.announced_award_get_or_404(user, pk)
    if not permissions.can_object(user, award):
        raise PermissionDenied(
            _("The committee and the nominees do not lodge objections to this award.")
        )
    try:
        services_announce.objection_lodge(
            actor=user, nomination=award, grounds=request.POST.get("grounds", "")
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(
            request, _("Your objection is sent to the committee, which answers it in writing.")
        )
    return redirect("rewards:announcement", pk=award.round_id)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    objection = selectors.objection_get_for_user_or_404(user, pk)
    if not permissions.can_answer_objection(user, objection):
        raise PermissionDenied(
            _("Only a member of the committee who is not recused answers this objection.")
        )
    upheld = {"1": True, "0": False}.get(request.POST.get("upheld", ""))
    try:
        services_announce.objection_answer(
            actor=user, objection=objection, answer=request.POST.get("answer", ""), upheld=upheld
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("The answer is recorded and the objector notified."))
    return redirect("rewards:nomination_detail", pk=objection.nomination_id)


@login_required
@require_POST
def award_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permissions.can_finalise,
        lambda nomination: services_announce.award_finalise(
            actor=request.user, nomination=nomination
        ),
        _("The award is final."),
    )
