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
