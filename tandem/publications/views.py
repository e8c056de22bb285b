"""Publication pages: thin views over the selectors, permissions and services."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.core.spreadsheets import XLSX
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import (
    cultivation_get_for_user_or_404,
    current_tutors,
    tutors_in_force_on,
)
from tandem.imports.rules import runs_in_background
from tandem.publications import permissions, selectors, services, services_import
from tandem.publications.exports import publications_workbook
from tandem.publications.forms import (
    ImportForm,
    PublicationFilterForm,
    PublicationForm,
    WaiverForm,
    author_formset,
    author_rows,
)
from tandem.publications.models import Publication

RECORDABLE_SHOWN = 20  # beyond that, people start from the joint cultivation's own page


def _filtered(request: HttpRequest) -> tuple[PublicationFilterForm, Any]:
    filters = PublicationFilterForm(request.GET or None, user=request.user)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    institution = values.get("institution")
    queryset = selectors.publication_list_for_page(
        request.user,
        status=values.get("status") or "",
        year=values.get("year"),
        institution_id=institution.pk if institution else None,
        search=values.get("q") or "",
    )
    return filters, queryset


@login_required
@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    filters, queryset = _filtered(request)
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
    }
    if request.htmx:
        return render(request, "publications/_list_results.html", context)
    recordable = (
        selectors.cultivation_list_recordable_by(request.user)
        .select_related("trainee", "home", "host")
        .order_by("trainee__full_name", "-planned_start", "pk")
    )
    context["recordable"] = list(recordable[: RECORDABLE_SHOWN + 1])
    context["recordable_shown"] = RECORDABLE_SHOWN
    return render(request, "publications/list.html", context)


@login_required
@require_GET
def publication_export(request: HttpRequest) -> HttpResponse:
    _filters, queryset = _filtered(request)
    response = HttpResponse(publications_workbook(queryset[:5000]), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="publications.xlsx"'
    return response


def _require_recorder(request: HttpRequest, cultivation: JointCultivation) -> None:
    pair = current_tutors(cultivation)
    if not permissions.can_record_publication(request.user, cultivation, pair):
        raise PermissionDenied(
            _("Only the trainee, their tutors and the coordinators record publications.")
        )


def _edit_page(
    request: HttpRequest, cultivation: JointCultivation, publication: Publication | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial_authors = None
    if publication is not None:
        initial_authors = [
            {
                "name": a.name,
                "user": a.user,
                "institutions": list(a.institutions.all()),
                "affiliation_text": a.affiliation_text,
                "is_corresponding": a.is_corresponding,
                "credit_roles": a.credit_roles,
            }
            for a in publication.authors.all()
        ]
    form = PublicationForm(data, instance=publication)
    authors = author_formset(data, request.user, initial_authors)
    status = 200
    if data is not None:
        if form.is_valid() and authors.is_valid():
            bib = {f: form.cleaned_data.get(f) for f in services.BIB_FIELDS}
            try:
                if publication is None:
                    publication = services.publication_record(
                        actor=request.user,
                        cultivation=cultivation,
                        authors=author_rows(authors),
                        **bib,
                    )
                else:
                    publication = services.publication_update(
                        actor=request.user,
                        publication=publication,
                        authors=author_rows(authors),
                        **bib,
                    )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The publication is saved."))
                return redirect("publications:detail", pk=publication.pk)
        status = 400
    return render(
        request,
        "publications/form.html",
        {
            "form": form,
            "authors": authors,
            "cultivation": cultivation,
            "publication": publication,
            "policy": cultivation.agreement.authorship_policy_text(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_create(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, pk)
    _require_recorder(request, cultivation)
    return _edit_page(request, cultivation, None)


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user_or_404(request.user, pk)
    _require_recorder(request, publication.cultivation)
    return _edit_page(request, publication.cultivation, publication)


@login_required
@require_http_methods(["GET", "POST"])
def publication_import(request: HttpRequest, pk: int) -> HttpResponse:
    cultivation = cultivation_get_for_user_or_404(request.user, pk)
    _require_recorder(request, cultivation)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        if runs_in_background(len(text.encode())):
            job = services_import.publication_import_job_start(
                actor=request.user,
                cultivation=cultivation,
                kind=form.cleaned_data["kind"],
                file_name=request.FILES["file"].name,
                text=text,
            )
            return redirect("imports:job_detail", pk=job.pk)
        try:
            created = services.publication_import(
                actor=request.user,
                cultivation=cultivation,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "%(count)s publications imported. Add the "
                    "affiliations, corresponding authors and CRediT roles "
                    "the file does not carry."
                )
                % {"count": len(created)},
            )
            query = urlencode({"q": cultivation.trainee.full_name})
            return redirect(f"{reverse('publications:list')}?{query}")
    return render(
        request,
        "publications/import.html",
        {
            "form": form,
            "cultivation": cultivation,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user_or_404(request.user, pk)
    pair = current_tutors(publication.cultivation)
    return render(
        request,
        "publications/detail.html",
        {
            "publication": publication,
            "violations": services.publication_violations(publication),
            "policy": publication.cultivation.agreement.authorship_policy_text(),
            "can_edit": permissions.can_edit_publication(request.user, publication, pair),
            "may_waive_for": permissions.sides_user_may_waive(request.user, publication),
            "confirm_role": permissions.confirming_role(request.user, publication, pair),
            "pair": pair,
            "judging_pair": list(
                tutors_in_force_on(publication.cultivation, publication.judged_on).values()
            ),
            "history": audit_history(publication)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_waive(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user_or_404(request.user, pk)
    if not permissions.may_waive_as_side(request.user, publication):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host waive a violation.")
        )
    form = WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_waive(
                actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your waiver is recorded."))
            return redirect("publications:detail", pk=pk)
    return render(
        request,
        "publications/waive.html",
        {
            "form": form,
            "publication": publication,
            "violations": services.publication_violations(publication),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def publication_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.publication_get_for_user_or_404(request.user, pk)
    if not permissions.is_current_tutor(request.user, current_tutors(publication.cultivation)):
        raise PermissionDenied(_("Only the trainee's current tutors confirm publications."))
    try:
        services.publication_confirm(actor=request.user, publication=publication)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your confirmation is recorded."))
    return redirect("publications:detail", pk=pk)
