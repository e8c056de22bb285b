"""Completion eligibility (结业考核资格) as a pure function: plain facts in, a verdict out, no
ORM (decision 112). `selectors_completion.completion_facts` gathers the facts of a whole page
of residents in a constant number of queries; `describe` words a missing item in the reader's
language.

The rules, each switched on per specialty and hospital (models_completion.CompletionRule):
- every required rotation completed and its rotation-end assessment passed;
- the case-log minimums met: the verified entries, each minimum capped at its count, reach the
  configured share of everything required (100 % means every minimum); when short, each minimum
  not met is listed;
- the annual assessment of every training year passed;
- the teaching attendance at least the configured percent (excused absences left out; nothing
  to attend counts as met);
- no unresolved remediation.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# A rotation's or an annual assessment's state, as the checklist tells it.
PASSED = "passed"
FAILED = "failed"
OPEN = "open"  # rotated (or scheduled), assessment not decided
MISSING = "missing"  # not rotated yet / no annual assessment


@dataclass(frozen=True)
class Rules:
    training_years: int = 3
    rotations_required: bool = True
    caselog_share: int = 100
    annual_required: bool = True
    attendance_pass: int | None = 80
    remediation_clear: bool = True


@dataclass(frozen=True)
class RotationFact:
    label: str
    state: str


@dataclass(frozen=True)
class CaseLogFact:
    label: str
    required: int
    verified: int


@dataclass(frozen=True)
class Facts:
    rotations: tuple[RotationFact, ...] = ()
    caselog: tuple[CaseLogFact, ...] = ()
    annual: dict[int, str] = field(default_factory=dict)  # {training year: state}
    attendance_due: int = 0
    attendance_present: int = 0
    open_remediations: tuple[str, ...] = ()  # department labels


@dataclass(frozen=True)
class Missing:
    kind: str  # rotation, caselog, annual, attendance, remediation
    label: str = ""
    state: str = ""
    have: int = 0
    need: int = 0


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    missing: tuple[Missing, ...]


def caselog_met(rules: Rules, caselog: tuple[CaseLogFact, ...]) -> bool:
    required = sum(line.required for line in caselog)
    if not required:
        return True
    met = sum(min(line.verified, line.required) for line in caselog)
    return met * 100 >= rules.caselog_share * required


def evaluate(rules: Rules, facts: Facts) -> Verdict:
    missing: list[Missing] = []
    if rules.rotations_required:
        for rotation in facts.rotations:
            if rotation.state != PASSED:
                missing.append(Missing("rotation", label=rotation.label, state=rotation.state))
    if not caselog_met(rules, facts.caselog):
        for line in facts.caselog:
            if line.verified < line.required:
                missing.append(
                    Missing("caselog", label=line.label, have=line.verified, need=line.required)
                )
    if rules.annual_required:
        for year in range(1, rules.training_years + 1):
            state = facts.annual.get(year, MISSING)
            if state != PASSED:
                missing.append(Missing("annual", label=str(year), state=state))
    pass_mark = rules.attendance_pass
    if (
        pass_mark is not None
        and facts.attendance_due
        and facts.attendance_present * 100 < pass_mark * facts.attendance_due
    ):
        missing.append(
            Missing(
                "attendance",
                have=facts.attendance_present * 100 // facts.attendance_due,
                need=pass_mark,
            )
        )
    if rules.remediation_clear:
        for label in facts.open_remediations:
            missing.append(Missing("remediation", label=label))
    return Verdict(not missing, tuple(missing))


def describe(item: Missing) -> str:
    """The checklist line, in the active language."""
    if item.kind == "rotation":
        if item.state == MISSING:
            return _("%(department)s rotation not yet completed") % {"department": item.label}
        return _("%(department)s rotation not yet passed") % {"department": item.label}
    if item.kind == "caselog":
        return _("%(item)s: %(have)s of %(need)s") % {
            "item": item.label,
            "have": item.have,
            "need": item.need,
        }
    if item.kind == "annual":
        if item.state == FAILED:
            return _("Annual assessment of training year %(year)s failed") % {"year": item.label}
        return _("Annual assessment of training year %(year)s not yet passed") % {
            "year": item.label
        }
    if item.kind == "attendance":
        return _("Teaching attendance %(have)s %% of the required %(need)s %%") % {
            "have": item.have,
            "need": item.need,
        }
    return _("Remediation after the %(department)s rotation not yet resolved") % {
        "department": item.label
    }
