"""Pages of the template builder: the list of templates, one template as its evaluators see it
with its versions, the builder that creates and edits (a new version once a round uses it),
copying and retiring. Thin views over the selectors, permissions and services (decision 087).

The builder works without JavaScript: "add a section" and "add an item" are submit buttons that
send what was typed and get the same page back with one more empty row; nothing is saved until
"Save". Each message of the service goes beside the row it names and, with the row's place, at
the top of the form.
"""

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.core import tenancy
from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate
from tandem.evaluations import permissions, rules, selectors, services
from tandem.evaluations.forms_templates import (
    DuplicateForm,
    ItemFormSet,
    SectionFormSet,
    TemplateFilterForm,
    TemplateForm,
    initial_rows,
)
from tandem.evaluations.models import EvaluationTemplate, ItemKind
from tandem.institutions.models import Institution

PLACE = re.compile(r"^sections\.(\d+)(?:\.items\.(\d+))?(?:\.(\w+))?$")
TEMPLATE_FIELDS = ("title", "title_zh", "instructions", "instructions_zh", "relationship")


def _require_coordinating(user: Any) -> None:
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        raise PermissionDenied(_("Evaluation templates are kept by coordinators."))


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _require_coordinating(request.user)
    filters = TemplateFilterForm(request.GET or None)
    relationship = filters.cleaned_data["relationship"] if filters.is_valid() else ""
    templates = selectors.template_list_for_page(request.user, relationship)
    return render(
        request,
        "evaluations/template_list.html",
        {"filters": filters, "page_obj": paginate(request, templates)},
    )


@login_required
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinating(request.user)
    template = selectors.template_get_for_user_or_404(request.user, pk)
    return render(
        request,
        "evaluations/template_detail.html",
        {
            "template": template,
            "sections": template.sections.prefetch_related("items"),
            "versions": selectors.template_versions(template),
            "in_use": services.template_in_use(template),
            "can_manage": permissions.can_manage_template(request.user, template),
            "not_observed": rules.NOT_OBSERVED,
        },
    )


# --- the builder ------------------------------------------------------------------------------


def _blank(form: Any, names: tuple[str, ...]) -> bool:
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    return not any(data.get(name) for name in names)


def _number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _item_section(form: Any) -> int | None:
    if form.is_bound:
        return _number(form.data.get(form.add_prefix("section")))
    return _number(form.initial.get("section"))


def _with_one_more_row(post: QueryDict) -> QueryDict:
    """The posted builder with one more empty section or item (the "add" buttons)."""
    data = post.copy()
    if "add_section" in post:
        count = _number(post.get("sections-TOTAL_FORMS")) or 0
        data["sections-TOTAL_FORMS"] = str(count + 1)
        # A new section comes with its first item, so that it is never empty.
        section_number = count + 1
    else:
        section_number = _number(post.get("add_item")) or 1
    items = _number(post.get("items-TOTAL_FORMS")) or 0
    data["items-TOTAL_FORMS"] = str(items + 1)
    data[f"items-{items}-section"] = str(section_number)
    data[f"items-{items}-kind"] = ItemKind.RATING
    data[f"items-{items}-is_required"] = "on"
    return data


def _collect(
    section_forms: Any, item_forms: Any
) -> tuple[list[dict[str, Any]], dict[tuple[int, int | None], Any], list[str]]:
    """The sections and items the service takes, the form of each place (to show its errors)
    and the problems only the page can have (an item in a section that is not there)."""
    kept: dict[int, int] = {}  # section number on the page → index in the payload
    sections: list[dict[str, Any]] = []
    places: dict[tuple[int, int | None], Any] = {}
    problems: list[str] = []
    item_sections = {
        _item_section(f) for f in item_forms if not _blank(f, ("prompt", "prompt_zh", "code"))
    }
    for number, form in enumerate(section_forms, start=1):
        data = form.cleaned_data
        if data.get("remove"):
            continue
        if _blank(form, ("title", "title_zh")) and number not in item_sections:
            continue
        kept[number] = len(sections)
        places[(len(sections), None)] = form
        sections.append(
            {"title": data.get("title", ""), "title_zh": data.get("title_zh", ""), "items": []}
        )
    removed = {n for n, f in enumerate(section_forms, start=1) if f.cleaned_data.get("remove")}
    for form in item_forms:
        data = form.cleaned_data
        if data.get("remove") or _blank(form, ("prompt", "prompt_zh", "code", "options")):
            continue
        number = data.get("section")
        if number in removed:
            continue
        if number not in kept:
            message = _("There is no section %(n)s: give the number of a section above.") % {
                "n": number or "—"
            }
            form.add_error("section", message)
            problems.append(message)
            continue
        index = kept[number]
        places[(index, len(sections[index]["items"]))] = form
        sections[index]["items"].append(
            {
                "code": data.get("code", ""),
                "kind": data.get("kind", ""),
                "prompt": data.get("prompt", ""),
                "prompt_zh": data.get("prompt_zh", ""),
                "options": data.get("options") or [],
                "is_required": data.get("is_required", False),
                "allows_not_observed": data.get("allows_not_observed", False),
            }
        )
    return sections, places, problems


def _place_label(section: int, item: int | None) -> str:
    if item is None:
        return _("Section %(s)s") % {"s": section + 1}
    return _("Section %(s)s, item %(i)s") % {"s": section + 1, "i": item + 1}


def _show_errors(
    exc: ValidationError, form: Any, places: dict[tuple[int, int | None], Any]
) -> list[str]:
    """Put the service's messages beside their fields; return them with their places for the
    summary at the top of the form."""
    summary: list[str] = []
    if not hasattr(exc, "error_dict"):
        apply_validation_error(form, exc)
        return error_messages(exc)
    for key, errors in exc.message_dict.items():
        match = PLACE.match(key)
        if not match:
            if key in form.fields:
                for message in errors:
                    form.add_error(key, message)  # listed with its label in the summary
            else:
                summary.extend(errors)
            continue
        section = int(match.group(1))
        item = int(match.group(2)) if match.group(2) is not None else None
        field = match.group(3)
        if field == "items" and item is None:
            field = None
        target = places.get((section, item))
        for message in errors:
            summary.append(
                _("%(place)s: %(message)s")
                % {"place": _place_label(section, item), "message": message}
            )
            if target is not None:
                target.add_error(field if field in target.fields else None, message)
    return summary


def _builder_rows(section_forms: Any, item_forms: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    """Each section form with the item forms that name it, and the items that name none."""
    by_number: dict[int, list[Any]] = {}
    for form in item_forms:
        by_number.setdefault(_item_section(form) or 0, []).append(form)
    groups = [
        {"number": number, "form": form, "items": by_number.pop(number, [])}
        for number, form in enumerate(section_forms, start=1)
    ]
    orphans = [form for forms in by_number.values() for form in forms]
    return groups, orphans


def _row_errors(section_forms: Any, item_forms: Any) -> list[str]:
    """The rows' own errors (an anchor line that cannot be read…) with their places, for the
    summary at the top of the form."""
    summary: list[str] = []
    groups, orphans = _builder_rows(section_forms, item_forms)
    rows = [(_place_label(group["number"] - 1, None), group["form"]) for group in groups] + [
        (_place_label(group["number"] - 1, index), form)
        for group in groups
        for index, form in enumerate(group["items"])
    ]
    rows += [(_("Items not in a section"), form) for form in orphans]
    for place, form in rows:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in errors:
                text = f"{label} — {message}" if label else message
                summary.append(_("%(place)s: %(message)s") % {"place": place, "message": text})
    return summary


def _new_template_rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [{"title": "", "title_zh": ""}], [
        {"section": 1, "kind": ItemKind.RATING, "is_required": True}
    ]


def _builder(request: HttpRequest, template: EvaluationTemplate | None) -> HttpResponse:
    user = request.user
    creating = template is None
    in_use = template is not None and services.template_in_use(template)
    if template is None:
        section_rows, item_rows = _new_template_rows()
        initial: dict[str, Any] = {}
    else:
        section_rows, item_rows = initial_rows(selectors.template_sections(template))
        initial = {name: getattr(template, name) for name in TEMPLATE_FIELDS}
        initial["is_anonymous"] = template.is_anonymous
    summary: list[str] = []
    status = 200
    if request.method == "POST":
        adding = "add_section" in request.POST or "add_item" in request.POST
        data = _with_one_more_row(request.POST) if adding else request.POST
        form = TemplateForm(data, user=user, with_institution=creating)
        sections_fs = SectionFormSet(data, prefix="sections")
        items_fs = ItemFormSet(data, prefix="items")
        valid = form.is_valid() & sections_fs.is_valid() & items_fs.is_valid()
        if not adding:
            if valid:
                payload, places, problems = _collect(sections_fs.forms, items_fs.forms)
                if problems:
                    summary = problems
                else:
                    try:
                        saved = _save(user, template, form.cleaned_data, payload)
                    except ValidationError as exc:
                        summary = _show_errors(exc, form, places)
                    else:
                        return _saved(request, template, saved)
            else:
                summary = _row_errors(sections_fs.forms, items_fs.forms) or [
                    _("Some fields cannot be read: see the marked rows.")
                ]
            status = 400
    else:
        form = TemplateForm(initial=initial, user=user, with_institution=creating)
        sections_fs = SectionFormSet(initial=section_rows, prefix="sections")
        items_fs = ItemFormSet(initial=item_rows, prefix="items")
    groups, orphans = _builder_rows(sections_fs.forms, items_fs.forms)
    return render(
        request,
        "evaluations/template_form.html",
        {
            "template": template,
            "form": form,
            "sections_fs": sections_fs,
            "items_fs": items_fs,
            "groups": groups,
            "orphans": orphans,
            "summary": summary,
            "in_use": in_use,
            "next_version": template.version + 1 if template else 1,
        },
        status=status,
    )


def _institution(user: Any, value: str) -> Institution | None:
    """The institution chosen in the form, among the selector's choices ("" = consortium)."""
    if not value:
        return None
    return selectors.template_institution_choices(user).filter(pk=_number(value) or 0).first()


def _save(
    user: Any,
    template: EvaluationTemplate | None,
    data: dict[str, Any],
    sections: list[dict[str, Any]],
) -> EvaluationTemplate:
    fields = {name: data.get(name, "") for name in TEMPLATE_FIELDS}
    if template is None:
        return services.template_create(
            actor=user,
            institution=_institution(user, data.get("institution", "")),
            is_anonymous=data.get("is_anonymous", False),
            sections=sections,
            **fields,
        )
    return services.template_edit(
        actor=user,
        template=template,
        is_anonymous=data.get("is_anonymous", False),
        sections=sections,
        **fields,
    )


def _saved(
    request: HttpRequest, before: EvaluationTemplate | None, saved: EvaluationTemplate
) -> HttpResponse:
    if before is None:
        messages.success(request, _("The template is created."))
    elif saved.pk != before.pk:
        messages.success(
            request,
            _("Version %(new)s is saved; the rounds that used version %(old)s keep it.")
            % {"new": saved.version, "old": before.version},
        )
    else:
        messages.success(request, _("The template is saved."))
    return redirect("evaluations:template_detail", pk=saved.pk)


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest) -> HttpResponse:
    _require_coordinating(request.user)
    return _builder(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinating(request.user)
    template = selectors.template_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_template(request.user, template):
        raise PermissionDenied(_("You cannot edit this template."))
    return _builder(request, template)


@login_required
@require_http_methods(["GET", "POST"])
def template_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    _require_coordinating(request.user)
    template = selectors.template_get_for_user_or_404(request.user, pk)
    form = DuplicateForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.template_duplicate(
                actor=request.user,
                template=template,
                institution=_institution(request.user, form.cleaned_data["institution"]),
                title=form.cleaned_data["title"],
                title_zh=form.cleaned_data["title_zh"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The copy is created: edit it as you wish."))
            return redirect("evaluations:template_edit", pk=copy.pk)
    if request.method == "POST":
        status = 400
    return render(
        request,
        "evaluations/template_duplicate.html",
        {"template": template, "form": form},
        status=status,
    )


@login_required
@require_POST
def template_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire (`action=retire`) or offer again (`action=restore`) a template."""
    _require_coordinating(request.user)
    template = selectors.template_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_template(request.user, template):
        raise PermissionDenied(_("You cannot change this template."))
    restore = request.POST.get("action") == "restore"
    try:
        if restore:
            services.template_restore(actor=request.user, template=template)
            messages.success(request, _("The template is offered for new rounds again."))
        else:
            services.template_retire(actor=request.user, template=template)
            messages.success(request, _("The template is retired: new rounds cannot use it."))
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    return redirect("evaluations:template_detail", pk=template.pk)
