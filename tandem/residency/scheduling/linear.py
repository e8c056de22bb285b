"""The CP-SAT model read back as a linear program, for LP/MIP solvers and safe LP bounds.

Every constraint of ``ScheduleModel`` (without rule-group literals) is linear over integer
variables: ``linear``, ``bool_or``, ``at_most_one`` and ``exactly_one``. ``linear_form`` turns
the model into ``low <= A x <= high`` with integer data, as sparse arrays, so that the same
formulation goes to HiGHS (``mip.py``, ``relaxation.py``) and, in the benchmark, to CBC
(``tools/baselines.py``). The model is read through its serialised protocol buffer: walking
the live model object from Python is ten times slower.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

INFINITY = 2**62  # CP-SAT's "no limit" on a linear domain


@dataclass
class LinearForm:
    """low <= A x <= high, var_low <= x <= var_high; minimise costs . x + offset.

    ``A`` is given by (row, column, coefficient) triples sorted by row then column, without
    duplicates. Row limits are floats with infinities where there is none. The user's
    objective is ``scale * (costs . x + offset)`` (CP-SAT keeps a maximisation as the
    minimisation of its negation with scale -1).
    """

    row_low: np.ndarray
    row_high: np.ndarray
    entry_row: np.ndarray
    entry_column: np.ndarray
    entry_value: np.ndarray
    var_low: np.ndarray
    var_high: np.ndarray
    costs: np.ndarray
    offset: float
    scale: float

    @property
    def num_rows(self) -> int:
        return len(self.row_low)

    @property
    def num_variables(self) -> int:
        return len(self.var_low)


def _proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.pb")
        model.export_to_file(path)
        with open(path, "rb") as handle:
            return cp_model_pb2.CpModelProto.FromString(handle.read())


def linear_form(model: cp_model.CpModel) -> LinearForm:
    """The model as sparse arrays; ValueError for a constraint that is not linear."""
    proto = _proto(model)
    rows: list[int] = []
    columns: list[int] = []
    values: list[int] = []
    lows: list[float] = []
    highs: list[float] = []

    def add_literals(literals: Sequence[int], low: float, high: float) -> None:
        # A literal ref < 0 is "not v" = 1 - v: coefficient -1, and 1 moves to the limits.
        r = len(lows)
        constant = 0
        for ref in literals:
            rows.append(r)
            if ref >= 0:
                columns.append(ref)
                values.append(1)
            else:
                columns.append(-ref - 1)
                values.append(-1)
                constant += 1
        lows.append(low - constant)
        highs.append(high - constant)

    for c, constraint in enumerate(proto.constraints):
        if constraint.enforcement_literal:
            raise ValueError(f"constraint {c}: enforced constraints have no linear form here")
        kind = constraint.WhichOneof("constraint")
        if kind == "linear":
            domain = list(constraint.linear.domain)
            if len(domain) != 2:
                raise ValueError(f"constraint {c}: a domain with holes is not linear")
            r = len(lows)
            variables = list(constraint.linear.vars)
            rows.extend([r] * len(variables))
            columns.extend(variables)
            values.extend(constraint.linear.coeffs)
            lows.append(-np.inf if domain[0] <= -INFINITY else float(domain[0]))
            highs.append(np.inf if domain[1] >= INFINITY else float(domain[1]))
        elif kind == "bool_or":
            add_literals(constraint.bool_or.literals, 1, np.inf)
        elif kind == "at_most_one":
            add_literals(constraint.at_most_one.literals, -np.inf, 1)
        elif kind == "exactly_one":
            add_literals(constraint.exactly_one.literals, 1, 1)
        else:
            raise ValueError(f"constraint {c}: only linear constraints and clauses are exported")

    count = len(proto.variables)
    var_low = np.empty(count, dtype=np.int64)
    var_high = np.empty(count, dtype=np.int64)
    for i, var in enumerate(proto.variables):
        domain = var.domain
        var_low[i], var_high[i] = domain[0], domain[-1]
    # Sort by (row, column) and merge repeated variables within a row.
    entry_row = np.asarray(rows, dtype=np.int64)
    entry_column = np.asarray(columns, dtype=np.int64)
    entry_value = np.asarray(values, dtype=np.int64)
    key = entry_row * count + entry_column
    order = np.argsort(key, kind="stable")
    key, entry_value = key[order], entry_value[order]
    unique, first = np.unique(key, return_index=True)
    merged = np.add.reduceat(entry_value, first) if len(key) else entry_value
    keep = merged != 0
    costs = np.zeros(count, dtype=np.int64)
    objective = proto.objective
    for v, coeff in zip(objective.vars, objective.coeffs, strict=True):
        costs[v] += coeff
    return LinearForm(
        row_low=np.asarray(lows, dtype=np.float64),
        row_high=np.asarray(highs, dtype=np.float64),
        entry_row=(unique // count)[keep] if count else unique,
        entry_column=(unique % count)[keep] if count else unique,
        entry_value=merged[keep],
        var_low=var_low,
        var_high=var_high,
        costs=costs,
        offset=float(objective.offset),
        scale=float(objective.scaling_factor or 1.0),
    )
