"""The sweep of one-sided suspensions (for cron, e.g. hourly): every suspension the other
institution has not confirmed within SUSPENSION_CONFIRM_DAYS lapses, and the joint
cultivation resumes (decision 086). Idempotent."""

from django.core.management.base import BaseCommand

from tandem.cultivation.services_ending import suspensions_lapse


class Command(BaseCommand):
    help = "Lapse the suspensions the other institution did not confirm in time."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{suspensions_lapse()} suspension(s) lapsed.")
