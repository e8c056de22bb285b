"""Pages that run rounds — open one (previewed), extend, reassign or withdraw a pair, release
the results, hide a comment — and the target's own results. Thin views over the selectors,
permissions and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import tenancy
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.evaluations import (
    permissions,
    results,
    selectors,
    selectors_manage,
    services,
    services_manage,
    services_respond,
)
from tandem.evaluations.forms_manage import (
    CommentHideForm,
    PairExtendForm,
    PairReassignForm,
    PairWithdrawForm,
    RoundOpenForm,
)
from tandem.evaluations.models import EvaluationPair, PairStatus, Relationship


def _require_opening(user: Any) -> None:
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        raise PermissionDenied(_("Evaluation rounds are opened by coordinators."))


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: HttpRequest) -> HttpResponse:
    """Fill in the round, see how many evaluations it makes, then confirm."""
    _require_opening(request.user)
    form = RoundOpenForm(request.POST or None, user=request.user)
    preview: dict[str, int] | None = None
    chosen: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            kwargs = form.service_kwargs()
            chosen = sorted(kwargs["templates"])
            try:
                if "confirm" in request.POST:
                    round_ = services.round_open(actor=request.user, **kwargs)
                    messages.success(
                        request,
                        _("The round is open: %(n)s evaluations to do.")
                        % {"n": round_.pairs.count()},
                    )
                    return redirect("evaluations:round_detail", pk=round_.pk)
                preview = services_manage.round_preview(actor=request.user, **kwargs)
            except ValidationError as exc:
                apply_validation_error(form, exc)
        if form.errors:
            return render(request, "evaluations/manage_round_open.html", {"form": form}, status=400)
    labels = dict(Relationship.choices)
    return render(
        request,
        "evaluations/manage_round_open.html",
        {
            "form": form,
            "preview": None
            if preview is None
            else [(labels.get(rel, rel), preview.get(rel, 0)) for rel in chosen],
            "preview_total": sum(preview.values()) if preview else 0,
        },
    )


def _managed_round(request: HttpRequest, pk: int) -> Any:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied(_("Only the coordinators running the round can change it."))
    return round_


@login_required
@require_GET
def pair_list(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    status = request.GET.get("status", PairStatus.PENDING)
    return render(
        request,
        "evaluations/manage_pairs.html",
        {
            "round": round_,
            "status": status,
            "statuses": [*PairStatus.choices, ("all", _("All"))],
            "query": query_without_page(request),
            "page_obj": paginate(request, selectors_manage.round_pairs_for_manager(round_, status)),
        },
    )


def _pair_step(
    request: HttpRequest, pk: int, form_class: Any, template: str, call: Any, done: str
) -> HttpResponse:
    pair: EvaluationPair = selectors.pair_get_for_manager_or_404(request.user, pk)
    if not permissions.can_manage_round(request.user, pair.round):
        raise PermissionDenied(_("Only the coordinators running the round can change it."))
    form_kwargs = {"user": request.user, "pair": pair} if form_class is PairReassignForm else {}
    form = form_class(request.POST or None, **form_kwargs)
    context = {"pair": pair, "round": pair.round, "form": form}
    context["can_change"] = permissions.can_change_pair(request.user, pair)
    if request.method == "POST":
        if form.is_valid():
            try:
                call(pair, form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("evaluations:manage_pairs", pk=pair.round_id)
        return render(request, template, context, status=400)
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def pair_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _pair_step(
        request,
        pk,
        PairExtendForm,
        "evaluations/manage_pair_extend.html",
        lambda pair, data: services.pair_extend(
            actor=request.user, pair=pair, due_on=data["due_on"], reason=data["reason"]
        ),
        _("The due date is extended."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _pair_step(
        request,
        pk,
        PairReassignForm,
        "evaluations/manage_pair_reassign.html",
        lambda pair, data: services.pair_reassign(
            actor=request.user, pair=pair, evaluator=data["evaluator"], reason=data["reason"]
        ),
        _("The evaluation is given to the new evaluator."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _pair_step(
        request,
        pk,
        PairWithdrawForm,
        "evaluations/manage_pair_withdraw.html",
        lambda pair, data: services.pair_withdraw(
            actor=request.user, pair=pair, reason=data["reason"]
        ),
        _("The evaluation is withdrawn."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_release(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _managed_round(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services_respond.round_release(actor=request.user, round_=round_)
        except ValidationError as exc:
            errors = [str(m) for m in exc.messages]
        else:
            messages.success(request, _("The results are released to those evaluated."))
            return redirect("evaluations:round_detail", pk=round_.pk)
    return render(
        request,
        "evaluations/manage_release.html",
        {
            "round": round_,
            "errors": errors,
            "can_release": permissions.can_release_round(request.user, round_),
            "threshold": results.threshold(),
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide(
    request: HttpRequest, pk: int, template_pk: int, kind: str, target_pk: int
) -> HttpResponse:
    """The comments of one target's results, each with a form to hide it with a reason, and
    those hidden already (by whom, why). Nothing below the threshold."""
    round_ = _managed_round(request, pk)
    round_template = get_object_or_404(
        round_.round_templates.select_related("template"), template_id=template_pk
    )
    template = round_template.template
    target = selectors.round_target_get_or_404(round_, template_pk, kind, target_pk)
    form = CommentHideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answer = selectors_manage.comment_get_for_manager_or_404(
                round_, form.cleaned_data["answer"]
            )
            try:
                services_respond.comment_hide(
                    actor=request.user,
                    round_=round_,
                    answer=answer,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The comment is hidden from the results."))
                return redirect(request.path)
        status = 400
    result = results.target_result(round_, template, target, reviewer=True)
    return render(
        request,
        "evaluations/manage_comments.html",
        {
            "round": round_,
            "template": template,
            "target": target,
            "kind": kind,
            "result": result,
            "form": form,
            "hidden": selectors_manage.hidden_comments(round_, template, target)
            if result.shown
            else [],
            "threshold": results.threshold(),
        },
        status=status,
    )


# --- the target's own results ---------------------------------------------------------------

BAR_SCALE = 5  # the widest scale of a rating item: a bar's full width


def _trend(target: Any) -> list[dict[str, Any]]:
    rows = results.trend_for_target(target)
    for row in rows:
        mean = float(row["mean"] or 0)
        row["mean"] = round(mean, 2)
        row["width"] = max(0, min(100, round(100 * mean / BAR_SCALE)))
    return rows


@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    targets = selectors_manage.my_targets(request.user)
    return render(
        request,
        "evaluations/my_results.html",
        {
            "page_obj": paginate(request, selectors_manage.my_result_entries(request.user)),
            "trends": [{"target": target, "rows": _trend(target)} for target in targets],
        },
    )


@login_required
@require_GET
def my_result(
    request: HttpRequest, pk: int, template_pk: int, kind: str, target_pk: int
) -> HttpResponse:
    round_, template, target = selectors_manage.my_result_get_or_404(
        request.user, pk, template_pk, kind, target_pk
    )
    result = results.target_result(round_, template, target)
    return render(
        request,
        "evaluations/my_result.html",
        {"round": round_, "target": target, "result": result, "threshold": results.threshold()},
    )
