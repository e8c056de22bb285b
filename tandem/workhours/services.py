"""Every write of work hours: the residents' shifts, the training office's rule sets and rota
patterns. Each service checks its predicate, validates the whole input before writing and
records an audit event in its transaction."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution
from tandem.residency.models import Department, Program
from tandem.workhours import permissions, rules, selectors
from tandem.workhours.models import (
    LIMIT_FIELDS,
    Regulator,
    RotaPattern,
    RuleSet,
    Shift,
    ShiftKind,
    ShiftSource,
)
from tandem.workhours.texts import violation_detail, when

MAX_SHIFT_HOURS = 36
# A shift may be logged ahead of time (tonight's call), not further.
MAX_AHEAD = datetime.timedelta(days=2)
MAX_BACK = datetime.timedelta(days=366)
SHIFT_FIELDS = ("start", "end", "kind", "source", "note", "department")
RULESET_FIELDS = ("regulator", "time_zone", *LIMIT_FIELDS)
PATTERN_FIELDS = (
    "weekdays",
    "day_start",
    "day_end",
    "call_every",
    "call_hours",
    "handover_hours",
)


def _pattern_snapshot(pattern: RotaPattern) -> dict[str, Any]:
    values = snapshot(pattern, PATTERN_FIELDS)
    return {
        k: v.strftime("%H:%M") if isinstance(v, datetime.time) else v for k, v in values.items()
    }


def _aware(value: Any, name: str, tz: Any) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        raise field_error(name, _("Give a date and a time."))
    if timezone.is_naive(value):
        return value.replace(tzinfo=tz)
    return value


def _check_shift(
    *, actor: User, start: Any, end: Any, kind: Any, exclude: int | None = None
) -> tuple[datetime.datetime, datetime.datetime, Any]:
    """The shift's aware times and its membership, or every error at once. Naive times are
    read in the time zone of the resident's rule set."""
    errors: dict[str, list[str]] = {}
    if kind not in ShiftKind.values:
        errors["kind"] = [_("Choose duty, on call, handover or home call.")]
    first_day = start.date() if isinstance(start, datetime.datetime) else timezone.localdate()
    member = selectors.member_for(actor, first_day)
    if member is None:
        raise PermissionDenied(_("Only residents on a published schedule log shifts."))
    tz = selectors.ruleset_for_member(member).tz
    try:
        start = _aware(start, "start", tz)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        end = _aware(end, "end", tz)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # Compared and subtracted in UTC: two times of one zone compare by their wall clocks, wrong
    # across the night the clocks change.
    start, end = start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
    if end <= start:
        raise field_error("end", _("The shift must end after it starts."))
    hours = (end - start).total_seconds() / 3600
    if hours > MAX_SHIFT_HOURS:
        raise field_error(
            "end",
            _("A shift lasts at most %(max)s hours; this one lasts %(hours)s. Log it as two.")
            % {"max": MAX_SHIFT_HOURS, "hours": round(hours, 1)},
        )
    if start > timezone.now() + MAX_AHEAD:
        raise field_error("start", _("A shift can be logged at most two days ahead."))
    if start < timezone.now() - MAX_BACK:
        raise field_error("start", _("A shift more than a year ago cannot be logged."))
    clash = selectors.overlapping(actor.pk, start, end)
    if clash is not None and clash.pk != exclude:
        raise field_error(
            "start",
            _("It overlaps your shift from %(start)s to %(end)s.")
            % {"start": when(clash.start.astimezone(tz)), "end": when(clash.end.astimezone(tz))},
        )
    # The actor's member on the (aware) first day.
    member = selectors.member_for(actor, start.astimezone(tz).date()) or member
    return start, end, member


def _new_violations(
    actor: User, member: Any, shift: Shift, before: list[rules.Violation]
) -> list[rules.Violation]:
    ruleset = selectors.ruleset_for_member(member)
    since = shift.start - datetime.timedelta(days=7 * (ruleset.averaging_weeks + 1))
    rows = [
        s.as_rule_shift()
        for s in selectors.shifts_of_resident(actor.pk, since=since)
        if s.member_id == member.pk
    ]
    # Keyed by rule and start: a run of windows that only grows is not new.
    known = {(v.rule, v.start) for v in before}
    return [
        v for v in rules.check(rows, ruleset.limits(), ruleset.tz) if (v.rule, v.start) not in known
    ]


def _violations_now(actor: User, member: Any, start: datetime.datetime) -> list[rules.Violation]:
    ruleset = selectors.ruleset_for_member(member)
    since = start - datetime.timedelta(days=7 * (ruleset.averaging_weeks + 1))
    rows = [
        s.as_rule_shift()
        for s in selectors.shifts_of_resident(actor.pk, since=since)
        if s.member_id == member.pk
    ]
    return rules.check(rows, ruleset.limits(), ruleset.tz)


@transaction.atomic
def shift_log(
    *,
    actor: User,
    start: Any,
    end: Any,
    kind: Any,
    note: str = "",
    source: str = ShiftSource.LOGGED,
) -> Shift:
    """Log a shift (across midnight allowed; at most 36 hours; not overlapping another). The
    returned shift's `violations` are the rule breaks it brings; the resident is notified."""
    if not permissions.can_log_shifts(actor):
        raise PermissionDenied(_("Only residents on a published schedule log shifts."))
    # One resident's shifts are logged one at a time, so two at once cannot both pass the
    # overlap check (the phone and the API, or a double tap).
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    start, end, member = _check_shift(actor=actor, start=start, end=end, kind=kind)
    if source not in ShiftSource.values:
        raise field_error("source", _("Unknown source of a shift."))
    ruleset = selectors.ruleset_for_member(member)
    before = _violations_now(actor, member, start)
    assignment = selectors.assignment_on(actor.pk, start.astimezone(ruleset.tz).date())
    shift = Shift(
        resident=actor,
        member=member,
        department=assignment.department if assignment else None,
        start=start,
        end=end,
        kind=kind,
        source=source,
        note=(note or "").strip(),
    )
    shift.full_clean()
    shift.save()
    audit_record(
        actor=actor,
        action="workhours_shift.log",
        target=shift,
        changes={k: [None, v] for k, v in snapshot(shift, SHIFT_FIELDS).items()},
    )
    found = _new_violations(actor, member, shift, before)
    limits = ruleset.limits()
    for violation in found:
        notification_send(
            users=[actor.pk],
            kind=NotificationKind.WORKHOURS_VIOLATION,
            params=violation_detail(violation, limits),
            url=reverse("workhours:home"),
        )
    shift.violations = found  # type: ignore[attr-defined]
    return shift


@transaction.atomic
def shift_delete(*, actor: User, shift: Shift) -> None:
    if not permissions.can_delete_shift(actor, shift):
        raise PermissionDenied(_("Only the resident who logged a shift deletes it."))
    audit_record(
        actor=actor,
        action="workhours_shift.delete",
        target=shift,
        changes={k: [v, None] for k, v in snapshot(shift, SHIFT_FIELDS).items()},
    )
    shift.delete()


@transaction.atomic
def shifts_confirm_rota(*, actor: User, monday: datetime.date) -> list[Shift]:
    """Log the shifts the rota proposes for the week starting `monday` (those not overlapping
    a logged shift), each as a shift from the rota."""
    if not permissions.can_log_shifts(actor):
        raise PermissionDenied(_("Only residents on a published schedule log shifts."))
    logged = []
    for proposed in selectors.proposed_week(actor, monday):
        if proposed.start > timezone.now() + MAX_AHEAD:
            continue
        logged.append(
            shift_log(
                actor=actor,
                start=proposed.start,
                end=proposed.end,
                kind=proposed.kind,
                source=ShiftSource.ROTA,
            )
        )
    return logged


def _limits_of(regulator: str) -> dict[str, Any]:
    preset = rules.PRESETS.get(regulator, rules.ACGME)
    return {name: int(getattr(preset, name)) for name in LIMIT_FIELDS}


@transaction.atomic
def ruleset_save(
    *,
    actor: User,
    institution: Institution,
    program: Program | None = None,
    regulator: str = Regulator.ACGME,
    time_zone: str = "",
    limits: dict[str, Any] | None = None,
) -> RuleSet:
    """Create or change the rule set of a hospital (no program) or of one of its programs.
    Limits not given take the regulator's numbers (ACGME for a custom set)."""
    if not permissions.can_manage_rules_of(actor, institution.pk):
        raise PermissionDenied(_("Only the hospital's training office sets work-hour rules."))
    if regulator not in Regulator.values:
        raise field_error("regulator", _("Choose ACGME, the Chinese base's limits or custom."))
    if program is not None and program.institution_id != institution.pk:
        raise field_error("program", _("Choose a program of this hospital."))
    unknown = set(limits or {}) - set(LIMIT_FIELDS)
    if unknown:
        raise field_error(
            "limits", _("Unknown limits: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    ruleset = (
        RuleSet.objects.select_for_update()
        .filter(institution=institution, program=program)
        .order_by("pk")  # the default ordering joins the program, which FOR UPDATE refuses
        .first()
    )
    created = ruleset is None
    if ruleset is None:
        ruleset = RuleSet(institution=institution, program=program)
    before = {} if created else snapshot(ruleset, RULESET_FIELDS)
    values = _limits_of(regulator) | {k: v for k, v in (limits or {}).items() if v is not None}
    ruleset.regulator = regulator
    if time_zone:
        ruleset.time_zone = time_zone.strip()
    for name, value in values.items():
        setattr(ruleset, name, value)
    ruleset.updated_by = actor
    ruleset.updated_at = timezone.now()
    ruleset.full_clean(validate_unique=False)
    ruleset.save()
    changes = diff(before, snapshot(ruleset, RULESET_FIELDS))
    if changes:
        audit_record(actor=actor, action="workhours_ruleset.save", target=ruleset, changes=changes)
    return ruleset


@transaction.atomic
def pattern_set(
    *,
    actor: User,
    department: Department,
    weekdays: list[int],
    day_start: datetime.time,
    day_end: datetime.time,
    call_every: int = 0,
    call_hours: int = 24,
    handover_hours: int = 0,
) -> RotaPattern:
    """Set how a department's residents work (what planned rotas are checked with)."""
    if not permissions.can_set_pattern(actor, department):
        raise PermissionDenied(_("Only the hospital's training office sets rota patterns."))
    days = sorted({int(d) for d in weekdays or []})
    if any(d < 0 or d > 6 for d in days):
        raise field_error("weekdays", _("Weekdays are 0 (Monday) to 6 (Sunday)."))
    if day_start == day_end:
        raise field_error("day_end", _("The day shift must end at another time than it starts."))
    pattern = RotaPattern.objects.filter(department=department).first()
    before = _pattern_snapshot(pattern) if pattern else {}
    pattern = pattern or RotaPattern(department=department)
    pattern.weekdays = days
    pattern.day_start, pattern.day_end = day_start, day_end
    pattern.call_every, pattern.call_hours = call_every, call_hours
    pattern.handover_hours = handover_hours
    pattern.updated_at = timezone.now()
    pattern.full_clean()
    pattern.save()
    changes = diff(before, _pattern_snapshot(pattern))
    if changes:
        audit_record(actor=actor, action="workhours_pattern.set", target=pattern, changes=changes)
    return pattern
