"""The shapes of the residency API. Ids of departments and residents inside schedules are the
instance format's (``D12``, ``R34``); blocks are numbered from 0 there and in every `block`
field, and `number` (from 1) is what people read.

Every name starts with `Residency`: OpenAPI components are named after the class, and another
app's `QuotaIn` would silently replace ours in the document."""

import datetime
from typing import Any, Literal

from ninja import Field, Schema

from tandem.residency.capacity import MAX_RESIDENTS
from tandem.residency.instancing import department_key
from tandem.residency.rules import MAX_PREFERENCE_POINTS


def block_index() -> Any:
    return Field(..., ge=0, le=25, description="The block's index, counted from 0.")


# --------------------------------------------------------------------------- departments


class ResidencyDepartmentOut(Schema):
    id: int
    key: str
    name: str
    name_zh: str
    code: str
    base_id: int
    institution_id: int
    min_per_block: int
    max_per_block: int
    duration: int
    is_active: bool
    teacher_ids: list[int]

    @staticmethod
    def resolve_key(obj: Any) -> str:
        return department_key(obj.pk)

    @staticmethod
    def resolve_institution_id(obj: Any) -> int:
        return obj.base.institution_id

    @staticmethod
    def resolve_teacher_ids(obj: Any) -> list[int]:
        return [teacher.pk for teacher in obj.teachers.all()]


class ResidencyDepartmentIn(Schema):
    base_id: int
    name: str
    name_zh: str = ""
    code: str
    min_per_block: int = 0
    max_per_block: int = 4
    duration: int = 1
    teacher_ids: list[int] = []


class ResidencyDepartmentPatch(Schema):
    name: str | None = None
    name_zh: str | None = None
    code: str | None = None
    min_per_block: int | None = None
    max_per_block: int | None = None
    duration: int | None = None
    is_active: bool | None = None
    teacher_ids: list[int] | None = None


# --------------------------------------------------------------------------- capacity by block


class ResidencyCapacityRowOut(Schema):
    block: int = Field(..., description="The block's index, counted from 0.")
    number: int
    start_date: datetime.date
    end_date: datetime.date
    min_per_block: int | None = Field(
        ..., description="This block's own least; null: the department's."
    )
    max_per_block: int | None = Field(
        ..., description="This block's own most; null: the department's."
    )
    effective_min_per_block: int
    effective_max_per_block: int


class ResidencyCapacityOut(Schema):
    department_id: int
    calendar_id: int
    default_min_per_block: int
    default_max_per_block: int
    rows: list[ResidencyCapacityRowOut]


class ResidencyCapacityRowIn(Schema):
    block: int = block_index()
    min_per_block: int | None = Field(None, ge=0, le=MAX_RESIDENTS)
    max_per_block: int | None = Field(None, ge=0, le=MAX_RESIDENTS)


class ResidencyCapacityIn(Schema):
    rows: list[ResidencyCapacityRowIn] = Field(
        ...,
        max_length=26,
        description="The blocks with numbers of their own; every other block of the calendar "
        "goes back to the department's numbers. A null side keeps the "
        "department's number.",
    )


# --------------------------------------------------------------------------- calendars


class ResidencyCalendarOut(Schema):
    id: int
    institution_id: int | None
    name: str
    training_year: int
    kind: str
    start_date: datetime.date
    block_count: int
    created_at: datetime.datetime


class ResidencyBlockOut(Schema):
    index: int
    number: int
    start_date: datetime.date
    end_date: datetime.date

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return obj.index + 1


class ResidencyCalendarDetailOut(ResidencyCalendarOut):
    blocks: list[ResidencyBlockOut]

    @staticmethod
    def resolve_blocks(obj: Any) -> list[Any]:
        return list(obj.blocks.all())


class ResidencyCalendarIn(Schema):
    institution_id: int | None = Field(
        None, description="Empty for a calendar shared by the whole consortium."
    )
    name: str
    training_year: int = Field(..., ge=2000, le=2100)
    kind: Literal["four_weeks", "months"]
    start_date: datetime.date
    block_count: int = Field(..., ge=1, le=26)


# --------------------------------------------------------------------------- programs


class ResidencyRequirementOut(Schema):
    id: int
    program_id: int
    department_ids: list[int]
    min_blocks: int
    max_blocks: int | None
    is_elective: bool

    @staticmethod
    def resolve_department_ids(obj: Any) -> list[int]:
        return sorted(d.pk for d in obj.departments.all())


class ResidencyRequirementIn(Schema):
    department_ids: list[int]
    min_blocks: int = Field(..., ge=0, le=26)
    max_blocks: int | None = Field(None, ge=0, le=26)
    is_elective: bool = False


class ResidencyRequirementPatch(Schema):
    department_ids: list[int] | None = None
    min_blocks: int | None = Field(None, ge=0, le=26)
    max_blocks: int | None = Field(
        None, ge=0, le=26, description="Send null for no upper limit; leave out to keep it."
    )
    is_elective: bool | None = None


class ResidencyProgramOut(Schema):
    id: int
    institution_id: int
    code: str
    name: str
    specialty: str
    training_year: int
    may_idle: bool


class ResidencyProgramDetailOut(ResidencyProgramOut):
    rules: dict[str, Any]
    requirements: list[ResidencyRequirementOut]

    @staticmethod
    def resolve_requirements(obj: Any) -> list[Any]:
        return list(obj.requirements.all())


class ResidencyProgramIn(Schema):
    institution_id: int
    code: str
    name: str
    specialty: str
    training_year: int = Field(1, ge=1, le=5)
    may_idle: bool = False


class ResidencyProgramPatch(Schema):
    code: str | None = None
    name: str | None = None
    specialty: str | None = None
    training_year: int | None = Field(None, ge=1, le=5)
    may_idle: bool | None = None


class ResidencyRulesIn(Schema):
    rules: dict[str, Any] = Field(
        ...,
        description="precedences, forbidden_sequences, max_consecutive and min_stint, "
        "with department keys such as D12, as in the instance format.",
    )
    may_idle: bool | None = None


# --------------------------------------------------------------------------- cohorts


class ResidencyCohortOut(Schema):
    id: int
    institution_id: int
    calendar_id: int
    name: str
    created_at: datetime.datetime


class ResidencyCohortDetailOut(ResidencyCohortOut):
    has_schedule: bool

    @staticmethod
    def resolve_has_schedule(obj: Any) -> bool:
        return hasattr(obj, "schedule")


class ResidencyCohortIn(Schema):
    institution_id: int
    calendar_id: int
    name: str


class ResidencyPreferenceIO(Schema):
    department: int = Field(..., description="The department's id.")
    points: int = Field(..., ge=-MAX_PREFERENCE_POINTS, le=MAX_PREFERENCE_POINTS)


class ResidencyMemberOut(Schema):
    id: int
    key: str
    cohort_id: int
    resident_id: int
    resident_name: str
    program_id: int
    leave_blocks: list[int]
    preferences: list[ResidencyPreferenceIO]

    @staticmethod
    def resolve_resident_name(obj: Any) -> str:
        return str(obj.resident)


class ResidencyMemberIn(Schema):
    resident_id: int
    program_id: int
    leave_blocks: list[int] = Field([], description="Block indexes, counted from 0.")
    preferences: list[ResidencyPreferenceIO] = []


class ResidencyMemberPatch(Schema):
    program_id: int | None = None
    leave_blocks: list[int] | None = None
    preferences: list[ResidencyPreferenceIO] | None = None


class ResidencyQuotaOut(Schema):
    id: int
    agreement_id: int
    from_institution_id: int
    to_institution_id: int
    max_per_block: int


class ResidencyQuotaIn(Schema):
    agreement_id: int
    from_institution_id: int
    to_institution_id: int
    max_per_block: int = Field(..., ge=0, le=1000)


# --------------------------------------------------------------------------- proposals


class ResidencyProposalOut(Schema):
    id: int
    cohort_id: int
    status: str
    incumbent: int | None
    bound: int | None
    objective: int | None
    changed_count: int | None
    previous_id: int | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    heartbeat_at: datetime.datetime | None = Field(
        None, description="The running solve's last sign of life (every second)."
    )
    stop_requested_at: datetime.datetime | None = None


class ResidencyApprovalOut(Schema):
    institution_id: int
    approved_by_id: int | None
    approved_at: datetime.datetime | None


class ResidencyRowOut(Schema):
    """One resident's row: a department key (or null) per block."""

    key: str
    member_id: int
    resident_id: int
    resident_name: str
    cells: list[str | None]


class ResidencyProposalDetailOut(ResidencyProposalOut):
    """`instance`, `solution` and `pins` only for the cohort's own training office; a partner
    hospital gets `rows` of the residents sent to it, nothing else about the cohort."""

    # Built by api_schedule.proposal_detail_out from selectors.schedule_view_for, not read off
    # the model: the docstring above is the API's description.

    error: str
    time_limit: int
    approvals: list[ResidencyApprovalOut]
    rows: list[ResidencyRowOut]
    pins: dict[str, dict[str, str]] | None
    instance: dict | None
    solution: dict | None


class ResidencyGenerateIn(Schema):
    time_limit: int = 20
    previous_id: int | None = None


class ResidencyResolveIn(Schema):
    time_limit: int | None = Field(None, description="Seconds; the proposal's own by default.")


class ResidencyPinIn(Schema):
    resident: str = Field(..., max_length=20, description="The resident's key, such as R34.")
    block: int = block_index()
    department: str = Field(
        "", max_length=20, description="A department key such as D12; empty releases the cell."
    )


class ResidencyScheduleOut(Schema):
    cohort_id: int
    proposal_id: int
    published_at: datetime.datetime
    instance: dict
    solution: dict


class ResidencyCellChangeOut(Schema):
    member_id: int
    resident_name: str
    block_number: int
    before: str | None = Field(description="D<department id>, or null for no rotation")
    before_name: str
    after: str | None
    after_name: str


class ResidencyPublishChangesOut(Schema):
    replaces_schedule: bool = Field(
        description="False for a first publication, which needs no confirmation"
    )
    changes: list[ResidencyCellChangeOut]
    confirm: str = Field(description="Send this back as `confirm` to publish these changes")


class ResidencyPublishIn(Schema):
    confirm: str = Field(
        "",
        max_length=64,
        description="The `confirm` of publish-changes, when the proposal "
        "replaces a published schedule",
    )


# --------------------------------------------------------------------------- a resident's own


class ResidencyMyCellOut(Schema):
    block_index: int
    block_number: int
    start_date: datetime.date
    end_date: datetime.date
    department_id: int | None
    department_name: str
    department_name_zh: str
    institution_id: int | None


class ResidencyMyMembershipOut(Schema):
    member_id: int
    cohort_id: int
    cohort_name: str
    institution_id: int
    program_id: int
    program_name: str
    cells: list[ResidencyMyCellOut]


class ResidencyLeaveOut(Schema):
    id: int
    member_id: int
    cohort_id: int
    resident_id: int
    resident_name: str
    block_index: int
    block_number: int
    reason: str
    status: str
    decided_by_id: int | None
    decided_at: datetime.datetime | None
    decision_note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_cohort_id(obj: Any) -> int:
        return obj.member.cohort_id

    @staticmethod
    def resolve_resident_id(obj: Any) -> int:
        return obj.member.resident_id

    @staticmethod
    def resolve_resident_name(obj: Any) -> str:
        return str(obj.member.resident)

    @staticmethod
    def resolve_block_index(obj: Any) -> int:
        return obj.block.index

    @staticmethod
    def resolve_block_number(obj: Any) -> int:
        return obj.block.index + 1


class ResidencySwapOut(ResidencyLeaveOut):
    other_id: int
    other_resident_id: int
    other_resident_name: str
    consent: str = Field(
        description="asked, accepted or declined by the other resident; the "
        "training office approves only an accepted swap"
    )
    consent_at: datetime.datetime | None
    consent_note: str

    @staticmethod
    def resolve_other_resident_id(obj: Any) -> int:
        return obj.other.resident_id

    @staticmethod
    def resolve_other_resident_name(obj: Any) -> str:
        return str(obj.other.resident)


class ResidencyRequestFilters(Schema):
    status: Literal["", "pending", "approved", "refused"] = ""
    cohort_id: int | None = None


class ResidencyLeaveIn(Schema):
    block: int = block_index()
    reason: str = Field(..., max_length=2000)


class ResidencySwapIn(Schema):
    other_id: int = Field(..., description="The cohort member to swap with.")
    block: int = block_index()
    reason: str = Field("", max_length=2000)


class ResidencySwapAnswerIn(Schema):
    answer: Literal["accept", "decline"]
    note: str = Field("", max_length=2000)


class ResidencyDecideIn(Schema):
    decision: Literal["approve", "refuse"]
    note: str = Field("", max_length=2000)
