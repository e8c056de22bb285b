import datetime
from typing import Any

from ninja import Schema


class EvaluationsTodoOut(Schema):
    id: int
    round_id: int
    round_title: str
    template_id: int
    template_title: str
    relationship: str
    is_anonymous: bool
    target_user_id: int | None
    target_institution_id: int | None
    target_name: str
    due_on: datetime.date

    @staticmethod
    def resolve_round_title(obj: Any) -> str:
        return str(obj.round)

    @staticmethod
    def resolve_template_title(obj: Any) -> str:
        return str(obj.template.display_title)

    @staticmethod
    def resolve_is_anonymous(obj: Any) -> bool:
        return bool(obj.template.is_anonymous)

    @staticmethod
    def resolve_target_name(obj: Any) -> str:
        return str(obj.target)


class EvaluationsAnswersIn(Schema):
    # {item id: answer}: a scale value or choice as text, a narrative's text, or "not_observed"
    answers: dict[str, str]
    submit: bool = False


class EvaluationsPairOut(Schema):
    id: int
    status: str
    submitted_at: datetime.datetime | None


# --- running rounds and the target's own results (api_manage) --------------------------------


class EvaluationsRoundOut(Schema):
    id: int
    title: str
    title_zh: str
    institution_id: int
    population: str
    agreement_id: int | None
    cohort: int | None
    opens_on: datetime.date
    due_on: datetime.date
    released_at: datetime.datetime | None
    templates: dict[str, int]

    @staticmethod
    def resolve_templates(obj: Any) -> dict[str, int]:
        return {rt.relationship: rt.template_id for rt in obj.round_templates.all()}


class EvaluationsRoundOpenIn(Schema):
    title: str
    title_zh: str = ""
    institution_id: int
    population: str
    agreement_id: int | None = None
    cohort: int | None = None
    opens_on: datetime.date
    due_on: datetime.date
    # {relationship: template id}, from the template choices of that relationship
    templates: dict[str, int]
    # the assigned evaluators (ids) for "evaluator_trainee"; empty: all the institution's
    evaluator_ids: list[int] = []
    # true: check everything and count the pairs it would generate, save nothing
    dry_run: bool = False


class EvaluationsRoundOpenOut(Schema):
    dry_run: bool
    pairs: dict[str, int]
    total: int
    round: EvaluationsRoundOut | None = None


class EvaluationsCompletionOut(Schema):
    institution_id: int | None = None
    institution_name: str = ""
    evaluator_id: int | None = None
    evaluator_name: str = ""
    submitted: int
    pending: int
    total: int


class EvaluationsManagedPairOut(Schema):
    id: int
    round_id: int
    relationship: str
    template_id: int
    evaluator_id: int
    evaluator_name: str
    target_user_id: int | None
    target_institution_id: int | None
    target_name: str
    institution_id: int
    due_on: datetime.date
    status: str
    withdrawn_reason: str

    @staticmethod
    def resolve_evaluator_name(obj: Any) -> str:
        return str(obj.evaluator.full_name or obj.evaluator.username)

    @staticmethod
    def resolve_target_name(obj: Any) -> str:
        return str(obj.target)


class EvaluationsPairExtendIn(Schema):
    due_on: datetime.date
    reason: str


class EvaluationsPairReassignIn(Schema):
    evaluator_id: int
    reason: str


class EvaluationsReasonIn(Schema):
    reason: str


class EvaluationsPersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.full_name or obj.username)


class EvaluationsTargetOut(Schema):
    template_id: int
    kind: str
    target_id: int
    name: str


class EvaluationsItemResultOut(Schema):
    item_id: int
    prompt: str
    kind: str
    count: int
    mean: float | None
    not_observed: int
    distribution: list[tuple[str, int]]


class EvaluationsSectionResultOut(Schema):
    title: str
    mean: float | None
    items: list[EvaluationsItemResultOut]


class EvaluationsCommentOut(Schema):
    item_id: int
    text: str
    # for those running the round only, to hide it
    id: str | None = None


class EvaluationsHiddenCommentOut(Schema):
    id: str
    text: str
    reason: str
    hidden_by: str


class EvaluationsResultOut(Schema):
    round_id: int
    template_id: int
    template_title: str
    kind: str
    target_id: int
    target_name: str
    # false below the threshold of an anonymous template: then nothing else is given
    shown: bool
    responses: int | None
    sections: list[EvaluationsSectionResultOut] = []
    comments: list[EvaluationsCommentOut] = []
    hidden_comments: list[EvaluationsHiddenCommentOut] = []


class EvaluationsMyResultOut(Schema):
    round_id: int
    round_title: str
    released_at: datetime.datetime | None
    template_id: int
    template_title: str
    kind: str
    target_id: int
    target_name: str


class EvaluationsTrendPointOut(Schema):
    round_id: int
    round_title: str
    opens_on: datetime.date
    template_id: int
    responses: int
    mean: float


class EvaluationsTrendOut(Schema):
    kind: str
    target_id: int
    target_name: str
    rounds: list[EvaluationsTrendPointOut]


# --- the template builder (decision 087) ------------------------------------------------------


class EvaluationsTemplateOptionIO(Schema):
    """An anchor of a scale or an option of a choice."""

    value: int
    label: str
    label_zh: str = ""


class EvaluationsTemplateItemIn(Schema):
    kind: str
    prompt: str = ""
    prompt_zh: str = ""
    code: str = ""
    options: list[EvaluationsTemplateOptionIO] = []
    is_required: bool = True
    allows_not_observed: bool = False


class EvaluationsTemplateSectionIn(Schema):
    title: str = ""
    title_zh: str = ""
    items: list[EvaluationsTemplateItemIn] = []


class EvaluationsTemplateIn(Schema):
    """A template as the builder sends it. Errors name their place: `title`,
    `sections.0.items.1.options`, …"""

    title: str = ""
    title_zh: str = ""
    instructions: str = ""
    instructions_zh: str = ""
    relationship: str = ""
    is_anonymous: bool = False
    sections: list[EvaluationsTemplateSectionIn] = []


class EvaluationsTemplateCreateIn(EvaluationsTemplateIn):
    # The institution that keeps it; none: consortium-wide (the consortium admin only).
    institution_id: int | None = None


class EvaluationsTemplateDuplicateIn(Schema):
    institution_id: int | None = None
    title: str = ""
    title_zh: str = ""


class EvaluationsTemplateItemOut(Schema):
    id: int
    code: str
    kind: str
    prompt: str
    prompt_zh: str
    options: list[EvaluationsTemplateOptionIO]
    is_required: bool
    allows_not_observed: bool


class EvaluationsTemplateSectionOut(Schema):
    title: str
    title_zh: str
    items: list[EvaluationsTemplateItemOut]


class EvaluationsTemplateOut(Schema):
    id: int
    family: str
    version: int
    is_current: bool
    title: str
    title_zh: str
    relationship: str
    is_anonymous: bool
    institution_id: int | None
    retired_at: datetime.datetime | None
    in_use: bool

    @staticmethod
    def resolve_family(obj: Any) -> str:
        return str(obj.family)

    @staticmethod
    def resolve_in_use(obj: Any) -> bool:
        return bool(getattr(obj, "in_use", False))


class EvaluationsTemplateDetailOut(EvaluationsTemplateOut):
    instructions: str
    instructions_zh: str
    sections: list[EvaluationsTemplateSectionOut]

    @staticmethod
    def resolve_sections(obj: Any) -> list[dict[str, Any]]:
        return list(getattr(obj, "section_rows", []))


class EvaluationsTemplateVersionOut(Schema):
    id: int
    version: int
    is_current: bool
    created_at: datetime.datetime
    rounds_using: int
