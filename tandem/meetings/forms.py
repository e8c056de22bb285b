from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.accounts.models import Role, User
from tandem.accounts.selectors import person_list_among, person_list_with_role_in_reach
from tandem.cultivation.models import JointCultivation
from tandem.institutions.selectors import institution_list_organizable_by
from tandem.meetings.models import (
    ContactChannel,
    ContactKind,
    MeetingMode,
    MeetingSeries,
    MentoringContact,
    ParticipantRole,
)
from tandem.meetings.recurrence import time_zone_names
from tandem.meetings.selectors import PERSON_RESULTS, person_search

COMMON_ZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Urumqi", "Europe/London", "UTC")


# The choice lists come from the selectors (docs/decisions/077).
people_with_role = person_list_with_role_in_reach
organizing_institutions = institution_list_organizable_by


def _zone_choices() -> list[tuple[str, str]]:
    rest = sorted(time_zone_names() - set(COMMON_ZONES))
    return [(z, z) for z in COMMON_ZONES] + [(z, z) for z in rest]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        # <input type="date"> takes ISO dates whatever the page's language (Chinese would
        # otherwise give 2026/03/05, which the browser drops).
        super().__init__(attrs, format=format or "%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"


class _SeriesFieldsForm(forms.ModelForm):
    """The series fields as both the scheduling and the editing form show them. The service
    validates the model (and the rules around it) as a whole, so the form does not."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices)
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = MeetingSeries
        fields: list[str] = []
        widgets = {
            "first_date": DateInput(),
            "until": DateInput(),
            "start_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass


class PersonPickerMixin:
    """Fields that choose people from dozens or thousands are a search, not one long list:
    the page shows the people chosen so far (checked) and the matches of a search (HTMX, or
    the form sent back with its "Search" button), never every option."""

    pickers: dict[str, str] = {}  # the names of the fields shown as a search

    def picker_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name in self.pickers:
            bound = self[name]  # type: ignore[index]
            field = self.fields[name]  # type: ignore[attr-defined]
            values = bound.value() or []
            if not isinstance(values, (list, tuple)):
                values = [values]
            ids = [int(v) for v in values if str(v).isdigit()]
            chosen = list(field.queryset.filter(pk__in=ids)) if ids else []
            query = str(self.search_data.get(f"{name}_q", "")).strip()  # type: ignore[attr-defined]
            results = [
                p
                for p in person_search(field.queryset, query)
                if p.pk not in {c.pk for c in chosen}
            ]
            rows.append(
                {
                    "field": bound,
                    "chosen": chosen,
                    "query": query,
                    "results": results,
                    "searched": bool(query),
                    "limit": PERSON_RESULTS,
                    "multiple": isinstance(field, forms.ModelMultipleChoiceField),
                }
            )
        return rows


def picker_initial(data: Any, names: Any) -> dict[str, Any]:
    """What was typed so far, as the initial values of an unbound form (a search is not a
    submission: it shows no errors and saves nothing)."""
    initial = {key: data.get(key) for key in data if key not in names}
    initial.update({name: data.getlist(name) for name in names})
    return initial


class SeriesForm(PersonPickerMixin, _SeriesFieldsForm):
    tutors = forms.ModelMultipleChoiceField(
        label=_("Other tutors"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The second tutor of a pair, or the other tutors of a lab."),
    )
    trainees = forms.ModelMultipleChoiceField(label=_("Trainees"), queryset=User.objects.none())

    class Meta(_SeriesFieldsForm.Meta):
        fields = [
            "title",
            "institution",
            "time_zone",
            "first_date",
            "start_time",
            "duration_minutes",
            "interval_weeks",
            "until",
            "mode",
            "location",
            "online_url",
            "description",
        ]

    pickers = {"tutors": "", "trainees": ""}

    def __init__(self, *args: Any, user: Any, search_data: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search_data = search_data or {}
        self.fields["institution"].queryset = organizing_institutions(user)
        self.fields["tutors"].queryset = people_with_role(user, Role.TUTOR).exclude(pk=user.pk)
        self.fields["trainees"].queryset = people_with_role(user, Role.TRAINEE)


class SeriesEditForm(_SeriesFieldsForm):
    """What can change in a running series; the first date and the rhythm stay. The instance
    stays as it was: the service applies the change."""

    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history; meetings cancelled by an earlier end date show it."),
    )

    class Meta(_SeriesFieldsForm.Meta):
        fields = [
            "title",
            "time_zone",
            "start_time",
            "duration_minutes",
            "until",
            "mode",
            "location",
            "online_url",
            "description",
        ]


class EndSeriesForm(forms.Form):
    after = forms.DateField(
        label=_("No more meetings after"),
        widget=DateInput(),
        help_text=_("The scheduled meetings after this date are cancelled."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InviteForm(PersonPickerMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Invite as"), choices=ParticipantRole.choices)

    pickers = {"person": ""}

    def __init__(self, *args: Any, user: Any, search_data: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search_data = search_data or {}
        self.fields["person"].queryset = (
            people_with_role(user, Role.TUTOR) | people_with_role(user, Role.TRAINEE)
        ).distinct()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    experimental_progress = forms.CharField(
        label=_("Experimental progress"), widget=forms.Textarea(attrs={"rows": 4})
    )
    dissertation_progress = forms.CharField(
        label=_("Dissertation progress"), widget=forms.Textarea(attrs={"rows": 4})
    )
    problems = forms.CharField(
        label=_("Current problems"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Files (optional)"), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("action item", "Owner"), queryset=User.objects.none()
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args: Any, user: Any, series: MeetingSeries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = {p.user_id for p in series.current_participants} | {series.organizer_id}
        self.fields["owner"].queryset = person_list_among(user, ids)  # type: ignore[attr-defined]


class CloseActionForm(forms.Form):
    note = forms.CharField(label=_("Outcome"), required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes for the minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = MentoringContact
        fields = ["cultivation", "kind", "date", "channel", "topic", "outcome"]
        widgets = {"date": DateInput(), "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, cultivations: QuerySet[JointCultivation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cultivation"].queryset = cultivations
        self.fields["cultivation"].label_from_instance = lambda c: str(c.trainee)
        self.fields["kind"].choices = ContactKind.choices
        self.fields["channel"].choices = ContactChannel.choices

    def _post_clean(self) -> None:
        pass


class ContactFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Between"), required=False, choices=[("", _("All"))] + ContactKind.choices
    )


class SeriesFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


MODE_CHOICES = MeetingMode.choices
