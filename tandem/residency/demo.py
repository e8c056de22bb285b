"""Residency demo data on top of the core demo: departments of the ECH and WUH training bases,
the consortium's 2026/27 calendar (13 four-week blocks), programs, two cohorts of residents,
exchange quotas under the ECH–WUH agreement, and a published schedule for each hospital solved
by the library, with residents rotating between the two hospitals."""

import datetime

from django.db import transaction

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Role, TraineeKind, User
from tandem.agreements.models import Agreement
from tandem.institutions.models import Institution, Unit
from tandem.residency import services, services_schedule
from tandem.residency.instancing import department_key
from tandem.residency.models import CalendarKind, Department

# hospital, base name, code, name, name_zh, min, max, director-or-coordinator
DEPARTMENTS = [
    (
        "ech",
        "Radiation oncology base",
        "ro-ward",
        "Radiotherapy ward",
        "放疗病区",
        2,
        8,
        "director.ech.ro",
    ),
    (
        "ech",
        "Radiation oncology base",
        "ro-plan",
        "Treatment planning",
        "放疗计划室",
        0,
        3,
        "director.ech.ro",
    ),
    ("ech", "Clinical pathology base", "path", "Surgical pathology", "外科病理", 0, 3, "coord.ech"),
    ("ech", "Radiology base", "rad", "CT and MRI reading", "CT与磁共振诊断", 0, 3, "coord.ech"),
    (
        "ech",
        "Internal medicine base",
        "med-onc",
        "Medical oncology ward",
        "肿瘤内科病区",
        0,
        3,
        "coord.ech",
    ),
    ("wuh", "Internal medicine base", "cardio", "Cardiology", "心内科", 2, 6, "director.wuh.im"),
    (
        "wuh",
        "Internal medicine base",
        "resp",
        "Respiratory medicine",
        "呼吸内科",
        1,
        4,
        "director.wuh.im",
    ),
    (
        "wuh",
        "Internal medicine base",
        "gastro",
        "Gastroenterology",
        "消化内科",
        1,
        4,
        "director.wuh.im",
    ),
    ("wuh", "Surgery base", "gen-surg", "General surgery", "普通外科", 0, 3, "coord.wuh"),
    (
        "wuh",
        "Anesthesia base",
        "anes",
        "Operating theatre anesthesia",
        "手术麻醉",
        0,
        4,
        "coord.wuh",
    ),
    ("wuh", "Anesthesia base", "icu", "Intensive care unit", "重症监护室", 0, 4, "coord.wuh"),
]

# hospital, code, name, specialty, may_idle, [(department codes, min, max, elective)]
PROGRAMS = [
    (
        "ech",
        "ro-pgy1",
        "Radiation oncology PGY1",
        "radiation_oncology",
        [
            (["ro-ward"], 4, 6, False),
            (["ro-plan"], 2, 3, False),
            (["path"], 1, 2, False),
            (["rad"], 1, 2, False),
            (["cardio", "icu"], 2, 3, True),
        ],
    ),
    (
        "wuh",
        "im-pgy1",
        "Internal medicine PGY1",
        "internal_medicine",
        [
            (["cardio"], 3, 5, False),
            (["resp"], 2, 4, False),
            (["gastro"], 2, 4, False),
            (["gen-surg"], 1, 2, False),
            (["med-onc"], 1, 2, True),
        ],
    ),
    (
        "wuh",
        "anes-pgy1",
        "Anesthesia PGY1",
        "anesthesia",
        [
            (["anes"], 6, 8, False),
            (["icu"], 3, 5, False),
            (["cardio"], 1, 2, False),
        ],
    ),
]

# hospital, program code, existing usernames, how many more residents to create
COHORTS = [
    ("ech", "ro-pgy1", ["resident.tang"], 11),
    ("wuh", "im-pgy1", ["resident.deng"], 9),
    ("wuh", "anes-pgy1", ["resident.xie"], 2),
]
SURNAMES = [
    "Bai",
    "Cao",
    "Du",
    "Fan",
    "Gao",
    "Han",
    "Jiang",
    "Kong",
    "Lei",
    "Meng",
    "Ning",
    "Pan",
    "Qin",
    "Ren",
    "Shi",
    "Tian",
    "Wan",
    "Xu",
    "Yan",
    "Zou",
]


def _resident(
    hospital: Institution, coordinator: User, username: str, full_name: str, password: str
) -> User:
    """A resident enrolled by the hospital's coordinator through the accounts services."""
    user = demo_account(username, full_name, password, "zh-hans")
    accounts.membership_add(actor=coordinator, user=user, role=Role.TRAINEE, institution=hospital)
    accounts.trainee_profile_save(
        actor=coordinator, user=user, kind=TraineeKind.RESIDENT, cohort=2026, specialty=""
    )
    return user


@transaction.atomic
def load_demo() -> None:
    """Build the demo hospitals' rotations. Does nothing when they are already there."""
    hospitals = {code: Institution.objects.get(code=code) for code in ("ech", "wuh")}
    if Department.objects.filter(base__institution__in=hospitals.values()).exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "admin",
                "coord.ech",
                "coord.wuh",
                "director.ech.ro",
                "director.wuh.im",
                "teacher.guo",
                "teacher.lu",
                "resident.tang",
                "resident.deng",
                "resident.xie",
            ]
        )
    }
    teachers = {"ro-ward": users["teacher.guo"], "cardio": users["teacher.lu"]}
    departments: dict[str, Department] = {}
    for code, base_name, dcode, name, name_zh, low, high, actor in DEPARTMENTS:
        base = Unit.objects.get(institution=hospitals[code], name=base_name)
        departments[dcode] = services.department_create(
            actor=users[actor],
            base=base,
            name=name,
            name_zh=name_zh,
            code=dcode,
            min_per_block=low,
            max_per_block=high,
            teachers=[teachers[dcode]] if dcode in teachers else [],
        )
    agreement = Agreement.objects.get(title="ECH–WUH residency training exchange")
    services.quota_set(
        actor=users["coord.ech"],
        agreement=agreement,
        from_institution=hospitals["ech"],
        to_institution=hospitals["wuh"],
        max_per_block=3,
    )
    services.quota_set(
        actor=users["coord.wuh"],
        agreement=agreement,
        from_institution=hospitals["wuh"],
        to_institution=hospitals["ech"],
        max_per_block=2,
    )
    calendar = services.calendar_create(
        actor=users["admin"],
        name="2026/27 residency year",
        training_year=2026,
        kind=CalendarKind.FOUR_WEEKS,
        start_date=datetime.date(2026, 8, 31),
        block_count=13,
    )
    programs = {}
    for code, pcode, name, specialty, requirements in PROGRAMS:
        coordinator = users[f"coord.{code}"]
        program = services.program_create(
            actor=coordinator,
            institution=hospitals[code],
            code=pcode,
            name=name,
            specialty=specialty,
        )
        for dcodes, low, high, elective in requirements:
            services.requirement_add(
                actor=coordinator,
                program=program,
                departments=[departments[d] for d in dcodes],
                min_blocks=low,
                max_blocks=high,
                is_elective=elective,
            )
        programs[pcode] = program
    services.program_rules_update(
        actor=users["coord.ech"],
        program=programs["ro-pgy1"],
        rules={
            "precedences": [
                {
                    "before": [department_key(departments["ro-ward"].pk)],
                    "after": [department_key(departments["ro-plan"].pk)],
                }
            ],
            "max_consecutive": [
                {"rotations": [department_key(departments["ro-ward"].pk)], "blocks": 3}
            ],
        },
    )
    password = users["admin"].password  # the hash of the demo password
    cohorts = {}
    counter = 0
    for code, pcode, existing, extra in COHORTS:
        coordinator = users[f"coord.{code}"]
        cohort = cohorts.get(code) or services.cohort_create(
            actor=coordinator,
            institution=hospitals[code],
            calendar=calendar,
            name=f"{code.upper()} residents 2026/27",
        )
        cohorts[code] = cohort
        people = [users[u] for u in existing]
        for _index in range(extra):
            counter += 1
            surname = SURNAMES[counter % len(SURNAMES)]
            people.append(
                _resident(
                    hospitals[code],
                    coordinator,
                    f"resident.{code}.{counter:02d}",
                    f"{surname} {chr(64 + counter)}.",
                    password,
                )
            )
        program = programs[pcode]
        allowed = [d for req in program.requirements.all() for d in req.departments.all()]
        for index, person in enumerate(people):
            services.member_add(
                actor=coordinator,
                cohort=cohort,
                resident=person,
                program=program,
                leave_blocks=[6] if index % 5 == 4 else [],
                preferences=[{"department": allowed[index % len(allowed)].pk, "points": 2}],
            )
    # ECH first; WUH's solve sees the places ECH's residents take at WUH.
    for code in ("ech", "wuh"):
        coordinator = users[f"coord.{code}"]
        partner = users["coord.wuh" if code == "ech" else "coord.ech"]
        proposal = services_schedule.proposal_generate(
            actor=coordinator, cohort=cohorts[code], time_limit=8, enqueue=False
        )
        proposal = services_schedule.proposal_solve(proposal_id=proposal.pk)
        if proposal.partner_approvals.exists():
            services_schedule.proposal_approve(actor=partner, proposal=proposal)
        services_schedule.proposal_publish(actor=coordinator, proposal=proposal)
