"""The training office's catalogue pages: list and create, items and minimums, Excel import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.logbook import permissions, selectors, services, services_import
from tandem.logbook.forms import CatalogueForm, ImportForm, ItemForm, MinimumForm
from tandem.residency.selectors import institution_list_managed_by


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_create = permissions.can_create_catalogue(user)
    form = CatalogueForm(request.POST or None, institutions=institution_list_managed_by(user))
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied(_("Only a training office keeps catalogues."))
        if form.is_valid():
            try:
                catalogue = services.catalogue_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The catalogue is created."))
                return redirect("logbook:catalogue_detail", pk=catalogue.pk)
        status = 400
    else:
        status = 200
    context = {
        "catalogues": selectors.catalogue_list_visible_to(user),
        "form": form if can_create else None,
    }
    return render(request, "logbook/catalogue_list.html", context, status=status)


def _managed(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    catalogue = selectors.catalogue_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_catalogue(request.user, catalogue):
        raise PermissionDenied(_("Only the hospital's training office keeps its catalogues."))
    return catalogue


@login_required
@require_http_methods(["GET"])
def catalogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = selectors.catalogue_get_for_user_or_404(request.user, pk)
    can_manage = permissions.can_manage_catalogue(request.user, catalogue)
    context = {
        "catalogue": catalogue,
        "items": selectors.item_list_of(catalogue),
        "minimums": selectors.minimum_list_of(catalogue),
        "can_manage": can_manage,
        "item_form": ItemForm() if can_manage else None,
        "minimum_form": MinimumForm(catalogue=catalogue, user=request.user) if can_manage else None,
        "import_form": ImportForm() if can_manage else None,
    }
    return render(request, "logbook/catalogue_detail.html", context)


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in error_messages(exc):
        messages.error(request, message)


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = _managed(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_save(actor=request.user, catalogue=catalogue, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The item is saved."))
    else:
        messages.error(request, _("Give a code, a name and a kind."))
    return redirect("logbook:catalogue_detail", pk=pk)


@login_required
@require_POST
def minimum_set(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = _managed(request, pk)
    form = MinimumForm(request.POST, catalogue=catalogue, user=request.user)
    if form.is_valid():
        try:
            services.minimum_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The minimum is saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("logbook:catalogue_detail", pk=pk)


@login_required
@require_POST
def catalogue_import(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = _managed(request, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect("logbook:catalogue_detail", pk=pk)
    try:
        result = services_import.catalogue_import(
            actor=request.user, catalogue=catalogue, file=form.cleaned_data["file"]
        )
    except services_import.ImportRejected as exc:
        context = {"catalogue": catalogue, "errors": [e.as_dict() for e in exc.row_errors]}
        return render(request, "logbook/import_errors.html", context, status=400)
    messages.success(
        request,
        _("Imported: %(items)s items, %(minimums)s minimums.")
        % {"items": result.items, "minimums": result.minimums},
    )
    return redirect("logbook:catalogue_detail", pk=pk)
