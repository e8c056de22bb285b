"""Reads that combine several apps: the tutor's workspace."""

from typing import Any

from tandem.cultivation.selectors import current_trainee_rows
from tandem.meetings.selectors import last_reports_for
from tandem.plans.selectors import next_milestones_for


def workspace_rows(user: Any) -> list[dict[str, Any]]:
    """Every current trainee of the tutor (see `current_trainee_rows`) with the next milestone
    of their plan and their last progress report, in a fixed number of queries."""
    rows = current_trainee_rows(user)
    milestones = next_milestones_for([row["cultivation"].pk for row in rows])
    reports = last_reports_for([row["trainee"].pk for row in rows])
    for row in rows:
        row["next_milestone"] = milestones.get(row["cultivation"].pk)
        row["last_progress_report"] = reports.get(row["trainee"].pk)
    return rows
