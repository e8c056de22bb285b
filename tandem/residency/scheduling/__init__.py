"""Rotation scheduling for residency programs: a pure-Python library around OR-Tools CP-SAT.

The instance and solution formats are the public contract in
``specs/rotation-schedule.md`` (version 1). Nothing here imports Django: a service builds an
``Instance`` from selectors, calls ``solve`` and stores the ``Solution`` as a proposal.

This module is the library's public surface, and the only one the Django layer imports:

- the records: ``Instance`` (with ``Resident``, ``Rotation``, ``Program``, ...) and ``Solution``;
- reading and writing them: ``parse_instance``, ``instance_to_dict``, ``parse_solution``,
  ``solution_to_dict`` (a malformed file raises ``InstanceError`` naming the field);
- ``solve(instance, SolveOptions) -> SolveResult``;
- ``check(instance, solution)`` and ``check_rows(instance, rows)``: the independent checker,
  a ``CheckReport`` of ``Finding``s and the recomputed objective;
- ``explain(instance)``: the findings of a minimal set of rules that cannot hold together;
- ``Finding`` and its ``CODES``, ``block_ranges`` for wording findings.

The command line, the benchmarks and the instance generator are tooling (``tools/``).
"""

from tandem.residency.scheduling.checker import CheckReport, check_rows
from tandem.residency.scheduling.checker import check_schedule as check
from tandem.residency.scheduling.explanation import conflict_findings as explain
from tandem.residency.scheduling.findings import CODES, Finding, block_ranges
from tandem.residency.scheduling.instance import (
    Exchange,
    Instance,
    InstanceError,
    Precedence,
    Preference,
    Program,
    Requirement,
    Resident,
    Rotation,
    RotationRun,
    Solution,
    Status,
    instance_to_dict,
    parse_instance,
    parse_solution,
    solution_to_dict,
)
from tandem.residency.scheduling.options import Progress, SolveOptions, SolveResult
from tandem.residency.scheduling.solver import solve

__all__ = [
    "CODES",
    "CheckReport",
    "Exchange",
    "Finding",
    "Instance",
    "InstanceError",
    "Precedence",
    "Preference",
    "Program",
    "Progress",
    "Requirement",
    "Resident",
    "Rotation",
    "RotationRun",
    "Solution",
    "SolveOptions",
    "SolveResult",
    "Status",
    "block_ranges",
    "check",
    "check_rows",
    "explain",
    "instance_to_dict",
    "parse_instance",
    "parse_solution",
    "solution_to_dict",
    "solve",
]
