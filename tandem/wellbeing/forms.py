"""Forms of the wellbeing pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.wellbeing import selectors
from tandem.wellbeing.models import NoteKind, Score


def _score(label: Any, help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer this question.")},
    )


class CheckInForm(forms.Form):
    physical = _score(_("Physical health"), _("How has your body been these weeks?"))
    mental = _score(_("Mental health"), _("How have you been feeling: mood, stress, sleep?"))
    workload = _score(_("Workload"), _("Is your workload manageable? 5 = very manageable."))
    living = _score(_("Living conditions"), _("Housing, food, money, getting around."))
    note = forms.CharField(
        label=_("Anything else you would like to say"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only your institution's wellbeing officers read this; never your tutors."),
    )
    wants_contact = forms.BooleanField(
        label=_("I would like someone to contact me"), required=False
    )
    share_with_host = forms.BooleanField(
        label=_("The wellbeing officers of my host institution may read this check-in too"),
        required=False,
    )
    share_with_tutors = forms.BooleanField(
        label=_("My tutors may see the four scores of this check-in (not the note)"),
        required=False,
    )

    def __init__(self, *args: Any, has_host: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_host:
            del self.fields["share_with_host"]


class OfficerForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args: Any, institution: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.officer_candidates(institution)


class SettingsForm(forms.Form):
    period_weeks = forms.IntegerField(label=_("Check-in every (weeks)"), min_value=1, max_value=26)
    physical_alert_at = forms.IntegerField(
        label=_("Alert on physical health at or below (0 = never)"), min_value=0, max_value=4
    )
    mental_alert_at = forms.IntegerField(
        label=_("Alert on mental health at or below (0 = never)"), min_value=0, max_value=4
    )
    workload_alert_at = forms.IntegerField(
        label=_("Alert on workload at or below (0 = never)"), min_value=0, max_value=4
    )
    living_alert_at = forms.IntegerField(
        label=_("Alert on living conditions at or below (0 = never)"), min_value=0, max_value=4
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it records"), choices=NoteKind.choices)
    text = forms.CharField(label=_("Confidential note"), widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    note = forms.CharField(
        label=_("What the plan's confidential note should say"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The tutors and the coordinators of home and host can read the plan's confidential "
            "note; everyone else sees “health reasons (confidential)”. Write only what they "
            "need to know, e.g. “reduced laboratory hours until March”. Nothing of the "
            "check-in is copied."
        ),
    )
