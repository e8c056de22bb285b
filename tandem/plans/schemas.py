"""Request and response schemas of the plans API."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from tandem.cultivation.models import JointCultivation


class CultivationPlanOut(Schema):
    cultivation_id: int
    trainee: str
    home: str
    host: str
    research_topic: str
    has_plan: bool
    version_in_force: int | None

    @staticmethod
    def resolve_cultivation_id(obj: JointCultivation) -> int:
        return obj.pk

    @staticmethod
    def resolve_trainee(obj: JointCultivation) -> str:
        return str(obj.trainee)

    @staticmethod
    def resolve_home(obj: JointCultivation) -> str:
        return obj.home.code

    @staticmethod
    def resolve_host(obj: JointCultivation) -> str:
        return obj.host.code

    @staticmethod
    def resolve_has_plan(obj: JointCultivation) -> bool:
        return getattr(obj, "training_plan", None) is not None

    @staticmethod
    def resolve_version_in_force(obj: JointCultivation) -> int | None:
        plan = getattr(obj, "training_plan", None)
        return plan.current_version.number if plan and plan.current_version else None


class CourseOut(Schema):
    id: int
    title: str
    credits: Decimal
    kind: str
    institution: str
    term: str

    @staticmethod
    def resolve_institution(obj: Any) -> str:
        return obj.institution.code


class WindowOut(Schema):
    milestone_id: int
    milestone_key: str
    earliest: datetime.date
    latest: datetime.date

    @staticmethod
    def resolve_milestone_key(obj: Any) -> str:
        return obj.milestone.key


class PlanSignatureOut(Schema):
    tutor_id: int
    tutor_name: str
    role: str
    signed_at: datetime.datetime


class VersionOut(Schema):
    number: int
    research_topic: str
    status: str
    reason_kind: str
    change_reason: str
    confidential: bool
    confidential_note: str | None
    created_by_id: int
    created_at: datetime.datetime
    signed_at: datetime.datetime | None
    credits: Decimal
    signatures: list[PlanSignatureOut]
    courses: list[CourseOut]
    milestone_windows: list[WindowOut]


class EvidenceOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    download_url: str | None


class SubmissionOut(Schema):
    number: int
    note: str
    submitted_by_id: int
    submitted_at: datetime.datetime
    evidence: list[EvidenceOut]
    outcome: str
    examiners: str
    comments: str
    reviewed_by_id: int | None
    reviewed_at: datetime.datetime | None


class MilestoneOut(Schema):
    id: int
    key: str
    kind: str
    title: str
    status: str
    earliest: datetime.date | None
    latest: datetime.date | None
    overdue: bool
    submissions: list[SubmissionOut]


class PlanOut(Schema):
    cultivation_id: int
    version_in_force: int | None
    open_version: int | None
    versions: list[VersionOut]
    milestones: list[MilestoneOut]


class OverdueOut(Schema):
    cultivation_id: int
    trainee: str
    milestone_id: int
    title: str
    latest: datetime.date
    status: str


class TopicIn(Schema):
    research_topic: str


class CourseIn(Schema):
    title: str
    credits: Decimal
    kind: str = "compulsory"
    institution: str  # code of the home or the host
    term: str = ""


class MilestoneIn(Schema):
    kind: str
    title: str = ""
    earliest: datetime.date
    latest: datetime.date


class WindowIn(Schema):
    earliest: datetime.date
    latest: datetime.date


class ReviseIn(Schema):
    reason: str
    reason_kind: str = "ordinary"


class FileIn(Schema):
    name: str
    content_base64: str


class SubmitIn(Schema):
    files: list[FileIn]
    note: str = ""


class ReviewIn(Schema):
    outcome: str
    comments: str = ""
    examiners: str = ""


class ImportOut(Schema):
    cultivation_id: int
    record_id: str
