"""API schemas of the feedback app (names prefixed with Feedback, unique in the project).

An item's raiser is given only for a named item: `raised_by_id` is null for an anonymous one."""

import datetime

from ninja import Schema


class FeedbackItemOut(Schema):
    id: int
    category: str
    title: str
    description: str
    is_anonymous: bool
    raised_by_id: int | None
    agreement_id: int
    institution_id: int
    handler_role: str
    seminar_id: int | None
    status: str
    raised_on: datetime.date
    acknowledge_due: datetime.date
    resolve_due: datetime.date
    resolution: str
    reopen_count: int


class FeedbackItemIn(Schema):
    cultivation_id: int
    category: str
    title: str
    description: str
    anonymous: bool = False


class FeedbackNoteIn(Schema):
    note: str = ""


class FeedbackResolveIn(Schema):
    resolution: str


class FeedbackReopenIn(Schema):
    reason: str


class FeedbackStatsOut(Schema):
    institution_id: int
    institution: str
    suppressed: bool
    items: int | None
    open: int | None
    days_to_acknowledge: float | None
    days_to_close: float | None
    reopened: int | None


class FeedbackSeminarOut(Schema):
    id: int
    title: str
    agreement_id: int
    host_site_id: int | None
    cohort: int | None
    starts_at: datetime.datetime
    duration_minutes: int
    place: str
    online_url: str
    agenda: str
    minutes: str
    status: str
