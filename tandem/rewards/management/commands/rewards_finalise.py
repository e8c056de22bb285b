"""The daily sweep of announced awards (for cron): every award whose objection period is over
with every objection answered becomes final, and its nominees, nominator and committee are
notified (decision 104). Idempotent: a second run finds nothing to do."""

from django.core.management.base import BaseCommand

from tandem.rewards.services_announce import awards_finalise_due


class Command(BaseCommand):
    help = "Make final the awards whose objection period is over with every objection answered."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{awards_finalise_due()} award(s) became final.")
