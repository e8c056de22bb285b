"""Forms only collect input; the services decide what is valid."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.agreements.models import Agreement
from tandem.institutions.models import Institution, Unit
from tandem.resources import selectors
from tandem.resources.models import ResourceKind, SharedResource


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=Institution.objects.none(),
        empty_label=_("All institutions"),
    )
    opened_to_me = forms.BooleanField(label=_("Opened to my institution"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = (  # type: ignore[attr-defined]
            selectors.resource_institution_filter_choices(user)
        )


class ResourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("Who to ask, with a phone number or e-mail address."),
    )
    is_active = forms.BooleanField(
        label=_("Available"),
        required=False,
        initial=True,
        help_text=_("Clear to deactivate the resource; it is kept with its history."),
    )

    def __init__(
        self,
        *args: Any,
        institution: Institution,
        instance: SharedResource | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                field: getattr(instance, field)
                for field in (
                    "name",
                    "name_zh",
                    "kind",
                    "description",
                    "location",
                    "contact",
                    "is_active",
                )
            } | {"unit": instance.unit_id}
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (  # type: ignore[attr-defined]
            selectors.resource_unit_choices(institution)
        )
        if instance is None:
            del self.fields["is_active"]


class OpeningForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        help_text=_("The resource is shared only while this agreement is active."),
    )
    partner = forms.ModelChoiceField(label=_("Open to"), queryset=Institution.objects.none())
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, resource: SharedResource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = (  # type: ignore[attr-defined]
            selectors.opening_agreement_choices(resource)
        )
        self.fields["partner"].queryset = (  # type: ignore[attr-defined]
            selectors.opening_partner_choices(resource)
        )
