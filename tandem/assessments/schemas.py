"""API schemas of the assessments app (names prefixed with Assessment or Wba, unique in the
project). No schema returns a one-time code except the one that issues it."""

import datetime
from decimal import Decimal

from ninja import Schema


class AssessmentComponentOut(Schema):
    kind: str
    pass_mark: int | None
    score: Decimal | None
    stations: list[dict]
    passed: bool | None
    attempt: int


class AssessmentOut(Schema):
    id: int
    resident_id: int
    department_id: int
    start: datetime.date
    end: datetime.date
    due_on: datetime.date
    teacher_id: int | None
    status: str
    components: list[AssessmentComponentOut]
    remediation_kind: str | None
    remediation_status: str | None

    @staticmethod
    def resolve_components(obj: object) -> list:
        return list(obj.components.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_remediation_kind(obj: object) -> str | None:
        remediation = getattr(obj, "remediation", None)
        return remediation.kind if remediation else None

    @staticmethod
    def resolve_remediation_status(obj: object) -> str | None:
        remediation = getattr(obj, "remediation", None)
        return remediation.status if remediation else None


class AssessmentStationIn(Schema):
    name: str
    score: float
    max: float


class AssessmentRecordIn(Schema):
    kind: str
    score: float | None = None
    stations: list[AssessmentStationIn] | None = None
    note: str = ""


class AssessmentSummaryIn(Schema):
    text: str


class AssessmentSignoffIn(Schema):
    approve: bool
    note: str = ""


class AssessmentRemediationIn(Schema):
    kind: str
    note: str = ""
    proposal_id: int | None = None
    block: int | None = None


class WbaOut(Schema):
    id: int
    resident_id: int
    department_id: int
    form_id: int
    teacher_id: int
    date: datetime.date
    case: str
    ratings: dict[str, int]
    feedback: str
    status: str
    confirmed_by: str
    confirmed_at: datetime.datetime | None


class WbaIn(Schema):
    department_id: int
    form_id: int
    teacher_id: int
    date: datetime.date
    case: str
    ratings: dict[str, int]
    feedback: str = ""


class WbaConfirmIn(Schema):
    confirm: bool = True
    note: str = ""


class WbaCodeIn(Schema):
    code: str


class WbaCodeOut(Schema):
    code: str
    expires_at: datetime.datetime
