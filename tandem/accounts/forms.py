from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.accounts.models import (
    MAX_ANNUAL_QUOTA,
    FeedScope,
    Role,
    SupervisorQualification,
    TraineeKind,
    User,
)
from tandem.institutions.models import Institution, Unit
from tandem.institutions.selectors import (
    institution_list_coordinated_by,
    institution_list_in_reach_of,
    unit_choices_for,
)


class LoginForm(AuthenticationForm):
    """One answer for every failed sign-in — wrong password, unknown username, locked account —
    so that the form tells nobody which usernames exist. The owner of a locked account is told
    by e-mail (`emails.send_lockout_notice`)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. After repeated failures an account is "
            "locked for a while, and its owner is told by e-mail."
        ),
    }


class SettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "preferred_language"]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “hospital HR sync”."),
    )


# --- People ---------------------------------------------------------------------------------------


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role"))] + Role.choices, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_list_in_reach_of(user)  # type: ignore[attr-defined]


class _PlaceForm(forms.Form):
    """Role, institution and unit: the institutions whose people the user manages."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("Leave empty only for a consortium admin."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Optional: a school, department, laboratory or training base."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = institution_list_coordinated_by(user)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = unit_choices_for(user, institutions)  # type: ignore[attr-defined]


class InviteForm(_PlaceForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("en", "English"), ("zh-hans", "简体中文")],
    )
    field_order = ["full_name", "email", "language", "role", "institution", "unit"]


class MembershipAddForm(_PlaceForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MembershipEndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class TraineeProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Trainee kind"), choices=TraineeKind.choices)
    cohort = forms.IntegerField(label=_("Cohort (year of entry)"), min_value=1950, max_value=2100)
    specialty = forms.CharField(label=_("Specialty or discipline"), required=False, max_length=120)

    def __init__(self, *args: Any, institutions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.number_fields: dict[str, int] = {}
        for institution in institutions:
            name = f"number_{institution.pk}"
            self.fields[name] = forms.CharField(
                label=_("Student number at %(institution)s") % {"institution": institution},
                required=False,
                max_length=40,
            )
            self.number_fields[name] = institution.pk

    def student_numbers(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for name, pk in self.number_fields.items()}


class TutorProfileForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("academic", "Title"), required=False, max_length=80)
    qualification = forms.ChoiceField(
        label=_("Supervisor qualification"), choices=SupervisorQualification.choices
    )
    research_areas = forms.CharField(
        label=_("Research areas"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    annual_quota = forms.IntegerField(
        label=_("Annual quota of new trainees"), min_value=0, max_value=MAX_ANNUAL_QUOTA
    )


class PeopleImportForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("Use the template: one person per row, the headers in the first row."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = institution_list_coordinated_by(user)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]


class CalendarFeedForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_("Calendars in the feed"),
        choices=FeedScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one calendar for the feed.")},
    )
