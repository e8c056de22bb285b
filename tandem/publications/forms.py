"""Forms of the publication pages. They only shape input; the services decide."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.accounts.selectors import person_list_visible_to
from tandem.institutions.models import Institution
from tandem.institutions.selectors import institution_choices_for
from tandem.publications.models import CreditRole, Publication

MIN_AUTHOR_ROWS = 5
MAX_UPLOAD = 2 * 1024 * 1024


class PublicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search title, journal, DOI or author"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("compliant", _("Meets the authorship policy")),
            ("violations", _("Breaks the authorship policy")),
            ("waived", _("Violation waived by both coordinators")),
            ("unconfirmed", _("Awaiting the tutors' confirmation")),
            ("confirmed", _("Confirmed by both tutors")),
        ],
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    institution = forms.ModelChoiceField(
        label=_("Home or host"),
        required=False,
        empty_label=_("Any institution"),
        queryset=Institution.objects.none(),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["title", "journal", "year", "volume", "issue", "pages", "doi", "submitted_on"]
        widgets = {"submitted_on": forms.DateInput(attrs={"type": "date"})}

    def _post_clean(self) -> None:
        pass  # the service validates the whole publication


class AuthorForm(forms.Form):
    name = forms.CharField(label=_("Author's name"), required=False, max_length=200)
    user = forms.ModelChoiceField(label=_("Tandem user"), required=False, queryset=None)
    institutions = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("authorship", "Affiliated institutions"),
        required=False,
        queryset=Institution.objects.none(),
    )
    affiliation_text = forms.CharField(
        label=_("Affiliations as printed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_corresponding = forms.BooleanField(label=_("Corresponding author"), required=False)
    credit_roles = forms.MultipleChoiceField(
        label=_("CRediT roles"),
        required=False,
        choices=CreditRole.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = person_list_visible_to(user)  # type: ignore[attr-defined]
        self.fields["institutions"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


def author_formset(data: Any, user: Any, initial: list[dict] | None = None) -> Any:
    rows = list(initial or [])
    extra = max(MIN_AUTHOR_ROWS - len(rows), 2)
    formset = formset_factory(AuthorForm, extra=extra)
    return formset(
        data,
        initial=rows or None,
        prefix="authors",
        form_kwargs={"user": user},
    )


def author_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows, in order, as the service takes them."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {}) or {}
        if not (data.get("name") or "").strip():
            continue
        rows.append(
            {
                "name": data["name"],
                "user": data.get("user"),
                "institutions": list(data.get("institutions") or []),
                "affiliation_text": data.get("affiliation_text", ""),
                "is_corresponding": data.get("is_corresponding", False),
                "credit_roles": list(data.get("credit_roles") or []),
            }
        )
    return rows


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("bibtex", _("BibTeX (.bib)")),
            ("ris", _("RIS (.ris)")),
            ("csl_json", _("DOI metadata, CSL-JSON (.json)")),
        ],
    )
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the violation is acceptable"), widget=forms.Textarea(attrs={"rows": 3})
    )
