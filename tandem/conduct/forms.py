"""Forms of the conduct pages; every choice list comes from the selectors."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.conduct import selectors
from tandem.conduct.models import Article, CommitteeKind, Level


class CaseOpenForm(forms.Form):
    cultivation = forms.ModelChoiceField(label=_("Joint cultivation"), queryset=None)
    article = forms.ModelChoiceField(label=_("Article cited"), queryset=None)
    committee = forms.ModelChoiceField(label=_("Deciding committee"), queryset=None)
    conduct_date = forms.DateField(
        label=_("Date of the conduct"), widget=forms.DateInput(attrs={"type": "date"})
    )
    facts = forms.CharField(label=_("Facts of the case"), widget=forms.Textarea(attrs={"rows": 6}))
    proposed_level = forms.ChoiceField(label=_("Sanction considered"), choices=Level.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cultivations = selectors.cultivations_for_case(user)
        ids: set[int] = set()
        for home_id, host_id in cultivations.values_list("home_id", "host_id"):
            ids |= {home_id, host_id}
        self.fields["cultivation"].queryset = cultivations
        self.fields["article"].queryset = Article.objects.filter(
            regulation__institution_id__in=ids
        ).select_related("regulation")
        self.fields["committee"].queryset = selectors.committees_of(ids, CommitteeKind.DISCIPLINE)
