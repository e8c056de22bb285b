"""Property tests of the completion eligibility rules (decision 112) against a plain reference
written from the rules' wording, on random rules and facts. No database."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.assessments import eligibility
from tandem.assessments.eligibility import CaseLogFact, Facts, RotationFact, Rules

STATES = [eligibility.PASSED, eligibility.FAILED, eligibility.OPEN, eligibility.MISSING]

rules = st.builds(
    Rules,
    training_years=st.integers(1, 5),
    rotations_required=st.booleans(),
    caselog_share=st.integers(0, 100),
    annual_required=st.booleans(),
    attendance_pass=st.none() | st.integers(0, 100),
    remediation_clear=st.booleans(),
)


@st.composite
def facts(draw):
    due = draw(st.integers(0, 60))
    return Facts(
        rotations=tuple(
            RotationFact(f"D{i}", draw(st.sampled_from(STATES)))
            for i in range(draw(st.integers(0, 6)))
        ),
        caselog=tuple(
            CaseLogFact(f"I{i}", draw(st.integers(1, 30)), draw(st.integers(0, 40)))
            for i in range(draw(st.integers(0, 6)))
        ),
        annual=draw(st.dictionaries(st.integers(1, 5), st.sampled_from(STATES[:3]), max_size=5)),
        attendance_due=due,
        attendance_present=draw(st.integers(0, due)),
        open_remediations=tuple(f"R{i}" for i in range(draw(st.integers(0, 2)))),
    )


def reference(rules: Rules, facts: Facts) -> tuple[bool, set[tuple[str, str]]]:
    """Eligible, and what is missing as (kind, label) — read straight from the rules."""
    missing = set()
    if rules.rotations_required:
        missing |= {("rotation", r.label) for r in facts.rotations if r.state != "passed"}
    total = sum(line.required for line in facts.caselog)
    counted = sum(min(line.verified, line.required) for line in facts.caselog)
    if total and Fraction(counted, total) < Fraction(rules.caselog_share, 100):
        missing |= {("caselog", c.label) for c in facts.caselog if c.verified < c.required}
    if rules.annual_required:
        for year in range(1, rules.training_years + 1):
            if facts.annual.get(year) != "passed":
                missing.add(("annual", str(year)))
    if (
        rules.attendance_pass is not None
        and facts.attendance_due > 0
        and Fraction(facts.attendance_present, facts.attendance_due)
        < Fraction(rules.attendance_pass, 100)
    ):
        missing.add(("attendance", ""))
    if rules.remediation_clear:
        missing |= {("remediation", label) for label in facts.open_remediations}
    return not missing, missing


@settings(max_examples=400, deadline=None)
@given(rules, facts())
def test_verdict_matches_the_reference(rules, facts):
    verdict = eligibility.evaluate(rules, facts)
    eligible, missing = reference(rules, facts)
    assert verdict.eligible == eligible
    assert {(m.kind, m.label) for m in verdict.missing} == missing


@settings(max_examples=200, deadline=None)
@given(rules, facts())
def test_eligible_exactly_when_nothing_is_missing_and_every_line_is_worded(rules, facts):
    verdict = eligibility.evaluate(rules, facts)
    assert verdict.eligible == (not verdict.missing)
    for item in verdict.missing:
        assert eligibility.describe(item)


@settings(max_examples=200, deadline=None)
@given(rules, facts())
def test_loosening_a_rule_never_makes_a_resident_ineligible(rules, facts):
    """Switching a rule off or lowering a threshold keeps an eligible resident eligible."""
    if not eligibility.evaluate(rules, facts).eligible:
        return
    looser = Rules(
        training_years=max(1, rules.training_years - 1),
        rotations_required=False,
        caselog_share=max(0, rules.caselog_share - 10),
        annual_required=rules.annual_required,
        attendance_pass=None,
        remediation_clear=False,
    )
    assert eligibility.evaluate(looser, facts).eligible


def test_the_checklist_lines_say_what_is_missing():
    facts = Facts(
        rotations=(RotationFact("Surgery", "open"), RotationFact("ICU", "missing")),
        caselog=(CaseLogFact("Appendectomy", 20, 12),),
        annual={1: "passed", 2: "failed"},
        attendance_due=10,
        attendance_present=7,
        open_remediations=("Surgery",),
    )
    verdict = eligibility.evaluate(Rules(training_years=3), facts)
    assert [eligibility.describe(m) for m in verdict.missing] == [
        "Surgery rotation not yet passed",
        "ICU rotation not yet completed",
        "Appendectomy: 12 of 20",
        "Annual assessment of training year 2 failed",
        "Annual assessment of training year 3 not yet passed",
        "Teaching attendance 70 % of the required 80 %",
        "Remediation after the Surgery rotation not yet resolved",
    ]


def test_a_share_of_the_case_log_is_enough_when_configured():
    facts = Facts(caselog=(CaseLogFact("A", 10, 10), CaseLogFact("B", 10, 8)))
    assert eligibility.evaluate(Rules(annual_required=False, caselog_share=90), facts).eligible
    verdict = eligibility.evaluate(Rules(annual_required=False, caselog_share=100), facts)
    assert [eligibility.describe(m) for m in verdict.missing] == ["B: 8 of 10"]
