"""API schemas of the work-hours app (names prefixed with Workhours, unique in the project)."""

import datetime

from ninja import Schema


class WorkhoursShiftOut(Schema):
    id: int
    resident_id: int
    member_id: int
    department_id: int | None
    start: datetime.datetime
    end: datetime.datetime
    kind: str
    source: str
    note: str


class WorkhoursViolationOut(Schema):
    rule: str
    start: datetime.datetime
    end: datetime.datetime
    value: float
    limit: float
    text: str
    shift_ids: list[int]


class WorkhoursShiftLoggedOut(WorkhoursShiftOut):
    violations: list[WorkhoursViolationOut]


class WorkhoursShiftIn(Schema):
    start: datetime.datetime
    end: datetime.datetime
    kind: str = "duty"
    note: str = ""


class WorkhoursWeekOut(Schema):
    monday: datetime.date
    hours: float


class WorkhoursStandingOut(Schema):
    resident_id: int
    regulator: str
    time_zone: str
    weeks: list[WorkhoursWeekOut]
    violations: list[WorkhoursViolationOut]


class WorkhoursMemberOut(Schema):
    member_id: int
    resident_id: int
    resident: str
    weeks: list[WorkhoursWeekOut]
    violations: int


class WorkhoursCohortOut(Schema):
    cohort_id: int
    members: list[WorkhoursMemberOut]


class WorkhoursRuleSetOut(Schema):
    id: int
    institution_id: int
    program_id: int | None
    regulator: str
    time_zone: str
    max_weekly_hours: int
    averaging_weeks: int
    free_days_per_week: int
    max_continuous_hours: int
    handover_hours: int
    min_rest_hours: int
    long_duty_hours: int
    rest_after_long_hours: int


class WorkhoursRuleSetIn(Schema):
    institution_id: int
    program_id: int | None = None
    regulator: str = "acgme"
    time_zone: str = ""
    max_weekly_hours: int | None = None
    averaging_weeks: int | None = None
    free_days_per_week: int | None = None
    max_continuous_hours: int | None = None
    handover_hours: int | None = None
    min_rest_hours: int | None = None
    long_duty_hours: int | None = None
    rest_after_long_hours: int | None = None


class WorkhoursPlannedOut(Schema):
    member_id: int
    resident_id: int
    violation: WorkhoursViolationOut
