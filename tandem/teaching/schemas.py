"""API schemas of the teaching app (names prefixed with Teaching, unique in the project).

No schema carries an activity's secret: the code goes out to the teacher (for their own
display), the code comes in from the resident."""

import datetime

from ninja import Schema


class TeachingActivityOut(Schema):
    id: int
    department_id: int
    kind_id: int
    kind: str
    series_id: int | None
    teacher_id: int
    topic: str
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str

    @staticmethod
    def resolve_kind(obj: object) -> str:
        return str(obj.kind)  # type: ignore[attr-defined]


class TeachingActivityIn(Schema):
    department_id: int
    kind_id: int
    teacher_id: int
    topic: str
    place: str
    date: datetime.date
    start_time: datetime.time
    duration_minutes: int
    repeat_weeks: int = 0
    until: datetime.date | None = None


class TeachingCodeOut(Schema):
    code: str
    url: str
    seconds_left: int
    is_open: bool


class TeachingSignInIn(Schema):
    code: str


class TeachingAttendanceOut(Schema):
    id: int
    activity_id: int
    resident_id: int
    in_audience: bool
    status: str
    source: str
    signed_in_at: datetime.datetime | None
    reason: str


class TeachingCorrectIn(Schema):
    resident_id: int
    status: str
    reason: str


class TeachingStatsRowOut(Schema):
    id: int
    name: str
    activities: int | None = None
    expected: int
    attended: int
    walk_ins: int
    rate: int | None


class TeachingBaseStatsOut(Schema):
    start: datetime.date
    end: datetime.date
    departments: list[TeachingStatsRowOut]
    teachers: list[TeachingStatsRowOut]
