"""Forms of the rewards pages; every choice list comes from the selectors."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.rewards import selectors
from tandem.rewards.models import NomineeKind, RewardKind, RewardRound


class RoundForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Deciding institution"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind of reward"), choices=RewardKind.choices)
    nominee_kind = forms.ChoiceField(label=_("Who can be nominated"), choices=NomineeKind.choices)
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    criteria = forms.CharField(
        label=_("Criteria (English)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    criteria_zh = forms.CharField(
        label=_("Criteria (Chinese)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    nominations_open = forms.DateField(
        label=_("Nominations open"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nominations_close = forms.DateField(
        label=_("Nominations close"), widget=forms.DateInput(attrs={"type": "date"})
    )
    objection_days = forms.IntegerField(
        label=_("Objection period (working days)"), initial=5, min_value=1, max_value=30
    )
    consortium_wide = forms.BooleanField(
        label=_("Open to nominees of every institution of the consortium"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = selectors.institutions_for_round(user)
        if not tenancy.is_consortium_admin(user):
            del self.fields["consortium_wide"]


class NominationForm(forms.Form):
    nominees = forms.ModelMultipleChoiceField(
        label=_("Nominee (for a tutor pair, both tutors)"), queryset=User.objects.none()
    )
    statement = forms.CharField(
        label=_("Statement: how the nominee meets the criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, user: Any, round_: RewardRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = selectors.nominee_candidates(user, round_)


class RoundEditForm(forms.Form):
    """What a round's managers change while nothing is decided (decision 110); the kind of
    reward, who can be nominated and the deciding institution are fixed."""

    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    criteria = forms.CharField(
        label=_("Criteria (English)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    criteria_zh = forms.CharField(
        label=_("Criteria (Chinese)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    nominations_open = forms.DateField(
        label=_("Nominations open"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nominations_close = forms.DateField(
        label=_("Nominations close"), widget=forms.DateInput(attrs={"type": "date"})
    )
    objection_days = forms.IntegerField(
        label=_("Objection period (working days)"), min_value=1, max_value=30
    )
