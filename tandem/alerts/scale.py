"""Benchmark data for early warnings on top of `seed_scale`: different thresholds at some
institutions (so the evaluation's per-institution conditions are exercised) and e-mail
preferences. The causes themselves come from `tandem.meetings.scale`."""

import random

from django.utils import timezone

from tandem.accounts.models import User
from tandem.alerts.models import EmailMode, NotificationPreference, WarningThresholds
from tandem.institutions.models import Institution


def load_scale(rng: random.Random) -> None:
    institutions = list(Institution.objects.filter(code__startswith="scale-").order_by("code"))
    existing = set(WarningThresholds.objects.values_list("institution_id", flat=True))
    WarningThresholds.objects.bulk_create(
        [
            WarningThresholds(
                institution=inst,
                no_report_weeks=rng.choice([3, 4, 6]),
                milestone_days=rng.choice([7, 14, 30]),
                tutor_silence_weeks=rng.choice([6, 8, 12]),
                action_overdue_days=rng.choice([0, 3, 7]),
                absences_in_row=rng.choice([2, 3]),
                updated_at=timezone.now(),
            )
            for inst in institutions[::3]
            if inst.pk not in existing
        ]
    )
    have = set(NotificationPreference.objects.values_list("user_id", flat=True))
    users = User.objects.filter(username__startswith="scale-coord-").values_list("id", flat=True)
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user_id=uid, email_mode=rng.choice(list(EmailMode.values)))
            for uid in users
            if uid not in have
        ]
    )
