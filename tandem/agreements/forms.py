"""Forms of the agreement pages. They only shape input; the services decide what is allowed."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role
from tandem.accounts.selectors import person_list_with_role_in_reach
from tandem.agreements.models import Agreement, AgreementForm, AgreementStatus
from tandem.core.forms import apply_validation_error
from tandem.institutions.models import Institution
from tandem.institutions.selectors import institution_choices_for

MIN_PARTY_ROWS = 4
MIN_QUOTA_ROWS = 3
TERM_FIELDS = [
    "title",
    "reference",
    "form",
    "start_date",
    "end_date",
    "initiating_tutor",
    "funding_clause",
    "corresponding_author_rule",
    "trainee_lists_both_institutions",
    "authorship_clause",
    "ip_clause",
    "ip_owner",
    "ip_owner_other",
    "insurance_clause",
    "insurance_required",
    "stay_may_start_uninsured",
    "housing_clause",
    "housing_provider",
    "exchange_rotation_clause",
    "teacher_exchange_clause",
    "visit_clause",
]


class AgreementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search title or reference"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AgreementStatus.choices],
    )
    form = forms.ChoiceField(
        label=_("Form"), required=False, choices=[("", _("Any form")), *AgreementForm.choices]
    )
    institution = forms.ModelChoiceField(
        label=_("Party"),
        required=False,
        empty_label=_("Any institution"),
        queryset=Institution.objects.none(),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


class AgreementTermsForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = TERM_FIELDS
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "funding_clause",
                    "authorship_clause",
                    "ip_clause",
                    "insurance_clause",
                    "housing_clause",
                    "exchange_rotation_clause",
                    "teacher_exchange_clause",
                    "visit_clause",
                )
            },
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiating_tutor"]
        field.queryset = person_list_with_role_in_reach(user, Role.TUTOR)  # type: ignore[attr-defined]
        field.help_text = _("Only for tutor-initiated agreements: a tutor at one of the parties.")

    def _post_clean(self) -> None:
        # The service validates the whole agreement; the form only converts the input.
        pass


class PartyForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), required=False, queryset=Institution.objects.none()
    )
    funding_share = forms.DecimalField(
        label=_("Funding share (%)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )
    responsibilities = forms.CharField(
        label=_("This party provides"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


class QuotaForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2200)
    max_trainees = forms.IntegerField(
        label=_("Joint trainees at most"), required=False, min_value=0, max_value=10000
    )


def party_formset(data: Any = None, initial: list[dict] | None = None, *, user: Any) -> Any:
    initial = initial or []
    extra = max(MIN_PARTY_ROWS - len(initial), 1)
    formset_class = formset_factory(PartyForm, extra=extra)
    return formset_class(data, initial=initial, prefix="parties", form_kwargs={"user": user})


def quota_formset(data: Any = None, initial: list[dict] | None = None) -> Any:
    initial = initial or []
    extra = max(MIN_QUOTA_ROWS - len(initial), 1)
    formset_class = formset_factory(QuotaForm, extra=extra)
    return formset_class(data, initial=initial, prefix="quotas")


def filled_rows(formset: Any, key: str) -> list[tuple[int, dict]]:
    """(form index, cleaned data) of the rows a person filled in; blank rows are skipped."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", {}) or {}
        if data.get(key) not in (None, ""):
            rows.append((index, data))
    return rows


ROW_ERROR = re.compile(r"^(?P<set>parties|quotas)\[(?P<row>\d+)\]\.(?P<field>\w+)$")


def apply_terms_error(
    form: forms.BaseForm,
    formsets: dict[str, tuple[Any, list[int]]],
    exc: ValidationError,
) -> None:
    """Show a service error on the row and field it names (`parties[1].funding_share`); the
    service counts only the filled rows, so `formsets` maps its row numbers to form indexes."""
    if not hasattr(exc, "error_dict"):
        apply_validation_error(form, exc)
        return
    rest: dict[str, list] = {}
    for key, errors in exc.error_dict.items():
        match = ROW_ERROR.match(key)
        if match and match["set"] in formsets:
            formset, indexes = formsets[match["set"]]
            row = int(match["row"])
            if row < len(indexes) and match["field"] in formset.forms[indexes[row]].fields:
                target = formset.forms[indexes[row]]
                for error in errors:
                    for message in error.messages:
                        target.add_error(match["field"], message)
                continue
        rest[key] = errors
    if rest:
        apply_validation_error(form, ValidationError(rest))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the agreement's history."),
    )


class SignForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("Sign for"), coerce=int, required=False)

    def __init__(self, *args: Any, institutions: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.choices = [(i.pk, str(i)) for i in institutions]  # type: ignore[attr-defined]
        if len(institutions) == 1:
            field.initial = institutions[0].pk


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the file name."),
    )
    file = forms.FileField(label=_("File"), help_text=_("PDF, image, Word or Excel document."))
