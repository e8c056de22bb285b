"""Forms of the teachers' pages: their choice lists come from the selectors."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.faculty import selectors
from tandem.faculty.models import GoalStatus, Tier, Title, TrainingLevel
from tandem.institutions.models import Unit


def _date(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class PolicyForm(forms.Form):
    min_attending_years = forms.IntegerField(
        label=_("Years as attending physician at least"), min_value=0, max_value=40
    )
    certificate_required = forms.BooleanField(
        label=_("Teacher-training certificate required and unexpired"), required=False
    )
    max_residents_general = forms.IntegerField(
        label=_("Residents at once, general teacher"), min_value=1, max_value=20
    )
    max_residents_key = forms.IntegerField(
        label=_("Residents at once, key faculty"), min_value=1, max_value=20
    )


class ProfileFields(forms.Form):
    title = forms.ChoiceField(label=_("Professional title"), choices=Title.choices)
    attending_since = _date(_("Attending physician since"))
    certificate_number = forms.CharField(
        label=_("Teacher-training certificate number"), max_length=64, required=False
    )
    certificate_issued_on = _date(_("Certificate issued on"))
    certificate_expires_on = _date(_("Certificate expires on"))
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ProfileForm(ProfileFields):
    field_order = ["teacher"]

    def __init__(self, *args: Any, base: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teacher"] = forms.ModelChoiceField(
            label=_("Teacher"),
            queryset=selectors.profile_candidates(base).order_by("full_name", "username"),
        )
        self.order_fields(["teacher", *ProfileFields.base_fields])


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1, min_value=0.1)
    level = forms.ChoiceField(label=_("Level"), choices=TrainingLevel.choices)
    date = _date(_("Date"), required=True)
    certificate = forms.CharField(label=_("Certificate"), max_length=100, required=False)


class PlanStartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300)
    target = forms.CharField(label=_("Target"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=GoalStatus.choices, initial=GoalStatus.PLANNED, required=False
    )

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or GoalStatus.PLANNED


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    def __init__(self, *args: Any, base: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.ModelChoiceField(
            label=_("Resident"), queryset=selectors.member_choices_of_base(base)
        )
        self.fields["department"] = forms.ModelChoiceField(
            label=_("Department"), queryset=selectors.department_choices_of_base(base)
        )
        self.fields["teacher"] = forms.ModelChoiceField(
            label=_("Responsible teacher"),
            queryset=selectors.teacher_choices_of_base(base).order_by("full_name", "username"),
        )
        self.fields["starts_on"] = _date(_("From (empty: the rotation's start)"))
        self.fields["ends_on"] = _date(_("To (empty: the rotation's end)"))


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
