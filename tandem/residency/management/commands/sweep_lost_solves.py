"""End the schedule solves whose worker was lost (for cron, e.g. every few minutes, beside
`evaluate_warnings`): a proposal still "solving" whose heartbeat stopped longer ago than its time
limit and a margin becomes "interrupted", with the best schedule it had saved. Idempotent."""

from django.core.management.base import BaseCommand

from tandem.residency.services_schedule import proposals_interrupt_lost


class Command(BaseCommand):
    help = "Mark schedule proposals whose solving worker was lost as interrupted."

    def handle(self, *args, **options) -> None:
        count = proposals_interrupt_lost()
        self.stdout.write(f"{count} lost solves interrupted.")
