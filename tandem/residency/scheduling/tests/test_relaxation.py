"""The LP bound is a true bound: exact arithmetic, any multipliers, per-site relaxations."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tandem.residency.scheduling import linear
from tandem.residency.scheduling.instance import parse_instance
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective
from tandem.residency.scheduling.relaxation import (
    decomposed_bound,
    safe_lower_bound,
    solve_relaxation,
)
from tandem.residency.scheduling.solver import SolveOptions, solve
from tandem.residency.scheduling.tests.factories import example_instance, random_tiny_instance
from tandem.residency.scheduling.tools.generate import generate_instance


def _built(instance):  # type: ignore[no-untyped-def]
    built = ScheduleModel(instance)
    built.add_rules()
    built.model.maximize(build_objective(built))
    return built


def _optimum(instance) -> int | None:  # type: ignore[no-untyped-def]
    # A reference optimum: generous time, CI machines are busy.
    solution = solve(instance, SolveOptions(time_limit=40.0, engine="cp-sat")).solution
    assert solution.status in ("OPTIMAL", "INFEASIBLE")
    return solution.objective


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**6))
@example(232616)  # an instance whose objective has no terms at all
def test_lp_bound_is_at_least_the_optimum_and_close_to_the_lp(seed: int) -> None:
    instance = parse_instance(random_tiny_instance(seed))
    optimum = _optimum(instance)
    relaxed = solve_relaxation(_built(instance), 10.0)
    if relaxed is None:  # an infeasible LP: then there is no schedule either
        assert optimum is None
        return
    assert relaxed.bound is not None
    assert relaxed.bound <= relaxed.lp_value + 1e-6
    assert relaxed.bound >= relaxed.lp_value - 1.0
    if optimum is not None:
        assert relaxed.bound >= optimum


def test_any_multipliers_give_a_valid_bound() -> None:
    """The exact recomputation needs no optimal duals: random ones still bound the optimum."""
    instance = parse_instance(example_instance())
    optimum = _optimum(instance)
    assert optimum is not None
    form = linear.linear_form(_built(instance).model)
    rng = random.Random(5)
    for _ in range(20):
        duals = np.array([rng.uniform(-3, 3) for _ in range(form.num_rows)])
        lower = safe_lower_bound(form, duals)
        assert lower is not None
        # A maximisation: the bound on the user's objective is -(lower + offset).
        assert -(lower + form.offset) >= optimum


def test_linear_form_merges_literals_and_repeated_variables() -> None:
    built = _built(parse_instance(example_instance()))
    form = linear.linear_form(built.model)
    keys = form.entry_row * form.num_variables + form.entry_column
    assert np.all(np.diff(keys) > 0)  # sorted by row then column, no duplicates
    assert len(form.row_low) == len(built.model.proto.constraints)


def test_decomposed_bound_bounds_a_two_site_instance() -> None:
    instance = generate_instance("pair", seed=2)
    optimum = _optimum(instance)
    bound = decomposed_bound(instance, 20.0)
    full = solve_relaxation(_built(instance), 20.0)
    assert optimum is not None and bound is not None and full is not None
    assert bound >= optimum
    assert full.bound is not None and full.bound >= optimum
