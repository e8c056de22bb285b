"""The LP relaxation of the model: a proved bound, and a guide for the search.

The model (every constraint is linear, ``linear.py``) is solved as an LP by HiGHS through
OR-Tools' MathOpt (GLOP if HiGHS is missing); both ship with OR-Tools. An LP value is a
floating-point number, so the bound reported to the user is not the LP value itself: it is
recomputed from the LP's dual values in exact integer arithmetic (a Lagrangian bound, valid for
*any* multipliers), which makes it a true upper bound on every schedule's objective whatever
the LP solver's rounding errors.

On the multi-site instances the LP of the whole instance is large; ``decomposed_bound`` solves
one LP per site instead (a relaxation of the whole, see its docstring), which is faster and,
on the generated instances, as tight.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt
from ortools.util.python.solve_interrupter import SolveInterrupter

from tandem.residency.scheduling import linear
from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.instance import Instance
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.objective import build_objective

_SCALE_BITS = 24  # dual values are rounded to multiples of 2**-24 before the exact sums


@dataclass
class Relaxation:
    values: np.ndarray  # LP value of every CP-SAT variable, by index
    bound: int | None  # proved upper bound on the (maximised) objective
    lp_value: float
    seconds: float


def model_proto(form: linear.LinearForm) -> model_pb2.ModelProto:
    """min costs . x over the form, as a MathOpt model proto built in bulk."""
    proto = model_pb2.ModelProto()
    count = form.num_variables
    proto.variables.ids.extend(range(count))
    proto.variables.lower_bounds.extend(form.var_low.astype(np.float64).tolist())
    proto.variables.upper_bounds.extend(form.var_high.astype(np.float64).tolist())
    proto.variables.integers.extend([False] * count)
    proto.linear_constraints.ids.extend(range(form.num_rows))
    proto.linear_constraints.lower_bounds.extend(form.row_low.tolist())
    proto.linear_constraints.upper_bounds.extend(form.row_high.tolist())
    matrix = proto.linear_constraint_matrix
    matrix.row_ids.extend(form.entry_row.tolist())
    matrix.column_ids.extend(form.entry_column.tolist())
    matrix.coefficients.extend(form.entry_value.astype(np.float64).tolist())
    nonzero = np.flatnonzero(form.costs)
    proto.objective.maximize = False
    proto.objective.linear_coefficients.ids.extend(nonzero.tolist())
    proto.objective.linear_coefficients.values.extend(
        form.costs[nonzero].astype(np.float64).tolist()
    )
    return proto


def _solve_lp(
    proto: model_pb2.ModelProto,
    form: linear.LinearForm,
    time_limit: float,
    store: IncumbentStore | None = None,
) -> tuple[np.ndarray, np.ndarray, float] | None:
    """(primal values, dual values, objective) of the LP, or None."""
    params = mathopt.SolveParameters(time_limit=datetime.timedelta(seconds=time_limit))
    for solver_type in (mathopt.SolverType.HIGHS, mathopt.SolverType.GLOP):
        interrupter = SolveInterrupter()
        forget = store.on_stop(interrupter.interrupt) if store is not None else None
        try:
            result = mathopt.solve(
                mathopt.Model.from_model_proto(proto), solver_type, params=params,
                interrupter=interrupter,
            )  # fmt: skip
        except Exception:  # noqa: BLE001, S112 - e.g. not built into this OR-Tools: try the next
            continue
        finally:
            if forget is not None:
                forget()
        if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            return None
        primal = np.zeros(form.num_variables)
        for variable, value in result.variable_values().items():
            primal[variable.id] = value
        dual = np.zeros(form.num_rows)
        for constraint, value in result.dual_values().items():
            dual[constraint.id] = value
        return primal, dual, float(result.objective_value())
    return None


def solve_relaxation(
    built: ScheduleModel, time_limit: float, store: IncumbentStore | None = None
) -> Relaxation | None:
    """Solve the LP of ``built`` (objective already set); None if it did not finish.

    With ``store`` the LP is interrupted at the store's deadline.
    """
    started = time.monotonic()
    try:
        form = linear.linear_form(built.model)
    except ValueError:
        return None
    proto = model_proto(form)
    remaining = time_limit - (time.monotonic() - started)
    if remaining <= 0:
        return None
    solved = _solve_lp(proto, form, remaining, store)
    if solved is None:
        return None
    primal, dual, value = solved
    bound = None
    lower = safe_lower_bound(form, dual)
    if lower is not None and form.scale < 0:
        # A maximisation: user objective = -(minimised sum + offset) <= -(lower + offset).
        bound = math.floor(-(lower + Fraction(form.offset)))
    elif not np.any(form.costs):
        # No objective terms (nothing to prefer, no points to win): every schedule scores the
        # constant, which is then the exact bound.
        bound = math.floor(Fraction(form.scale) * Fraction(form.offset))
    lp_value = form.scale * (value + form.offset)
    return Relaxation(primal, bound, lp_value, time.monotonic() - started)


def safe_lower_bound(form: linear.LinearForm, duals: np.ndarray) -> Fraction | None:
    """A lower bound on min costs . x over the LP, exact for the rounded multipliers.

    For any y: c.x = y.Ax + (c - A'y).x >= sum_i y_i (L_i or U_i) + sum_j min(r_j l_j, r_j u_j).
    With y rounded to multiples of 2**-k, every term is an exact integer times 2**-k; the
    products are taken in int64 (far from overflow at these magnitudes, checked) and the
    sums in Python integers.
    """
    if not np.all(np.isfinite(duals)):
        return None
    unit = 1 << _SCALE_BITS
    y = np.rint(duals * unit).astype(np.int64)
    y[(y > 0) & np.isinf(form.row_low)] = 0  # wrong sign for the row's only side: drop
    y[(y < 0) & np.isinf(form.row_high)] = 0
    per_column = np.bincount(form.entry_column, minlength=form.num_variables).max(initial=0)
    largest_reduced = int(np.abs(form.costs).max(initial=0)) * unit + int(
        np.abs(y).max(initial=0)
    ) * int(np.abs(form.entry_value).max(initial=0)) * int(per_column)
    largest_value = max(
        int(np.abs(form.var_low).max(initial=0)), int(np.abs(form.var_high).max(initial=0)), 1
    )
    if largest_reduced * largest_value >= 1 << 62:
        return None  # int64 could overflow below: no bound rather than a wrong one
    positive, negative = np.flatnonzero(y > 0), np.flatnonzero(y < 0)
    total = sum(
        (y[positive] * form.row_low[positive].astype(np.int64)).tolist()
        + (y[negative] * form.row_high[negative].astype(np.int64)).tolist()
    )
    reduced = form.costs * unit
    np.subtract.at(reduced, form.entry_column, form.entry_value * y[form.entry_row])
    total += sum(np.minimum(reduced * form.var_low, reduced * form.var_high).tolist())
    return Fraction(total, unit)


def decomposed_bound(
    instance: Instance, time_limit: float, should_stop: Callable[[], bool] | None = None
) -> int | None:
    """A proved upper bound from one LP per site; None if it did not finish in time.

    Each site's LP keeps only what that site's residents can be held to alone: their own
    rules, every staffing maximum and exchange quota restricted to them (fewer people can
    only fit better), and the staffing minimums no other site's resident could help fill.
    The fairness term ``w * min over everybody`` is at most ``w * min over one site``, so it
    goes to the first site only. The sum of the parts' bounds bounds the whole instance.
    """
    deadline = time.monotonic() + time_limit
    groups: dict[str, list[int]] = {}
    for ri, res in enumerate(instance.residents):
        groups.setdefault(res.site, []).append(ri)
    total = 0
    for n, members in enumerate(groups.values()):
        if should_stop is not None and should_stop():
            return None
        built = ScheduleModel(instance, residents=members, relaxation=True)
        built.add_rules()
        built.model.maximize(build_objective(built, fairness=n == 0))
        part = solve_relaxation(built, deadline - time.monotonic())
        if part is None or part.bound is None:
            return None
        total += part.bound
    return total
