"""The demo's exchange visit, after the event the source describes: the cancer hospital (ECH)
visits the university hospital (WUH) under their hospital–hospital agreement. Both offices
present; the eight professional bases discuss rotation management, assessment and teaching
methods, with minutes; each side shares practices; the areas for improvement become actions in
every state (open — one overdue —, in progress, done and waiting, accepted). The return visit
(WUH visits ECH) is planned and starts with those actions. Built through the services only,
dated relative to today; a second run changes nothing.
"""

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.agreements.models import Agreement
from tandem.institutions.models import Institution, Specialty, Unit, UnitKind
from tandem.visits import services
from tandem.visits.models import Visit

TITLE = "ECH delegation visits WUH: residency training exchange"
TITLE_ZH = "东部肿瘤医院代表团来访西部大学附属医院：住培工作交流"
RETURN_TITLE = "WUH delegation visits ECH: return visit"
RETURN_TITLE_ZH = "西部大学附属医院代表团回访东部肿瘤医院"

AGENDA = [
    ("training_management", "Residency training at WUH: organisation and rules", "wuh"),
    ("infrastructure", "Skills centre and on-call rooms at WUH", "wuh"),
    ("teacher_development", "How ECH qualifies and trains its clinical teachers", "ech"),
    ("quality_assurance", "Supervision visits and rectification at ECH", "ech"),
    ("support_measures", "Allowances, housing and wellbeing support for residents", "wuh"),
]

# specialty: topics, minutes
SESSIONS = {
    Specialty.INTERNAL_MEDICINE: (
        ["rotation_management", "assessment_evaluation"],
        "WUH publishes the rota a month ahead; ECH residents rotate through oncology wards "
        "first. Both bases agreed to compare rotation-end assessment forms.",
    ),
    Specialty.SURGERY: (
        ["teaching_methods"],
        "Simulation before the first assisted operation is required at WUH; ECH will try it.",
    ),
    Specialty.RADIATION_ONCOLOGY: (
        ["teaching_methods", "assessment_evaluation"],
        "ECH showed its contouring review sessions; WUH asked for access to the case library.",
    ),
    Specialty.CLINICAL_PATHOLOGY: (
        ["rotation_management"],
        "Frozen-section rota: residents sign out with a teacher for two weeks before alone.",
    ),
    Specialty.RADIOLOGY: (
        ["assessment_evaluation"],
        "Reading lists and a monthly reporting audit; both keep a log of discrepancies.",
    ),
    Specialty.ULTRASOUND: (
        ["teaching_methods"],
        "Phantom training first; WUH teachers co-sign every report in the first month.",
    ),
    Specialty.NUCLEAR_MEDICINE: (
        ["rotation_management", "teaching_methods"],
        "Short rotations: both bases will publish a two-week learning contract.",
    ),
    Specialty.ANESTHESIA: (
        ["assessment_evaluation", "teaching_methods"],
        "Direct observation of airway management each week, recorded as a WBA.",
    ),
}

# institution, specialty, topic, title, title_zh, summary, summary_zh
PRACTICES = [
    (
        "wuh",
        "",
        "training_management",
        "Rota published a month ahead",
        "提前一个月公布轮转表",
        "The training office publishes every base's rota four weeks ahead, so teachers plan "
        "orientation and residents plan leave.",
        "住培办提前四周公布各基地轮转表，便于带教老师安排入科教育、住院医师安排休假。",
    ),
    (
        "ech",
        "radiation_oncology",
        "teaching_methods",
        "Weekly contouring review",
        "每周靶区勾画点评",
        "Residents contour a case alone, then a teacher reviews it with the group on screen.",
        "住院医师独立完成一例靶区勾画，随后由带教老师在屏幕上与小组一起点评。",
    ),
    (
        "ech",
        "",
        "teacher_development",
        "Teacher qualification ladder",
        "带教师资分级培养",
        "New teachers co-teach for a year before teaching alone; key faculty mentor them.",
        "新带教老师先协同带教一年再独立带教，由骨干师资指导。",
    ),
    (
        "wuh",
        "anesthesia",
        "assessment_evaluation",
        "Weekly observed airway management",
        "每周直接观察气道管理",
        "Each resident is observed once a week and gets written feedback the same day.",
        "每名住院医师每周接受一次直接观察，并于当天获得书面反馈。",
    ),
    (
        "wuh",
        "surgery",
        "teaching_methods",
        "Simulation before the first assisted operation",
        "首次助手手术前的模拟训练",
        "Knot tying and laparoscopic box training are passed before scrubbing in.",
        "上台前须通过打结和腹腔镜模拟箱训练考核。",
    ),
]


def _base(code: str, specialty: str) -> Unit | None:
    return Unit.objects.filter(
        institution__code=code, kind=UnitKind.TRAINING_BASE, specialty=specialty
    ).first()


def load_demo() -> None:
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "coord.ech",
                "coord.wuh",
                "teacher.guo",
                "teacher.lu",
                "director.ech.ro",
                "director.wuh.im",
            ]
        )
    }
    ech = Institution.objects.filter(code="ech").first()
    wuh = Institution.objects.filter(code="wuh").first()
    if ech is None or wuh is None or len(people) < 6:
        return
    if Visit.objects.filter(title=TITLE).exists():
        return
    _load(people, ech, wuh, timezone.localdate())


def _load(people: dict[str, User], ech: Institution, wuh: Institution, today) -> None:  # type: ignore[no-untyped-def]
    host_office, guest_office = people["coord.wuh"], people["coord.ech"]
    agreement = Agreement.objects.filter(
        parties__institution=ech, title__startswith="ECH–WUH"
    ).first()
    day = today - datetime.timedelta(days=45)
    visit = services.visit_create(
        actor=guest_office,
        host=wuh,
        visiting=ech,
        agreement=agreement,
        title=TITLE,
        title_zh=TITLE_ZH,
        starts_on=day,
        ends_on=day,
        place="WUH teaching building, room 301",
        purpose="Exchange on the management and teaching practice of residency training.",
    )
    codes = {"ech": ech, "wuh": wuh}
    for username, inst, role in (
        ("coord.ech", ech, "leader"),
        ("teacher.guo", ech, "teacher"),
        ("director.ech.ro", ech, "base_director"),
        ("coord.wuh", wuh, "coordinator"),
        ("teacher.lu", wuh, "teacher"),
        ("director.wuh.im", wuh, "base_director"),
    ):
        services.delegate_add(
            actor=host_office, visit=visit, person=people[username], institution=inst, role=role
        )
    for topic, title, code in AGENDA:
        presenter = people[f"coord.{code}"]
        services.agenda_add(
            actor=host_office,
            visit=visit,
            topic=topic,
            title=title,
            institution=codes[code],
            presenter=presenter,
        )
    sessions = {}
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
    for specialty, (topics, minutes) in SESSIONS.items():
        participants = [people["teacher.lu"], people["teacher.guo"]]
        if specialty == Specialty.INTERNAL_MEDICINE:
            participants.append(people["director.wuh.im"])
        if specialty == Specialty.RADIATION_ONCOLOGY:
            participants.append(people["director.ech.ro"])
        session = services.session_add(
            actor=host_office,
            visit=visit,
            host_base=_base("wuh", specialty),
            visiting_base=_base("ech", specialty),
            topics=topics,
            starts_at=start,
            place="Room 301",
            participants=participants,
        )
        services.session_minutes_save(actor=host_office, session=session, minutes=minutes)
        sessions[specialty] = session
    services.visit_invite(actor=host_office, visit=visit)
    services.visit_set_status(actor=host_office, visit=visit, status="held")
    for code, specialty, topic, title, title_zh, summary, summary_zh in PRACTICES:
        services.practice_share(
            actor=people[f"coord.{code}"],
            visit=visit,
            institution=codes[code],
            specialty=specialty,
            topic=topic,
            title=title,
            title_zh=title_zh,
            summary=summary,
            summary_zh=summary_zh,
        )
    _actions(people, visit, sessions, ech, wuh, day)
    services.visit_create(
        actor=host_office,
        host=ech,
        visiting=wuh,
        agreement=agreement,
        title=RETURN_TITLE,
        title_zh=RETURN_TITLE_ZH,
        starts_on=today + datetime.timedelta(days=120),
        ends_on=today + datetime.timedelta(days=121),
        place="ECH education centre",
    )


def _actions(people, visit, sessions, ech, wuh, day) -> None:  # type: ignore[no-untyped-def]
    host_office, guest_office = people["coord.wuh"], people["coord.ech"]

    def add(office, inst, owner, title, days, session=None):  # type: ignore[no-untyped-def]
        return services.action_add(
            actor=office,
            visit=visit,
            institution=inst,
            owner=people[owner],
            title=title,
            deadline=day + datetime.timedelta(days=days),
            session=sessions.get(session),
        )

    # Open and overdue (its deadline has passed).
    add(
        guest_office,
        ech,
        "teacher.guo",
        "Simulation training before the first assisted operation",
        30,
        Specialty.SURGERY,
    )
    # Open, due later.
    add(
        host_office,
        wuh,
        "director.wuh.im",
        "Compare the rotation-end assessment forms with ECH",
        150,
        Specialty.INTERNAL_MEDICINE,
    )
    started = add(
        host_office,
        wuh,
        "teacher.lu",
        "Open the radiation oncology case library to WUH residents",
        120,
        Specialty.RADIATION_ONCOLOGY,
    )
    services.action_step(
        actor=people["teacher.lu"],
        action=started,
        status="in_progress",
        note="Accounts asked for; ten cases chosen.",
    )
    waiting = add(
        guest_office,
        ech,
        "director.ech.ro",
        "Two-week learning contract for nuclear medicine rotations",
        60,
        Specialty.NUCLEAR_MEDICINE,
    )
    services.action_step(
        actor=people["director.ech.ro"],
        action=waiting,
        status="done",
        note="The contract is in use since last month.",
    )
    accepted = add(
        guest_office,
        ech,
        "teacher.guo",
        "Weekly observed airway management recorded as a WBA",
        40,
        Specialty.ANESTHESIA,
    )
    services.action_step(
        actor=people["teacher.guo"],
        action=accepted,
        status="done",
        note="Every resident is observed weekly; forms in the WBA module.",
    )
    services.action_step(actor=host_office, action=accepted, status="accepted")
