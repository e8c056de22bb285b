"""Evaluation templates and two rounds of the demo consortium, built through the services.

On top of the cultivation demo: five consortium-wide templates (issue 10) — the trainee
evaluates each tutor (anonymous), the tutor evaluates the trainee each term, the trainee
evaluates the host institution (resources, living conditions, management; anonymous), a
self-evaluation and a peer evaluation — bilingual, with every kind of item.

Anonymous results need at least `EVALUATIONS_MIN_RESPONSES` (default 3) responses per target, so
three more WMU doctoral trainees (Gao, Lin, Xu) join Zhang at EMU under Prof. Li and Prof. Chen
(enrolled and cultivated through the accounts and cultivation services). The coordinators of
WMU ran last autumn's round for the agreement's joint trainees, now past and released: all four
trainees evaluated EMU and three evaluated Prof. Li (results shown), two evaluated Prof. Chen
(below the threshold: "not enough responses to show"). This spring's round opened a week ago:
both tutors have evaluated Zhang (a named template, so the results page shows the aggregates),
Zhang has evaluated the host institution and keeps a draft of the evaluation of one tutor.
EMU's mid-term review panel gives its evaluator work (`demo_panel.py`). Skipped when Zhang's
active cultivation is absent or the templates already exist.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Membership, Role, User
from tandem.cultivation import services as cultivation_services
from tandem.cultivation import services_responsibility, services_tutor
from tandem.cultivation.demo import demo_cultivation
from tandem.cultivation.models import DEFAULT_RESPONSIBILITIES, JointCultivation, TutorAssignment
from tandem.evaluations import selectors, services, services_respond
from tandem.evaluations.demo_panel import load_panel_demo
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    PopulationKind,
    Relationship,
)
from tandem.institutions.models import Institution

ROUND_TITLE = "Spring term evaluations"
PAST_ROUND_TITLE = "Autumn term evaluations"

# Three more joint trainees of WMU at EMU, so that anonymous results can be shown.
COHORT = [
    # username, full name, student number, start (spread over the tutors' yearly quotas)
    ("trainee.gao", "Gao Yu", "W2024D021", datetime.date(2024, 9, 1)),
    ("trainee.lin", "Lin Feng", "W2025D007", datetime.date(2025, 3, 1)),
    ("trainee.xu", "Xu Qing", "W2025D031", datetime.date(2025, 9, 1)),
]
COHORT_TOPIC = "Hypoxia imaging in tumour models"

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


def _cohort(zhang: JointCultivation) -> list[JointCultivation]:
    """Gao, Lin and Xu: WMU doctoral trainees active at EMU with Zhang's tutors."""
    password = User.objects.get(username="admin").password  # the hash of the demo password
    home, host = zhang.home, zhang.host
    coordinator = {
        institution.pk: Membership.objects.filter(
            institution=institution, role=Role.COORDINATOR, is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
        .user
        for institution in (home, host)
    }
    tutors = {
        a.role: a.tutor
        for a in TutorAssignment.objects.filter(cultivation=zhang, ended_at__isnull=True)
        .select_related("tutor")
        .order_by("id")
    }
    end = datetime.date(2027, 6, 30)
    made = []
    for username, name, number, start in COHORT:
        if User.objects.filter(username=username).exists():
            continue
        trainee = demo_account(username, name, password, "zh-hans")
        accounts.membership_add(
            actor=coordinator[home.pk], user=trainee, role=Role.TRAINEE, institution=home
        )
        accounts.trainee_profile_save(
            actor=coordinator[home.pk],
            user=trainee,
            kind="doctoral",
            cohort=start.year,
            specialty="Radiation oncology",
            student_numbers={home.pk: number},
        )
        cultivation = cultivation_services.cultivation_propose(
            actor=coordinator[home.pk],
            trainee=trainee,
            agreement=zhang.agreement,
            home=home,
            host=host,
            planned_start=start,
            planned_end=end,
            stay_mode="sequential",
            research_topic=COHORT_TOPIC,
            stays=[{"institution": host, "start": start, "end": end, "purpose": "Research at EMU"}],
        )
        for institution in (home, host):
            cultivation_services.cultivation_approve(
                actor=coordinator[institution.pk], cultivation=cultivation, institution=institution
            )
        for role, tutor in tutors.items():
            services_tutor.tutor_assign(
                actor=coordinator[home.pk], cultivation=cultivation, tutor=tutor, role=role
            )
        services_responsibility.responsibilities_divide(
            actor=coordinator[home.pk],
            cultivation=cultivation,
            items=[
                {"key": key.value, "title": "", "role": role.value}
                for key, role in DEFAULT_RESPONSIBILITIES.items()
            ],
        )
        for tutor in tutors.values():
            services_responsibility.responsibilities_sign(actor=tutor, cultivation=cultivation)
        cultivation_services.cultivation_decide(
            actor=coordinator[home.pk],
            cultivation=cultivation,
            action="activate",
            reason="",
            ground="",
        )
        made.append(cultivation)
    return made


def _past_round(
    organizer: User, zhang: JointCultivation, templates: dict[str, EvaluationTemplate]
) -> EvaluationRound:
    """Last autumn's round, answered and released: the anonymous results of EMU (four
    responses) and Prof. Li (three) are shown, Prof. Chen's (two) are held back."""
    today = timezone.localdate()
    round_ = services.round_open(
        actor=organizer,
        institution=zhang.home,
        title=PAST_ROUND_TITLE,
        title_zh="秋季学期评价",
        population=PopulationKind.AGREEMENT,
        agreement=zhang.agreement,
        opens_on=today - datetime.timedelta(days=120),
        due_on=today - datetime.timedelta(days=90),
        templates={
            Relationship.TRAINEE_TUTOR: templates[Relationship.TRAINEE_TUTOR],
            Relationship.TRAINEE_HOST: templates[Relationship.TRAINEE_HOST],
        },
    )
    pairs = EvaluationPair.objects.filter(round=round_).select_related(
        "template", "round", "evaluator"
    )
    tutors = dict(
        TutorAssignment.objects.filter(cultivation=zhang, ended_at__isnull=True).values_list(
            "role", "tutor_id"
        )
    )
    trainees = ["trainee.zhang"] + [username for username, *_rest in COHORT]
    picks = [["4", "4", "1"], ["5", "4", "1"], ["3", "3", "0"], ["4", "5", "1"]]
    for index, username in enumerate(trainees):
        mine = pairs.filter(evaluator__username=username)
        host = mine.filter(relationship=Relationship.TRAINEE_HOST).first()
        if host is not None:
            services_respond.response_submit(
                actor=host.evaluator,
                pair=host,
                answers=_answers(host, ["4", "3", "3", "2", "4"][index:] + ["3"] * index),
            )
        # Prof. Li (first in charge) by Gao, Lin and Xu; Prof. Chen by Zhang and Gao.
        wanted = []
        if index >= 1:
            wanted.append(tutors.get("experimental"))
        if index <= 1:
            wanted.append(tutors.get("theoretical"))
        for pair in mine.filter(relationship=Relationship.TRAINEE_TUTOR, target_user_id__in=wanted):
            services_respond.response_submit(
                actor=pair.evaluator, pair=pair, answers=_answers(pair, picks[index])
            )
    return services_respond.round_release(actor=organizer, round_=round_)


def load_demo() -> None:
    cultivation = demo_cultivation("trainee.zhang")
    if cultivation is None or cultivation.status != "active":
        return
    if EvaluationTemplate.objects.filter(title=TEMPLATES[0]["title"]).exists():
        load_panel_demo()
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
    _cohort(cultivation)
    _past_round(organizer.user, cultivation, templates)
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
        # WMU has no assigned evaluators: EMU's panel has its own round (demo_panel.py).
        templates=templates,
    )
    zhang = cultivation.trainee
    pairs = EvaluationPair.objects.filter(round=round_).select_related("template", "round")
    tutors = list(
        TutorAssignment.objects.filter(cultivation=cultivation, ended_at__isnull=True)
        .order_by("id")
        .values_list("tutor_id", flat=True)
    )
    for tutor_id, picks in zip(tutors, (["4", "3", "1"], ["5", "2", "1"]), strict=False):
        pair = pairs.get(
            relationship=Relationship.TUTOR_TRAINEE, evaluator_id=tutor_id, target_user=zhang
        )
        services_respond.response_submit(
            actor=pair.evaluator, pair=pair, answers=_answers(pair, picks)
        )
    host = pairs.filter(relationship=Relationship.TRAINEE_HOST, evaluator=zhang).first()
    if host is not None:
        services_respond.response_submit(
            actor=host.evaluator, pair=host, answers=_answers(host, ["4", "3", "2", "4", "3"])
        )
    draft = (
        pairs.filter(relationship=Relationship.TRAINEE_TUTOR, evaluator=zhang)
        .order_by("id")
        .first()
    )
    if draft is not None:
        answers = _answers(draft, ["4"])
        services_respond.response_save_draft(
            actor=draft.evaluator, pair=draft, answers=dict(list(answers.items())[:1])
        )
    _builder_demo(admin, organizer.user, cultivation.home, templates)
    load_panel_demo()


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
