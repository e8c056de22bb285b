"""Templates and populations for the evaluation tests, built through the services."""

import datetime

from tandem.cultivation.tests.factories import cultivation_in, joint_trainee
from tandem.evaluations import services

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


def sections():
    return [
        {
            "title": "Supervision",
            "title_zh": "指导",
            "items": [
                {
                    "kind": "rating",
                    "prompt": "Availability",
                    "prompt_zh": "可及性",
                    "options": SCALE,
                },
                {
                    "kind": "entrustment",
                    "prompt": "Trusts me with experiments",
                    "options": EPA,
                    "allows_not_observed": True,
                },
                {"kind": "yes_no", "prompt": "Meets me every week"},
                {
                    "kind": "choice",
                    "prompt": "Preferred channel",
                    "options": [
                        {"value": 1, "label": "In person"},
                        {"value": 2, "label": "Online"},
                    ],
                    "is_required": False,
                },
            ],
        },
        {
            "title": "Comments",
            "title_zh": "意见",
            "items": [{"kind": "narrative", "prompt": "What could improve?", "is_required": False}],
        },
    ]


def make_template(
    cast, relationship="trainee_tutor", *, anonymous=True, actor=None, institution=None
):
    return services.template_create(
        actor=actor or cast.admin,
        institution=institution,
        title=f"Evaluation {relationship}",
        title_zh="评价",
        relationship=relationship,
        is_anonymous=anonymous,
        sections=sections(),
    )


def population(cast, extra_trainees=0):
    """The cast's trainee (A → B, tutors tutor_b and tutor_a) and `extra_trainees` more."""
    cultivations = [cultivation_in(cast, "active")]
    for index in range(extra_trainees):
        trainee = joint_trainee(cast, f"peer{index}")
        cultivations.append(cultivation_in(cast, "active", trainee=trainee))
    return cultivations


def open_round(cast, templates, *, actor=None, opens_on=None, due_on=None, evaluators=None):
    return services.round_open(
        evaluators=evaluators,
        actor=actor or cast.coord_a,
        institution=cast.inst_a,
        title="Autumn term 2026",
        title_zh="2026年秋季学期",
        population="agreement",
        agreement=cast.agreement_ab,
        opens_on=opens_on or datetime.date(2026, 1, 1),
        due_on=due_on or datetime.date(2026, 12, 31),
        templates={t.relationship: t for t in templates},
    )


def full_answers(template, rating=4):
    answers = {}
    for item in template.items.all():
        if item.kind == "rating":
            answers[str(item.pk)] = str(rating)
        elif item.kind == "entrustment":
            answers[str(item.pk)] = "3"
        elif item.kind == "yes_no":
            answers[str(item.pk)] = "1"
    return answers


def narrative_item(template):
    return template.items.get(kind="narrative")
