"""Forms of the annual assessment and completion pages; choice lists from the selectors."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.assessments import selectors_completion
from tandem.assessments.models_completion import CompletionOutcome
from tandem.residency.models import Cohort, Program


def _score(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=5, decimal_places=1, min_value=0, max_value=100
    )


def _mark(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=100)


class CompletionFilterForm(forms.Form):
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False
    )
    eligible = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        choices=[("", _("All")), ("yes", _("Eligible")), ("no", _("Not eligible"))],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = selectors_completion.cohorts_seen_by(user)
        self.fields["program"].queryset = selectors_completion.programs_seen_by(user)


class CompletionResultForm(forms.Form):
    specialty = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Result"), choices=CompletionOutcome.choices)
    decided_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=64, required=False
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompletionRuleForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Specialty (of this program)"), queryset=Program.objects.none()
    )
    training_years = forms.IntegerField(label=_("Training years"), min_value=1, max_value=5)
    rotations_required = forms.BooleanField(
        label=_("Every required rotation completed and passed"), required=False
    )
    caselog_share = forms.IntegerField(
        label=_("Share of the case-log minimums met (percent)"), min_value=0, max_value=100
    )
    annual_required = forms.BooleanField(
        label=_("Annual assessment of every training year passed"), required=False
    )
    attendance_pass = _mark(_("Teaching attendance at least (percent)"))
    remediation_clear = forms.BooleanField(label=_("No unresolved remediation"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors_completion.programs_recorded_by(user)
        self.initial.setdefault("training_years", 3)
        self.initial.setdefault("caselog_share", 100)
        self.initial.setdefault("attendance_pass", 80)
        for name in ("rotations_required", "annual_required", "remediation_clear"):
            self.initial.setdefault(name, True)


class AnnualPlanForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    theory_pass = _mark(_("Theory exam pass mark"))
    skills_pass = _mark(_("Skills exam pass mark"))
    evaluation_pass = _mark(_("Teachers' evaluation pass mark"))
    attendance_pass = _mark(_("Attendance pass mark (percent)"))
    rotations_required = forms.BooleanField(
        label=_("Every rotation-end assessment of the year passed"), required=False, initial=True
    )
    reexams_allowed = forms.IntegerField(
        label=_("Re-examinations allowed"), min_value=0, max_value=3, initial=1
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors_completion.programs_recorded_by(user)


class AnnualScheduleForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    exam_on = forms.DateField(label=_("Exam date"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(
        label=_("Result due on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = selectors_completion.cohorts_recorded_by(user)
        self.fields["program"].queryset = selectors_completion.programs_recorded_by(user)


class AnnualRecordForm(forms.Form):
    theory = _score(_("Theory exam score"))
    skills = _score(_("Skills exam score"))
    evaluation = _score(_("Teachers' evaluation"))
    attendance = _score(_("Attendance (percent)"))
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
