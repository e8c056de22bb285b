"""Import a joint record exported by another Tandem installation (tandem-joint-record/1)."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import User
from tandem.plans.record_import import joint_record_import


class Command(BaseCommand):
    help = "Import a joint record (JSON, format tandem-joint-record/1): all of it or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the JSON file.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="User name of the consortium admin recorded as the importer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc}") from exc
        try:
            cultivation = joint_record_import(actor=actor, data=data)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            lines = [
                f"  {path}: {message}"
                for path, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError("The record was not imported:\n" + "\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported joint record {cultivation.external_id} (cultivation {cultivation.pk})."
            )
        )
