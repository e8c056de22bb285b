"""The objective of a schedule, evaluated directly (used to report what the solver found).

The model's auxiliary variables are only exact in the direction the objective pushes them, so
the solver reports this value rather than CP-SAT's objective. ``checker.py`` has its own,
separately written count so that the two can catch each other's mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tandem.residency.scheduling.instance import Instance, Resident


def resident_points(instance: Instance, resident: Resident, row: Sequence[str | None]) -> int:
    points = 0
    for pref in resident.preferences:
        for t, rot in enumerate(row):
            if rot != pref.rotation:
                continue
            if pref.per_stint:
                if t == 0 or row[t - 1] != rot:
                    points += pref.points
            elif pref.blocks is None or t in pref.blocks:
                points += pref.points
    worked = [t for t, rot in enumerate(row) if rot is not None]
    sites = [instance.rotation(row[t]).site for t in worked]  # type: ignore[arg-type]
    changes = sum(1 for a, b in zip(sites, sites[1:], strict=False) if a != b)
    points += resident.site_change_points * changes
    if worked:
        gaps = sum(1 for t in range(worked[-1]) if row[t] is None)
        points += resident.gap_points * gaps
    return points


def schedule_objective(instance: Instance, assignments: Mapping[str, Sequence[str | None]]) -> int:
    totals = [resident_points(instance, r, assignments[r.id]) for r in instance.residents]
    if not totals:
        return 0
    return sum(totals) + instance.fairness_weight * min(totals)
