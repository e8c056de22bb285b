"""API schemas of the visits app (names prefixed with Visits, unique in the project).
No schema carries a side's internal notes."""

import datetime

from ninja import Schema


class VisitsVisitIn(Schema):
    host_id: int
    visiting_id: int
    agreement_id: int | None = None
    title: str
    title_zh: str = ""
    starts_on: datetime.date
    ends_on: datetime.date
    place: str = ""
    purpose: str = ""


class VisitsVisitOut(Schema):
    id: int
    host_id: int
    visiting_id: int
    agreement_id: int | None
    title: str
    title_zh: str
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    purpose: str
    status: str


class VisitsDelegateOut(Schema):
    id: int
    person_id: int
    person_name: str
    institution_id: int
    role: str

    @staticmethod
    def resolve_person_name(obj: object) -> str:
        return str(obj.person)  # type: ignore[attr-defined]


class VisitsSessionOut(Schema):
    id: int
    specialty: str
    host_base_id: int | None
    visiting_base_id: int | None
    topics: list[str]
    other_topic: str
    starts_at: datetime.datetime | None
    place: str
    minutes: str


class VisitsAgendaOut(Schema):
    id: int
    topic: str
    title: str
    institution_id: int
    presenter_id: int | None


class VisitsVisitDetailOut(VisitsVisitOut):
    agenda: list[VisitsAgendaOut]
    delegates: list[VisitsDelegateOut]
    sessions: list[VisitsSessionOut]


class VisitsVisitUpdateIn(Schema):
    """Only the fields sent change; the two institutions and the agreement never."""

    title: str | None = None
    title_zh: str | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    place: str | None = None
    purpose: str | None = None


class VisitsReasonIn(Schema):
    reason: str = ""


class VisitsDelegateIn(Schema):
    person_id: int
    institution_id: int
    role: str


class VisitsSessionIn(Schema):
    host_base_id: int | None = None
    visiting_base_id: int | None = None
    topics: list[str] = []
    other_topic: str = ""
    starts_at: datetime.datetime | None = None
    place: str = ""
    participant_ids: list[int] = []


class VisitsMinutesIn(Schema):
    minutes: str
    topics: list[str] | None = None


class VisitsActionIn(Schema):
    institution_id: int
    owner_id: int
    title: str
    deadline: datetime.date
    detail: str = ""
    session_id: int | None = None


class VisitsActionOut(Schema):
    id: int
    visit_id: int
    session_id: int | None
    institution_id: int
    owner_id: int
    title: str
    detail: str
    deadline: datetime.date
    status: str
    progress_note: str
    done_at: datetime.datetime | None
    accepted_by_id: int | None
    accepted_at: datetime.datetime | None


class VisitsStepIn(Schema):
    status: str
    note: str = ""


class VisitsPracticeIn(Schema):
    institution_id: int
    topic: str
    title: str
    summary: str
    specialty: str = ""
    title_zh: str = ""
    summary_zh: str = ""


class VisitsPracticeOut(Schema):
    id: int
    visit_id: int
    institution_id: int
    specialty: str
    topic: str
    title: str
    title_zh: str
    summary: str
    summary_zh: str
