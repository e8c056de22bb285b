"""Discipline case pages: thin views over the selectors, permissions and services.

A case someone may not read is the same 404 as one that does not exist; a step someone may
not take on a case they read is a 403. Every step is a POST back to the case page, with the
service's message when it refuses (nothing saved)."""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.conduct import letter, permissions, selectors, services, services_appeal
from tandem.conduct.forms import CaseOpenForm
from tandem.conduct.models import AppealOutcome, Case, CaseStatus, Level
from tandem.core.audit import audit_history
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "cases": paginate(request, selectors.case_list_for_page(user)),
        "can_open": permissions.can_open_case(user),
        "can_counts": permissions.can_view_counts(user),
    }
    return render(request, "conduct/case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_case(request.user):
        raise PermissionDenied(
            _("Only a coordinator of the trainee's home or host institution opens a case.")
        )
    form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.case_open(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The case is opened and the trainee notified."))
                return redirect("conduct:case_detail", pk=case.pk)
        return render(request, "conduct/case_form.html", {"form": form}, status=400)
    return render(request, "conduct/case_form.html", {"form": form})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user_or_404(user, pk)
    winner, cast, eligible = services.tally(case)
    appeal = getattr(case, "appeal", None) if hasattr(case, "appeal") else None
    is_member = permissions.is_committee_member(user, case)
    context: dict[str, Any] = {
        "case": case,
        "appeal": appeal,
        "today": timezone.localdate(),
        "evidence": case.evidence.all(),
        "is_trainee": case.trainee_id == user.pk,
        "is_member": is_member,
        "is_recused": is_member and permissions.is_recused(user, case),
        "can_vote": permissions.can_vote_case(user, case) and case.is_open,
        "can_evidence": permissions.can_add_evidence(user, case) and case.is_open,
        "can_schedule": permissions.can_schedule_hearing(user, case)
        and case.status in (CaseStatus.HEARING_REQUESTED, CaseStatus.HEARING_SCHEDULED),
        "can_comment": permissions.can_comment_case(user, case) and case.is_open,
        "can_respond": permissions.can_respond_case(user, case)
        and case.status == CaseStatus.AWAITING_RESPONSE,
        "can_appeal": permissions.can_appeal_case(user, case) and case.status == CaseStatus.DECIDED,
        "can_decide_appeal": permissions.can_decide_appeal(user, case)
        and case.status == CaseStatus.UNDER_APPEAL,
        "can_lift": permissions.can_lift_case(user, case) and case.status == CaseStatus.IN_FORCE,
        "can_home_outcome": permissions.can_record_home_outcome(user, case) and not case.is_open,
        "hearing_possible": case.proposed_level in Level.values[3:],
        "levels": [(value, label) for value, label in Level.choices],
        "appeal_outcomes": AppealOutcome.choices,
        "appeal_bodies": selectors.appeal_bodies_for(case),
        "votes": case.votes.select_related("member") if (is_member or not case.is_open) else [],
        "tally": {"winner": winner, "cast": cast, "eligible": eligible},
        "history": audit_history(case)[:30],
    }
    return render(request, "conduct/case_detail.html", context)


def _step(
    request: HttpRequest, pk: int, allowed: Callable[[Any, Case], bool], run: Callable[[Case], Any]
) -> HttpResponse:
    case = selectors.case_get_for_user_or_404(request.user, pk)
    if not allowed(request.user, case):
        raise PermissionDenied(_("You do not take this step in this case."))
    try:
        run(case)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Saved."))
    return redirect("conduct:case_detail", pk=pk)


def _date_time(value: str) -> datetime.datetime | None:
    parsed = parse_datetime((value or "").strip())
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@login_required
@require_POST
def case_respond(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _step(
        request,
        pk,
        permissions.can_respond_case,
        lambda case: services.case_respond(
            actor=request.user,
            case=case,
            response=post.get("response", ""),
            waive=post.get("waive") == "1",
            hearing=post.get("hearing") == "1",
        ),
    )


@login_required
@require_POST
def case_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _step(
        request,
        pk,
        permissions.can_add_evidence,
        lambda case: services.evidence_add(
            actor=request.user,
            case=case,
            description=post.get("description", ""),
            file=request.FILES.get("file"),
            reference_kind=post.get("reference_kind", ""),
            reference_id=post.get("reference_id"),
        ),
    )


@login_required
@require_POST
def case_hearing(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def run(case: Case) -> Any:
        if post.get("record") is not None:
            return services.hearing_record(actor=request.user, case=case, record=post["record"])
        return services.hearing_schedule(
            actor=request.user,
            case=case,
            hearing_at=_date_time(post.get("hearing_at", "")),
            place=post.get("place", ""),
        )

    return _step(request, pk, permissions.can_schedule_hearing, run)


@login_required
@require_POST
def case_comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permissions.can_comment_case,
        lambda case: services.case_comment(
            actor=request.user, case=case, comment=request.POST.get("comment", "")
        ),
    )


@login_required
@require_POST
def case_vote(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user_or_404(request.user, pk)
    if not permissions.is_committee_member(request.user, case):
        raise PermissionDenied(_("Only the members of the deciding committee vote and decide."))
    try:
        services.case_vote(actor=request.user, case=case, level=request.POST.get("level", ""))
    except (ValidationError, PermissionDenied) as exc:
        text = error_messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
        for message in text:
            messages.error(request, message)
    else:
        messages.success(request, _("Your vote is recorded."))
    return redirect("conduct:case_detail", pk=pk)


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def run(case: Case) -> Any:
        body = selectors.appeal_bodies_for(case).filter(pk=post.get("appeal_body") or 0).first()
        return services.case_decide(
            actor=request.user,
            case=case,
            outcome=post.get("outcome", ""),
            reasons=post.get("reasons", ""),
            appeal_body=body,
            review_months=post.get("review_months"),
        )

    return _step(request, pk, permissions.can_decide_case, run)


@login_required
@require_POST
def case_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST

    def run(case: Case) -> Any:
        if post.get("accept") == "1":
            return services_appeal.case_accept(actor=request.user, case=case)
        return services_appeal.appeal_lodge(
            actor=request.user, case=case, grounds=post.get("grounds", "")
        )

    return _step(request, pk, permissions.can_appeal_case, run)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _step(
        request,
        pk,
        permissions.can_decide_appeal,
        lambda case: services_appeal.appeal_decide(
            actor=request.user,
            case=case,
            outcome=post.get("outcome", ""),
            reasons=post.get("reasons", ""),
            reduced_to=post.get("reduced_to", ""),
        ),
    )


@login_required
@require_POST
def case_lift(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _step(
        request,
        pk,
        permissions.can_lift_case,
        lambda case: services_appeal.case_lift(
            actor=request.user,
            case=case,
            reasons=post.get("reasons", ""),
            early=post.get("early") == "1",
        ),
    )


@login_required
@require_POST
def case_home_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        permissions.can_record_home_outcome,
        lambda case: services_appeal.home_outcome_record(
            actor=request.user, case=case, text=request.POST.get("text", "")
        ),
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """An evidence file, to those who read the case (never straight from MEDIA_URL)."""
    case = selectors.case_get_for_user_or_404(request.user, pk)
    evidence = case.evidence.filter(pk=evidence_pk).exclude(file="").first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def case_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter as a PDF, in the trainee's language (or ?lang=en|zh-hans)."""
    case = selectors.case_get_for_user_or_404(request.user, pk)
    if not case.decided_at:
        return render(request, "conduct/no_letter.html", {"case": case}, status=404)
    language = request.GET.get("lang") or letter.trainee_language(case)
    pdf = letter.render_letter_pdf(case, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{case.pk}.pdf"'
    return response


@login_required
@require_GET
def counts(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_counts(request.user):
        raise PermissionDenied(_("Counts of cases are for coordinators and the consortium."))
    rows = selectors.case_counts_for_admin(request.user)
    return render(request, "conduct/counts.html", {"rows": rows, "minimum": selectors.min_group()})
