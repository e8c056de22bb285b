"""Milestone pages: a milestone with its submissions, submitting evidence, reviewing it, and
downloading evidence through an access check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.plans import permissions, selectors, services_milestone
from tandem.plans.forms import ReviewForm, SubmitForm


@login_required
@require_GET
def milestone_detail(request: HttpRequest, cultivation_pk: int, milestone_pk: int) -> HttpResponse:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_pk, milestone_pk)
    return render(
        request,
        "plans/milestone.html",
        {
            "cultivation": milestone.plan.cultivation,
            "milestone": milestone,
            "overdue": selectors.is_overdue(milestone),
            "can_submit": permissions.can_submit_milestone(request.user, milestone)
            and milestone.latest is not None,
            "can_review": permissions.can_review_milestone(request.user, milestone),
            "history": audit_history(milestone)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_submit(request: HttpRequest, cultivation_pk: int, milestone_pk: int) -> HttpResponse:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_pk, milestone_pk)
    cultivation = milestone.plan.cultivation
    if not permissions.can_write_plan(request.user, cultivation):
        raise PermissionDenied(_("Only the trainee and the two current tutors submit milestones."))
    posted = request.method == "POST"
    form = SubmitForm(request.POST, request.FILES) if posted else SubmitForm()
    if posted and form.is_valid():
        try:
            services_milestone.milestone_submit(
                actor=request.user,
                milestone=milestone,
                files=form.cleaned_data["files"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The milestone is submitted for review."))
            return redirect(
                "plans:milestone", cultivation_pk=cultivation.pk, milestone_pk=milestone.pk
            )
    return render(
        request,
        "plans/milestone_form.html",
        {
            "form": form,
            "cultivation": cultivation,
            "milestone": milestone,
            "title": _("Submit: %(milestone)s") % {"milestone": milestone.title},
            "upload": True,
        },
        status=400 if posted else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_review(request: HttpRequest, cultivation_pk: int, milestone_pk: int) -> HttpResponse:
    milestone = selectors.milestone_get_for_user_or_404(request.user, cultivation_pk, milestone_pk)
    cultivation = milestone.plan.cultivation
    if not permissions.may_review(request.user, cultivation):
        raise PermissionDenied(
            _("Only the current tutors and the coordinators of home and host review milestones.")
        )
    posted = request.method == "POST"
    form = ReviewForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services_milestone.milestone_review(
                actor=request.user, milestone=milestone, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect(
                "plans:milestone", cultivation_pk=cultivation.pk, milestone_pk=milestone.pk
            )
    return render(
        request,
        "plans/milestone_form.html",
        {
            "form": form,
            "cultivation": cultivation,
            "milestone": milestone,
            "title": _("Review: %(milestone)s") % {"milestone": milestone.title},
        },
        status=400 if posted else 200,
    )


@login_required
@require_GET
def evidence_download(
    request: HttpRequest, cultivation_pk: int, milestone_pk: int, evidence_pk: int
) -> HttpResponse:
    evidence = selectors.evidence_get_for_user_or_404(
        request.user, cultivation_pk, milestone_pk, evidence_pk
    )
    if not evidence.file:
        raise Http404  # imported from another installation: the file stayed there
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)
