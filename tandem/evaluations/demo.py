"""Evaluation templates and one open round of the demo consortium, built through the services.

On top of the cultivation demo: five consortium-wide templates (issue 10) — the trainee
evaluates each tutor (anonymous), the tutor evaluates the trainee each term, the trainee
evaluates the host institution (resources, living conditions, management; anonymous), a
self-evaluation and a peer evaluation — bilingual, with every kind of item. The coordinators of
Zhang's home institution run a round for the joint trainees of Zhang's agreement, opened a week
ago: both tutors have evaluated Zhang (a named template, so the results page shows the
aggregates), Zhang has evaluated the host institution and keeps a draft of the evaluation of one
tutor. The demo has one active joint trainee, so no anonymous target there reaches the
consortium's threshold; the anonymous results pages show that they are held back.
Skipped when Zhang's active cultivation is absent or the templates already exist.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.cultivation.demo import demo_cultivation
from tandem.cultivation.models import TutorAssignment
from tandem.evaluations import selectors, services, services_respond
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationTemplate,
    ItemKind,
    PopulationKind,
    Relationship,
)
from tandem.institutions.models import Institution

ROUND_TITLE = "Spring term evaluations"

SCALE = [
    {"value": 1, "label": "Poor", "label_zh": "差"},
    {"value": 2, "label": "Fair", "label_zh": "一般"},
    {"value": 3, "label": "Good", "label_zh": "好"},
    {"value": 4, "label": "Very good", "label_zh": "很好"},
    {"value": 5, "label": "Excellent", "label_zh": "优秀"},
]
EPA = [
    {"value": 1, "label": "Observes only", "label_zh": "仅观察"},
    {"value": 2, "label": "Acts under direct supervision", "label_zh": "直接指导下执行"},
    {"value": 3, "label": "Acts under indirect supervision", "label_zh": "间接指导下执行"},
    {"value": 4, "label": "Acts unsupervised", "label_zh": "独立执行"},
]


def _rating(prompt: str, prompt_zh: str, **extra: Any) -> dict[str, Any]:
    item = {"kind": ItemKind.RATING, "prompt": prompt, "prompt_zh": prompt_zh, "options": SCALE}
    return item | extra


def _comment(prompt: str, prompt_zh: str) -> dict[str, Any]:
    return {
        "kind": ItemKind.NARRATIVE,
        "prompt": prompt,
        "prompt_zh": prompt_zh,
        "is_required": False,
    }


TEMPLATES: list[dict[str, Any]] = [
    {
        "title": "Trainee evaluates each tutor",
        "title_zh": "学员评价导师",
        "relationship": Relationship.TRAINEE_TUTOR,
        "is_anonymous": True,
        "instructions": "Your answers are anonymous and shown only as aggregates.",
        "instructions_zh": "您的回答是匿名的，仅以汇总形式显示。",
        "sections": [
            {
                "title": "Supervision",
                "title_zh": "指导",
                "items": [
                    _rating("Is available when I need guidance", "需要指导时能找到导师"),
                    _rating("Gives useful feedback on my work", "对我的工作给出有用的反馈"),
                    {
                        "kind": ItemKind.YES_NO,
                        "prompt": "We meet at least every two weeks",
                        "prompt_zh": "我们至少每两周见一次面",
                    },
                ],
            },
            {
                "title": "Comments",
                "title_zh": "意见",
                "items": [_comment("What could your tutor do better?", "导师可以在哪些方面改进？")],
            },
        ],
    },
    {
        "title": "Tutor evaluates the trainee (termly)",
        "title_zh": "导师评价学员（每学期）",
        "relationship": Relationship.TUTOR_TRAINEE,
        "is_anonymous": False,
        "sections": [
            {
                "title": "Progress",
                "title_zh": "进展",
                "items": [
                    _rating("Progress of the research this term", "本学期研究进展"),
                    {
                        "kind": ItemKind.ENTRUSTMENT,
                        "prompt": "Performs the core experiments",
                        "prompt_zh": "独立完成核心实验",
                        "options": EPA,
                        "allows_not_observed": True,
                    },
                    {
                        "kind": ItemKind.CHOICE,
                        "prompt": "Next step",
                        "prompt_zh": "下一步",
                        "options": [
                            {"value": 1, "label": "Continue as planned", "label_zh": "按计划进行"},
                            {"value": 2, "label": "Adjust the plan", "label_zh": "调整计划"},
                            {"value": 3, "label": "Needs a review", "label_zh": "需要评审"},
                        ],
                    },
                ],
            },
            {
                "title": "Comments",
                "title_zh": "意见",
                "items": [_comment("Strengths and points to work on", "优点与需改进之处")],
            },
        ],
    },
    {
        "title": "Trainee evaluates the host institution",
        "title_zh": "学员评价接收单位",
        "relationship": Relationship.TRAINEE_HOST,
        "is_anonymous": True,
        "sections": [
            {
                "title": "Resources",
                "title_zh": "资源",
                "items": [
                    _rating("Access to laboratories and instruments", "实验室与仪器的使用"),
                    _rating("Library and data resources", "图书馆与数据资源"),
                ],
            },
            {
                "title": "Living conditions",
                "title_zh": "生活条件",
                "items": [
                    _rating("Accommodation", "住宿"),
                    _rating("Canteen and daily life", "食堂与日常生活"),
                ],
            },
            {
                "title": "Management",
                "title_zh": "管理",
                "items": [
                    _rating("Clarity of the rules and procedures", "规章与流程的清晰度"),
                    _comment("What should the host institution change?", "接收单位应改进什么？"),
                ],
            },
        ],
    },
    {
        "title": "Self-evaluation",
        "title_zh": "自我评价",
        "relationship": Relationship.SELF,
        "is_anonymous": False,
        "sections": [
            {
                "title": "This term",
                "title_zh": "本学期",
                "items": [
                    _rating("I met the goals of my training plan", "我完成了培养计划的目标"),
                    _comment("What I learned and what I need", "我的收获与需求"),
                ],
            },
        ],
    },
    {
        "title": "Peer evaluation",
        "title_zh": "同伴评价",
        "relationship": Relationship.PEER,
        "is_anonymous": True,
        "sections": [
            {
                "title": "Teamwork",
                "title_zh": "团队合作",
                "items": [
                    _rating("Shares knowledge and helps others", "分享知识并帮助他人"),
                    {
                        "kind": ItemKind.YES_NO,
                        "prompt": "Reliable in shared duties",
                        "prompt_zh": "在共同任务中可靠",
                    },
                ],
            },
        ],
    },
]


def _answers(pair: EvaluationPair, picks: list[str]) -> dict[str, str]:
    """An answer per item in order: the picks for the scales, a sentence for the narratives."""
    answers: dict[str, str] = {}
    choices = iter(picks)
    for item in pair.template.items.order_by("section__position", "position"):
        if item.kind == ItemKind.NARRATIVE:
            answers[str(item.pk)] = "Clear goals and steady work; write up earlier."
        else:
            answers[str(item.pk)] = next(choices, "1")
    return answers


def load_demo() -> None:
    cultivation = demo_cultivation("trainee.zhang")
    if cultivation is None or cultivation.status != "active":
        return
    if EvaluationTemplate.objects.filter(title=TEMPLATES[0]["title"]).exists():
        return
    admin = User.objects.get(username="admin")
    organizer = (
        Membership.objects.filter(
            institution_id=cultivation.home_id, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if organizer is None:
        return
    templates = {
        data["relationship"]: services.template_create(actor=admin, institution=None, **data)
        for data in TEMPLATES
    }
    today = timezone.localdate()
    round_ = services.round_open(
        actor=organizer.user,
        institution=cultivation.home,
        title=ROUND_TITLE,
        title_zh="春季学期评价",
        population=PopulationKind.AGREEMENT,
        agreement=cultivation.agreement,
        opens_on=today - datetime.timedelta(days=7),
        due_on=today + datetime.timedelta(days=21),
        templates=templates,
    )
    pairs = EvaluationPair.objects.filter(round=round_).select_related("template", "round")
    tutors = list(
        TutorAssignment.objects.filter(cultivation=cultivation, ended_at__isnull=True)
        .order_by("id")
        .values_list("tutor_id", flat=True)
    )
    for tutor_id, picks in zip(tutors, (["4", "3", "1"], ["5", "2", "1"]), strict=False):
        pair = pairs.get(relationship=Relationship.TUTOR_TRAINEE, evaluator_id=tutor_id)
        services_respond.response_submit(
            actor=pair.evaluator, pair=pair, answers=_answers(pair, picks)
        )
    host = pairs.filter(relationship=Relationship.TRAINEE_HOST).first()
    if host is not None:
        services_respond.response_submit(
            actor=host.evaluator, pair=host, answers=_answers(host, ["4", "3", "2", "4", "3"])
        )
    draft = pairs.filter(relationship=Relationship.TRAINEE_TUTOR).order_by("id").first()
    if draft is not None:
        answers = _answers(draft, ["4"])
        services_respond.response_save_draft(
            actor=draft.evaluator, pair=draft, answers=dict(list(answers.items())[:1])
        )
    _builder_demo(admin, organizer.user, cultivation.home, templates)


def _builder_demo(
    admin: User, organizer: User, home: Institution, templates: dict[str, EvaluationTemplate]
) -> None:
    """The template builder's states (decision 087): the home institution's own copy of the
    host evaluation, and a second version of the peer evaluation (the round keeps the first)."""
    services.template_duplicate(
        actor=organizer,
        template=templates[Relationship.TRAINEE_HOST],
        institution=home,
        title="Host institution evaluation (our version)",
        title_zh="对接收单位的评价（本单位版本）",
    )
    peer = templates[Relationship.PEER]
    sections = selectors.template_sections(peer)
    sections[-1]["items"].append(
        _comment("What did you learn from working together?", "合作中您学到了什么？")
    )
    services.template_edit(
        actor=admin,
        template=peer,
        title=peer.title,
        title_zh=peer.title_zh,
        instructions=peer.instructions,
        instructions_zh=peer.instructions_zh,
        relationship=peer.relationship,
        is_anonymous=peer.is_anonymous,
        sections=sections,
    )
