"""The same model as a MIP, solved by HiGHS through OR-Tools' MathOpt.

The LP relaxation of the model is nearly integral, and a MIP solver that lives on the LP (root
cuts, then RINS/RENS sub-MIPs around the LP solution) finds the optimum of a hospital's
schedule many times faster than CP-SAT's search does (docs/benchmarks.md). This module hands
the CP-SAT model, unchanged, to HiGHS. It never reports HiGHS's own (floating-point) bound:
proved bounds come from CP-SAT or from the exact LP bound of ``relaxation.py``.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt
from ortools.util.python.solve_interrupter import SolveInterrupter

from tandem.residency.scheduling import linear
from tandem.residency.scheduling.incumbent import IncumbentStore
from tandem.residency.scheduling.model import ScheduleModel
from tandem.residency.scheduling.relaxation import model_proto

Rows = dict[str, tuple[str | None, ...]]


@dataclass
class MipResult:
    rows: Rows | None  # the model's decided residents only
    optimal: bool  # HiGHS stopped because its gap closed (not a proof we report as such)
    infeasible: bool


def available() -> bool:
    """Whether this OR-Tools build can run HiGHS."""
    proto = model_pb2.ModelProto()
    proto.variables.ids.append(0)
    proto.variables.lower_bounds.append(0.0)
    proto.variables.upper_bounds.append(1.0)
    proto.variables.integers.append(True)
    try:
        mathopt.solve(mathopt.Model.from_model_proto(proto), mathopt.SolverType.HIGHS)
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        return False
    return True


def solve_mip(
    built: ScheduleModel,
    time_limit: float,
    *,
    hint: Mapping[str, Sequence[str | None]] | None = None,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
    relative_gap: float = 0.0,
    options: Mapping[str, object] | None = None,
    on_incumbent: Callable[[int], None] | None = None,
    store: IncumbentStore | None = None,
    first_only: bool = False,
) -> MipResult:
    """Solve ``built`` (objective set) as a MIP within ``time_limit`` seconds.

    ``on_incumbent`` hears the objective of each better schedule HiGHS finds (read from its
    log, so that a long solve still reports progress). ``store``: HiGHS is interrupted at its
    deadline. ``first_only``: stop at the first schedule (a cheap construction).
    """
    form = linear.linear_form(built.model)
    proto = model_proto(form)
    proto.variables.ClearField("integers")
    proto.variables.integers.extend([True] * form.num_variables)
    model = mathopt.Model.from_model_proto(proto)
    model_params = mathopt.ModelSolveParameters()
    if hint is not None:
        hinted: dict[mathopt.Variable, float] = {}
        for (ri, rot, t), var in built.x.items():
            hint_row = hint.get(built.instance.residents[ri].id)
            if hint_row is not None:
                hinted[model.get_variable(var.index)] = 1.0 if hint_row[t] == rot else 0.0
        model_params.solution_hints.append(mathopt.SolutionHint(variable_values=hinted))
    if store is not None:
        time_limit = min(time_limit, store.time_for(len(built.x)))  # left after building
    params = mathopt.SolveParameters(
        time_limit=datetime.timedelta(seconds=max(0.05, time_limit)),
        random_seed=seed,
        # The objective is an integer: a gap below 1 is a proof of optimality.
        absolute_gap_tolerance=0.999,
        relative_gap_tolerance=relative_gap,
    )
    chosen = dict(options or {})
    if first_only:
        # Measured on a 52-block instance: without presolve HiGHS's feasibility jump finds
        # its first schedule 1-3 s sooner, and presolve's reductions matter little for it.
        chosen["mip_max_improving_sols"] = 1
        chosen.setdefault("presolve", "off")
    for name, value in chosen.items():
        if isinstance(value, bool):
            params.highs.bool_options[name] = value
        elif isinstance(value, int):
            params.highs.int_options[name] = value
        elif isinstance(value, float):
            params.highs.double_options[name] = value
        else:
            params.highs.string_options[name] = str(value)
    interrupter = SolveInterrupter()

    def heard(objective: int) -> None:
        if on_incumbent is not None:
            on_incumbent(objective)
        if first_only:
            # HiGHS finishes its root node before it looks at mip_max_improving_sols again
            # (seconds on a large part): a first schedule is all that was asked for.
            interrupter.interrupt()

    watch = _IncumbentWatch(form, heard)

    def messages(lines: Sequence[str]) -> None:
        for line in lines:
            if log is not None:
                log(line)
            watch.read(line)
        if first_only and store is not None and store.rows is not None:
            # Another path already has a first schedule: this one would only take a core.
            interrupter.interrupt()

    forget = store.on_stop(interrupter.interrupt) if store is not None else None
    try:
        result = mathopt.solve(
            model, mathopt.SolverType.HIGHS, params=params, model_params=model_params,
            msg_cb=messages if log is not None or on_incumbent is not None or first_only else None,
            interrupter=interrupter,
        )  # fmt: skip
    finally:
        if forget is not None:
            forget()
    reason = result.termination.reason
    infeasible = reason == mathopt.TerminationReason.INFEASIBLE
    if not result.has_primal_feasible_solution():
        return MipResult(None, False, infeasible)
    values = np.zeros(form.num_variables)
    for variable, value in result.variable_values().items():
        values[variable.id] = value
    rows: Rows = {}
    for ri in built.active:
        res = built.instance.residents[ri]
        row: list[str | None] = [None] * built.instance.blocks
        for rot in built.rotations_of[ri]:
            for t in built.blocks:
                cell_var = built.x.get((ri, rot, t))
                if cell_var is not None and values[cell_var.index] > 0.5:
                    row[t] = rot
        rows[res.id] = tuple(row)
    return MipResult(rows, reason == mathopt.TerminationReason.OPTIMAL, False)


# A HiGHS progress line: [source] nodes queued leaves explored% best-bound best-solution ...
_PROGRESS = re.compile(r"^\s*[A-Za-z]?\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+(\S+)\s+(\S+)\s")


class _IncumbentWatch:
    def __init__(self, form: linear.LinearForm, listener: Callable[[int], None] | None) -> None:
        self.form = form
        self.listener = listener
        self.best: int | None = None

    def read(self, line: str) -> None:
        if self.listener is None:
            return
        match = _PROGRESS.match(line)
        if match is None:
            return
        try:
            value = float(match.group(2))
        except ValueError:
            return
        if not math.isfinite(value):
            return
        objective = round(self.form.scale * (value + self.form.offset))
        if self.best is None or objective > self.best:
            self.best = objective
            self.listener(objective)
