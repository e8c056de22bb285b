"""The CP-SAT model of the rotation rules.

Every rule is a linear constraint over Boolean assignment variables ``x[resident, rotation,
block]`` that exist only for allowed triples (rotation named by the program, resident not on
leave). Keeping to linear constraints lets ``tools/baselines.py`` hand the very same
formulation to CBC.

The builder can attach an enforcement literal to each *rule group* (one capacity limit in one
block, one requirement of one resident, ...); ``explanation.py`` uses those literals as
assumptions to find which rules conflict. The solver itself builds the model without them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

from ortools.sat.python import cp_model

from tandem.residency.scheduling.instance import Instance, Resident

# Our expressions: CP-SAT expressions (an IntVar is one) or plain ints, never numpy scalars.
LinearExpr = cp_model.LinearExpr | int
GroupKey = tuple[Hashable, ...]


def sum_expr(terms: Iterable[LinearExpr]) -> LinearExpr:
    """Sum that stays a plain ``int`` when no variable is involved.

    Comparisons of plain ints are Python bools, which ``ScheduleModel._add`` turns into
    "always true" (dropped) or "always false" (a conflict) instead of empty constraints.
    """
    constant = 0
    variables: list[LinearExpr] = []
    for term in terms:
        if isinstance(term, int):
            constant += term
        else:
            variables.append(term)
    if not variables:
        return constant
    total = cp_model.LinearExpr.sum(variables)
    return total + constant if constant else total


Allow = Callable[[int, str, int], bool]


class ScheduleModel:
    """Builds the CP-SAT model of an instance; optionally with one literal per rule group.

    By default every resident is decided. With ``residents`` only those are (a *sub-model*,
    used by ``decompose.py``): ``frozen`` rows of other residents count as constant loads in
    the staffing and exchange limits, limits with no decided resident in them are left out,
    and ``allow`` can further restrict which (resident, rotation, block) triples exist.
    """

    def __init__(
        self,
        instance: Instance,
        *,
        with_groups: bool = False,
        residents: Sequence[int] | None = None,
        frozen: Mapping[int, Sequence[str | None]] | None = None,
        allow: Allow | None = None,
        frozen_points: bool = True,
        relaxation: bool = False,
        limits: Mapping[tuple[str, int], tuple[int, int | None]] | None = None,
    ) -> None:
        self.instance = instance
        self.model = cp_model.CpModel()
        self.with_groups = with_groups
        self.groups: dict[GroupKey, cp_model.IntVar] = {}
        self.blocks = range(instance.blocks)
        self.partial = residents is not None
        self.active: list[int] = (
            sorted(residents) if residents is not None else list(range(len(instance.residents)))
        )
        self.frozen: dict[int, Sequence[str | None]] = dict(frozen or {})
        # Whether frozen rows are whole schedules whose points cap the fairness minimum
        # (False: they only carry constant loads, e.g. blocks pinned at another site).
        self.frozen_points = frozen_points
        # A relaxation of the whole instance (relaxation.py): residents neither decided nor
        # frozen may be anywhere, so staffing minimums they could help fill are left out.
        self.relaxation = relaxation
        # Staffing limits (min, max) replacing the instance's for some (rotation, block):
        # a share of a rotation shared between sites (decompose.py).
        self.limits = dict(limits or {})
        # x[(resident index, rotation id, block)]
        self.x: dict[tuple[int, str, int], cp_model.IntVar] = {}
        # Allowed rotations per resident (by resident index; empty when not decided here).
        self.rotations_of: list[list[str]] = [[] for _ in instance.residents]
        self.starts: dict[tuple[int, str, int], cp_model.IntVar] = {}
        self._create_assignment_variables(allow)

    # ------------------------------------------------------------------ helpers

    def _group(self, key: GroupKey) -> list[cp_model.IntVar]:
        """Enforcement literals for a constraint in rule group ``key`` (none in plain mode)."""
        if not self.with_groups:
            return []
        literal = self.groups.get(key)
        if literal is None:
            literal = self.model.new_bool_var(f"rule{len(self.groups)}")
            self.groups[key] = literal
        return [literal]

    def _add(self, constraint: cp_model.BoundedLinearExpression | bool, key: GroupKey) -> None:
        if isinstance(constraint, bool):
            if constraint:
                return
            # A rule that is false whatever the schedule (e.g. a pinned block on leave).
            self.model.add_bool_or([]).only_enforce_if(self._group(key))
            return
        self.model.add(constraint).only_enforce_if(self._group(key))

    def load(self, rotation_id: str, block: int) -> list[cp_model.IntVar]:
        return self._load[rotation_id, block]

    def on_rotations(self, resident: int, rotations: Iterable[str], block: int) -> LinearExpr:
        return sum_expr(self.x[k] for r in rotations if (k := (resident, r, block)) in self.x)

    def working(self, resident: int, block: int) -> LinearExpr:
        return self.on_rotations(resident, self.rotations_of[resident], block)

    # ------------------------------------------------------------------ variables

    def _create_assignment_variables(self, allow: Allow | None) -> None:
        inst = self.instance
        self._load: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        self._fixed_load: dict[tuple[str, int], int] = defaultdict(int)
        for ri in self.frozen:
            for t, rot in enumerate(self.frozen[ri]):
                if rot is not None:
                    self._fixed_load[rot, t] += 1
        for ri in self.active:
            res = inst.residents[ri]
            program = inst.program_of(res)
            allowed = [r.id for r in inst.rotations if r.id in program.allowed_rotations]
            self.rotations_of[ri] = allowed
            for rot in allowed:
                for t in self.blocks:
                    if t in res.leave or (allow is not None and not allow(ri, rot, t)):
                        continue
                    var = self.model.new_bool_var(f"x_{res.id}_{rot}_{t}")
                    self.x[ri, rot, t] = var
                    self._load[rot, t].append(var)
            if allow is not None:
                self.rotations_of[ri] = [
                    rot for rot in allowed if any((ri, rot, t) in self.x for t in self.blocks)
                ]

    # ------------------------------------------------------------------ rules

    def add_rules(self) -> None:
        inst = self.instance
        for ri in self.active:
            self._add_resident_rules(ri, inst.residents[ri])
        helpers = self._outside_helpers() if self.relaxation else set()
        # In a sub-model where everybody else is frozen, a limit with no decided resident in
        # it still holds or fails on the frozen load alone (the decided residents may all have
        # been kept out of it); otherwise residents decided elsewhere look after it.
        covered = len(self.active) + len(self.frozen) == len(inst.residents)
        for rot in inst.rotations:
            for t in self.blocks:
                variables = self._load[rot.id, t]
                if self.partial and not variables and not covered:
                    continue  # decided elsewhere: nobody in this sub-model can change it
                fixed = self._fixed_load[rot.id, t]
                load = sum_expr([*variables, fixed])
                lower, upper = self.limits.get(
                    (rot.id, t), (rot.min_per_block[t], rot.max_per_block[t])
                )
                if lower > 0 and (rot.id, t) not in helpers:
                    self._add(load >= lower, ("cap_min", rot.id, t))
                if upper is not None and upper < len(variables) + fixed:
                    self._add(load <= upper, ("cap_max", rot.id, t))
        site_of = {r.id: r.site for r in inst.rotations}
        for ei, ex in enumerate(inst.exchange):
            for t in self.blocks:
                crossing: list[LinearExpr] = [
                    self.x[k]
                    for ri in self.active
                    if inst.residents[ri].site == ex.from_site
                    for rot in self.rotations_of[ri]
                    if site_of[rot] == ex.to_site and (k := (ri, rot, t)) in self.x
                ]
                if self.partial and not crossing:
                    continue
                fixed = len(
                    [
                        ri
                        for ri, row in self.frozen.items()
                        if inst.residents[ri].site == ex.from_site
                        and inst.site_of(row[t]) == ex.to_site
                    ]
                )
                if len(crossing) + fixed > ex.max_per_block:
                    self._add(sum_expr([*crossing, fixed]) <= ex.max_per_block, ("exchange", ei, t))

    def _outside_helpers(self) -> set[tuple[str, int]]:
        """(rotation, block) pairs that a resident outside this model could work."""
        inst = self.instance
        inside = set(self.active) | set(self.frozen)
        found: set[tuple[str, int]] = set()
        for ri, res in enumerate(inst.residents):
            if ri in inside:
                continue
            for rot in inst.program_of(res).allowed_rotations:
                found.update((rot, t) for t in self.blocks if t not in res.leave)
        return found

    def _add_resident_rules(self, ri: int, res: Resident) -> None:
        inst = self.instance
        program = inst.program_of(res)
        last = inst.blocks - 1
        x = self.x
        for t in self.blocks:
            if t in res.leave:
                continue
            on_any = self.working(ri, t)
            if isinstance(on_any, int):
                # No rotation is open to this resident at all: only "work" can break.
                self._add(program.may_idle, ("work", ri, t))
                continue
            literals = [self.x[k] for r in self.rotations_of[ri] if (k := (ri, r, t)) in self.x]
            if program.may_idle:
                self.model.add_at_most_one(literals)
            elif not self.with_groups:
                self.model.add_exactly_one(literals)
            else:
                # Never two rotations at once: structural, so never part of an explanation.
                self.model.add_at_most_one(literals)
                self._add(on_any >= 1, ("work", ri, t))
        for t, rot in res.fixed.items():
            key = (ri, rot, t)
            self._add(x[key] == 1 if key in x else False, ("fixed", ri, t))
        for rot_id in self.rotations_of[ri]:
            duration = inst.rotation(rot_id).duration
            if duration > 1:
                self._link_stints(ri, res, rot_id, duration)
        for i, req in enumerate(program.requirements):
            total = sum_expr(
                x[k] for rot in req.rotations for t in self.blocks if (k := (ri, rot, t)) in x
            )
            if req.min > 0:
                self._add(total >= req.min, ("req_min", ri, i))
            if req.max is not None:
                self._add(total <= req.max, ("req_max", ri, i))
        for i, prec in enumerate(program.precedences):
            earlier: list[LinearExpr] = []
            for t in self.blocks:
                after = self.on_rotations(ri, prec.after, t)
                if not isinstance(after, int) or after:
                    self._add(after <= sum_expr(earlier), ("prec", ri, i))
                earlier.append(self.on_rotations(ri, prec.before, t))
        for i, (first, second) in enumerate(program.forbidden_sequences):
            for t in range(last):
                a, b = (ri, first, t), (ri, second, t + 1)
                if a in x and b in x:
                    self._add(x[a] + x[b] <= 1, ("seq", ri, i))
        for i, rule in enumerate(program.max_consecutive):
            for start in range(inst.blocks - rule.blocks):
                window = range(start, start + rule.blocks + 1)
                if any(t in res.leave for t in window):
                    continue  # a leave block breaks every run through this window
                total = sum_expr(self.on_rotations(ri, rule.rotations, t) for t in window)
                self._add(total <= rule.blocks, ("max_consec", ri, i))
        for i, rule in enumerate(program.min_stint):
            self._add_min_stint(ri, res, rule.rotations, rule.blocks, ("min_stint", ri, i))

    def _link_stints(self, ri: int, res: Resident, rot_id: str, duration: int) -> None:
        """x on a fixed-duration rotation is the union of stints of exactly ``duration``."""
        inst = self.instance
        for t in range(inst.blocks - duration + 1):
            # Every block of the stint must be open (not leave, not closed by ``allow``).
            if all((ri, rot_id, u) in self.x for u in range(t, t + duration)):
                self.starts[ri, rot_id, t] = self.model.new_bool_var(f"s_{res.id}_{rot_id}_{t}")
        for t in self.blocks:
            key = (ri, rot_id, t)
            if key not in self.x:
                continue
            covering = [
                self.starts[k]
                for s in range(max(0, t - duration + 1), t + 1)
                if (k := (ri, rot_id, s)) in self.starts
            ]
            self._add(self.x[key] == sum_expr(covering), ("duration", rot_id))

    def _add_min_stint(
        self, ri: int, res: Resident, rotations: Sequence[str], length: int, key: GroupKey
    ) -> None:
        """Forbid every short run that touches neither end nor leave (one clause per pattern)."""
        inst = self.instance
        on = [self.on_rotations(ri, rotations, t) for t in self.blocks]
        for start in range(1, inst.blocks - 1):
            if start - 1 in res.leave:
                continue
            for run in range(1, length):
                end = start + run - 1
                if end + 1 > inst.blocks - 1 or end + 1 in res.leave:
                    break
                if any(t in res.leave for t in range(start, end + 1)):
                    break
                # Pattern: off at start-1, on over [start, end], off at end+1.
                broken = (
                    on[start - 1] + on[end + 1] + sum_expr(1 - on[t] for t in range(start, end + 1))
                )
                self._add(broken >= 1, key)

    def changed_assignments(self, previous: Mapping[str, Sequence[str | None]]) -> LinearExpr:
        """Number of (resident, block) cells whose rotation differs from ``previous``."""
        terms: list[LinearExpr] = []
        for ri in self.active:
            res = self.instance.residents[ri]
            row = previous.get(res.id)
            if row is None or len(row) != self.instance.blocks:
                continue
            for t, before in enumerate(row):
                if t in res.leave:
                    terms.append(0 if before is None else 1)
                elif before is None:
                    terms.append(self.working(ri, t))
                else:
                    kept = self.x.get((ri, before, t))
                    terms.append(1 if kept is None else 1 - kept)
        return sum_expr(terms)

    def assignment_values(
        self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
    ) -> dict[str, tuple[str | None, ...]]:
        """The decided residents' rows in ``solver``'s solution (or a callback's current one)."""
        result: dict[str, tuple[str | None, ...]] = {}
        for ri in self.active:
            res = self.instance.residents[ri]
            row: list[str | None] = [None] * self.instance.blocks
            for rot in self.rotations_of[ri]:
                for t in self.blocks:
                    var = self.x.get((ri, rot, t))
                    if var is not None and solver.boolean_value(var):
                        row[t] = rot
            result[res.id] = tuple(row)
        return result
