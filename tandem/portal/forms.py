"""The filters of the consortium's reports, one form for the page, the export and the API."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tandem.portal import benchmarks, selectors


class BenchmarkForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[(key, indicator.title) for key, indicator in benchmarks.INDICATORS.items()],
        initial="joint_trainees",
    )
    grouping = forms.ChoiceField(
        label=_("Compare"),
        choices=[
            (benchmarks.Grouping.REGION, _("regions")),
            (benchmarks.Grouping.TIER, _("tiers")),
        ],
        initial=benchmarks.Grouping.REGION,
    )
    show = forms.ChoiceField(
        label=_("Rows"),
        choices=[("institutions", _("institutions and groups")), ("groups", _("groups only"))],
        initial="institutions",
    )
    group = forms.CharField(label=_("Only the group"), required=False, max_length=32)
    first = forms.IntegerField(label=_("From year"), required=False, min_value=1990, max_value=2100)
    last = forms.IntegerField(label=_("To year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        if data is not None:
            # Missing filters take their defaults, so a bare link is a valid request.
            data = {name: field.initial for name, field in self.base_fields.items()} | {
                key: value for key, value in data.items() if value not in ("", None)
            }
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        grouping = cleaned.get("grouping")
        group = cleaned.get("group")
        if grouping and group and group not in benchmarks.group_labels(grouping):
            self.add_error("group", _("Choose one of the groups of this comparison."))
        first, last = cleaned.get("first"), cleaned.get("last")
        if first is not None and last is not None and first > last:
            self.add_error("first", _("The first year must not come after the last."))
        return cleaned

    def view(self) -> benchmarks.View:
        data = self.cleaned_data
        return benchmarks.View(
            show=data["show"],
            group=data.get("group") or "",
            first=data.get("first"),
            last=data.get("last"),
        )


class AnnualReportForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Report of"),
        queryset=None,
        required=False,
        empty_label=_("the consortium"),
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.report_institution_choices(user)
