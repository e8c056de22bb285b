"""API schemas of the teachers' app (names prefixed with Faculty, unique in the project)."""

import datetime
from decimal import Decimal

from ninja import Schema


class FacultyProfileOut(Schema):
    id: int
    teacher_id: int
    teacher: str
    base_id: int
    title: str
    attending_since: datetime.date | None
    certificate_number: str
    certificate_issued_on: datetime.date | None
    certificate_expires_on: datetime.date | None
    tier: str
    is_active: bool

    @staticmethod
    def resolve_teacher(obj: object) -> str:
        teacher = obj.teacher  # type: ignore[attr-defined]
        return str(teacher.full_name or teacher.username)


class FacultyProfileDetailOut(FacultyProfileOut):
    qualified: bool
    reasons: list[str]


class FacultyProfileIn(Schema):
    teacher_id: int
    title: str
    attending_since: datetime.date | None = None
    certificate_number: str = ""
    certificate_issued_on: datetime.date | None = None
    certificate_expires_on: datetime.date | None = None
    tier: str = "general"
    is_active: bool = True


class FacultyTrainingIn(Schema):
    course: str
    hours: Decimal
    level: str
    date: datetime.date
    certificate: str = ""


class FacultyTrainingOut(Schema):
    id: int
    profile_id: int
    course: str
    hours: Decimal
    level: str
    date: datetime.date
    certificate: str


class FacultyWorkloadOut(Schema):
    teacher_id: int
    profile_id: int
    year: int
    activities: int
    residents: int
    wbas: int
    verifications: int
    evaluation_responses: int
    evaluation_mean: float | None


class FacultyAssignmentIn(Schema):
    member_id: int
    department_id: int
    teacher_id: int
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class FacultyAssignmentOut(Schema):
    id: int
    member_id: int
    resident_id: int
    department_id: int
    stint_start: datetime.date
    teacher_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    cancelled_at: datetime.datetime | None


class FacultyGoalOut(Schema):
    id: int
    text: str
    target: str
    status: str
    review_note: str


class FacultyPlanOut(Schema):
    id: int
    profile_id: int
    year: int
    status: str
    review_note: str
    goals: list[FacultyGoalOut]

    @staticmethod
    def resolve_goals(obj: object) -> list[object]:
        return list(obj.goals.all())  # type: ignore[attr-defined]


class FacultyGoalIn(Schema):
    text: str
    target: str = ""


class FacultyGoalReviewIn(Schema):
    goal_id: int
    status: str
    note: str = ""


class FacultyReviewIn(Schema):
    note: str
    goals: list[FacultyGoalReviewIn] = []
