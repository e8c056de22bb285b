"""Forms of the funds pages. They only shape input; the services decide what is allowed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.selectors import person_list_visible_to
from tandem.funds.models import (
    AllocationStatus,
    ApplicationStatus,
    ExpenseCategory,
    FundAllocation,
    ResearchFund,
)
from tandem.institutions.models import Institution
from tandem.institutions.selectors import institution_choices_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FundFilterForm(forms.Form):
    q = forms.CharField(label=_("Search code, title, source or PI"), required=False, max_length=100)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        empty_label=_("Any institution"),
        queryset=Institution.objects.none(),
    )
    current = forms.BooleanField(label=_("Current funds only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


class FundForm(forms.ModelForm):
    class Meta:
        model = ResearchFund
        fields = [
            "code",
            "title",
            "source",
            "principal_investigator",
            "institution",
            "amount",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principal_investigator"].queryset = person_list_visible_to(user)
        self.fields["institution"].queryset = institution_choices_for(user)

    def _post_clean(self) -> None:
        # The service validates the whole fund (balance included); the form only parses.
        pass


class LedgerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search description"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("Any category")), *ExpenseCategory.choices],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)
    allocation = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ExpenseForm(forms.Form):
    allocation = forms.ModelChoiceField(
        label=_("Allocation"),
        required=False,
        queryset=FundAllocation.objects.none(),
        empty_label=_("None (the fund in general)"),
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=14, decimal_places=2)
    category = forms.ChoiceField(label=_("Category"), choices=ExpenseCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    receipt = forms.FileField(label=_("Receipt"), required=False)

    def __init__(self, *args: Any, allocations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allocation"].queryset = allocations
        self.fields["allocation"].label_from_instance = lambda a: str(a.cultivation.trainee)

    def refile_notice(self) -> str:
        """A browser cannot be handed a chosen file back: say so when the form comes back."""
        receipt = self.files.get("receipt") if self.is_bound else None
        if receipt is None or not self.errors:
            return ""
        return _("Nothing was saved, so the receipt %(name)s must be chosen again.") % {
            "name": receipt.name
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AllocationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search trainee or fund code"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *AllocationStatus.choices],
    )


class AllocationForm(forms.Form):
    cultivation = forms.ModelChoiceField(label=_("Joint cultivation"), queryset=None)
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=14, decimal_places=2)
    warn_below = forms.DecimalField(
        label=_("Warn when the remainder falls below (CNY)"),
        max_digits=14,
        decimal_places=2,
        initial=0,
    )
    home_share = forms.DecimalField(
        label=_("Home institution's share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Leave both shares empty to follow the agreement's funding shares."),
    )
    host_share = forms.DecimalField(
        label=_("Host institution's share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
    )

    def __init__(self, *args: Any, cultivations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cultivation"].queryset = cultivations

    def shares(self) -> dict[int, Any] | None:
        home, host = self.cleaned_data.get("home_share"), self.cleaned_data.get("host_share")
        if home is None and host is None:
            return None
        cultivation = self.cleaned_data["cultivation"]
        return {cultivation.home_id: home or 0, cultivation.host_id: host or 0}


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search title or funder"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ApplicationStatus.choices],
    )


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    funder = forms.CharField(label=_("Funder"), max_length=200)
    amount_requested = forms.DecimalField(
        label=_("Amount requested (CNY)"), max_digits=14, decimal_places=2
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ApplicationStatus.GRANTED, ApplicationStatus.GRANTED.label),
            (ApplicationStatus.REJECTED, ApplicationStatus.REJECTED.label),
        ],
    )
    outcome = forms.CharField(
        label=_("What the funder decided"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resulting_fund = forms.ModelChoiceField(
        label=_("Registered as fund"), required=False, queryset=ResearchFund.objects.none()
    )

    def __init__(self, *args: Any, funds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resulting_fund"].queryset = funds
