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


class BenchmarkCellOut(Schema):
    column: str
    # None when hidden: fewer people than the threshold, or hidden so they cannot be worked out.
    units: int | None
    hits: int | None
    rate: float | None
    # For a mean or a sum indicator (days to close, hours used); None otherwise or when hidden.
    value: float | None
    mean: float | None
    suppressed: bool


class BenchmarkRowOut(Schema):
    kind: str  # institution, group or total
    key: str
    label: str
    group: str
    cells: list[BenchmarkCellOut]


class BenchmarkOut(Schema):
    indicator: str
    title: str
    grouping: str
    is_rate: bool
    measure: str
    threshold: int
    columns: list[str]
    rows: list[BenchmarkRowOut]


class BenchmarkFilters(Schema):
    grouping: str = "region"
    show: str = "institutions"
    group: str = ""
    first: int | None = None
    last: int | None = None
