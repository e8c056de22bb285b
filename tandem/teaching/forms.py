"""Forms of the teaching pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.teaching import selectors
from tandem.teaching.models import ActivityKind, AttendanceStatus


class ActivityForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=None)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=None)
    place = forms.CharField(label=_("Place"), max_length=200)
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    duration_minutes = forms.IntegerField(label=_("Minutes"), initial=60)
    repeat_weeks = forms.TypedChoiceField(
        label=_("Repeats"),
        coerce=int,
        initial=0,
        choices=[
            (0, _("Once")),
            (1, _("Every week")),
            (2, _("Every 2 weeks")),
            (3, _("Every 3 weeks")),
            (4, _("Every 4 weeks")),
        ],
    )
    until = forms.DateField(
        label=_("Repeats until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: Any, changing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = selectors.department_list_schedulable_by(user)
        self.fields["department"].queryset = departments
        ids = list(departments.values_list("pk", flat=True))
        base_ids = departments.values("base_id")
        self.fields["kind"].queryset = ActivityKind.objects.filter(
            Q(base__isnull=True) | Q(base_id__in=base_ids), is_active=True
        ).order_by("position", "name")
        self.fields["teacher"].queryset = selectors.teacher_candidates(ids)
        if changing:
            for name in ("department", "repeat_weeks", "until"):
                del self.fields[name]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class SignInForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the teacher's phone"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class CorrectForm(forms.Form):
    resident = forms.ModelChoiceField(label=_("Resident"), queryset=None)
    status = forms.ChoiceField(label=_("Attendance"), choices=AttendanceStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, residents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents


class KindForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
