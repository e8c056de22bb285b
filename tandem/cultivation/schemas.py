"""Request and response bodies of the joint cultivation API."""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.urls import reverse
from ninja import FilterSchema, Schema

from tandem.cultivation import selectors
from tandem.cultivation.models import JointCultivation, TutorTraining


class StayIn(Schema):
    institution_id: int
    start: datetime.date
    end: datetime.date
    purpose: str = ""


class CultivationIn(Schema):
    trainee_id: int
    agreement_id: int
    home_id: int
    host_id: int
    planned_start: datetime.date
    planned_end: datetime.date
    stay_mode: Literal["sequential", "concurrent"] = "sequential"
    research_topic: str = ""
    stays: list[StayIn]


class StayOut(Schema):
    institution_id: int
    start: datetime.date
    end: datetime.date
    purpose: str


class StayChangeIn(Schema):
    start: datetime.date
    end: datetime.date
    # omitted: unchanged
    purpose: str | None = None


class StayPlannedOut(StayOut):
    id: int
    cultivation_id: int


class DecisionOut(Schema):
    kind: str
    institution_id: int | None
    decided_by_id: int
    decided_at: datetime.datetime
    from_status: str
    to_status: str
    reason: str


class EndingRequestOut(Schema):
    id: int
    # "suspend", "complete" or "terminate"
    kind: str
    ground: str
    reason: str
    requested_by_id: int
    requested_for_id: int
    requested_at: datetime.datetime
    # A suspension lapses unless the other institution confirms it by then.
    confirm_by: datetime.datetime | None
    # "requested" (awaiting the other institution), "confirmed", "declined", "lapsed", "withdrawn"
    status: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_reason: str


class AssignmentOut(Schema):
    id: int
    tutor_id: int
    tutor_name: str
    role: str
    institution_id: int
    is_first_in_charge: bool
    quota_year: int
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    end_reason: str

    @staticmethod
    def resolve_tutor_name(obj: Any) -> str:
        return str(obj.tutor)


class CultivationOut(Schema):
    id: int
    trainee_id: int
    trainee_name: str
    agreement_id: int
    agreement_form: str
    home_id: int
    host_id: int
    status: str
    quota_year: int
    planned_start: datetime.date
    planned_end: datetime.date
    stay_mode: str
    research_topic: str
    is_incomplete: bool
    tutors: list[AssignmentOut]

    @staticmethod
    def resolve_trainee_name(obj: JointCultivation) -> str:
        return str(obj.trainee)

    @staticmethod
    def resolve_agreement_form(obj: JointCultivation) -> str:
        return obj.agreement.form

    @staticmethod
    def resolve_tutors(obj: JointCultivation) -> list:
        pair = getattr(obj, "current_pair", None)
        return list(pair) if pair is not None else list(selectors.current_tutors(obj).values())


class CultivationDetailOut(CultivationOut):
    stays: list[StayOut]
    decisions: list[DecisionOut]
    ending_requests: list[EndingRequestOut]

    @staticmethod
    def resolve_ending_requests(obj: JointCultivation) -> list:
        return list(obj.ending_requests.all())

    @staticmethod
    def resolve_stays(obj: JointCultivation) -> list:
        return list(obj.stays.all())

    @staticmethod
    def resolve_decisions(obj: JointCultivation) -> list:
        return list(obj.decisions.all())


class CultivationFilters(FilterSchema):
    status: str | None = None
    institution_id: int | None = None
    agreement_id: int | None = None
    incomplete: bool = False
    q: str | None = None


class ApproveIn(Schema):
    institution_id: int | None = None
    reason: str = ""


class CultivationReasonIn(Schema):
    reason: str = ""
    # Suspend, complete, terminate: one of the fixed grounds (the request's `ground` codes).
    ground: str = ""


class AssignIn(Schema):
    tutor_id: int
    role: Literal["experimental", "theoretical"]


class ChangeIn(Schema):
    new_tutor_id: int
    role: Literal["experimental", "theoretical"]
    reason: str


class ChangeApproveIn(Schema):
    institution_id: int | None = None


class ChangeOut(Schema):
    id: int
    role: str
    new_tutor_id: int
    reason: str
    status: str
    requested_by_id: int
    requested_at: datetime.datetime
    home_approved_by_id: int | None
    host_approved_by_id: int | None
    decided_at: datetime.datetime | None
    decision_reason: str


class ItemIn(Schema):
    key: str = ""
    title: str = ""


class ShareIn(ItemIn):
    role: Literal["experimental", "theoretical"]


class ItemOut(Schema):
    key: str
    title: str
    label: str


class ResponsibilityShareOut(ItemOut):
    role: str


class ResponsibilitySignatureOut(Schema):
    tutor_id: int
    role: str
    signed_at: datetime.datetime


class ResponsibilitiesOut(Schema):
    items: list[ResponsibilityShareOut]
    signatures: list[ResponsibilitySignatureOut]
    is_complete: bool


class ResponsibilitiesIn(Schema):
    items: list[ShareIn]


class TemplateIn(Schema):
    items: list[ItemIn]


class TrainingIn(Schema):
    course: str
    provider: str = ""
    hours: Decimal
    date: datetime.date


class TrainingOut(Schema):
    id: int
    tutor_id: int
    course: str
    provider: str
    hours: Decimal
    date: datetime.date
    certificate_url: str | None

    @staticmethod
    def resolve_certificate_url(obj: TutorTraining) -> str | None:
        if not obj.certificate:
            return None
        return reverse("cultivation:training_certificate", args=[obj.pk])


class LoadRowOut(Schema):
    institution: str
    kind: str
    n: int


class LoadOut(Schema):
    tutor_id: int
    year: int
    quota: int
    used: int
    left: int
    current: int
    rows: list[LoadRowOut]


class TrainingRequirementIn(Schema):
    hours_per_period: Decimal
    period_start_month: int = 9
    mandatory_courses: list[str] = []
    new_tutor_months: int = 12


class TutorShortOut(Schema):
    tutor_id: int
    tutor_name: str
    hours: Decimal
    hours_short: Decimal
    is_new: bool
    missing_courses: list[str]


class TrainingRequirementOut(Schema):
    institution_id: int
    hours_per_period: Decimal
    period_start_month: int
    period_start: datetime.date
    period_end: datetime.date
    mandatory_courses: list[str]
    new_tutor_months: int
    tutors_short: list[TutorShortOut]


class InsuranceIn(Schema):
    insurer: str
    policy_number: str
    valid_from: datetime.date
    valid_until: datetime.date


class InsuranceOut(Schema):
    id: int
    trainee_id: int
    insurer: str
    policy_number: str
    valid_from: datetime.date
    valid_until: datetime.date
