"""The milestone and competency-committee pages: thin views over selectors and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.milestones import permissions, selectors, services, services_import
from tandem.milestones.forms import (
    CommitteeForm,
    FinaliseForm,
    ImportForm,
    MemberForm,
    ReviewForm,
    SetForm,
)
from tandem.milestones.models import LEVELS
from tandem.residency.selectors import institution_list_managed_by


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "summaries": selectors.summary_list_of_resident(user),
        "committees": selectors.committee_list_visible_to(user),
        "to_do": selectors.reviews_to_do(user)[:50],
        "programs": selectors.programs_without_committee(user),
    }
    return render(request, "milestones/home.html", context)


# --------------------------------------------------------------------------- sets


@login_required
@require_http_methods(["GET", "POST"])
def set_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_create = permissions.can_create_set(user)
    form = SetForm(request.POST or None, institutions=institution_list_managed_by(user))
    status = 200
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only a training office keeps milestone sets."))
        if form.is_valid():
            try:
                found = services.set_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The milestone set is created."))
                return redirect("milestones:set_detail", pk=found.pk)
        status = 400
    services.builtin_set_ensure()
    context = {
        "sets": selectors.set_list_visible_to(user),
        "form": form if can_create else None,
    }
    return render(request, "milestones/set_list.html", context, status=status)


@login_required
@require_GET
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone_set = selectors.set_get_for_user_or_404(request.user, pk)
    can_manage = permissions.can_manage_set(request.user, milestone_set)
    context = {
        "set": milestone_set,
        "subcompetencies": selectors.subcompetencies_of(milestone_set),
        "epas": selectors.epas_of(milestone_set),
        "can_manage": can_manage,
        "import_form": ImportForm() if can_manage else None,
    }
    return render(request, "milestones/set_detail.html", context)


@login_required
@require_GET
def set_export(request: HttpRequest, pk: int) -> HttpResponse:
    milestone_set = selectors.set_get_for_user_or_404(request.user, pk)
    response = HttpResponse(
        services_import.set_export(milestone_set),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"milestones-{milestone_set.specialty}-{milestone_set.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def set_import(request: HttpRequest, pk: int) -> HttpResponse:
    milestone_set = selectors.set_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_set(request.user, milestone_set):
        raise PermissionDenied(_("Only the hospital's training office keeps its milestone sets."))
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect("milestones:set_detail", pk=pk)
    try:
        result = services_import.set_import(
            actor=request.user, milestone_set=milestone_set, file=form.cleaned_data["file"]
        )
    except services_import.ImportRejected as exc:
        context = {"set": milestone_set, "errors": [e.as_dict() for e in exc.row_errors]}
        return render(request, "milestones/import_errors.html", context, status=400)
    messages.success(
        request,
        _("Imported: %(subs)s subcompetencies, %(epas)s EPAs.")
        % {"subs": result.subcompetencies, "epas": result.epas},
    )
    return redirect("milestones:set_detail", pk=pk)


# --------------------------------------------------------------------------- committees


@login_required
@require_http_methods(["GET", "POST"])
def committee_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = selectors.program_for_committee_or_404(request.user, pk)
    form = CommitteeForm(request.POST or None, program=program)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                committee = services.committee_create(
                    actor=request.user,
                    program=program,
                    members=list(form.cleaned_data["members"]),
                    chair=form.cleaned_data["chair"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The competency committee is set up."))
                return redirect("milestones:committee_detail", pk=committee.pk)
        status = 400
    context = {"program": program, "form": form}
    return render(request, "milestones/committee_form.html", context, status=status)


@login_required
@require_GET
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    committee = selectors.committee_get_for_user_or_404(user, pk)
    can_manage = permissions.can_manage_committee(user, committee)
    can_open = permissions.can_open_review(user, committee)
    context = {
        "committee": committee,
        "members": committee.members.all(),
        "reviews": selectors.review_list_visible_to(user).filter(committee=committee),
        "can_manage": can_manage,
        "member_form": MemberForm(committee=committee) if can_manage else None,
        "review_form": ReviewForm(user=user, committee=committee) if can_open else None,
    }
    return render(request, "milestones/committee_detail.html", context)


def _managed_committee(request: HttpRequest, pk: int) -> Any:
    committee = selectors.committee_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    return committee


@login_required
@require_POST
def committee_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Add (`add`), remove (`remove`) a member, or make them the chair (`chair`)."""
    committee = _managed_committee(request, pk)
    form = MemberForm(request.POST, committee=committee)
    if not form.is_valid():
        messages.error(request, _("Choose a faculty member of the program's hospital."))
        return redirect("milestones:committee_detail", pk=pk)
    user = form.cleaned_data["user"]
    try:
        if "remove" in request.POST:
            services.committee_member_remove(actor=request.user, committee=committee, user=user)
            messages.success(request, _("The member is removed."))
        elif "chair" in request.POST:
            services.committee_chair_set(actor=request.user, committee=committee, user=user)
            messages.success(request, _("The chair is changed."))
        else:
            services.committee_member_add(actor=request.user, committee=committee, user=user)
            messages.success(request, _("The member is added."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("milestones:committee_detail", pk=pk)


@login_required
@require_POST
def review_open(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get_for_user_or_404(request.user, pk)
    if not permissions.can_open_review(request.user, committee):
        raise PermissionDenied(_("Only the committee and the program's training office do this."))
    form = ReviewForm(request.POST, user=request.user, committee=committee)
    if form.is_valid():
        try:
            review = services.review_open(
                actor=request.user, committee=committee, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The review period is open."))
            return redirect("milestones:review_detail", pk=review.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("milestones:committee_detail", pk=pk)


# --------------------------------------------------------------------------- reviews


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_get_for_user_or_404(request.user, pk)
    context = {"review": review, "residents": selectors.resident_reviews_of(review)}
    return render(request, "milestones/review_detail.html", context)


def _level_rows(resident_review: Any, user: Any) -> tuple[list[dict], list[dict]]:
    mine = selectors.my_ratings(resident_review, user)
    milestone_set = resident_review.review.milestone_set
    subs = [
        {"obj": sub, "rating": mine["sub"].get(sub.pk), "levels": list(sub.levels.all())}
        for sub in selectors.subcompetencies_of(milestone_set)
    ]
    epas = [
        {"obj": epa, "rating": mine["epa"].get(epa.pk)} for epa in selectors.epas_of(milestone_set)
    ]
    return subs, epas


@login_required
@require_GET
def resident_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence page: everything about the resident in the period, the ratings."""
    user = request.user
    rr = selectors.resident_review_get_for_user_or_404(user, pk)
    can_rate = permissions.can_rate(user, rr)
    subs, epas = _level_rows(rr, user)
    trend = selectors.trend_of_resident(rr.resident_id)
    context = {
        "rr": rr,
        "review": rr.review,
        "evidence": selectors.evidence_for(rr),
        "subs": subs,
        "epas": epas,
        "levels": LEVELS,
        "can_rate": can_rate,
        "ratings": selectors.ratings_of(rr),
        "finalise_form": FinaliseForm(resident_review=rr) if can_rate else None,
        "trend": trend,
        "charts": selectors.trend_chart(trend),
    }
    return render(request, "milestones/resident_review.html", context)


def _posted_levels(post: Any, prefix: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for key, value in post.items():
        if not key.startswith(prefix) or not key[len(prefix) :].isdigit() or value == "":
            continue
        found[int(key[len(prefix) :])] = None if value == "na" else value
    return found


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    rr = selectors.resident_review_get_for_user_or_404(request.user, pk)
    if not permissions.can_rate(request.user, rr):
        raise PermissionDenied(_("Only members of the committee rate residents, while open."))
    notes = {
        int(key[5:]): value
        for key, value in request.POST.items()
        if key.startswith("note_") and key[5:].isdigit() and value.strip()
    }
    try:
        count = services.ratings_save(
            actor=request.user,
            resident_review=rr,
            subcompetencies=_posted_levels(request.POST, "sub_"),
            epas=_posted_levels(request.POST, "epa_"),
            notes=notes,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your ratings are saved (%(n)s).") % {"n": count})
    return redirect("milestones:resident_review", pk=pk)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    rr = selectors.resident_review_get_for_user_or_404(request.user, pk)
    if not permissions.is_member(request.user, rr.review.committee):
        raise PermissionDenied(_("Only members of the committee decide."))
    form = FinaliseForm(request.POST, resident_review=rr)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("milestones:resident_review", pk=pk)
    try:
        services.resident_review_finalise(
            actor=request.user, resident_review=rr, **form.cleaned_data
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("milestones:resident_review", pk=pk)
    messages.success(request, _("The review is finalised; the resident is told."))
    return redirect("milestones:review_detail", pk=rr.review_id)


@login_required
@require_GET
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The resident's summary: the committee's levels, the decision, the plan — never the
    members' individual ratings or notes."""
    rr = selectors.summary_get_for_user_or_404(request.user, pk)
    if not permissions.can_read_summary(request.user, rr):
        raise Http404
    milestone_set = rr.review.milestone_set
    levels = rr.summary.get("subcompetencies") or {}
    epa_levels = rr.summary.get("epas") or {}
    trend = selectors.trend_of_resident(rr.resident_id, upto=rr)
    context = {
        "rr": rr,
        "review": rr.review,
        "subs": [
            {"obj": sub, "level": levels.get(sub.code)}
            for sub in selectors.subcompetencies_of(milestone_set)
        ],
        "epas": [
            {"obj": epa, "level": epa_levels.get(epa.code)}
            for epa in selectors.epas_of(milestone_set)
        ],
        "trend": trend,
        "charts": selectors.trend_chart(trend),
    }
    return render(request, "milestones/summary.html", context)
