from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.quality.models import PeriodUnit, StandardKind


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    department = forms.TypedChoiceField(
        label=_("Department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Every department"))] + [
            (d.pk, str(d)) for d in departments
        ]


class StandardForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of standard"), choices=StandardKind.choices)
    activity_kind = forms.TypedChoiceField(
        label=_("Kind of activity"), required=False, coerce=int, empty_value=None
    )
    count = forms.IntegerField(label=_("How many (activities, or residents at most)"), initial=1)
    period = forms.IntegerField(label=_("Every"), initial=1)
    unit = forms.ChoiceField(label=_("Period"), choices=PeriodUnit.choices, initial=PeriodUnit.WEEK)
    within_days = forms.IntegerField(label=_("Orientation within (days)"), initial=3)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity_kind"].choices = [("", "—")] + [(k.pk, str(k)) for k in kinds]


class SupervisorForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Supervisor"), coerce=int)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [(p.pk, str(p)) for p in people]


class FindingForm(forms.Form):
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(p.pk, str(p)) for p in people]


class RespondForm(forms.Form):
    response = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return to the owner"))]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, image, Word or Excel document."))

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.pk, str(i)) for i in indicators]
