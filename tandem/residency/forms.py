"""Forms of the residency pages. They only shape input; the services decide what is allowed."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Role, User
from tandem.residency.models import CalendarKind, Department


class DepartmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search departments"), required=False, max_length=100)
    base = forms.ModelChoiceField(label=_("Training base"), required=False, queryset=None,
                                  empty_label=_("Any training base"))

    def __init__(self, *args: Any, bases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = bases  # type: ignore[attr-defined]


class DepartmentForm(forms.Form):
    base = forms.ModelChoiceField(label=_("Training base"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    code = forms.SlugField(label=_("Code"), max_length=24)
    min_per_block = forms.IntegerField(label=_("Residents per block at least"), min_value=0)
    max_per_block = forms.IntegerField(label=_("Residents per block at most"), min_value=0)
    duration = forms.IntegerField(label=_("Stint length in blocks"), min_value=1, initial=1)
    teachers = forms.ModelMultipleChoiceField(label=_("Teachers"), required=False, queryset=None)

    def __init__(self, *args: Any, bases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = bases  # type: ignore[attr-defined]
        institutions = bases.values_list("institution_id", flat=True)
        self.fields["teachers"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__role__in=[Role.TEACHER, Role.TUTOR, Role.BASE_DIRECTOR],
            memberships__institution_id__in=institutions,
        ).distinct()


class CalendarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    training_year = forms.IntegerField(label=_("Training year starting in"), min_value=2000,
                                       max_value=2100)
    kind = forms.ChoiceField(label=_("Blocks"), choices=CalendarKind.choices)
    start_date = forms.DateField(label=_("First day"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    block_count = forms.IntegerField(label=_("Number of blocks"), min_value=1, max_value=26,
                                     initial=13)


class RequirementForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(label=_("Departments"), queryset=None)
    min_blocks = forms.IntegerField(label=_("Blocks at least"), min_value=0)
    max_blocks = forms.IntegerField(label=_("Blocks at most"), min_value=0, required=False)
    is_elective = forms.BooleanField(label=_("Elective"), required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]


class RulesForm(forms.Form):
    rules = forms.CharField(
        label=_("Sequence rules (JSON)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("precedences, forbidden_sequences, max_consecutive and min_stint, with "
                    "department ids such as D12, as in the instance format."),
    )
    may_idle = forms.BooleanField(label=_("Residents may have blocks without a rotation"),
                                  required=False)

    def clean_rules(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rules"] or "{}")
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None


class GenerateForm(forms.Form):
    time_limit = forms.IntegerField(label=_("Time limit (seconds)"), min_value=1, max_value=300,
                                    initial=20)


class PinForm(forms.Form):
    resident = forms.CharField(label=_("Resident"), max_length=20)
    block = forms.IntegerField(label=_("Block"), min_value=0)
    department = forms.CharField(label=_("Department"), max_length=20, required=False)


class LeaveForm(forms.Form):
    block = forms.TypedChoiceField(label=_("Block"), coerce=int, choices=())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, blocks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [  # type: ignore[attr-defined]
            (b.index, f"{b.index + 1}: {b.start_date:%Y-%m-%d} – {b.end_date:%Y-%m-%d}")
            for b in blocks
        ]


class SwapForm(LeaveForm):
    other = forms.TypedChoiceField(label=_("Swap with"), coerce=int, choices=())

    def __init__(self, *args: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["other"].choices = [(m.pk, str(m)) for m in others]  # type: ignore


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"),
                                 choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


def department_choices(departments: Any) -> list[tuple[str, str]]:
    return [(f"D{d.pk}", str(d)) for d in departments]


__all__ = ["Department", "department_choices"]
