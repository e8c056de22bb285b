"""Reminders for evaluations still to do, run daily by `manage.py remind_evaluations`.

- An evaluator is reminded once when a pair comes within `EVALUATIONS_REMINDER_DAYS` of its due
  date (up to the due day itself), and once the day after it is overdue, then at most once a
  week while it stays overdue.
- The coordinators of the institution running a round get one summary when the round's due
  date has passed with evaluations outstanding.
- Never for a withdrawn or submitted pair, nor for a round that has not opened.

Each reminder has a key — the pair (or round), the step and the due date it is about — and a
person gets a key once only: the database refuses the second row
(`alerts.services.notifications_send_once`), so running twice, or twice at the same time, sends
nothing more. Extending a pair's due date gives new keys: the reminders move with it. A reminder
names the round and the due date, nothing of any answer (decision 082).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Membership, Role
from tandem.alerts.services import notifications_send_once
from tandem.evaluations.models import EvaluationPair, EvaluationRound, PairStatus

OVERDUE_EVERY_DAYS = 7


def reminder_days() -> int:
    return max(0, int(getattr(settings, "EVALUATIONS_REMINDER_DAYS", 3)))


@dataclass
class RemindersSent:
    due: int = 0
    overdue: int = 0
    rounds: int = 0


def _params(title: str, title_zh: str, due: datetime.date, **extra: Any) -> dict[str, Any]:
    return {"round": title, "round_zh": title_zh, "due": due.isoformat()} | extra


def pair_reminder_entries(
    today: datetime.date,
) -> tuple[list[tuple[int, str, dict[str, Any], str]], list[tuple[int, str, dict[str, Any], str]]]:
    """(due soon, overdue) entries for the pairs still to do in rounds that have opened."""
    rows = (
        EvaluationPair.objects.filter(
            status=PairStatus.PENDING,
            round__opens_on__lte=today,
            due_on__lte=today + datetime.timedelta(days=reminder_days()),
        )
        .values_list("pk", "evaluator_id", "due_on", "round__title", "round__title_zh")
        .order_by("pk")
    )
    due: list[tuple[int, str, dict[str, Any], str]] = []
    overdue: list[tuple[int, str, dict[str, Any], str]] = []
    for pk, evaluator_id, due_on, title, title_zh in rows.iterator(chunk_size=2000):
        url = reverse("evaluations:respond", kwargs={"pk": pk})
        params = _params(title, title_zh, due_on)
        if due_on >= today:
            due.append((evaluator_id, f"evaluations:pair:{pk}:due:{due_on}", params, url))
        else:
            step = ((today - due_on).days - 1) // OVERDUE_EVERY_DAYS
            key = f"evaluations:pair:{pk}:overdue:{due_on}:{step}"
            overdue.append((evaluator_id, key, params, url))
    return due, overdue


def round_summary_entries(today: datetime.date) -> list[tuple[int, str, dict[str, Any], str]]:
    """One entry per coordinator of a round past its due date with pairs still to do."""
    rounds = list(
        EvaluationRound.objects.filter(opens_on__lte=today, due_on__lt=today)
        .annotate(outstanding=Count("pairs", filter=Q(pairs__status=PairStatus.PENDING)))
        .filter(outstanding__gt=0)
        .values_list("pk", "institution_id", "due_on", "title", "title_zh", "outstanding")
    )
    coordinators: dict[int, list[int]] = {}
    for institution_id, user_id in (
        Membership.objects.filter(
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
            institution_id__in={row[1] for row in rounds},
        )
        .values_list("institution_id", "user_id")
        .order_by("user_id")
    ):
        coordinators.setdefault(institution_id, []).append(user_id)
    entries = []
    for pk, institution_id, due_on, title, title_zh, outstanding in rounds:
        url = reverse("evaluations:round_detail", kwargs={"pk": pk})
        params = _params(title, title_zh, due_on, count=outstanding)
        for user_id in coordinators.get(institution_id, []):
            entries.append((user_id, f"evaluations:round:{pk}:overdue:{due_on}", params, url))
    return entries


@transaction.atomic
def evaluations_remind(*, today: datetime.date | None = None) -> RemindersSent:
    """Send the reminders due today; safe to run any number of times, also concurrently."""
    today = today or timezone.localdate()
    due, overdue = pair_reminder_entries(today)
    return RemindersSent(
        due=notifications_send_once(kind="evaluation_due", entries=due),
        overdue=notifications_send_once(kind="evaluation_overdue", entries=overdue),
        rounds=notifications_send_once(
            kind="eval_round_overdue", entries=round_summary_entries(today)
        ),
    )
