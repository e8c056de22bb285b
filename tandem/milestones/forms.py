"""Forms of the milestone pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import Specialty
from tandem.milestones import selectors
from tandem.milestones.models import Decision

DATE = forms.DateInput(attrs={"type": "date"})


class SetForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Hospital"), queryset=None)
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)
    version = forms.CharField(label=_("Version"), max_length=16)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel or CSV file"))


class CommitteeForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members (at least three)"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None)

    def __init__(self, *args: Any, program: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        faculty = selectors.faculty_of_institution(program.institution_id)
        self.fields["members"].queryset = faculty
        self.fields["chair"].queryset = faculty


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Faculty member"), queryset=None)

    def __init__(self, *args: Any, committee: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.faculty_of_institution(
            committee.program.institution_id
        )


class ReviewForm(forms.Form):
    milestone_set = forms.ModelChoiceField(label=_("Milestone set"), queryset=None)
    label = forms.CharField(label=_("Period"), max_length=40, help_text=_("For example 2026 H2."))
    period_start = forms.DateField(label=_("Period starts"), widget=DATE)
    period_end = forms.DateField(label=_("Period ends"), widget=DATE)
    due_on = forms.DateField(label=_("Decisions due on"), widget=DATE)

    def __init__(self, *args: Any, user: Any, committee: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone_set"].queryset = selectors.sets_for_program(user, committee.program)


class FinaliseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    plan = forms.CharField(
        label=_("Remediation plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    plan_owner = forms.ModelChoiceField(label=_("Plan owner"), queryset=None, required=False)
    plan_due = forms.DateField(label=_("Plan due on"), widget=DATE, required=False)

    def __init__(self, *args: Any, resident_review: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan_owner"].queryset = selectors.faculty_of_institution(
            resident_review.review.committee.program.institution_id
        )
