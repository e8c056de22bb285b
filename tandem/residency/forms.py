"""Forms of the residency pages. They only shape input; the services decide what is allowed."""

import json
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import Specialty
from tandem.residency import selectors
from tandem.residency.instancing import department_key
from tandem.residency.models import CalendarKind, Department
from tandem.residency.rules import MAX_PREFERENCE_POINTS


def block_label(block: Any) -> str:
    """People count blocks from 1 (they are stored from 0) and want their dates."""
    return gettext("Block %(number)s: %(first)s – %(last)s") % {
        "number": block.index + 1,
        "first": date_format(block.start_date, "SHORT_DATE_FORMAT"),
        "last": date_format(block.end_date, "SHORT_DATE_FORMAT"),
    }


class DepartmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search departments"), required=False, max_length=100)
    base = forms.ModelChoiceField(
        label=_("Training base"), required=False, queryset=None, empty_label=_("Any training base")
    )

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
        self.fields["teachers"].queryset = (  # type: ignore[attr-defined]
            selectors.teacher_list_of_institutions(institutions)
        )


class CalendarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    training_year = forms.IntegerField(
        label=_("Training year starting in"), min_value=2000, max_value=2100
    )
    kind = forms.ChoiceField(label=_("Blocks"), choices=CalendarKind.choices)
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    block_count = forms.IntegerField(
        label=_("Number of blocks"), min_value=1, max_value=26, initial=13
    )


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
        label=_("Sequence rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The keys of the instance format's sequence rules, with department ids such as D12:"
        ),
    )
    may_idle = forms.BooleanField(
        label=_("Residents may have blocks without a rotation"), required=False
    )

    def clean_rules(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rules"] or "{}")
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None


class ProgramForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Hospital"), queryset=None)
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("Short, unique within the hospital, e.g. im-pgy1."),
    )
    name = forms.CharField(label=_("Name"), max_length=160)
    specialty = forms.ChoiceField(label=_("Specialty"), choices=Specialty.choices)
    training_year = forms.IntegerField(
        label=_("Training year (PGY)"), min_value=1, max_value=5, initial=1
    )
    may_idle = forms.BooleanField(
        label=_("Residents may have blocks without a rotation"), required=False
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]


class CohortForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Hospital"), queryset=None)
    calendar = forms.ModelChoiceField(
        label=_("Block calendar"),
        queryset=None,
        help_text=_("A calendar of the hospital or one shared by the consortium."),
    )
    name = forms.CharField(label=_("Name"), max_length=160)

    def __init__(self, *args: Any, institutions: Any, calendars: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["calendar"].queryset = calendars  # type: ignore[attr-defined]


class MemberAddForm(forms.Form):
    """The page lists only the residents matching the search; any candidate may be sent."""

    residents = forms.ModelMultipleChoiceField(label=_("Residents"), queryset=None)
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)

    def __init__(self, *args: Any, candidates: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["residents"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    leave_blocks = forms.TypedMultipleChoiceField(
        label=_("Leave blocks"),
        coerce=int,
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Blocks the resident is away and is given no rotation."),
    )

    def __init__(self, *args: Any, programs: Any, blocks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["leave_blocks"].choices = [  # type: ignore[attr-defined]
            (b.index, block_label(b)) for b in blocks
        ]


class PreferenceForm(forms.Form):
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, required=False, empty_value=None, choices=()
    )
    points = forms.IntegerField(
        label=_("Points"),
        required=False,
        min_value=-MAX_PREFERENCE_POINTS,
        max_value=MAX_PREFERENCE_POINTS,
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((d.pk, f"{d} ({d.base.institution})") for d in departments),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        department, points = data.get("department"), data.get("points")
        if department is not None and points is None and "points" not in self.errors:
            self.add_error("points", gettext("Give the points for this department."))
        if department is None and points is not None:
            self.add_error("department", gettext("Choose the department these points are for."))
        return data


PreferenceFormSet = forms.formset_factory(PreferenceForm, extra=3, max_num=30, validate_max=True)


def preferences_from(formset: Any) -> list[dict[str, int]]:
    return [
        {"department": f.cleaned_data["department"], "points": f.cleaned_data["points"]}
        for f in formset.forms
        if f.cleaned_data.get("department") is not None
    ]


class QuotaForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Agreement"), queryset=None)
    from_institution = forms.ModelChoiceField(label=_("Residents from"), queryset=None)
    to_institution = forms.ModelChoiceField(label=_("Rotating at"), queryset=None)
    max_per_block = forms.IntegerField(
        label=_("Residents per block at most"), min_value=0, max_value=100
    )

    def __init__(self, *args: Any, agreements: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements  # type: ignore[attr-defined]
        for name in ("from_institution", "to_institution"):
            self.fields[name].queryset = institutions  # type: ignore[attr-defined]


class GenerateForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=300, initial=20
    )


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
            (b.index, block_label(b)) for b in blocks
        ]


class SwapForm(LeaveForm):
    other = forms.TypedChoiceField(label=_("Swap with"), coerce=int, choices=())

    def __init__(self, *args: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["other"].choices = [(m.pk, str(m)) for m in others]  # type: ignore


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SwapAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("accept", _("Accept the swap")), ("decline", _("Decline the swap"))],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def department_choices(departments: Any) -> list[tuple[str, str]]:
    return [(department_key(d.pk), str(d)) for d in departments]


__all__ = ["Department", "department_choices"]


# --------------------------------------------------------------------------- sequence rules

RULE_KINDS = [
    ("", _("(no rule)")),
    ("precedences", _("All of the first before any of the second")),
    ("forbidden_sequences", _("The first never directly followed by the second")),
    ("max_consecutive", _("At most this many blocks in a row in the first")),
    ("min_stint", _("At least this many blocks in a row in the first")),
]
PAIRED = {"precedences", "forbidden_sequences"}


class SequenceRuleForm(forms.Form):
    """One sequence rule as a row: what kind, which departments, how many blocks."""

    kind = forms.ChoiceField(label=_("Rule"), choices=RULE_KINDS, required=False)
    first = forms.MultipleChoiceField(label=_("First"), choices=(), required=False)
    second = forms.MultipleChoiceField(label=_("Second"), choices=(), required=False)
    blocks = forms.IntegerField(label=_("Blocks"), min_value=1, max_value=26, required=False)

    def __init__(self, *args: Any, departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = department_choices(departments)
        self.fields["first"].choices = choices  # type: ignore[attr-defined]
        self.fields["second"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if not kind:
            return data
        if not data.get("first"):
            self.add_error("first", _("Choose at least one department."))
        if kind in PAIRED and not data.get("second"):
            self.add_error("second", _("Choose at least one department."))
        if kind == "forbidden_sequences":
            for name in ("first", "second"):
                if len(data.get(name) or []) > 1:
                    self.add_error(name, _("Choose one department for this rule."))
        if kind not in PAIRED and not data.get("blocks"):
            self.add_error("blocks", _("Give the number of blocks."))
        return data

    def rule(self) -> tuple[str, Any] | None:
        """The row in the instance format: (key, item), or None for an empty row."""
        data = self.cleaned_data
        kind = data.get("kind")
        if not kind:
            return None
        if kind == "precedences":
            return kind, {"before": list(data["first"]), "after": list(data["second"])}
        if kind == "forbidden_sequences":
            return kind, [data["first"][0], data["second"][0]]
        return kind, {"rotations": list(data["first"]), "blocks": data["blocks"]}


class BaseSequenceRuleFormSet(forms.BaseFormSet):
    def rules(self) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for form in self.forms:
            rule = form.rule()
            if rule is not None:
                found.setdefault(rule[0], []).append(rule[1])
        return found


SequenceRuleFormSet = forms.formset_factory(
    SequenceRuleForm, formset=BaseSequenceRuleFormSet, extra=2
)


def rule_rows(rules: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored rules as initial rows of the formset."""
    rows: list[dict[str, Any]] = []
    for item in rules.get("precedences", []):
        rows.append({"kind": "precedences", "first": item["before"], "second": item["after"]})
    for pair in rules.get("forbidden_sequences", []):
        rows.append({"kind": "forbidden_sequences", "first": [pair[0]], "second": [pair[1]]})
    for kind in ("max_consecutive", "min_stint"):
        for item in rules.get(kind, []):
            rows.append({"kind": kind, "first": item["rotations"], "blocks": item["blocks"]})
    return rows
