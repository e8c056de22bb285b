"""API schemas of the milestones app (names prefixed with Milestones, unique in the project).
No schema gives a member's individual note to anyone but the committee."""

import datetime
from typing import Any

from ninja import Schema


class MilestonesLevelOut(Schema):
    level: int
    description: str
    description_zh: str


class MilestonesSubOut(Schema):
    id: int
    code: str
    domain: str
    name: str
    name_zh: str
    levels: list[MilestonesLevelOut]

    @staticmethod
    def resolve_levels(obj: Any) -> list[Any]:
        return list(obj.levels.all())


class MilestonesEpaOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str


class MilestonesSetOut(Schema):
    id: int
    institution_id: int | None
    specialty: str
    version: str
    name: str
    name_zh: str
    is_builtin: bool


class MilestonesSetDetailOut(MilestonesSetOut):
    subcompetencies: list[MilestonesSubOut]
    epas: list[MilestonesEpaOut]


class MilestonesSetIn(Schema):
    institution_id: int
    specialty: str
    version: str
    name: str
    name_zh: str = ""


class MilestonesCommitteeOut(Schema):
    id: int
    program_id: int
    chair_id: int | None
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: Any) -> list[int]:
        return sorted(m.user_id for m in obj.members.all())


class MilestonesMemberIn(Schema):
    user_id: int


class MilestonesReviewIn(Schema):
    milestone_set_id: int
    label: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date


class MilestonesResidentRowOut(Schema):
    id: int
    resident_id: int
    status: str
    decision: str


class MilestonesReviewOut(Schema):
    id: int
    committee_id: int
    milestone_set_id: int
    label: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    residents: list[MilestonesResidentRowOut]

    @staticmethod
    def resolve_residents(obj: Any) -> list[Any]:
        return list(obj.residents.all())


class MilestonesRatingOut(Schema):
    rater_id: int
    subcompetency_id: int | None
    epa_id: int | None
    level: int | None
    note: str


class MilestonesResidentReviewOut(Schema):
    id: int
    review_id: int
    resident_id: int
    status: str
    decision: str
    plan: str
    plan_owner_id: int | None
    plan_due: datetime.date | None
    summary: dict[str, Any]
    ratings: list[MilestonesRatingOut]

    @staticmethod
    def resolve_ratings(obj: Any) -> list[Any]:
        return list(obj.ratings.all())


class MilestonesSummaryOut(Schema):
    """What the resident reads: no member's rating or note."""

    id: int
    review_id: int
    label: str
    status: str
    decision: str
    plan: str
    plan_owner_id: int | None
    plan_due: datetime.date | None
    summary: dict[str, Any]
    finalised_at: datetime.datetime | None

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.review.label)


class MilestonesRatingIn(Schema):
    """Levels keyed by subcompetency or EPA id (as text); null: not yet assessable."""

    subcompetencies: dict[str, int | None] = {}
    epas: dict[str, int | None] = {}
    notes: dict[str, str] = {}


class MilestonesRatedOut(Schema):
    written: int


class MilestonesFinaliseIn(Schema):
    decision: str
    plan: str = ""
    plan_owner_id: int | None = None
    plan_due: datetime.date | None = None
