from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.institutions import permissions, selectors, services
from tandem.institutions.forms import InstitutionFilterForm, InstitutionForm, UnitForm


@login_required
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    filters = InstitutionFilterForm(request.GET or None)
    queryset = selectors.institution_list_visible_to(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        queryset = selectors.institution_filter(
            queryset,
            kind=data["kind"],
            region=data["region"],
            search=data["q"].strip(),
            include_inactive=data["inactive"],
        )
    else:
        queryset = selectors.institution_filter(queryset)
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_create": permissions.can_create_institution(request.user),
    }
    template = "institutions/_list_results.html" if request.htmx else "institutions/list.html"
    return render(request, template, context)


@login_required
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.institution_get_for_user_or_404(request.user, pk)
    sees_units = selectors.can_see_units_of(request.user, institution)
    return render(
        request,
        "institutions/detail.html",
        {
            "institution": institution,
            "affiliates": institution.affiliates.order_by("name"),
            "sees_units": sees_units,
            "units": selectors.unit_list_of(request.user, institution) if sees_units else [],
            "can_change": permissions.can_change_institution(request.user, institution),
            "can_add_unit": permissions.can_create_unit(request.user, institution),
            "history": audit_history(institution)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_institution(request.user):
        raise PermissionDenied(_("Only consortium admins register institutions."))
    form = InstitutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The institution is registered."))
            return redirect("institutions:detail", pk=institution.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "institutions/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.institution_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_institution(request.user, institution):
        raise PermissionDenied(_("Only consortium admins change institutions."))
    form = InstitutionForm(request.POST or None, user=request.user, instance=institution)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_update(
                actor=request.user, institution=institution, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The institution is saved."))
            return redirect("institutions:detail", pk=institution.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutions/form.html",
        {
            "form": form,
            "institution": institution,
        },
        status=status,
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "institutions/unit_detail.html",
        {
            "unit": unit,
            "children": selectors.unit_list_of(request.user, unit.institution).filter(parent=unit),
            "can_change": permissions.can_change_unit(request.user, unit),
            "history": audit_history(unit)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.institution_get_for_user_or_404(request.user, pk)
    if not permissions.can_create_unit(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators add its units."))
    form = UnitForm(request.POST or None, user=request.user, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, institution=institution, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The unit is added."))
            return redirect("institutions:unit_detail", pk=unit.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutions/unit_form.html",
        {
            "form": form,
            "institution": institution,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_unit(request.user, unit):
        raise PermissionDenied(_("Only the institution's coordinators change its units."))
    form = UnitForm(
        request.POST or None, user=request.user, institution=unit.institution, instance=unit
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("institutions:unit_detail", pk=unit.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "institutions/unit_form.html",
        {
            "form": form,
            "institution": unit.institution,
            "unit": unit,
        },
        status=status,
    )
