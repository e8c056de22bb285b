"""Mark agreements whose term has ended as expired. Run daily from cron; safe to run again."""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tandem.agreements.services import agreement_expire_due


class Command(BaseCommand):
    help = "Mark agreements in force whose end date has passed as expired (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Treat this date (YYYY-MM-DD) as today; by default the local date.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        expired = agreement_expire_due(today=today)
        for agreement in expired:
            self.stdout.write(f"expired: {agreement.pk} {agreement}")
        self.stdout.write(f"{len(expired)} agreement(s) expired")
