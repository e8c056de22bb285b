"""Remind evaluators of evaluations due soon or overdue, and coordinators of rounds past their
due date (for cron, daily; idempotent, safe to run twice at once)."""

from django.core.management.base import BaseCommand

from tandem.evaluations.reminders import evaluations_remind


class Command(BaseCommand):
    help = "Send the evaluation reminders due today."

    def handle(self, *args, **options) -> None:
        sent = evaluations_remind()
        self.stdout.write(
            f"Reminded {sent.due} evaluations due soon, {sent.overdue} overdue; "
            f"{sent.rounds} round summaries to coordinators."
        )
