"""Response bodies of the API operations that look across apps."""

import datetime

from ninja import Schema


class WorkspaceMilestoneOut(Schema):
    title: str
    kind: str
    status: str
    latest: datetime.date | None


class WorkspaceDutyOut(Schema):
    """Something the first tutor in charge is asked to start or answer."""

    code: str  # plan, responsibilities, milestones, warnings
    label: str
    count: int
    url: str


class WorkspaceRowOut(Schema):
    cultivation_id: int
    trainee_id: int
    trainee_name: str
    role: str
    status: str
    home_id: int
    host_id: int
    partner_tutor_id: int | None
    is_complete: bool
    next_milestone: WorkspaceMilestoneOut | None = None
    last_progress_report_at: datetime.datetime | None = None
    is_first_in_charge: bool = False
    to_start: list[WorkspaceDutyOut] = []
