"""Residency demo data on top of the core demo: departments of the ECH and WUH training bases,
the consortium's 2026/27 calendar (13 four-week blocks), programs, two cohorts of residents,
exchange quotas under the ECH–WUH agreement, and a published schedule for each hospital solved
by the library, with residents rotating between the two hospitals.

On the published schedules, what a training office meets next (each step skipped when it is
there already): a department in every training base, leave and swap requests in each state,
capacity overrides, and the ward renovation that makes ECH's next proposal infeasible — its
explanation kept — and the proposal re-solved once the office shortens the renovation."""

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Role, TraineeKind, User
from tandem.agreements.models import Agreement
from tandem.institutions.models import Institution, Unit
from tandem.residency import capacity, services, services_schedule
from tandem.residency.instancing import department_key
from tandem.residency.models import (
    Block,
    CalendarKind,
    Cohort,
    CohortMember,
    Department,
    LeaveRequest,
    ProposalStatus,
    PublishedSchedule,
    ScheduleProposal,
    SwapRequest,
)

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
    """Build the demo hospitals' rotations, then what the offices do with them."""
    _load_schedules()
    _more_departments()
    _leave_and_swaps()
    _capacity_and_resolve()


def _load_schedules() -> None:
    """Departments, calendar, programs, cohorts and the published schedules (once)."""
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


T = TypeVar("T")

# hospital, base name, code, name, name_zh, max: one department in each base that had none.
MORE_DEPARTMENTS = [
    ("ech", "Surgery base", "surg-onc", "Surgical oncology ward", "肿瘤外科病区", 3),
    ("ech", "Anesthesia base", "anes-pain", "Anesthesia and pain clinic", "麻醉与疼痛门诊", 2),
    ("ech", "Ultrasound medicine base", "us-diag", "Diagnostic ultrasound", "超声诊断科", 2),
    ("ech", "Nuclear medicine base", "pet-ct", "PET/CT centre", "PET/CT中心", 2),
    ("wuh", "Clinical pathology base", "wuh-path", "Pathology department", "病理科", 2),
    ("wuh", "Radiation oncology base", "wuh-rt", "Radiotherapy centre", "放疗中心", 2),
    ("wuh", "Radiology base", "wuh-rad", "Diagnostic radiology", "医学影像科", 3),
    ("wuh", "Ultrasound medicine base", "wuh-us", "Echocardiography and ultrasound", "超声科", 2),
    ("wuh", "Nuclear medicine base", "wuh-nm", "Nuclear medicine and thyroid", "核医学科", 2),
]


def _coordinator(code: str) -> User:
    return User.objects.get(username=f"coord.{code}")


def _more_departments() -> None:
    """The training offices add a department to every base that had none (the residents of
    the demo do not rotate there, so at least none are needed in any block)."""
    for code, base_name, dcode, name, name_zh, high in MORE_DEPARTMENTS:
        base = Unit.objects.filter(institution__code=code, name=base_name).first()
        if (
            base is None
            or Department.objects.filter(base__institution=base.institution)
            .filter(code=dcode)
            .exists()
        ):
            continue
        services.department_create(
            actor=_coordinator(code),
            base=base,
            name=name,
            name_zh=name_zh,
            code=dcode,
            min_per_block=0,
            max_per_block=high,
        )


def _published_cohort(code: str) -> Cohort | None:
    schedule = (
        PublishedSchedule.objects.filter(cohort__institution__code=code)
        .select_related("cohort__calendar")
        .order_by("pk")
        .first()
    )
    return schedule.cohort if schedule is not None else None


def _future_blocks(cohort: Cohort) -> list[int]:
    """The blocks that have not started: leave, swaps and new proposals are for those."""
    today = timezone.localdate()
    return list(
        Block.objects.filter(calendar=cohort.calendar, start_date__gt=today)
        .order_by("index")
        .values_list("index", flat=True)
    )


def _members(cohort: Cohort, first: str) -> list[CohortMember]:
    """The cohort's residents, the demo login `first` (who people sign in as) first."""
    members = list(
        CohortMember.objects.filter(cohort=cohort)
        .select_related("resident", "cohort__calendar", "cohort__institution")
        .order_by("pk")
    )
    return sorted(members, key=lambda m: m.resident.username != first)


def _first_that_works(attempts: list[tuple[Any, ...]], make: Callable[..., T]) -> T | None:
    """The first attempt the service accepts: the schedule's rules decide which leave or swap
    is possible, so the demo asks as a resident would and keeps the first one allowed."""
    for attempt in attempts:
        try:
            with transaction.atomic():
                return make(*attempt)
        except ValidationError:
            continue
    return None


def _leave_and_swaps() -> None:
    wuh, ech = _published_cohort("wuh"), _published_cohort("ech")
    if wuh is None or ech is None:
        return
    if LeaveRequest.objects.filter(member__cohort__in=[wuh, ech]).exists():
        return
    _leaves(wuh)
    _swaps(ech)


def _leaves(cohort: Cohort) -> None:
    """WUH's residents ask for leave: one approved, one refused, Deng Kai's still pending."""
    office = _coordinator("wuh")
    blocks = _future_blocks(cohort)
    members = _members(cohort, "resident.deng")
    taken: set[int] = set()

    def ask(reason: str, start: int) -> LeaveRequest | None:
        attempts = [
            (member, block)
            for member in members
            if member.pk not in taken
            for block in blocks[start:]
        ]

        def make(member: CohortMember, block: int) -> LeaveRequest:
            return services_schedule.leave_request(
                actor=member.resident, member=member, block=block, reason=reason
            )

        request_obj = _first_that_works(attempts, make)
        if request_obj is not None:
            taken.add(request_obj.member_id)
        return request_obj

    pending = ask("Sitting the national licensing examination (written part).", 0)
    approved = ask("Marriage leave.", 1)
    if approved is not None:
        services_schedule.leave_decide(
            actor=office,
            request_obj=approved,
            approve=True,
            note="Approved; the block is made up in the elective.",
        )
    refused = ask("Family trip abroad.", 2)
    if refused is not None:
        services_schedule.leave_decide(
            actor=office,
            request_obj=refused,
            approve=False,
            note="Cardiology is short of residents that block; ask for another one.",
        )
    del pending


def _swaps(cohort: Cohort) -> None:
    """ECH's residents trade blocks: Tang Hui's request waits for the other resident; one was
    accepted and waits for the office; one approved, one refused by the office, one declined."""
    office = _coordinator("ech")
    blocks = _future_blocks(cohort)
    members = _members(cohort, "resident.tang")
    busy: set[int] = set()

    def ask(reason: str) -> SwapRequest | None:
        attempts = [
            (member, other, block)
            for member in members
            if member.pk not in busy
            for other in members
            if other.pk not in busy and other.pk != member.pk
            for block in blocks
        ]

        def make(member: CohortMember, other: CohortMember, block: int) -> SwapRequest:
            return services_schedule.swap_request(
                actor=member.resident, member=member, other=other, block=block, reason=reason
            )

        request_obj = _first_that_works(attempts[:400], make)
        if request_obj is not None:
            busy.update({request_obj.member_id, request_obj.other_id})
        return request_obj

    ask("My sister's wedding falls in this block; I would rather be on the ward later.")

    def consent(request_obj: SwapRequest | None, accept: bool, note: str) -> SwapRequest | None:
        if request_obj is None:
            return None
        other = CohortMember.objects.select_related("resident").get(pk=request_obj.other_id)
        return services_schedule.swap_consent(
            actor=other.resident, request_obj=request_obj, accept=accept, note=note
        )

    consent(ask("To attend the planning course at the physics department."), True, "Fine by me.")
    approved = consent(ask("Research elective deadline."), True, "Agreed.")
    if approved is not None:
        services_schedule.swap_decide(
            actor=office, request_obj=approved, approve=True, note="Both programmes still met."
        )
    refused = consent(ask("Want to rotate with my friend."), True, "OK.")
    if refused is not None:
        services_schedule.swap_decide(
            actor=office,
            request_obj=refused,
            approve=False,
            note="Not a reason to change the rota this late.",
        )
    consent(ask("Would like pathology before the exam."), False, "I need that block myself.")


def _capacity_and_resolve() -> None:
    """ECH's radiotherapy ward is to be renovated. Limiting it to one resident per block for
    the rest of the year makes the next proposal infeasible (its explanation names the
    residents whose minimum cannot be met); the office shortens the renovation to two blocks
    with three places and solves again from the infeasible proposal. WUH opens more places in
    cardiology for two blocks."""
    ech = _published_cohort("ech")
    if (
        ech is None
        or ScheduleProposal.objects.filter(cohort=ech, status=ProposalStatus.INFEASIBLE).exists()
    ):
        return
    office = _coordinator("ech")
    blocks = _future_blocks(ech)
    ward = Department.objects.filter(base__institution__code="ech", code="ro-ward").first()
    if ward is None or len(blocks) < 4:
        return
    capacity.capacity_set(
        actor=office,
        department=ward,
        calendar=ech.calendar,
        rows=dict.fromkeys(blocks, (0, 1)),
    )
    infeasible = services_schedule.proposal_generate(
        actor=office, cohort=ech, time_limit=5, enqueue=False
    )
    infeasible = services_schedule.proposal_solve(proposal_id=infeasible.pk)
    renovated = blocks[2:4]
    capacity.capacity_set(
        actor=office,
        department=ward,
        calendar=ech.calendar,
        rows={index: ((0, 3) if index in renovated else None) for index in blocks},
    )
    resolved = services_schedule.proposal_generate(
        actor=office, cohort=ech, time_limit=5, previous=infeasible, enqueue=False
    )
    services_schedule.proposal_solve(proposal_id=resolved.pk)
    wuh = _published_cohort("wuh")
    cardiology = Department.objects.filter(base__institution__code="wuh", code="cardio").first()
    if wuh is not None and cardiology is not None:
        capacity.capacity_set(
            actor=User.objects.get(username="director.wuh.im"),
            department=cardiology,
            calendar=wuh.calendar,
            rows=dict.fromkeys(blocks[-2:], (None, cardiology.max_per_block + 2)),
        )
