"""Pages: the evaluator's to-do list and form, the coordinators' rounds with completion and
results. Thin views over the selectors, permissions and services."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core import tenancy
from tandem.core.errors import error_messages
from tandem.core.pagination import paginate
from tandem.core.spreadsheets import XLSX
from tandem.evaluations import permissions, results, rules, selectors, services_respond
from tandem.evaluations.exports import round_results_workbook


@login_required
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluations/todo.html",
        {"page_obj": paginate(request, selectors.pairs_to_do(request.user))},
    )


def _sections(
    pair: Any, answers: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    items = list(pair.template.items.select_related("section"))
    grouped: dict[int, dict[str, Any]] = {}
    for item in items:
        group = grouped.setdefault(item.section_id, {"section": item.section, "items": []})
        group["items"].append(
            {
                "item": item,
                "value": answers.get(str(item.pk), ""),
                "errors": errors.get(f"item_{item.pk}", []),
            }
        )
    return list(grouped.values())


@login_required
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.pair_get_for_evaluator_or_404(request.user, pk)
    draft = getattr(pair, "draft", None)
    answers: dict[str, str] = dict(draft.answers) if draft else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answers = {
            key.removeprefix("item_"): value
            for key, value in request.POST.items()
            if key.startswith("item_")
        }
        submitting = "submit" in request.POST
        try:
            if submitting:
                services_respond.response_submit(actor=request.user, pair=pair, answers=answers)
                messages.success(request, _("Thank you: your evaluation is submitted."))
                return redirect("evaluations:todo")
            services_respond.response_save_draft(actor=request.user, pair=pair, answers=answers)
            messages.success(request, _("Draft saved. You can finish it later."))
            return redirect("evaluations:respond", pk=pair.pk)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {}
            for message in error_messages(exc):
                messages.error(request, message)
    return render(
        request,
        "evaluations/respond.html",
        {
            "pair": pair,
            "sections": _sections(pair, answers, errors),
            "can_respond": permissions.can_respond(request.user, pair),
            "not_observed": rules.NOT_OBSERVED,
        },
        status=400 if errors else 200,
    )


def _require_coordinating(user: Any) -> None:
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        raise PermissionDenied(_("Evaluation rounds are run by coordinators."))


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    _require_coordinating(request.user)
    return render(
        request,
        "evaluations/round_list.html",
        {"page_obj": paginate(request, selectors.rounds_visible_to(request.user))},
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "evaluations/round_detail.html",
        {
            "round": round_,
            "by_institution": selectors.round_completion_by_institution(round_),
            "page_obj": paginate(request, selectors.round_completion_by_evaluator(round_)),
            "targets": results.round_targets(round_)[:200],
            "can_release": permissions.can_release_round(request.user, round_),
        },
    )


@login_required
@require_GET
def target_results(
    request: HttpRequest, pk: int, template_pk: int, kind: str, target_pk: int
) -> HttpResponse:
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    round_template = get_object_or_404(
        round_.round_templates.select_related("template"), template_id=template_pk
    )
    target = selectors.round_target_get_or_404(round_, template_pk, kind, target_pk)
    result = results.target_result(round_, round_template.template, target)
    return render(
        request,
        "evaluations/results.html",
        {
            "round": round_,
            "target": target,
            "result": result,
            "threshold": results.threshold(),
        },
    )


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's aggregate results as a workbook, for those who run it (decision 082 holds:
    no row for a target below the threshold)."""
    round_ = selectors.round_get_for_user_or_404(request.user, pk)
    if not permissions.can_see_completion(request.user, round_):
        raise PermissionDenied(_("Only the coordinators running the round can export it."))
    response = HttpResponse(round_results_workbook(round_), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="evaluation-round-{round_.pk}.xlsx"'
    return response
