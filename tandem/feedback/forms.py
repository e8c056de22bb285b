"""Forms of the feedback pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.agreements.models import AgreementStatus
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.feedback.models import AttendanceStatus, Category, HandlerRole, Side
from tandem.feedback.selectors import cultivations_for_raising
from tandem.institutions.selectors import institution_list_visible_to


class CultivationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.agreement} ({obj.home} → {obj.host})"


class RaiseForm(forms.Form):
    cultivation = CultivationChoice(label=_("Joint cultivation"), queryset=None)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What is the problem?"), widget=forms.Textarea)
    anonymous = forms.BooleanField(
        label=_("Raise it anonymously"),
        required=False,
        help_text=_(
            "The people handling it will not see who you are; you follow, confirm and "
            "reopen it from your account."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cultivation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cultivations_for_raising(user)
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()


class SeminarRaiseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What is the problem?"), widget=forms.Textarea)
    anonymous = forms.BooleanField(label=_("Raise it anonymously"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), widget=forms.Textarea)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is it not solved?"), widget=forms.Textarea)


class RoutingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    side = forms.ChoiceField(label=_("Routed to"), choices=Side.choices)
    handler_role = forms.ChoiceField(label=_("Responsible role"), choices=HandlerRole.choices)
    acknowledge_days = forms.IntegerField(label=_("Days to acknowledge"), min_value=1, max_value=60)
    resolve_days = forms.IntegerField(label=_("Days to resolve"), min_value=1, max_value=365)


class SeminarForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, initial=90)
    host_site = forms.ModelChoiceField(label=_("Host site"), queryset=None, required=False)
    cohort = forms.IntegerField(label=_("Cohort"), required=False, min_value=1990)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreement = self.fields["agreement"]
        host_site = self.fields["host_site"]
        assert isinstance(agreement, forms.ModelChoiceField)
        assert isinstance(host_site, forms.ModelChoiceField)
        agreement.queryset = agreement_list_visible_to(user).filter(status=AgreementStatus.ACTIVE)
        host_site.queryset = institution_list_visible_to(user)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea)


def attendance_field_name(invitation_id: int) -> str:
    return f"attendance_{invitation_id}"


ATTENDANCE_CHOICES = [
    (value, label) for value, label in AttendanceStatus.choices if value != AttendanceStatus.INVITED
]
