"""The portable joint record: one page per trainee, its JSON and PDF exports, and the import
page for consortium admins."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.forms import apply_file_validation_error
from tandem.cultivation import selectors as cultivation_selectors
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import cultivation_get_for_user_or_404
from tandem.imports.rules import runs_in_background
from tandem.plans import permissions, selectors, services_import
from tandem.plans.forms import ImportForm
from tandem.plans.pdf import render_record_pdf
from tandem.plans.record import joint_record_build, record_id
from tandem.plans.record_import import joint_record_import
from tandem.plans.views import milestone_rows, version_rows
from tandem.rewards.selectors import final_awards_of_trainee


def record_context(user: Any, cultivation: JointCultivation) -> dict[str, Any]:
    """Everything the joint record page and its PDF show, in a fixed number of queries."""
    plan = selectors.plan_for_cultivation(cultivation)
    return {
        "cultivation": cultivation,
        "record_id": record_id(cultivation),
        "agreement": cultivation.agreement,
        "stays": cultivation.stays.select_related("institution").order_by("start", "id"),
        "tutors": cultivation.tutor_assignments.select_related("tutor", "institution").order_by(
            "ended_at", "role", "-started_at"
        ),
        "decisions": cultivation.decisions.select_related("institution", "decided_by"),
        "shares": cultivation_selectors.responsibility_shares(cultivation),
        "signatures": cultivation_selectors.responsibility_signatures(cultivation),
        "plan": plan,
        "versions": version_rows(user, plan, cultivation),
        "milestones": milestone_rows(plan),
        "rewards": final_awards_of_trainee(cultivation.trainee_id),
    }


@login_required
@require_GET
def record_page(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    context = record_context(request.user, cultivation)
    context["languages"] = settings.LANGUAGES
    return render(request, "plans/record.html", context)


def _filename(cultivation: JointCultivation, extension: str) -> str:
    return f"joint-record-{cultivation.trainee.username}-{cultivation.pk}.{extension}"


@login_required
@require_GET
def record_json(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    data = joint_record_build(
        cultivation,
        reveal_confidential=permissions.can_read_confidential(request.user, cultivation),
    )
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{_filename(cultivation, "json")}"'
    return response


def pdf_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or translation.get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return wanted if wanted in codes else settings.LANGUAGE_CODE


@login_required
@require_GET
def record_pdf(request: HttpRequest, cultivation_pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, cultivation_pk)
    language = pdf_language(request)
    pdf = render_record_pdf(record_context(request.user, cultivation), language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = _filename(cultivation, f"{language}.pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_import(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_record(request.user):
        raise PermissionDenied(_("Only consortium admins import joint records."))
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    if posted and form.is_valid() and runs_in_background(form.cleaned_data["file"].size):
        upload = form.cleaned_data["file"]
        try:
            job = services_import.joint_record_import_job_start(
                actor=request.user,
                file_name=upload.name,
                content=upload.read(services_import.MAX_RECORD_BYTES + 1),
            )
        except ValidationError as exc:
            apply_file_validation_error(form, exc)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    elif posted and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            form.add_error("file", _("This is not a JSON file: %(error)s") % {"error": exc})
        else:
            try:
                cultivation = joint_record_import(actor=request.user, data=data)
            except ValidationError as exc:
                apply_file_validation_error(form, exc)
            else:
                messages.success(request, _("The joint record is imported."))
                return redirect("plans:record", cultivation_pk=cultivation.pk)
    return render(request, "plans/import.html", {"form": form}, status=400 if posted else 200)
