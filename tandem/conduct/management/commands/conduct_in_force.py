"""The daily sweep of discipline decisions (for cron): every decision whose appeal window
closed without an appeal comes into force — a termination then ends the joint cultivation —
and the parties are notified (decision 095). Idempotent."""

from django.core.management.base import BaseCommand

from tandem.conduct.services_appeal import cases_bring_into_force


class Command(BaseCommand):
    help = "Bring into force the discipline decisions whose appeal window has closed."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{cases_bring_into_force()} decision(s) came into force.")
