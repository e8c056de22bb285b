"""API schemas of annual assessments, completion and the programs' assessment setup (names
prefixed with Assessment, Annual, Completion or Wba, unique in the project)."""

import datetime
from decimal import Decimal

from ninja import Schema


class AnnualOut(Schema):
    id: int
    resident_id: int
    member_id: int
    program_id: int
    training_year: int
    exam_on: datetime.date
    due_on: datetime.date
    theory: Decimal | None
    skills: Decimal | None
    evaluation: Decimal | None
    attendance: Decimal | None
    rotations_passed: bool | None
    status: str
    attempt: int
    remarks: str

    @staticmethod
    def resolve_program_id(obj: object) -> int:
        return obj.member.program_id  # type: ignore[attr-defined]


class AnnualScheduleIn(Schema):
    cohort_id: int
    program_id: int
    exam_on: datetime.date
    due_on: datetime.date


class AnnualRecordIn(Schema):
    theory: Decimal | None = None
    skills: Decimal | None = None
    evaluation: Decimal | None = None
    attendance: Decimal | None = None
    remarks: str = ""


class AnnualPlanIn(Schema):
    program_id: int
    theory_pass: int | None = None
    skills_pass: int | None = None
    evaluation_pass: int | None = None
    attendance_pass: int | None = None
    rotations_required: bool = True
    reexams_allowed: int = 1


class AnnualPlanOut(Schema):
    id: int
    program_id: int
    theory_pass: int | None
    skills_pass: int | None
    evaluation_pass: int | None
    attendance_pass: int | None
    rotations_required: bool
    reexams_allowed: int


class CompletionRuleIn(Schema):
    program_id: int  # the rules are of this program's specialty at its hospital
    training_years: int = 3
    rotations_required: bool = True
    caselog_share: int = 100
    annual_required: bool = True
    attendance_pass: int | None = 80
    remediation_clear: bool = True


class CompletionRuleOut(Schema):
    id: int
    institution_id: int
    specialty: str
    training_years: int
    rotations_required: bool
    caselog_share: int
    annual_required: bool
    attendance_pass: int | None
    remediation_clear: bool


class CompletionMissingOut(Schema):
    kind: str
    text: str


class CompletionResultOut(Schema):
    outcome: str
    decided_on: datetime.date
    certificate_number: str
    remarks: str


class CompletionOut(Schema):
    resident_id: int
    resident_name: str
    institution_id: int
    specialty: str
    program_id: int
    cohort_id: int
    training_ends: datetime.date | None
    eligible: bool
    missing: list[CompletionMissingOut]
    result: CompletionResultOut | None


class CompletionResultIn(Schema):
    specialty: str
    outcome: str
    decided_on: datetime.date
    certificate_number: str = ""
    remarks: str = ""


class AssessmentPlanIn(Schema):
    program_id: int
    department_id: int | None = None
    due_days: int = 14
    theory_pass: int | None = None
    skills_pass: int | None = None
    global_pass: int | None = None
    attendance_pass: int | None = None
    caselog_pass: int | None = None
    summary_required: bool = True
    signoff_required: bool = True
    global_template_id: int | None = None
    department_template_id: int | None = None
    teacher_template_id: int | None = None


class AssessmentPlanOut(Schema):
    id: int
    program_id: int
    department_id: int | None
    due_days: int
    theory_pass: int | None
    skills_pass: int | None
    global_pass: int | None
    attendance_pass: int | None
    caselog_pass: int | None
    summary_required: bool
    signoff_required: bool
    global_template_id: int | None
    department_template_id: int | None
    teacher_template_id: int | None


class WbaDomainIn(Schema):
    code: str
    name: str
    name_zh: str = ""


class WbaFormIn(Schema):
    program_id: int
    name: str
    name_zh: str = ""
    domains: list[WbaDomainIn]
    scale_min: int = 1
    scale_max: int = 9


class WbaFormOut(Schema):
    id: int
    kind: str
    program_id: int | None
    name: str
    name_zh: str
    domains: list[dict]
    scale_min: int
    scale_max: int
    is_active: bool


class WbaRequirementIn(Schema):
    program_id: int
    form_id: int
    department_id: int | None = None
    count: int


class WbaRequirementOut(Schema):
    id: int | None
    program_id: int
    form_id: int
    department_id: int | None
    count: int
