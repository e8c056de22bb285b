from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core.audit import audit_history
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.institutions.selectors import institution_get_for_user_or_404
from tandem.resources import permissions, selectors, services
from tandem.resources.forms import OpeningForm, ResourceFilterForm, ResourceForm

OPENING_ACTIONS = ("resource.open", "resource.close")


@login_required
@require_GET
def resource_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = ResourceFilterForm(request.GET or None, user=user)
    queryset = selectors.resource_list_visible_to(user)
    if filters.is_valid():
        data = filters.cleaned_data
        queryset = selectors.resource_filter(
            queryset,
            user,
            kind=data["kind"],
            institution_id=data["institution"].pk if data["institution"] else None,
            opened_to_me=data["opened_to_me"],
            search=data["q"].strip(),
        )
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "owner_choices": selectors.resource_owner_choices(user),
    }
    template = "resources/_list_results.html" if request.htmx else "resources/list.html"
    return render(request, template, context)


@login_required
@require_GET
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user_or_404(request.user, pk)
    sees_all = selectors.sees_all_openings(request.user, resource)
    history = audit_history(resource)
    if not sees_all:  # openings to other partners are not theirs to see
        history = history.exclude(action__in=OPENING_ACTIONS)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "openings": selectors.opening_list_visible_to(request.user, resource),
            "sees_all_openings": sees_all,
            "can_change": permissions.can_change_resource(request.user, resource),
            "history": history[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request: HttpRequest, institution_pk: int) -> HttpResponse:
    institution = institution_get_for_user_or_404(request.user, institution_pk)
    if not permissions.can_create_resource(request.user, institution):
        raise PermissionDenied(_("Only the institution's coordinators list its resources."))
    form = ResourceForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(
                actor=request.user, institution=institution, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The resource is listed."))
            return redirect("resources:detail", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/form.html",
        {
            "form": form,
            "institution": institution,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user_or_404(request.user, pk)
    if not permissions.can_change_resource(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators change this resource."))
    form = ResourceForm(request.POST or None, institution=resource.institution, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(actor=request.user, resource=resource, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The resource is saved."))
            return redirect("resources:detail", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/form.html",
        {
            "form": form,
            "institution": resource.institution,
            "resource": resource,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opening_create(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user_or_404(request.user, pk)
    if not permissions.can_open_resource(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators open this resource."))
    form = OpeningForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_opening_create(
                actor=request.user, resource=resource, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The resource is opened to %(partner)s.")
                % {"partner": form.cleaned_data["partner"]},
            )
            return redirect("resources:detail", pk=resource.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "resources/opening_form.html",
        {
            "form": form,
            "resource": resource,
        },
        status=status,
    )


@login_required
@require_POST
def opening_close(request: HttpRequest, pk: int, opening_pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user_or_404(request.user, pk)
    if not permissions.can_close_opening(request.user, resource):
        raise PermissionDenied(_("Only the owner's coordinators close this opening."))
    opening = selectors.opening_get_for_user_or_404(request.user, resource, opening_pk)
    partner = opening.partner
    services.resource_opening_close(
        actor=request.user, opening=opening, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(
        request,
        _("The resource is no longer opened to %(partner)s under that agreement.")
        % {"partner": partner},
    )
    return redirect("resources:detail", pk=resource.pk)
