"""Every write about schedules: generating proposals, solving them (in a task), pinning cells,
partner approval, publishing, and leave and swap requests after publishing.

Every change to a published schedule is re-checked with the solver library's independent
checker against the whole instance, once per publish or decision (``instancing.checked``: the
checked result is passed on, never worked out again); a change that breaks a rule is refused
with the checker's findings worded in the reader's language (``rule_text``). An infeasible
proposal keeps the explanation's findings (``conflict_details``) for the same reason.
"""

import hashlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core import tenancy
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.institutions.models import Institution
from tandem.residency import cohort_instance, instancing, permissions, rule_text, selectors
from tandem.residency.instancing import Checked, Rows
from tandem.residency.models import (
    Assignment,
    Block,
    Cohort,
    CohortMember,
    LeaveRequest,
    PartnerApproval,
    ProposalStatus,
    PublishedSchedule,
    RequestStatus,
    ScheduleProposal,
    SwapConsent,
    SwapRequest,
)
from tandem.residency.scheduling import (
    Finding,
    Instance,
    InstanceError,
    Progress,
    Solution,
    SolveOptions,
    SolveResult,
    explain,
    instance_to_dict,
    parse_instance,
    solution_to_dict,
    solve,
)

PROGRESS_INTERVAL = 1.0  # seconds between progress writes to the proposal row
MAX_TIME_LIMIT = 300
# "Solve now" runs inside the web request: only small cohorts and short time limits.
SOLVE_NOW_MAX_RESIDENTS = 60
SOLVE_NOW_MAX_SECONDS = 30


def instance_name(cohort: Cohort) -> str:
    return f"cohort-{cohort.pk}"


def _enqueue(proposal: ScheduleProposal) -> None:
    # Here, not at the top: the task module calls this module's services.
    from tandem.residency.tasks import solve_proposal

    transaction.on_commit(lambda: solve_proposal.enqueue(proposal.pk))


@dataclass
class Holds:
    """What every solve of a cohort with a published schedule keeps, whatever the caller pins:
    the published cells of blocks that have started (past and current: the record of what
    happened), the cells of approved swaps, and approved leave."""

    cells: dict[str, dict[int, str | None]] = field(default_factory=dict)  # key -> block -> cell
    leave: dict[str, set[int]] = field(default_factory=dict)  # key -> blocks


def started_blocks(calendar_id: int) -> set[int]:
    """The indexes of the calendar's blocks whose first day is today or earlier."""
    return set(
        Block.objects.filter(
            calendar_id=calendar_id, start_date__lte=timezone.localdate()
        ).values_list("index", flat=True)
    )


def schedule_holds(cohort: Cohort) -> Holds:
    holds = Holds()
    leave: dict[str, set[int]] = defaultdict(set)
    for member_id, index in LeaveRequest.objects.filter(
        member__cohort=cohort, status=RequestStatus.APPROVED
    ).values_list("member_id", "block__index"):
        leave[instancing.member_key(member_id)].add(index)
    holds.leave = dict(leave)
    schedule = PublishedSchedule.objects.filter(cohort=cohort).first()
    if schedule is None:
        return holds
    rows = instancing.stored_rows(schedule.solution)
    cells: dict[str, dict[int, str | None]] = defaultdict(dict)
    for t in started_blocks(cohort.calendar_id):
        for key, row in rows.items():
            if t < len(row):
                cells[key][t] = row[t]
    for a_id, b_id, t in SwapRequest.objects.filter(
        member__cohort=cohort, status=RequestStatus.APPROVED
    ).values_list("member_id", "other_id", "block__index"):
        for key in (instancing.member_key(a_id), instancing.member_key(b_id)):
            if key in rows and t < len(rows[key]):
                cells[key][t] = rows[key][t]
    holds.cells = dict(cells)
    return holds


def _hold(instance: dict[str, Any], holds: Holds) -> None:
    """Write the holds into the instance: held cells become fixed (over any pin), held empty
    cells and approved leave become leave."""
    rotations = {r["id"] for r in instance.get("rotations", [])}
    for resident in instance.get("residents", []):
        key = resident["id"]
        held = holds.cells.get(key, {})
        leave = set(resident.get("leave", [])) | holds.leave.get(key, set())
        leave |= {t for t, cell in held.items() if cell is None}
        fixed = {int(t): cell for t, cell in resident.get("fixed", {}).items()}
        fixed.update({t: cell for t, cell in held.items() if cell is not None})
        for t, cell in fixed.items():
            if t in held and cell not in rotations:
                raise field_error(
                    "cohort",
                    _(
                        "Block %(block)s has started or was swapped and must stay as published, "
                        "but its department is no longer part of the program: restore the "
                        "requirement first."
                    )
                    % {"block": t + 1},
                )
        resident["leave"] = sorted(leave)
        resident["fixed"] = {str(t): cell for t, cell in sorted(fixed.items()) if t not in leave}


def _broken_holds(assignments: Rows, holds: Holds) -> list[tuple[str, int]]:
    """The held cells (resident key, block) a proposal's schedule does not keep."""
    broken = []
    for key, held in holds.cells.items():
        row = assignments.get(key)
        for t, cell in sorted(held.items()):
            if row is not None and t < len(row) and row[t] != cell:
                broken.append((key, t))
    for key, blocks in holds.leave.items():
        row = assignments.get(key)
        for t in sorted(blocks):
            if row is not None and t < len(row) and row[t] is not None and (key, t) not in broken:
                broken.append((key, t))
    return broken


@dataclass(frozen=True)
class CellChange:
    resident: str  # the instance key, R<member pk>
    block: int  # 0-based
    before: str | None  # D<department pk>, None for no rotation
    after: str | None


def schedule_changes(
    before: Mapping[str, Sequence[str | None]], after: Mapping[str, Sequence[str | None]]
) -> list[CellChange]:
    """Every cell that differs between two schedules' assignments, by resident and block."""
    changes = []
    for key in sorted(set(before) | set(after), key=lambda k: (len(k), k)):
        old, new = before.get(key, ()), after.get(key, ())
        for t in range(max(len(old), len(new))):
            a = old[t] if t < len(old) else None
            b = new[t] if t < len(new) else None
            if a != b:
                changes.append(CellChange(key, t, a, b))
    return changes


def publish_confirmation(proposal: ScheduleProposal, changes: list[CellChange]) -> str:
    """The token a publish must carry: a digest of the proposal and of every cell it changes
    in the schedule in force, so a confirmation given for another diff is refused."""
    payload = json.dumps([proposal.pk, [[c.resident, c.block, c.before, c.after] for c in changes]])
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def proposal_publish_changes(proposal: ScheduleProposal) -> tuple[list[CellChange], str] | None:
    """What publishing the proposal would change in the cohort's published schedule, and the
    confirmation token for it; None when there is no published schedule to replace."""
    schedule = PublishedSchedule.objects.filter(cohort_id=proposal.cohort_id).first()
    if schedule is None or not proposal.solution:
        return None
    changes = schedule_changes(
        instancing.stored_rows(schedule.solution), instancing.stored_rows(proposal.solution)
    )
    return changes, publish_confirmation(proposal, changes)


@transaction.atomic
def proposal_generate(
    *,
    actor: User,
    cohort: Cohort,
    time_limit: int = 20,
    previous: ScheduleProposal | None = None,
    enqueue: bool = True,
) -> ScheduleProposal:
    """Build the instance from the database and queue a solve. `previous` carries its pins over
    and asks the solver to change as few cells as possible."""
    if not permissions.can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("Only the hospital's training office generates schedules."))
    if not 1 <= int(time_limit) <= MAX_TIME_LIMIT:
        raise field_error("time_limit", _("Choose between 1 and 300 seconds."))
    if not cohort.members.exists():
        raise field_error("cohort", _("The cohort has no residents yet."))
    pins = dict(previous.pins) if previous is not None else {}
    instance = cohort_instance.instance_for_cohort(cohort, name=instance_name(cohort), pins=pins)
    _hold(instance, schedule_holds(cohort))
    try:
        parse_instance(instance)
    except InstanceError as exc:
        raise field_error(
            "cohort", _("The rules cannot be read: %(problem)s") % {"problem": exc}
        ) from None
    proposal = ScheduleProposal(
        cohort=cohort,
        previous=previous,
        instance=instance,
        pins=pins,
        time_limit=time_limit,
        created_by=actor,
    )
    proposal.full_clean()
    proposal.save()
    audit_record(
        actor=actor,
        action="proposal.generate",
        target=proposal,
        changes={
            "time_limit": [None, time_limit],
            "previous": [None, previous.pk if previous else None],
        },
    )
    if enqueue:
        _enqueue(proposal)
    return proposal


@dataclass
class SolveTick:
    """What the running solve has to say, once per PROGRESS_INTERVAL: its progress and, when it
    kept a better schedule since the last tick, that schedule (checked by the library's store)."""

    objective: int | None
    bound: int | None
    rows: Rows | None = None  # None: no new schedule since the last tick
    value: int | None = None
    rows_bound: int | None = None
    seconds: float = 0.0


# A solve still running this long past its limit is not waited for: the service answers with
# the last schedule the solver handed over (the library's own grace is well under a second).
OVERRUN_SECONDS = 5.0


def _kept_result(instance: Instance, tick: SolveTick | None, seconds: float) -> SolveResult:
    """The answer when the solver does not return in time: its last kept schedule."""
    if tick is None or tick.rows is None or tick.value is None:
        raise TimeoutError(_("The solver did not answer within its time limit."))
    solution = Solution(instance.name, "FEASIBLE", tick.value, tick.rows_bound, seconds, tick.rows)
    return SolveResult(solution, None, None, None, ("the solver overran its time limit",))


def _solve_in_thread(
    instance: Instance,
    options_kwargs: dict[str, Any],
    on_tick: Callable[[SolveTick], bool],
) -> tuple[SolveResult, bool]:
    """Run the solver in a worker thread; from this thread (its DB connection), at most once per
    PROGRESS_INTERVAL, hand the progress and the newest kept schedule to `on_tick`, which answers
    whether the solve is to stop. Returns the result and whether it was stopped on request.

    The time limit holds whatever the solver does: at the limit it is told to stop, and
    OVERRUN_SECONDS later the last schedule it handed over is the answer."""
    lock = threading.Lock()
    latest = SolveTick(None, None)
    fresh: dict[str, Any] = {}  # the newest kept schedule not yet handed to on_tick
    outcome: dict[str, Any] = {}
    stop = threading.Event()
    limit = float(options_kwargs["time_limit"])
    started = time.monotonic()

    def progress(p: Progress) -> None:
        with lock:
            if p.objective is not None:
                latest.objective = p.objective
            if p.bound is not None:
                latest.bound = p.bound

    def keep(rows: Mapping[str, tuple[str | None, ...]], value: int, bound: int | None) -> None:
        with lock:
            fresh.update(rows=dict(rows), value=value, bound=bound, seconds=time.monotonic())

    def run() -> None:
        try:
            options = SolveOptions(progress=progress, on_schedule=keep, stop=stop, **options_kwargs)
            outcome["result"] = solve(instance, options)
        except Exception as exc:  # noqa: BLE001 - reported on the proposal
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    stopped = False
    last_kept: SolveTick | None = None
    while worker.is_alive():
        worker.join(PROGRESS_INTERVAL)
        with lock:
            tick = SolveTick(latest.objective, latest.bound)
            if fresh:
                tick.rows, tick.value = fresh["rows"], fresh["value"]
                tick.rows_bound, tick.seconds = fresh["bound"], fresh["seconds"] - started
                fresh.clear()
        if tick.rows is not None:
            last_kept = tick
        if on_tick(tick) and not stopped:
            stopped = True
            stop.set()
        over = time.monotonic() - started - limit
        if over >= 0:
            stop.set()
        if over >= OVERRUN_SECONDS and worker.is_alive():
            return _kept_result(instance, last_kept, time.monotonic() - started), stopped
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"], stopped


def may_solve_now(proposal: ScheduleProposal) -> bool:
    """Small enough to be solved inside a web request."""
    return (
        len(proposal.instance.get("residents", [])) <= SOLVE_NOW_MAX_RESIDENTS
        and proposal.time_limit <= SOLVE_NOW_MAX_SECONDS
    )


def proposal_solve_now(*, actor: User, proposal: ScheduleProposal) -> ScheduleProposal:
    """Solve a queued proposal in the caller's request (no background worker picked it up),
    within the size and time limits of a web request."""
    if not permissions.can_manage_cohort(actor, proposal.cohort):
        raise PermissionDenied(_("Only the training office solves schedules."))
    if proposal.status != ProposalStatus.QUEUED:
        raise field_error("status", _("Only a proposal waiting in the queue is solved now."))
    if not may_solve_now(proposal):
        raise field_error(
            "status",
            _(
                "This cohort is too large, or its time limit too long, to be solved here (at most "
                "%(residents)s residents and %(seconds)s seconds): the background worker solves it."
            )
            % {"residents": SOLVE_NOW_MAX_RESIDENTS, "seconds": SOLVE_NOW_MAX_SECONDS},
        )
    return proposal_solve(proposal_id=proposal.pk, actor=actor)


def proposal_solve(*, proposal_id: int, actor: User | None = None) -> ScheduleProposal:
    """The body of the solving task: solve, store the result, ask partners for approval. The
    audit rows name `actor`, or else the person who generated the proposal."""
    now = timezone.now()
    claimed = ScheduleProposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.SOLVING, started_at=now, heartbeat_at=now
    )
    proposal = ScheduleProposal.objects.select_related("cohort__institution", "previous").get(
        pk=proposal_id
    )
    if not claimed:
        return proposal  # solved already, or being solved by another worker
    who = actor or proposal.created_by
    # The service's limit, whatever the row says (a proposal written by other means).
    limit = float(min(max(1, proposal.time_limit), MAX_TIME_LIMIT))
    started = time.monotonic()
    try:
        instance = instancing.stored_instance(proposal.instance)
        prior = instancing.stored_rows(proposal.previous.solution) if proposal.previous else {}

        def tick(t: SolveTick) -> bool:
            fields: dict[str, Any] = {
                "heartbeat_at": timezone.now(),
                "incumbent": t.objective,
                "bound": t.bound,
            }
            if t.rows is not None and t.value is not None:
                # The best schedule so far, kept on the row as it is found: a lost worker
                # leaves it behind (`proposals_interrupt_lost`).
                kept = Solution(instance.name, "FEASIBLE", t.value, t.rows_bound, t.seconds, t.rows)
                fields["solution"] = solution_to_dict(kept)
            rows = ScheduleProposal.objects.filter(pk=proposal_id, status=ProposalStatus.SOLVING)
            rows.update(**fields)
            return rows.filter(stop_requested_at__isnull=False).exists()

        # The explanation is asked for here rather than from the solver, to keep its findings.
        result, stopped = _solve_in_thread(
            instance,
            {
                "time_limit": limit,
                "previous": prior or None,
                "minimize_changes": bool(prior),
                "explain_infeasible": False,
            },
            tick,
        )
        findings: list[Finding] = []
        if result.solution.status == "INFEASIBLE":
            # In the time the limit leaves (at least a second), at most 10 s.
            left = limit - (time.monotonic() - started)
            findings = explain(instance, time_limit=min(10.0, max(1.0, left)))
            findings = findings or [Finding("conflict_unexplained")]
    except Exception as exc:  # noqa: BLE001 - a failed solve is shown, never lost
        return _finish(
            proposal, who, ProposalStatus.FAILED, error=str(exc) or exc.__class__.__name__
        )
    if stopped:
        proposal.refresh_from_db(fields=["stop_requested_by"])
        who = proposal.stop_requested_by or who
    solution = result.solution
    data = solution_to_dict(solution)
    if solution.status == "INFEASIBLE":
        data["conflicts"] = [finding.english() for finding in findings]
        return _finish(
            proposal,
            who,
            ProposalStatus.INFEASIBLE,
            solution=data,
            conflicts=[finding.to_dict() for finding in findings],
        )
    if solution.assignments is None:
        return _finish(
            proposal,
            who,
            ProposalStatus.FAILED,
            solution=data,
            error=_("Stopped before any schedule was found.")
            if stopped
            else _("No schedule was found within the time limit; allow more time."),
        )
    return _finish(
        proposal,
        who,
        ProposalStatus.DONE,
        solution=data,
        objective=solution.objective,
        bound=solution.bound,
        changed=result.changed_assignments,
    )


@transaction.atomic
def _finish(
    proposal: ScheduleProposal,
    actor: User,
    status: str,
    *,
    solution: dict | None = None,
    error: str = "",
    objective: int | None = None,
    bound: int | None = None,
    changed: int | None = None,
    conflicts: list[dict] | None = None,
) -> ScheduleProposal:
    proposal.status = status
    proposal.solution = solution
    proposal.conflict_details = conflicts
    proposal.error = error
    proposal.objective = objective
    if objective is not None:
        proposal.incumbent = objective
    if bound is not None:
        proposal.bound = bound
    proposal.changed_count = changed
    proposal.finished_at = timezone.now()
    proposal.save()
    if status == ProposalStatus.DONE and solution:
        partner_codes = instancing.partner_sites(
            instancing.stored_instance(proposal.instance),
            instancing.stored_rows(solution),
            proposal.cohort.institution.code,
        )
        for institution in Institution.objects.filter(code__in=partner_codes):
            PartnerApproval.objects.get_or_create(proposal=proposal, institution=institution)
    audit_record(
        actor=actor,
        action=f"proposal.{status}",
        target=proposal,
        changes={"status": [ProposalStatus.SOLVING, status], "objective": [None, objective]},
        reason=error,
    )
    return proposal


@transaction.atomic
def proposal_stop(*, actor: User, proposal: ScheduleProposal) -> ScheduleProposal:
    """Ask the running solve to stop now and keep the best schedule it has found so far (it
    ends as a finished proposal with that schedule and its bound)."""
    if not permissions.can_manage_cohort(actor, proposal.cohort):
        raise PermissionDenied(_("Only the training office stops a solve."))
    proposal = ScheduleProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SOLVING:
        raise field_error("status", _("Only a proposal being solved can be stopped."))
    if proposal.stop_requested_at is not None:
        raise field_error("status", _("Stopping has been asked for already."))
    proposal.stop_requested_at = timezone.now()
    proposal.stop_requested_by = actor
    proposal.save(update_fields=["stop_requested_at", "stop_requested_by"])
    audit_record(
        actor=actor,
        action="proposal.stop",
        target=proposal,
        changes={"best so far": [None, proposal.incumbent]},
    )
    return proposal


# A running solve writes its heartbeat every PROGRESS_INTERVAL; one silent for its whole time
# limit and this margin more (start-up, the explanation, a slow database) has lost its worker.
LOST_MARGIN_SECONDS = 60


def is_lost(proposal: ScheduleProposal, now: Any = None) -> bool:
    """Being solved, but no sign of life for longer than its time limit and the margin."""
    if proposal.status != ProposalStatus.SOLVING:
        return False
    seen = proposal.heartbeat_at or proposal.started_at
    if seen is None:
        return False
    silent = ((now or timezone.now()) - seen).total_seconds()
    return silent > min(proposal.time_limit, MAX_TIME_LIMIT) + LOST_MARGIN_SECONDS


@transaction.atomic
def proposal_interrupt_if_lost(proposal: ScheduleProposal) -> ScheduleProposal:
    """End a solve whose worker was lost (killed, restarted) as interrupted, with the best
    schedule it had saved; otherwise the proposal as it is. Called when its page is read and by
    the sweep (`proposals_interrupt_lost`)."""
    if not is_lost(proposal):
        return proposal
    locked = ScheduleProposal.objects.select_for_update().get(pk=proposal.pk)
    if not is_lost(locked):  # the worker answered meanwhile
        return locked
    kept = (locked.solution or {}).get("assignments")
    locked.status = ProposalStatus.INTERRUPTED
    locked.finished_at = timezone.now()
    locked.objective = locked.solution.get("objective") if kept and locked.solution else None
    locked.error = (
        _("The solve was interrupted (its worker stopped); the best schedule it had found is kept.")
        if kept
        else _("The solve was interrupted (its worker stopped) before it found a schedule.")
    )
    locked.save()
    audit_record(
        actor=None,
        action="proposal.interrupted",
        target=locked,
        changes={
            "status": [ProposalStatus.SOLVING, ProposalStatus.INTERRUPTED],
            "objective": [None, locked.objective],
        },
        reason=locked.error,
    )
    return locked


def proposals_interrupt_lost() -> int:
    """The periodic sweep (`manage.py sweep_lost_solves`): every lost solve interrupted.
    Returns how many."""
    count = 0
    for proposal in ScheduleProposal.objects.filter(status=ProposalStatus.SOLVING):
        if is_lost(proposal):
            count += proposal_interrupt_if_lost(proposal).status == ProposalStatus.INTERRUPTED
    return count


@transaction.atomic
def proposal_pin(
    *, actor: User, proposal: ScheduleProposal, resident: str, block: int, department: str = ""
) -> ScheduleProposal:
    """Fix (or, with an empty department, release) one cell for the next solve."""
    if not permissions.can_edit_proposal(actor, proposal):
        raise PermissionDenied(_("Only the training office pins cells of an open proposal."))
    instance = instancing.stored_instance(proposal.instance)
    if resident not in {r.id for r in instance.residents}:
        raise field_error("resident", _("This resident is not in the proposal."))
    if not 0 <= int(block) < instance.blocks:
        raise field_error("block", _("This block is outside the calendar."))
    if department and department not in instance.rotations_by_id:
        raise field_error("department", _("This department is not in the proposal."))
    pins = {key: dict(value) for key, value in proposal.pins.items()}
    before = pins.get(resident, {}).get(str(block))
    if department:
        pins.setdefault(resident, {})[str(block)] = department
    else:
        pins.get(resident, {}).pop(str(block), None)
        pins = {key: value for key, value in pins.items() if value}
    proposal.pins = pins
    proposal.save(update_fields=["pins"])
    audit_record(
        actor=actor,
        action="proposal.pin",
        target=proposal,
        changes={f"{resident} / {int(block) + 1}": [before, department or None]},
    )
    return proposal


@transaction.atomic
def proposal_approve(*, actor: User, proposal: ScheduleProposal) -> ScheduleProposal:
    """A partner hospital's coordinator approves the residents sent to them."""
    if not permissions.may_approve_as_partner(actor, proposal):
        raise PermissionDenied(_("Only a coordinator of a partner hospital approves this."))
    if proposal.status != ProposalStatus.DONE:
        raise field_error("status", _("Only a finished proposal can be approved."))

    approvals = PartnerApproval.objects.select_for_update().filter(
        proposal=proposal,
        institution_id__in=tenancy.coordinated_institution_ids(actor),
        approved_at__isnull=True,
    )
    names = []
    for approval in approvals:
        approval.approved_by = actor
        approval.approved_at = timezone.now()
        approval.save()
        names.append(str(approval.institution))
    if not names:
        raise field_error("status", _("Your hospital has approved this proposal already."))
    audit_record(
        actor=actor,
        action="proposal.approve",
        target=proposal,
        changes={"approved for": [None, names]},
    )
    return proposal


def _broken_rules(
    field: str,
    message: Any,
    findings: Sequence[Finding],
    instance: Instance,
    calendar_id: int,
    limit: int,
) -> ValidationError:
    """One message per broken rule (the first `limit`), in the reader's language."""
    names = rule_text.names_for(instance, calendar_id=calendar_id)
    return ValidationError(
        {
            field: [
                message % {"problem": rule_text.finding_text(finding, names)}
                for finding in findings[:limit]
            ]
        }
    )


@transaction.atomic
def proposal_publish(
    *, actor: User, proposal: ScheduleProposal, confirm: str = ""
) -> PublishedSchedule:
    """Publish a proposal. When it replaces a published schedule, `confirm` must be the token
    of `proposal_publish_changes` for the current difference, and the proposal must keep every
    held cell (blocks that have started, approved leave and swaps)."""
    if not permissions.can_manage_cohort(actor, proposal.cohort):
        raise PermissionDenied(_("Only the hospital's training office publishes schedules."))
    proposal = ScheduleProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DONE or not proposal.solution:
        raise field_error("status", _("Only a finished proposal can be published."))
    if not permissions.all_partners_approved(proposal):
        raise field_error(
            "status", _("Every partner hospital must approve the residents sent to it first.")
        )
    result = instancing.checked(
        instancing.stored_instance(proposal.instance), instancing.stored_rows(proposal.solution)
    )
    if not result.ok:
        raise _broken_rules(
            "status",
            _("The schedule breaks a rule: %(problem)s"),
            result.report.findings,
            result.instance,
            proposal.cohort.calendar_id,
            limit=5,
        )
    cohort = proposal.cohort
    schedule = PublishedSchedule.objects.select_for_update().filter(cohort=cohort).first()
    changes: list[CellChange] = []
    if schedule is not None:
        broken = _broken_holds(result.rows, schedule_holds(cohort))
        if broken:
            _departments, members = selectors.labels_for(result.instance)
            raise field_error(
                "status",
                _(
                    "This proposal changes cells that must stay as published (blocks that have "
                    "started, approved leave and swaps): %(cells)s. Generate a new proposal."
                )
                % {
                    "cells": ", ".join(
                        _("%(resident)s in block %(block)s")
                        % {"resident": members.get(key, key), "block": t + 1}
                        for key, t in broken[:5]
                    )
                },
            )
        changes = schedule_changes(instancing.stored_rows(schedule.solution), result.rows)
        if confirm != publish_confirmation(proposal, changes):
            raise field_error(
                "confirm",
                _(
                    "The published schedule would change: review the changed cells and confirm "
                    "them (the confirmation is missing or was given for other changes)."
                ),
            )
    ScheduleProposal.objects.filter(cohort=cohort, status=ProposalStatus.PUBLISHED).update(
        status=ProposalStatus.DONE
    )
    if schedule is None:
        schedule = PublishedSchedule(cohort=cohort)
    schedule.proposal = proposal
    schedule.instance = proposal.instance
    schedule.solution = proposal.solution
    schedule.published_by = actor
    schedule.published_at = timezone.now()
    schedule.full_clean(exclude=["cohort"])
    schedule.save()
    schedule.assignments.all().delete()
    blocks = {b.index: b for b in Block.objects.filter(calendar_id=cohort.calendar_id)}
    members = {m.key: m for m in cohort.members.all()}
    Assignment.objects.bulk_create(
        [
            Assignment(
                schedule=schedule,
                member=members[key],
                block=blocks[t],
                department_id=instancing.department_pk(cell) if cell else None,
            )
            for key, row in result.rows.items()
            if key in members
            for t, cell in enumerate(row)
        ]
    )
    proposal.status = ProposalStatus.PUBLISHED
    proposal.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="schedule.publish",
        target=schedule,
        changes={"proposal": [None, proposal.pk]},
    )
    audit_record(actor=actor, action="proposal.publish", target=proposal)
    _sync_assessments(actor, schedule)
    return schedule


def _sync_assessments(actor: User, schedule: PublishedSchedule) -> None:
    """Each stint of the schedule gets its rotation-end assessment, in the same transaction as
    the change."""
    # Breaks the cycle residency.services_schedule ↔ assessments.services (which pins repeat
    # rotations through proposal_pin here).
    from tandem.assessments.services import assessments_sync_for_schedule

    assessments_sync_for_schedule(actor=actor, schedule=schedule)


# --------------------------------------------------------------------------- after publishing


def _schedule_of(member: CohortMember) -> PublishedSchedule:
    schedule = (
        PublishedSchedule.objects.select_for_update().filter(cohort_id=member.cohort_id).first()
    )
    if schedule is None:
        raise field_error("block", _("There is no published schedule yet."))
    return schedule


def _leave_change(schedule: PublishedSchedule, member: CohortMember, block: int) -> Checked:
    """The published schedule with ``member`` on leave in ``block``, checked."""
    instance = instancing.with_leave(
        instancing.stored_instance(schedule.instance), member.key, block
    )
    rows = dict(instancing.stored_rows(schedule.solution))
    row = list(rows[member.key])
    row[block] = None
    rows[member.key] = tuple(row)
    return instancing.checked(instance, rows)


def _swap_change(
    schedule: PublishedSchedule, a: CohortMember, b: CohortMember, block: int
) -> Checked:
    """The published schedule with the cells of ``a`` and ``b`` in ``block`` traded, checked."""
    rows = dict(instancing.stored_rows(schedule.solution))
    row_a, row_b = list(rows[a.key]), list(rows[b.key])
    row_a[block], row_b[block] = row_b[block], row_a[block]
    rows[a.key], rows[b.key] = tuple(row_a), tuple(row_b)
    return instancing.checked(instancing.stored_instance(schedule.instance), rows)


def _refuse_if_broken(change: Checked, schedule: PublishedSchedule) -> None:
    if not change.ok:
        raise _broken_rules(
            "block",
            _("This change would break a rule: %(problem)s"),
            change.report.findings,
            change.instance,
            schedule.cohort.calendar_id,
            limit=3,
        )


def _apply(
    schedule: PublishedSchedule,
    change: Checked,
    cells: list[tuple[CohortMember, int]],
    *,
    instance_changed: bool,
) -> None:
    """Store a checked change (its objective as the checker worked it out)."""
    objective = change.report.objective
    bound = schedule.solution.get("bound")
    if bound is not None and objective is not None and bound < objective:
        bound = objective
    if instance_changed:
        schedule.instance = instance_to_dict(change.instance)
    schedule.solution = {
        **schedule.solution,
        "assignments": instancing.rows_to_json(change.rows),
        "objective": objective,
        "status": "FEASIBLE",
        "bound": bound,
    }
    schedule.save()
    for member, t in cells:
        cell = change.rows[member.key][t]
        Assignment.objects.filter(schedule=schedule, member=member, block__index=t).update(
            department_id=instancing.department_pk(cell) if cell else None
        )


def _block_of(member: CohortMember, index: int) -> Block:
    block = Block.objects.filter(calendar_id=member.cohort.calendar_id, index=index).first()
    if block is None:
        raise field_error("block", _("This block is outside the calendar."))
    return block


def _refuse_if_past(block: Block) -> None:
    """A block that has ended is part of the record: no leave or swap is asked or approved
    for it."""
    if block.end_date < timezone.localdate():
        raise field_error(
            "block",
            _(
                "Block %(block)s ended on %(date)s: leave and swaps are for blocks that have not "
                "ended yet."
            )
            % {
                "block": block.index + 1,
                "date": formats.date_format(block.end_date, "SHORT_DATE_FORMAT"),
            },
        )


@transaction.atomic
def leave_request(*, actor: User, member: CohortMember, block: int, reason: str) -> LeaveRequest:
    if not permissions.can_request_change(actor, member):
        raise PermissionDenied(_("Residents ask for leave on their own schedule."))
    if not (reason or "").strip():
        raise field_error("reason", _("Say why."))
    schedule = _schedule_of(member)
    block_obj = _block_of(member, block)
    _refuse_if_past(block_obj)
    _refuse_if_broken(_leave_change(schedule, member, block), schedule)
    request_obj = LeaveRequest(member=member, block=block_obj, reason=reason.strip())
    request_obj.full_clean()
    request_obj.save()
    audit_record(
        actor=actor,
        action="leave.request",
        target=request_obj,
        changes={"block": [None, block + 1]},
        reason=request_obj.reason,
    )
    return request_obj


@transaction.atomic
def swap_request(
    *, actor: User, member: CohortMember, other: CohortMember, block: int, reason: str = ""
) -> SwapRequest:
    if not permissions.can_request_change(actor, member):
        raise PermissionDenied(_("Residents ask for swaps on their own schedule."))
    if other.cohort_id != member.cohort_id or other.pk == member.pk:
        raise field_error("other", _("Choose another resident of the same cohort."))
    schedule = _schedule_of(member)
    block_obj = _block_of(member, block)
    _refuse_if_past(block_obj)
    _refuse_if_broken(_swap_change(schedule, member, other, block), schedule)
    request_obj = SwapRequest(
        member=member, other=other, block=block_obj, reason=(reason or "").strip()
    )
    request_obj.full_clean()
    request_obj.save()
    audit_record(
        actor=actor,
        action="swap.request",
        target=request_obj,
        changes={"block": [None, block + 1], "with": [None, str(other)]},
    )
    # The other resident is asked: nothing is decided for them until they answer.
    notification_send(
        users=[other.resident_id],
        kind=NotificationKind.SWAP_ASKED,
        params={"requester": str(member.resident), "block": block + 1},
        url=reverse("residency:my_schedule"),
    )
    return request_obj


@transaction.atomic
def swap_consent(
    *, actor: User, request_obj: SwapRequest, accept: bool, note: str = ""
) -> SwapRequest:
    """The other resident agrees to a swap (the training office decides next) or declines it
    (which ends the request)."""
    if not permissions.can_consent_swap(actor, request_obj):
        raise PermissionDenied(_("Only the resident asked to swap answers this request."))
    request_obj = (
        SwapRequest.objects.select_for_update()
        .select_related("member__cohort", "other", "block")
        .get(pk=request_obj.pk)
    )
    if request_obj.status != RequestStatus.PENDING or request_obj.consent != SwapConsent.ASKED:
        raise field_error("consent", _("This swap has been answered already."))
    if accept:
        _refuse_if_past(request_obj.block)
        schedule = _schedule_of(request_obj.member)
        change = _swap_change(
            schedule, request_obj.member, request_obj.other, request_obj.block.index
        )
        _refuse_if_broken(change, schedule)
    request_obj.consent = SwapConsent.ACCEPTED if accept else SwapConsent.DECLINED
    request_obj.consent_at = timezone.now()
    request_obj.consent_note = (note or "").strip()
    if not accept:
        request_obj.status = RequestStatus.REFUSED
    request_obj.full_clean()
    request_obj.save()
    if accept:
        audit_record(
            actor=actor, action="swap.accept", target=request_obj, reason=request_obj.consent_note
        )
    else:
        audit_record(
            actor=actor,
            action="swap.decline",
            target=request_obj,
            changes={"status": [RequestStatus.PENDING, request_obj.status]},
            reason=request_obj.consent_note,
        )
    return request_obj


def _decide(actor: User, request_obj: Any, approve: bool, note: str) -> None:
    if not permissions.can_manage_cohort(actor, request_obj.member.cohort):
        raise PermissionDenied(_("Only the hospital's training office decides requests."))
    if request_obj.status != RequestStatus.PENDING:
        raise field_error("status", _("This request has been decided already."))
    request_obj.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request_obj.decided_by = actor
    request_obj.decided_at = timezone.now()
    request_obj.decision_note = (note or "").strip()


@transaction.atomic
def leave_decide(
    *, actor: User, request_obj: LeaveRequest, approve: bool, note: str = ""
) -> LeaveRequest:
    _decide(actor, request_obj, approve, note)
    if approve:
        _refuse_if_past(request_obj.block)
        member = request_obj.member
        schedule = _schedule_of(member)
        change = _leave_change(schedule, member, request_obj.block.index)
        _refuse_if_broken(change, schedule)
        _apply(schedule, change, [(member, request_obj.block.index)], instance_changed=True)
        _sync_assessments(actor, schedule)
        audit_record(
            actor=actor,
            action="schedule.leave",
            target=schedule,
            changes={f"{member} / {request_obj.block.index + 1}": ["", _("leave")]},
        )
    request_obj.save()
    audit_record(
        actor=actor,
        action=f"leave.{request_obj.status}",
        target=request_obj,
        changes={"status": [RequestStatus.PENDING, request_obj.status]},
        reason=request_obj.decision_note,
    )
    return request_obj


@transaction.atomic
def swap_decide(
    *, actor: User, request_obj: SwapRequest, approve: bool, note: str = ""
) -> SwapRequest:
    if (
        approve
        and request_obj.consent != SwapConsent.ACCEPTED
        and request_obj.status == RequestStatus.PENDING
        and permissions.can_manage_cohort(actor, request_obj.member.cohort)
    ):
        raise field_error(
            "status",
            _("%(name)s has not agreed to this swap yet: it is approved only after they accept it.")
            % {"name": request_obj.other.resident},
        )
    _decide(actor, request_obj, approve, note)
    if approve:
        _refuse_if_past(request_obj.block)
        a, b, t = request_obj.member, request_obj.other, request_obj.block.index
        schedule = _schedule_of(a)
        change = _swap_change(schedule, a, b, t)
        _refuse_if_broken(change, schedule)
        _apply(schedule, change, [(a, t), (b, t)], instance_changed=False)
        _sync_assessments(actor, schedule)
        audit_record(
            actor=actor,
            action="schedule.swap",
            target=schedule,
            changes={f"{a} ⇄ {b} / {t + 1}": [None, "swapped"]},
        )
    request_obj.save()
    audit_record(
        actor=actor,
        action=f"swap.{request_obj.status}",
        target=request_obj,
        changes={"status": [RequestStatus.PENDING, request_obj.status]},
        reason=request_obj.decision_note,
    )
    return request_obj


def wait_for(proposal_id: int, timeout: float = 60.0) -> ScheduleProposal:
    """Poll until a proposal leaves the queue (used by the demo loader and tests)."""
    deadline = time.monotonic() + timeout
    while True:
        proposal = ScheduleProposal.objects.get(pk=proposal_id)
        if proposal.status not in (ProposalStatus.QUEUED, ProposalStatus.SOLVING):
            return proposal
        if time.monotonic() > deadline:
            raise ValidationError(_("Solving took too long."))
        time.sleep(0.2)
