"""Forms of the logbook pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.logbook import selectors
from tandem.logbook.models import CatalogueItem, EntryRole, ItemKind
from tandem.logbook.progress import catalogue_ids_of


class EntryForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    item = forms.ModelChoiceField(label=_("Case or procedure"), queryset=None)
    role = forms.TypedChoiceField(
        label=_("Your role"), choices=EntryRole.choices, coerce=int, widget=forms.RadioSelect
    )
    patient_ref = forms.CharField(
        label=_("Hospital record number"),
        max_length=60,
        help_text=_("Only a keyed fingerprint is kept, to find duplicates; never the number."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    note = forms.CharField(
        label=_("Note (no patient names or numbers)"), max_length=300, required=False
    )

    def __init__(self, *args: Any, user: Any, correcting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if correcting:
            self.fields["patient_ref"].required = False
            self.fields["patient_ref"].help_text = _(
                "Leave empty to keep the patient given before."
            )
        self.fields["department"].queryset = selectors.departments_of_resident(user)
        members = list(selectors.my_memberships(user))
        catalogue_ids = set(catalogue_ids_of(members).values())
        self.fields["item"].queryset = CatalogueItem.objects.filter(
            catalogue_id__in=catalogue_ids, is_active=True
        ).order_by("kind", "code")


class ReviewForm(forms.Form):
    verify = forms.TypedChoiceField(
        choices=[("1", _("Verify")), ("0", _("Return"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class CatalogueForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Hospital"), queryset=None)
    specialty = forms.CharField(label=_("Specialty"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ItemKind.choices)


class MinimumForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Case or procedure"), queryset=None)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,
        required=False,
        empty_label=_("Over the whole training"),
    )
    role = forms.TypedChoiceField(label=_("Role"), choices=EntryRole.choices, coerce=int)
    count = forms.IntegerField(label=_("At least"), min_value=0, max_value=1000)

    def __init__(self, *args: Any, catalogue: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.item_list_of(catalogue)
        self.fields["department"].queryset = selectors.departments_for_minimums(user)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx) or CSV"))
