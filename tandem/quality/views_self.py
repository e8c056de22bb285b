"""Pages of a base's self-assessment: fill scores, comments and evidence, submit, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.quality import exports, permissions, selectors, services
from tandem.quality.forms import EvidenceForm
from tandem.quality.views import _errors


@login_required
@require_POST
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    base = selectors.base_get_for_user_or_404(request.user, pk)
    try:
        assessment = services.self_assessment_create(
            actor=request.user, base=base, title=request.POST.get("title", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("quality:base_detail", pk=pk)
    return redirect("quality:assessment_detail", pk=assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read-only once submitted; a POST saves every score and comment at once."""
    assessment = selectors.self_assessment_get_for_user_or_404(request.user, pk)
    editable = permissions.can_edit_self_assessment(request.user, assessment)
    if request.method == "POST":
        scores = {
            indicator.pk: (
                request.POST.get(f"score_{indicator.pk}", ""),
                request.POST.get(f"comment_{indicator.pk}", ""),
            )
            for indicator in selectors.indicators_of(assessment)
        }
        try:
            services.self_assessment_save(actor=request.user, assessment=assessment, scores=scores)
        except ValidationError as exc:
            _errors(request, exc)
            rows = selectors.self_assessment_rows(assessment)
            for row in rows:  # show what was typed, beside the message
                row["score"], row["comment"] = scores[row["indicator"].pk]
            return render(
                request,
                "quality/self_assessment.html",
                _context(assessment, rows, editable),
                status=400,
            )
        messages.success(request, _("Self-assessment saved."))
        return redirect("quality:assessment_detail", pk=pk)
    rows = selectors.self_assessment_rows(assessment)
    return render(request, "quality/self_assessment.html", _context(assessment, rows, editable))


def _context(assessment, rows, editable):
    total = sum((r["score"] or 0) for r in rows if not isinstance(r["score"], str))
    maximum = sum(r["indicator"].max_score for r in rows)
    groups: list[dict] = []
    for row in rows:
        label = row["indicator"].group_label
        if not groups or groups[-1]["label"] != label:
            groups.append({"label": label, "rows": []})
        groups[-1]["rows"].append(row)
    return {
        "assessment": assessment,
        "groups": groups,
        "editable": editable,
        "total": total,
        "maximum": maximum,
        "evidence_form": EvidenceForm(indicators=[r["indicator"] for r in rows])
        if editable
        else None,
    }


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.self_assessment_get_for_user_or_404(request.user, pk)
    indicators = selectors.indicators_of(assessment)
    form = EvidenceForm(request.POST, request.FILES, indicators=indicators)
    indicator = None
    if form.is_valid() or "indicator" not in form.errors:
        indicator = indicators.filter(pk=form.cleaned_data.get("indicator")).first()
    try:
        services.evidence_add(
            actor=request.user,
            assessment=assessment,
            indicator=indicator,
            title=request.POST.get("title", ""),
            file=request.FILES.get("file"),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Evidence added."))
    return redirect("quality:assessment_detail", pk=pk)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.self_assessment_get_for_user_or_404(request.user, pk)
    try:
        services.self_assessment_submit(actor=request.user, assessment=assessment)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Self-assessment submitted: it can no longer change."))
    return redirect("quality:assessment_detail", pk=pk)


@login_required
@require_GET
def assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.self_assessment_get_for_user_or_404(request.user, pk)
    body = exports.self_assessment_workbook(assessment)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="self-assessment-{assessment.pk}.xlsx"'
    return response


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get_for_user_or_404(request.user, pk)
    name = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)
