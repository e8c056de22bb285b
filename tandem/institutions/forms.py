"""Forms only collect input; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import (
    Institution,
    InstitutionKind,
    Region,
    Specialty,
    Unit,
    UnitKind,
)
from tandem.institutions.selectors import institution_parent_choices, unit_parent_choices
from tandem.institutions.services import parse_tier_labels


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *InstitutionKind.choices]
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *Region.choices]
    )
    inactive = forms.BooleanField(label=_("Include deactivated"), required=False)


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("A short unique code of letters, digits and hyphens, e.g. wmu."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=InstitutionKind.choices)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        initial="CN",
        help_text=_("Two-letter ISO code, e.g. CN."),
    )
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    tier_labels = forms.CharField(
        label=_("Tier labels"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, e.g. Double First-Class, 985, 211."),
    )
    parent = forms.ModelChoiceField(
        label=_("Affiliated to"),
        required=False,
        queryset=Institution.objects.none(),
        help_text=_("For example, the university a hospital is affiliated to."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, user: Any, instance: Institution | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "name_zh": instance.name_zh,
                "code": instance.code,
                "kind": instance.kind,
                "country": instance.country,
                "region": instance.region,
                "tier_labels": ", ".join(instance.tier_labels or []),
                "parent": instance.parent_id,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        if instance is None:
            del self.fields["is_active"]
        self.fields["parent"].queryset = institution_parent_choices(user, instance)  # type: ignore[attr-defined]

    def clean_tier_labels(self) -> list[str]:
        return parse_tier_labels(self.cleaned_data.get("tier_labels") or "")


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        required=False,
        choices=[("", "—"), *Specialty.choices],
        help_text=_("Required for a training base."),
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"), required=False, queryset=Unit.objects.none()
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        user: Any,
        institution: Institution,
        instance: Unit | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "name_zh": instance.name_zh,
                "kind": instance.kind,
                "specialty": instance.specialty,
                "parent": instance.parent_id,
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        if instance is None:
            del self.fields["is_active"]
        self.fields["parent"].queryset = unit_parent_choices(user, institution, instance)  # type: ignore[attr-defined]
