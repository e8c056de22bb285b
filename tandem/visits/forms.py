"""Forms of the visit pages. Choice lists come from the selectors, scoped to the visit."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.agreements.models import Agreement
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.institutions.models import Institution, Specialty
from tandem.institutions.selectors import institution_choices_for
from tandem.visits import selectors
from tandem.visits.models import (
    PRACTICE_TOPICS,
    ActionStatus,
    DelegateRole,
    PresentationTopic,
    SessionTopic,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"})


class VisitForm(forms.Form):
    host = forms.ModelChoiceField(label=_("Host"), queryset=Institution.objects.none())
    visiting = forms.ModelChoiceField(
        label=_("Visiting institution"), queryset=Institution.objects.none()
    )
    agreement = forms.ModelChoiceField(
        label=_("Agreement between them (optional)"),
        queryset=Agreement.objects.none(),
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = institution_choices_for(user)
        self.fields["host"].queryset = institutions
        self.fields["visiting"].queryset = institutions
        self.fields["agreement"].queryset = agreement_list_visible_to(user)


def _side_choices(visit: Visit) -> list[tuple[int, str]]:
    return [(visit.host_id, str(visit.host)), (visit.visiting_id, str(visit.visiting))]


class SideForm(forms.Form):
    institution = forms.TypedChoiceField(label=_("Institution"), coerce=int)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.fields["institution"].choices = _side_choices(visit)

    def clean_institution(self) -> Institution | None:
        return selectors.side_or_none(self.visit, self.cleaned_data["institution"])


class AgendaForm(SideForm):
    topic = forms.ChoiceField(label=_("Topic"), choices=PresentationTopic.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    presenter = forms.ModelChoiceField(
        label=_("Presenter"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, visit=visit, **kwargs)
        self.fields["presenter"].queryset = selectors.people_of(visit)


class DelegateForm(SideForm):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=DelegateRole.choices)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, visit=visit, **kwargs)
        self.fields["person"].queryset = selectors.people_of(visit)


class SessionForm(forms.Form):
    host_base = forms.ModelChoiceField(label=_("The host's base"), queryset=None, required=False)
    visiting_base = forms.ModelChoiceField(
        label=_("The visiting side's base"), queryset=None, required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=SessionTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_topic = forms.CharField(label=_("Other topic"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_base"].queryset = selectors.bases_of(visit.host_id)
        self.fields["visiting_base"].queryset = selectors.bases_of(visit.visiting_id)
        self.fields["participants"].queryset = selectors.people_of(visit)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=SessionTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class PracticeForm(SideForm):
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        choices=[("", _("All specialties")), *Specialty.choices],
        required=False,
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=PRACTICE_TOPICS)
    title = forms.CharField(label=_("Title"), max_length=200)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea)
    summary_zh = forms.CharField(
        label=_("Summary in Chinese"), widget=forms.Textarea, required=False
    )


class ActionForm(SideForm):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    title = forms.CharField(label=_("Action"), max_length=200)
    detail = forms.CharField(label=_("Detail"), widget=forms.Textarea, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    session = forms.ModelChoiceField(label=_("Discussion session"), queryset=None, required=False)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, visit=visit, **kwargs)
        self.fields["owner"].queryset = selectors.people_of(visit)
        self.fields["session"].queryset = visit.sessions.all()


class StepForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in ActionStatus if s != ActionStatus.OPEN]
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    specialty = forms.ChoiceField(
        label=_("Specialty"), choices=[("", _("All")), *Specialty.choices], required=False
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("All")), *PRACTICE_TOPICS], required=False
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)


class VisitEditForm(forms.Form):
    """The details of a planned or held visit (decision 114): the two institutions and the
    agreement stay as they were planned."""

    title = forms.CharField(label=_("Title"), max_length=200)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea, required=False)
