from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.alerts.models import EmailMode, Rule, WarningStatus, WarningThresholds
from tandem.institutions.models import Institution

STATES = [("active", _("Open and acknowledged")), *WarningStatus.choices, ("all", _("All"))]


class WarningFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False, choices=STATES)
    rule = forms.ChoiceField(
        label=_("Rule"), required=False, choices=[("", _("All rules")), *Rule.choices]
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), required=False, queryset=Institution.objects.none()
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("How was it resolved?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = WarningThresholds
        fields = [
            "no_report_weeks",
            "milestone_days",
            "tutor_silence_weeks",
            "action_overdue_days",
            "absences_in_row",
        ]

    def _post_clean(self) -> None:
        pass


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
