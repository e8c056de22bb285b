"""Running import jobs in tests through the real task backend: the database backend queues
them on commit and the `db_worker` command of django-tasks runs them, as in production."""

from unittest import mock

import pytest
from django.core.management import call_command

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """Run every queued task, then return (what `make demo`'s worker does, once)."""
    # The worker closes "old" connections between tasks; inside a test's transaction Django
    # takes the open transaction for an unusable connection and closes it (on PostgreSQL; an
    # in-memory SQLite database is never closed). The test's one connection must stay open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def background(settings):
    """Every import above 1 KB is queued on the database backend."""
    settings.TASKS = DB_BACKEND
    settings.IMPORT_BACKGROUND_BYTES = 1024
