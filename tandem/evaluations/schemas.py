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
