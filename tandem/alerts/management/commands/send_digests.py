"""Queue the daily e-mail digest of every person with unread notifications (for cron, daily).
Each digest is a background task; a notification is never e-mailed twice."""

from django.core.management.base import BaseCommand

from tandem.alerts.emails import digest_recipient_ids
from tandem.alerts.tasks import send_digest


class Command(BaseCommand):
    help = "Queue the daily notification digests."

    def handle(self, *args, **options) -> None:
        ids = digest_recipient_ids()
        for user_id in ids:
            send_digest.enqueue(user_id)
        self.stdout.write(f"Queued {len(ids)} digests.")
