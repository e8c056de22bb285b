"""The records of the instance and solution formats (``specs/rotation-schedule.md``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

INSTANCE_FORMAT = "tandem-rotation-instance/1"
SOLUTION_FORMAT = "tandem-rotation-solution/1"
STATUSES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")

Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"]


class InstanceError(ValueError):
    """A malformed instance or solution; the message names the field path."""


@dataclass(frozen=True)
class Rotation:
    id: str
    site: str
    min_per_block: tuple[int, ...]
    max_per_block: tuple[int | None, ...]  # None: no limit
    duration: int = 1


@dataclass(frozen=True)
class Requirement:
    rotations: tuple[str, ...]
    min: int = 0
    max: int | None = None


@dataclass(frozen=True)
class Precedence:
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class RotationRun:
    """A ``max_consecutive`` or ``min_stint`` rule: runs on ``rotations`` together."""

    rotations: tuple[str, ...]
    blocks: int


@dataclass(frozen=True)
class Program:
    id: str
    requirements: tuple[Requirement, ...]
    precedences: tuple[Precedence, ...] = ()
    forbidden_sequences: tuple[tuple[str, str], ...] = ()
    max_consecutive: tuple[RotationRun, ...] = ()
    min_stint: tuple[RotationRun, ...] = ()
    may_idle: bool = False

    @property
    def allowed_rotations(self) -> frozenset[str]:
        return frozenset(r for req in self.requirements for r in req.rotations)


@dataclass(frozen=True)
class Preference:
    rotation: str
    points: int
    per_stint: bool = False
    blocks: tuple[int, ...] | None = None  # None: every block


@dataclass(frozen=True)
class Resident:
    id: str
    program: str
    site: str
    leave: frozenset[int] = frozenset()
    fixed: Mapping[int, str] = field(default_factory=dict)
    preferences: tuple[Preference, ...] = ()
    site_change_points: int = 0
    gap_points: int = 0


@dataclass(frozen=True)
class Exchange:
    from_site: str
    to_site: str
    max_per_block: int


@dataclass(frozen=True)
class Instance:
    name: str
    blocks: int
    sites: tuple[str, ...]
    rotations: tuple[Rotation, ...]
    programs: tuple[Program, ...]
    residents: tuple[Resident, ...]
    exchange: tuple[Exchange, ...] = ()
    fairness_weight: int = 0

    rotations_by_id: Mapping[str, Rotation] = field(init=False, repr=False, compare=False)
    programs_by_id: Mapping[str, Program] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the lookup tables are set once here rather than rebuilt on every call.
        object.__setattr__(self, "rotations_by_id", {r.id: r for r in self.rotations})
        object.__setattr__(self, "programs_by_id", {p.id: p for p in self.programs})

    def rotation(self, rotation_id: str) -> Rotation:
        return self.rotations_by_id[rotation_id]

    def program_of(self, resident: Resident) -> Program:
        return self.programs_by_id[resident.program]

    def site_of(self, rotation_id: str | None) -> str | None:
        """The site of a rotation; None for no rotation or an id the instance does not know."""
        rotation = self.rotations_by_id.get(rotation_id or "")
        return None if rotation is None else rotation.site


@dataclass(frozen=True)
class Solution:
    instance: str
    status: Status
    objective: int | None
    bound: int | None
    wall_seconds: float
    assignments: Mapping[str, tuple[str | None, ...]] | None
    conflicts: tuple[str, ...] = ()
