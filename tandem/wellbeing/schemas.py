"""API schemas of the wellbeing app (names prefixed with Wellbeing, unique in the project).

Scores are optional in the input schema so that a missing one gets the service's message
naming the question, as a 400, like every other bad answer."""

import datetime

from ninja import Schema


class WellbeingCheckInOut(Schema):
    id: int
    submitted_at: datetime.datetime
    physical: int
    mental: int
    workload: int
    living: int
    note: str
    wants_contact: bool
    share_with_host: bool
    share_with_tutors: bool
    home_id: int
    host_id: int | None


class WellbeingCheckInIn(Schema):
    physical: int | None = None
    mental: int | None = None
    workload: int | None = None
    living: int | None = None
    note: str = ""
    wants_contact: bool = False
    share_with_host: bool = False
    share_with_tutors: bool = False


class WellbeingSharedScoresOut(Schema):
    """What a tutor sees when consent covers a check-in: the date and the four scores."""

    submitted_at: datetime.datetime
    physical: int
    mental: int
    workload: int
    living: int


class WellbeingConsentIn(Schema):
    given: bool


class WellbeingConsentOut(Schema):
    given: bool
    since: datetime.datetime | None


class WellbeingOfficerOut(Schema):
    id: int
    institution_id: int
    user_id: int
    name: str
    appointed_at: datetime.datetime


class WellbeingOfficerIn(Schema):
    user_id: int


class WellbeingAlertOut(Schema):
    id: int
    checkin_id: int
    status: str
    acknowledged_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class WellbeingNoteIn(Schema):
    kind: str
    text: str


class WellbeingNoteOut(Schema):
    id: int
    kind: str
    text: str
    created_at: datetime.datetime


class WellbeingStatsOut(Schema):
    institution_id: int
    month: datetime.date
    trainees: int
    physical: float
    mental: float
    workload: float
    living: float
