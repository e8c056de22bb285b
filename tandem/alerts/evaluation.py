"""The periodic early-warning evaluation: set-based, idempotent, safe to run twice at once.

1. Each rule computes the set of current causes for the whole consortium in one query.
2. Open warnings whose cause is gone (or has changed) close themselves.
3. New causes are inserted with INSERT … ON CONFLICT DO NOTHING: the partial unique constraint
   (one open warning per subject) and the cause constraint (never twice for the same cause)
   make a concurrent run's insert a no-op instead of a duplicate.
4. Only the rows this run inserted (found by its `run_id`) are fanned out as notifications, so
   two runs never notify twice.

The number of queries does not depend on the number of trainees, except that bulk writes go in
batches of BATCH rows.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership, Role
from tandem.alerts.models import (
    ACTIVE_STATUSES,
    EarlyWarning,
    Notification,
    Rule,
    WarningStatus,
)
from tandem.alerts.rules import Cause, Thresholds, current_causes
from tandem.alerts.tasks import send_immediate_emails
from tandem.cultivation.models import TutorAssignment

BATCH = 5000


@dataclass
class EvaluationResult:
    causes: int
    raised: int
    closed: int
    notified: int
    run_id: uuid.UUID


def _chunks(items: list[int], size: int = BATCH) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def evaluate(*, now: datetime.datetime | None = None) -> EvaluationResult:
    now = now or timezone.now()
    thresholds = Thresholds.load()
    causes = current_causes(now, thresholds)
    current = {cause.key: cause for cause in causes}
    run_id = uuid.uuid4()
    with transaction.atomic():
        open_rows = EarlyWarning.objects.filter(status__in=ACTIVE_STATUSES).values_list(
            "id", "rule", "subject_type", "subject_id", "cause"
        )
        still_open: set[tuple[str, str, int]] = set()
        stale: list[int] = []
        for pk, rule, subject_type, subject_id, cause in open_rows:
            found = current.get((rule, subject_type, subject_id))
            if found is not None and found.cause == cause:
                still_open.add(found.key)
            else:
                stale.append(pk)
        for chunk in _chunks(stale):
            EarlyWarning.objects.filter(pk__in=chunk, status__in=ACTIVE_STATUSES).update(
                status=WarningStatus.CLOSED_AUTOMATICALLY, closed_at=now
            )
        new = [cause for cause in causes if cause.key not in still_open]
        EarlyWarning.objects.bulk_create(
            [_warning(cause, now, run_id) for cause in new],
            ignore_conflicts=True,
            batch_size=1000,
        )
        raised, notified = _notify(run_id, {cause.key: cause for cause in new}, now)
    return EvaluationResult(
        causes=len(causes), raised=raised, closed=len(stale), notified=notified, run_id=run_id
    )


def _warning(cause: Cause, now: datetime.datetime, run_id: uuid.UUID) -> EarlyWarning:
    return EarlyWarning(
        rule=cause.rule,
        subject_type=cause.subject_type,
        subject_id=cause.subject_id,
        cause=cause.cause,
        cultivation_id=cause.cultivation_id,
        institution_id=cause.institution_id,
        trainee_id=cause.trainee_id,
        extra_recipient_id=cause.extra_recipient_ids[0] if cause.extra_recipient_ids else None,
        is_urgent=cause.urgent,
        detail=cause.detail,
        opened_at=now,
        run_id=run_id,
    )


def _notify(
    run_id: uuid.UUID, new: dict[tuple[str, str, int], Cause], now: datetime.datetime
) -> tuple[int, int]:
    """One notification per responsible person for each warning this run inserted."""
    raised = list(
        EarlyWarning.objects.filter(run_id=run_id).values(
            "id",
            "rule",
            "subject_type",
            "subject_id",
            "cultivation_id",
            "cultivation__host_id",
            "institution_id",
            "is_urgent",
        )
    )
    if not raised:
        return 0, 0
    tutors: dict[int, set[int]] = {}
    # The first tutor in charge (the experimental tutor) of each cultivation, and their name.
    first: dict[int, tuple[int, str]] = {}
    for cultivation_id, tutor_id, is_first, full_name, username in (
        TutorAssignment.objects.filter(
            ended_at__isnull=True, cultivation__early_warnings__run_id=run_id
        )
        .values_list(
            "cultivation_id",
            "tutor_id",
            "is_first_in_charge",
            "tutor__full_name",
            "tutor__username",
        )
        .distinct()
    ):
        tutors.setdefault(cultivation_id, set()).add(tutor_id)
        if is_first:
            first[cultivation_id] = (tutor_id, full_name or username)
    institutions = {r["institution_id"] for r in raised} | {
        r["cultivation__host_id"] for r in raised if r["cultivation__host_id"]
    }
    coordinators: dict[int, set[int]] = {}
    for institution_id, user_id in Membership.objects.filter(
        role=Role.COORDINATOR, is_active=True, institution_id__in=institutions
    ).values_list("institution_id", "user_id"):
        coordinators.setdefault(institution_id, set()).add(user_id)
    notifications = []
    urgent_users: set[int] = set()
    for row in raised:
        people = set(tutors.get(row["cultivation_id"], ()))
        informed: set[int] = set()
        in_charge = first.get(row["cultivation_id"])
        if row["rule"] == Rule.TUTORS_SILENT and in_charge is not None:
            # §3.3: the experimental tutor, first in charge, takes the initiative with the
            # theoretical tutor; the warning asks them, and the other tutor is told.
            informed = people - {in_charge[0]}
            people = {in_charge[0]}
        people |= coordinators.get(row["institution_id"], set())
        people |= coordinators.get(row["cultivation__host_id"], set())
        cause = new.get((row["rule"], row["subject_type"], row["subject_id"]))
        if cause is not None:
            people |= {uid for uid in cause.extra_recipient_ids if uid}
        for user_id in people:
            notifications.append(
                Notification(
                    user_id=user_id,
                    kind="warning",
                    warning_id=row["id"],
                    is_urgent=row["is_urgent"],
                    created_at=now,
                    url=reverse("alerts:detail", args=[row["id"]]),
                )
            )
        for user_id in informed - people:
            notifications.append(
                Notification(
                    user_id=user_id,
                    kind="warning_informed",
                    warning_id=row["id"],
                    params={"first": in_charge[1] if in_charge else ""},
                    is_urgent=False,
                    created_at=now,
                    url=reverse("alerts:detail", args=[row["id"]]),
                )
            )
        if row["is_urgent"]:
            urgent_users |= people
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
    if urgent_users:
        user_ids = sorted(urgent_users)
        transaction.on_commit(lambda: send_immediate_emails.enqueue(user_ids))
    return len(raised), len(notifications)
