"""The demo's mid-term review panel (decision 094), built through the services: EMU's
coordinator opened a round a week ago in which EMU's evaluator, Dr. Feng Yi, evaluates each
joint trainee at EMU as a member of the review panel; she has submitted her evaluation of
Zhang and has the others to do. Idempotent on its own (by the round's title)."""

import datetime

from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.evaluations import services, services_respond
from tandem.evaluations.models import (
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    PairStatus,
    PopulationKind,
    Relationship,
)
from tandem.institutions.models import Institution

PANEL_ROUND_TITLE = "Mid-term review panel"
PANEL_TEMPLATE_TITLE = "Mid-term review (panel member)"
EVALUATOR = "evaluator.emu"

_SCALE = [
    {"value": 1, "label": "Not yet", "label_zh": "尚未达到"},
    {"value": 2, "label": "Partly", "label_zh": "部分达到"},
    {"value": 3, "label": "Met", "label_zh": "达到"},
    {"value": 4, "label": "Exceeded", "label_zh": "超出"},
]


def _sections() -> list[dict[str, object]]:
    return [
        {
            "title": "Mid-term progress",
            "title_zh": "中期进展",
            "items": [
                {
                    "kind": ItemKind.RATING,
                    "prompt": "Progress against the research proposal",
                    "prompt_zh": "对照开题报告的研究进展",
                    "options": _SCALE,
                },
                {
                    "kind": ItemKind.RATING,
                    "prompt": "Command of the methods of the field",
                    "prompt_zh": "对本领域研究方法的掌握",
                    "options": _SCALE,
                },
                {
                    "kind": ItemKind.YES_NO,
                    "prompt": "Ready to continue to the thesis",
                    "prompt_zh": "可以进入学位论文阶段",
                },
                {
                    "kind": ItemKind.NARRATIVE,
                    "prompt": "Advice of the panel",
                    "prompt_zh": "专家组意见",
                    "is_required": False,
                },
            ],
        }
    ]


def load_panel_demo() -> None:
    emu = Institution.objects.filter(code="emu").first()
    evaluator = User.objects.filter(username=EVALUATOR).first()
    zhang = User.objects.filter(username="trainee.zhang").first()
    if emu is None or evaluator is None or zhang is None:
        return
    if EvaluationRound.objects.filter(title=PANEL_ROUND_TITLE, institution=emu).exists():
        return
    membership = (
        Membership.objects.filter(institution=emu, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if membership is None:
        return
    coordinator = membership.user
    template = EvaluationTemplate.objects.filter(
        title=PANEL_TEMPLATE_TITLE, institution=emu, is_current=True
    ).first() or services.template_create(
        actor=coordinator,
        institution=emu,
        title=PANEL_TEMPLATE_TITLE,
        title_zh="中期考核（专家组成员）",
        instructions="Each panel member evaluates every joint trainee at EMU at mid-term.",
        instructions_zh="每位专家组成员对在本校的每名联合培养学员进行中期评议。",
        relationship=Relationship.EVALUATOR_TRAINEE,
        is_anonymous=False,
        sections=_sections(),
    )
    today = timezone.localdate()
    round_ = services.round_open(
        actor=coordinator,
        institution=emu,
        title=PANEL_ROUND_TITLE,
        title_zh="中期考核专家评议",
        population=PopulationKind.INSTITUTION,
        opens_on=today - datetime.timedelta(days=7),
        due_on=today + datetime.timedelta(days=21),
        templates={Relationship.EVALUATOR_TRAINEE: template},
        evaluators=[evaluator],
    )
    pair = round_.pairs.filter(
        evaluator=evaluator, target_user=zhang, status=PairStatus.PENDING
    ).first()
    if pair is None:
        return
    answers: dict[str, str] = {}
    for item, pick in zip(
        template.items.order_by("section__position", "position"),
        ("3", "4", "1", "Steady work; submit the second paper before the thesis."),
        strict=False,
    ):
        answers[str(item.pk)] = pick
    services_respond.response_submit(actor=evaluator, pair=pair, answers=answers)
