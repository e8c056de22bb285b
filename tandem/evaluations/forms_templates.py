"""Forms of the template builder (decision 087). They only shape input: the template, a
formset of sections and a flat formset of items that each name their section by number. The
service checks the whole and names what is wrong; the view puts each message beside its row.

Anchors and choices are typed one per line, `value | English label | Chinese label`; the value
may be left out (`Poor | 差`) and is then the line's number.
"""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tandem.core import tenancy
from tandem.evaluations import selectors
from tandem.evaluations.models import ItemKind, Relationship

OPTIONS_HELP = _(
    "For a rating or entrustment scale, its labelled anchors; for a choice, its options. One "
    "per line, lowest first: number | English label | Chinese label, e.g. “1 | Poor | 差”. "
    "The number may be left out."
)


class TemplateFilterForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Relationship"),
        required=False,
        choices=[("", _("Every relationship")), *Relationship.choices],
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    instructions = forms.CharField(
        label=_("Instructions in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    instructions_zh = forms.CharField(
        label=_("Instructions in Chinese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relationship = forms.ChoiceField(
        label=_("Who evaluates whom"),
        required=False,
        choices=[("", "—"), *Relationship.choices],
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: nobody sees who wrote what; results only as totals"), required=False
    )

    def __init__(self, *args: Any, user: Any, with_institution: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_institution:
            self.fields["institution"] = institution_field(user)


def institution_field(user: Any) -> forms.ChoiceField:
    """Who keeps the template: an institution the user coordinates, or (the consortium admin
    only) the whole consortium. The choices come from the selector."""
    choices: list[tuple[str, str]] = [
        (str(inst.pk), str(inst)) for inst in selectors.template_institution_choices(user)
    ]
    admin = tenancy.is_consortium_admin(user)
    if admin:
        choices.insert(0, ("", str(_("The whole consortium"))))
    return forms.ChoiceField(label=_("Kept by"), required=not admin, choices=choices)


class DuplicateForm(forms.Form):
    title = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"] = institution_field(user)


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title in English"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Section title in Chinese"), max_length=200, required=False)
    remove = forms.BooleanField(label=_("Remove this section and its items"), required=False)


def parse_options(text: str) -> list[dict[str, Any]]:
    """`value | label | label_zh` per line into the stored anchors; raises ValidationError
    naming the line that cannot be read."""
    options: list[dict[str, Any]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        value: int = len(options) + 1
        if len(parts) >= 2:
            try:
                value = int(parts[0])
                parts = parts[1:]
            except ValueError:
                pass
        if len(parts) > 2:
            raise forms.ValidationError(
                _("Line %(n)s: write number | English label | Chinese label."), params={"n": number}
            )
        options.append(
            {"value": value, "label": parts[0], "label_zh": parts[1] if len(parts) > 1 else ""}
        )
    return options


def format_options(options: list[dict[str, Any]]) -> str:
    lines = []
    for option in options:
        parts = [str(option.get("value", "")), option.get("label", "")]
        if option.get("label_zh"):
            parts.append(option["label_zh"])
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class ItemForm(forms.Form):
    section = forms.IntegerField(label=_("In section no."), min_value=1, required=False)
    code = forms.CharField(label=_("Code (optional)"), max_length=32, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices, required=False)
    prompt = forms.CharField(label=_("Question in English"), max_length=500, required=False)
    prompt_zh = forms.CharField(label=_("Question in Chinese"), max_length=500, required=False)
    options = forms.CharField(
        label=_("Anchors or choices"),
        required=False,
        help_text=OPTIONS_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    allows_not_observed = forms.BooleanField(label=_("“Not observed” allowed"), required=False)
    remove = forms.BooleanField(label=_("Remove this item"), required=False)

    def clean_options(self) -> list[dict[str, Any]]:
        return parse_options(self.cleaned_data.get("options") or "")


SectionFormSet = formset_factory(SectionForm, extra=0)
ItemFormSet = formset_factory(ItemForm, extra=0)


def initial_rows(
    sections: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The formsets' initial rows for a template's sections (from `selectors.template_sections`)."""
    section_rows = [{"title": s["title"], "title_zh": s["title_zh"]} for s in sections]
    item_rows = [
        {
            "section": number,
            "code": item["code"],
            "kind": item["kind"],
            "prompt": item["prompt"],
            "prompt_zh": item["prompt_zh"],
            "options": format_options(item["options"]),
            "is_required": item["is_required"],
            "allows_not_observed": item["allows_not_observed"],
        }
        for number, section in enumerate(sections, start=1)
        for item in section["items"]
    ]
    return section_rows, item_rows
