"""Parts of an instance fit back together: sub-models, shares, and the hybrid path."""

from __future__ import annotations

import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.residency.scheduling.checker import check_schedule, rule_problems
from tandem.residency.scheduling.decompose import (
    Part,
    home_parts,
    lp_shares,
    neighbourhood_part,
    shared_parts,
    solve_part,
)
from tandem.residency.scheduling.instance import parse_instance
from tandem.residency.scheduling.solver import Progress, SolveOptions, choose_engine, solve
from tandem.residency.scheduling.tests.factories import random_tiny_instance
from tandem.residency.scheduling.tools.generate import generate_instance

# A reference optimum: time is not what these tests assert, and CI machines are busy.
CP_SAT = SolveOptions(time_limit=40.0, engine="cp-sat", explain_infeasible=False)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["cp-sat", "mip"]))
def test_a_part_re_solved_around_frozen_residents_keeps_every_rule(seed: int, engine: str) -> None:
    instance = parse_instance(random_tiny_instance(seed, residents=3, blocks=5))
    incumbent = solve(instance, CP_SAT).solution.assignments
    if incumbent is None:
        return
    rng = random.Random(seed)
    members = [ri for ri in range(len(instance.residents)) if rng.random() < 0.6] or [0]
    closed = {
        (ri, rot.id, t)
        for ri in members
        for rot in instance.rotations
        for t in range(instance.blocks)
        if rng.random() < 0.2 and instance.residents[ri].fixed.get(t) != rot.id
    }
    part = neighbourhood_part(instance, "test", members, dict(incumbent))
    part = replace(part, allow=lambda ri, rot, t: (ri, rot, t) not in closed)
    result = solve_part(instance, part, 5.0, engine=engine)
    if result.rows is None:
        return  # closing triples may leave no schedule for the part
    merged = {**incumbent, **result.rows}
    assert rule_problems(instance, merged) == []


def test_home_parts_fit_together() -> None:
    instance = generate_instance("pair", seed=3)
    rows: dict[str, tuple[str | None, ...]] = {}
    for part in home_parts(instance):
        result = solve_part(instance, part, 10.0, engine="mip")
        assert result.rows is not None
        rows.update(result.rows)
    assert rule_problems(instance, rows) == []


def test_lp_shares_never_exceed_a_limit_and_cover_every_minimum() -> None:
    instance = generate_instance("pair", seed=1)
    rng = random.Random(1)
    usage = {}
    for rot in instance.rotations:
        for t in range(instance.blocks):
            # As an LP would: a total within the rotation's limits, split at random.
            upper = rot.max_per_block[t]
            total = rng.uniform(rot.min_per_block[t], upper if upper is not None else 4)
            weights = [rng.random() for _ in instance.sites]
            for site, weight in zip(instance.sites, weights, strict=True):
                usage[rot.id, t, site] = total * weight / sum(weights)
    groups = {
        s: [ri for ri, r in enumerate(instance.residents) if r.site == s] for s in instance.sites
    }
    shares = lp_shares(instance, groups, usage)
    assert shares is not None
    for rot in instance.rotations:
        for t in range(instance.blocks):
            split = [shares[s][rot.id, t] for s in groups if (rot.id, t) in shares[s]]
            if not split:
                continue
            assert sum(low for low, _ in split) >= rot.min_per_block[t]
            upper = rot.max_per_block[t]
            if upper is not None:
                assert sum(high or 0 for _, high in split) <= upper
    parts = shared_parts(instance, groups, shares)
    assert {p.residents for p in parts} == {
        tuple(ri for ri, r in enumerate(instance.residents) if r.site == s) for s in instance.sites
    }
    assert all(isinstance(p, Part) for p in parts)


def test_hybrid_engine_gives_a_checked_schedule_and_a_true_bound() -> None:
    instance = generate_instance("pair", seed=2)
    optimum = solve(instance, CP_SAT).solution
    assert optimum.status == "OPTIMAL" and optimum.objective is not None
    seen: list[Progress] = []
    # 20 s: on a busy machine the first 8 s may give only the first schedule.
    result = solve(instance, SolveOptions(time_limit=20.0, engine="hybrid", progress=seen.append))
    solution = result.solution
    assert solution.status in ("OPTIMAL", "FEASIBLE")
    assert check_schedule(instance, solution).ok, check_schedule(instance, solution).problems
    assert solution.bound is not None and solution.bound >= optimum.objective
    assert solution.objective is not None and solution.objective >= 0.95 * optimum.objective
    assert any(p.objective is not None for p in seen) and any(p.bound is not None for p in seen)


def test_engine_choice() -> None:
    small = generate_instance("small")
    large = generate_instance("medium")
    assert choose_engine(small, SolveOptions()) == "cp-sat"
    assert choose_engine(large, SolveOptions()) == "hybrid"
    assert choose_engine(large, SolveOptions(previous={})) == "cp-sat"
    assert choose_engine(large, SolveOptions(engine="cp-sat")) == "cp-sat"
