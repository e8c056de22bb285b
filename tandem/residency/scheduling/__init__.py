"""Rotation scheduling for residency programs: a pure-Python library around OR-Tools CP-SAT.

The instance and solution formats are the public contract in
``specs/rotation-schedule.md`` (version 1). Nothing here imports Django: a service builds an
``Instance`` from selectors, calls ``solve`` and stores the ``Solution`` as a proposal.
"""

from tandem.residency.scheduling.instance import (
    Instance,
    InstanceError,
    Solution,
    parse_instance,
    parse_solution,
    solution_to_dict,
)

__all__ = [
    "Instance",
    "InstanceError",
    "Solution",
    "parse_instance",
    "parse_solution",
    "solution_to_dict",
]
