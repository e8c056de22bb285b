"""Forms of the work-hour pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.workhours.models import LIMIT_FIELDS, Regulator, RuleSet, ShiftKind

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ShiftForm(forms.Form):
    """Times as the phone's date-and-time picker gives them: local, in the rule set's zone."""

    start = forms.DateTimeField(
        label=_("Start"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    end = forms.DateTimeField(
        label=_("End"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("A night shift ends the next day."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ShiftKind.choices, initial=ShiftKind.DUTY, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_start(self) -> Any:
        # The service reads naive times in the rule set's zone: drop Django's conversion.
        return _naive(self.cleaned_data["start"])

    def clean_end(self) -> Any:
        return _naive(self.cleaned_data["end"])


def _naive(value: Any) -> Any:
    return value.replace(tzinfo=None) if value is not None else value


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["regulator", "time_zone", *LIMIT_FIELDS]


class NewRuleSetForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Hospital"), queryset=None)
    program = forms.ModelChoiceField(
        label=_("Program (empty: the hospital's default)"), queryset=None, required=False
    )
    regulator = forms.ChoiceField(label=_("Rule set"), choices=Regulator.choices)

    def __init__(self, *args: Any, institutions: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["program"].queryset = programs


class PatternForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays worked"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    day_start = forms.TimeField(
        label=_("Day shift starts"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    day_end = forms.TimeField(
        label=_("Day shift ends"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    call_every = forms.IntegerField(
        label=_("A call every (days, 0 for none)"), min_value=0, max_value=14
    )
    call_hours = forms.IntegerField(label=_("Call length (hours)"), min_value=1, max_value=36)
    handover_hours = forms.IntegerField(
        label=_("Handover after a call (hours)"), min_value=0, max_value=12
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
