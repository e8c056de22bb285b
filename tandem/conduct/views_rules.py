"""Pages of the rules: the regulations and committees of the institutions in reach (read by
everyone in the consortium), recorded by each institution's coordinators."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.conduct import permissions, selectors, services_rules
from tandem.conduct.models import CommitteeKind
from tandem.core import tenancy
from tandem.core.errors import error_messages
from tandem.institutions.selectors import institution_list_coordinated_by


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def regulation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    coordinated = tenancy.coordinated_institution_ids(user)
    if request.method == "POST":
        institution = (
            institution_list_coordinated_by(user)
            .filter(pk__in=coordinated, pk=request.POST.get("institution") or 0)
            .first()
        )
        if institution is None or not permissions.can_manage_rules(user, institution):
            raise PermissionDenied(
                _("Only the institution's coordinators record its regulations and committees.")
            )
        post = request.POST
        try:
            if post.get("action") == "committee":
                services_rules.committee_create(
                    actor=user,
                    institution=institution,
                    kind=post.get("kind", ""),
                    name=post.get("name", ""),
                    name_zh=post.get("name_zh", ""),
                )
            else:
                services_rules.regulation_create(
                    actor=user,
                    institution=institution,
                    title=post.get("title", ""),
                    title_zh=post.get("title_zh", ""),
                    response_days=post.get("response_days", 5),
                    appeal_days=post.get("appeal_days", 10),
                )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("conduct:regulation_list")
    context: dict[str, Any] = {
        "regulations": selectors.regulation_list_visible_to(user),
        "committees": selectors.committee_list_visible_to(user),
        "institutions": institution_list_coordinated_by(user).filter(pk__in=coordinated),
        "committee_kinds": CommitteeKind.choices,
    }
    return render(request, "conduct/regulation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def regulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regulation = selectors.regulation_get_for_user_or_404(request.user, pk)
    can_change = permissions.can_change_regulation(request.user, regulation)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(
                _("Only the institution's coordinators record its regulations and committees.")
            )
        post = request.POST
        try:
            services_rules.article_version_add(
                actor=request.user,
                regulation=regulation,
                number=post.get("number", ""),
                text=post.get("text", ""),
                text_zh=post.get("text_zh", ""),
                effective_from=parse_date(post.get("effective_from", "") or ""),
            )
        except (ValidationError, ValueError) as exc:
            if isinstance(exc, ValidationError):
                _refused(request, exc)
            else:
                messages.error(request, _("Give the date as YYYY-MM-DD."))
        else:
            messages.success(request, _("Saved."))
        return redirect("conduct:regulation_detail", pk=pk)
    context = {
        "regulation": regulation,
        "articles": selectors.article_list_of(regulation),
        "can_change": can_change,
    }
    return render(request, "conduct/regulation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get_for_user_or_404(request.user, pk)
    can_change = permissions.can_change_committee(request.user, committee)
    candidates = selectors.member_candidates(committee.institution)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(
                _("Only the institution's coordinators record its regulations and committees.")
            )
        person = candidates.filter(pk=request.POST.get("user") or 0).first()
        try:
            if person is None:
                raise ValidationError({"user": [_("Choose a staff member of the institution.")]})
            if request.POST.get("remove") == "1":
                services_rules.committee_member_remove(
                    actor=request.user, committee=committee, user=person
                )
            else:
                services_rules.committee_member_add(
                    actor=request.user, committee=committee, user=person
                )
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("conduct:committee_detail", pk=pk)
    context = {
        "committee": committee,
        "members": committee.memberships.select_related("user"),
        "candidates": candidates if can_change else [],
        "can_change": can_change,
    }
    return render(request, "conduct/committee_detail.html", context)
