"""API schemas of the quality app (names prefixed with Quality, unique in the project)."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class QualityStandardOut(Schema):
    id: int
    base_id: int
    kind: str
    activity_kind_id: int | None
    count: int
    period: int
    unit: str
    within_days: int
    text: str

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return str(obj)


class QualityEvidenceOut(Schema):
    start: datetime.date | None = None
    end: datetime.date | None = None
    due: datetime.date | None = None
    day: datetime.date | None = None
    count: int | None = None
    residents: int | None = None
    resident_id: int | None = None
    teacher_id: int | None = None
    person: str = ""
    status: str = ""


class QualityOutcomeOut(Schema):
    department_id: int | None
    status: str
    evidence: list[QualityEvidenceOut]


class QualityStandardResultOut(Schema):
    standard: QualityStandardOut
    status: str
    outcomes: list[QualityOutcomeOut]


class QualityMonthOut(Schema):
    month: datetime.date
    met: int
    missed: int
    pending: int


class QualityComplianceOut(Schema):
    base_id: int
    month: datetime.date
    missed: int
    standards: list[QualityStandardResultOut]
    history: list[QualityMonthOut]


class QualityRectificationOut(Schema):
    id: int
    observation_id: int
    activity_id: int
    finding: str
    owner_id: int
    deadline: datetime.date
    status: str
    response: str
    return_note: str

    @staticmethod
    def resolve_activity_id(obj: Any) -> int:
        return int(obj.observation.activity_id)


class QualityRespondIn(Schema):
    response: str


class QualityDecideIn(Schema):
    accept: bool
    note: str = ""


class QualityScoreOut(Schema):
    indicator_id: int
    group: str
    indicator: str
    max_score: Decimal
    score: Decimal | None
    comment: str
    evidence: list[str]


class QualitySelfAssessmentOut(Schema):
    id: int
    base_id: int
    title: str
    status: str
    submitted_at: datetime.datetime | None
    scores: list[QualityScoreOut]
