"""The demo consortium: fictional, deterministic, idempotent.

Two medical universities (west and east) under a university–university agreement, a research
institute, an enterprise, a cancer hospital and a university hospital with residency training
bases, a foreign university, and an outsider college with no agreement. People in every role,
agreements in every state, shared laboratories and instruments.

Everything is made through the services, by the person who would do it in life: the consortium
admin registers the institutions and appoints their coordinators, each coordinator gives the
roles at their institution, drafts, signs, amends and ends agreements and opens resources. So the
demo can only show states the rules allow, with the history that leads to them (decision 076).
The only writes past a service are the ones no service makes: the accounts themselves (with a
known username and password, as `createsuperuser` makes them) and the first consortium admin's
role, which nobody can grant before there is a consortium admin.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Membership, Role, TraineeKind, User
from tandem.agreements import services as agreements
from tandem.agreements.models import Agreement, AgreementForm
from tandem.institutions import services as institutions_services
from tandem.institutions.models import Institution, Specialty, UnitKind
from tandem.resources import services as resources

DEMO_PASSWORD = "tandem-demo-2026"

INSTITUTIONS = [
    # code, name, name_zh, kind, region, country, tiers, parent
    (
        "wmu",
        "Western Medical University",
        "西部医科大学",
        "university",
        "western",
        "CN",
        ["Double First-Class"],
        None,
    ),
    (
        "emu",
        "Eastern Medical University",
        "东部医科大学",
        "university",
        "eastern",
        "CN",
        ["Double First-Class", "985 Project"],
        None,
    ),
    (
        "cibr",
        "Central Institute of Biomedical Research",
        "中部生物医学研究院",
        "research_institute",
        "central",
        "CN",
        ["National key institute"],
        None,
    ),
    (
        "lanting",
        "Lanting Biotech Co., Ltd.",
        "兰亭生物科技有限公司",
        "enterprise",
        "eastern",
        "CN",
        ["High-tech enterprise"],
        None,
    ),
    (
        "ech",
        "Eastern Cancer Hospital",
        "东部肿瘤医院",
        "hospital",
        "eastern",
        "CN",
        ["Grade III Class A"],
        "emu",
    ),
    (
        "wuh",
        "Western University Hospital",
        "西部大学附属医院",
        "hospital",
        "western",
        "CN",
        ["Grade III Class A"],
        "wmu",
    ),
    ("lakeside", "Lakeside University", "湖畔大学", "university", "abroad", "GB", [], None),
    (
        "nmc",
        "Northern Medical College",
        "北方医学院",
        "medical_college",
        "northeastern",
        "CN",
        [],
        None,
    ),
]

SPECIALTY_ZH = {
    Specialty.INTERNAL_MEDICINE: "内科",
    Specialty.SURGERY: "外科",
    Specialty.RADIATION_ONCOLOGY: "放射肿瘤科",
    Specialty.CLINICAL_PATHOLOGY: "临床病理科",
    Specialty.RADIOLOGY: "放射科",
    Specialty.ULTRASOUND: "超声医学科",
    Specialty.NUCLEAR_MEDICINE: "核医学科",
    Specialty.ANESTHESIA: "麻醉科",
}

UNITS = [
    # institution, name, name_zh, kind
    ("wmu", "School of Basic Medical Sciences", "基础医学院", UnitKind.SCHOOL),
    ("wmu", "Graduate School", "研究生院", UnitKind.SCHOOL),
    ("wmu", "Key Laboratory of Plateau Medicine", "高原医学重点实验室", UnitKind.KEY_LABORATORY),
    ("emu", "Graduate School", "研究生院", UnitKind.SCHOOL),
    ("emu", "State Key Laboratory of Oncology", "肿瘤学国家重点实验室", UnitKind.KEY_LABORATORY),
    ("emu", "Department of Pharmacology", "药理学系", UnitKind.DEPARTMENT),
    ("cibr", "Laboratory of Molecular Imaging", "分子影像实验室", UnitKind.KEY_LABORATORY),
    ("lanting", "Antibody Engineering Platform", "抗体工程平台", UnitKind.DEPARTMENT),
    ("ech", "Residency Training Office", "住院医师规范化培训办公室", UnitKind.DEPARTMENT),
    ("wuh", "Residency Training Office", "住院医师规范化培训办公室", UnitKind.DEPARTMENT),
]

# username, full name, role, institution code, unit name or None
PEOPLE = [
    ("admin", "Ada Lin (consortium admin)", Role.CONSORTIUM_ADMIN, None, None),
    ("coord.wmu", "Wang Fang", Role.COORDINATOR, "wmu", "Graduate School"),
    ("coord.emu", "Zhao Min", Role.COORDINATOR, "emu", "Graduate School"),
    ("coord.cibr", "Sun Li", Role.COORDINATOR, "cibr", None),
    ("coord.lanting", "Qian Yu", Role.COORDINATOR, "lanting", None),
    ("coord.ech", "Zhou Jie", Role.COORDINATOR, "ech", "Residency Training Office"),
    ("coord.wuh", "Wu Hao", Role.COORDINATOR, "wuh", "Residency Training Office"),
    ("coord.lakeside", "Emma Clarke", Role.COORDINATOR, "lakeside", None),
    ("coord.nmc", "Zheng Tao", Role.COORDINATOR, "nmc", None),
    ("tutor.li", "Prof. Li Wei", Role.TUTOR, "emu", "State Key Laboratory of Oncology"),
    ("tutor.chen", "Prof. Chen Jing", Role.TUTOR, "wmu", "School of Basic Medical Sciences"),
    ("tutor.he", "Dr. He Yang", Role.TUTOR, "cibr", "Laboratory of Molecular Imaging"),
    ("tutor.ma", "Dr. Ma Lan", Role.TUTOR, "wmu", "Key Laboratory of Plateau Medicine"),
    ("teacher.guo", "Dr. Guo Qiang", Role.TEACHER, "ech", None),
    ("teacher.lu", "Dr. Lu Xin", Role.TEACHER, "wuh", None),
    ("director.ech.ro", "Dr. Huang Rui", Role.BASE_DIRECTOR, "ech", "Radiation oncology base"),
    ("director.wuh.im", "Dr. Xu Ping", Role.BASE_DIRECTOR, "wuh", "Internal medicine base"),
    ("evaluator.emu", "Dr. Feng Yi", Role.EVALUATOR, "emu", None),
    ("trainee.zhang", "Zhang Xiaoming", Role.TRAINEE, "wmu", None),
    ("trainee.liu", "Liu Yang", Role.TRAINEE, "wmu", None),
    ("trainee.yang", "Yang Mei", Role.TRAINEE, "emu", None),
    ("trainee.song", "Song Jia", Role.TRAINEE, "wmu", None),
    ("resident.tang", "Tang Hui", Role.TRAINEE, "ech", None),
    ("resident.deng", "Deng Kai", Role.TRAINEE, "wuh", None),
    ("resident.xie", "Xie Na", Role.TRAINEE, "wuh", None),
]

TUTORS = {
    "tutor.li": ("Professor", "doctoral", "Tumour immunology; radiotherapy resistance", 4),
    "tutor.chen": ("Professor", "doctoral", "Hypoxia biology; plateau medicine", 3),
    "tutor.he": ("Associate Professor", "master", "Molecular imaging probes", 2),
    "tutor.ma": ("Associate Professor", "master", "Cardiopulmonary physiology at altitude", 2),
}

TRAINEES = {
    # username: kind, cohort, specialty, {institution: number}
    "trainee.zhang": (
        TraineeKind.DOCTORAL,
        2024,
        "Oncology",
        # A student number needs a role at its institution: Zhang is enrolled at WMU only.
        {"wmu": "W2024D017"},
    ),
    "trainee.liu": (TraineeKind.ACADEMIC_MASTER, 2025, "Pharmacology", {"wmu": "W2025M102"}),
    "trainee.yang": (
        TraineeKind.PROFESSIONAL_MASTER,
        2025,
        "Medical imaging",
        {"emu": "E2025P044"},
    ),
    "trainee.song": (TraineeKind.DOCTORAL, 2023, "Physiology", {"wmu": "W2023D008"}),
    "resident.tang": (TraineeKind.RESIDENT, 2025, "Radiation oncology", {"ech": "ECH-R25-011"}),
    "resident.deng": (TraineeKind.RESIDENT, 2024, "Internal medicine", {"wuh": "WUH-R24-031"}),
    "resident.xie": (TraineeKind.RESIDENT, 2025, "Anesthesia", {"wuh": "WUH-R25-007"}),
}


@dataclass
class Login:
    username: str
    role: str
    where: str


def already_loaded() -> bool:
    return Institution.objects.filter(code="wmu").exists()


def demo_logins() -> list[Login]:
    result = []
    for username, _name, role, inst, _unit in PEOPLE:
        result.append(Login(username, Role(role).label, inst or "—"))
    return result


def _d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


@transaction.atomic
def load_demo() -> None:
    """Create the demo consortium. Call only when `already_loaded()` is false."""
    # Names built from choice labels (training bases) are stored in English whatever the
    # language of the caller; their Chinese names go in name_zh.
    with translation.override("en"):
        _load_demo()


def _load_demo() -> None:
    hashed = User(username="x")
    hashed.set_password(DEMO_PASSWORD)
    users: dict[str, User] = {
        username: demo_account(
            username,
            full_name,
            hashed.password,
            "en" if username.endswith("lakeside") else "zh-hans",
        )
        for username, full_name, _role, _inst, _unit in PEOPLE
    }
    admin = users["admin"]
    # The first consortium admin: nobody can grant the role before there is one.
    Membership.objects.create(user=admin, role=Role.CONSORTIUM_ADMIN, institution=None)

    # The consortium admin registers the member institutions and their units.
    institutions: dict[str, Institution] = {}
    for code, name, name_zh, kind, region, country, tiers, parent in INSTITUTIONS:
        institutions[code] = institutions_services.institution_create(
            actor=admin,
            code=code,
            name=name,
            name_zh=name_zh,
            kind=kind,
            region=region,
            country=country,
            tier_labels=tiers,
            parent=institutions[parent] if parent else None,
        )
    units = {
        (code, name): institutions_services.unit_create(
            actor=admin, institution=institutions[code], name=name, name_zh=name_zh, kind=kind
        )
        for code, name, name_zh, kind in UNITS
    }

    def grant(actor: User, username: str, role: str, code: str, unit_name: str | None) -> None:
        accounts.membership_add(
            actor=actor,
            user=users[username],
            role=role,
            institution=institutions[code],
            unit=units[(code, unit_name)] if unit_name else None,
        )

    # The admin appoints each institution's coordinator; the hospitals' coordinators add
    # their training bases; each coordinator then gives the roles at their institution.
    people = [p for p in PEOPLE if p[2] != Role.CONSORTIUM_ADMIN]
    for username, _name, role, code, unit_name in people:
        if role == Role.COORDINATOR:
            grant(admin, username, role, code, unit_name)
    coordinators = {code: users[f"coord.{code}"] for code in institutions}
    for hospital in ("ech", "wuh"):
        for specialty, zh in SPECIALTY_ZH.items():
            name = f"{specialty.label} base"
            units[(hospital, name)] = institutions_services.unit_create(
                actor=coordinators[hospital],
                institution=institutions[hospital],
                name=name,
                name_zh=f"{zh}住培基地",
                kind=UnitKind.TRAINING_BASE,
                specialty=specialty,
            )
    for username, _name, role, code, unit_name in people:
        if role != Role.COORDINATOR:
            grant(coordinators[code], username, role, code, unit_name)
    # A person with two roles: the EMU tutor also evaluates teaching at the cancer hospital.
    grant(coordinators["ech"], "tutor.li", Role.EVALUATOR, "ech", None)
    home = {username: code for username, _name, _role, code, _unit in people}
    for username, (title, qualification, areas, quota) in TUTORS.items():
        accounts.tutor_profile_save(
            actor=coordinators[home[username]],
            user=users[username],
            title=title,
            qualification=qualification,
            research_areas=areas,
            annual_quota=quota,
        )
    for username, (kind, cohort, specialty, numbers) in TRAINEES.items():
        accounts.trainee_profile_save(
            actor=coordinators[home[username]],
            user=users[username],
            kind=kind,
            cohort=cohort,
            specialty=specialty,
            student_numbers={institutions[code].pk: number for code, number in numbers.items()},
        )
    _load_agreements_and_resources(institutions, units, users, coordinators)


def _load_agreements_and_resources(
    institutions: dict[str, Institution],
    units: dict[tuple[str, str], Any],
    users: dict[str, User],
    coordinators: dict[str, User],
) -> None:
    common_clauses = {
        "funding_clause": (
            "Each party funds the research of the joint trainees in proportion to its share."
        ),
        "insurance_clause": "The host institution insures joint trainees during their stay.",
        "housing_clause": "The host institution provides student housing at its own rates.",
    }
    postgraduate_clauses = {
        **common_clauses,
        "ip_clause": "Results belong jointly to the parties; inventions are filed jointly.",
    }

    def draft(
        title: str,
        form: str,
        parties: dict[str, int],
        start: datetime.date,
        end: datetime.date,
        quotas: dict[int, int] | None = None,
        **clauses: Any,
    ) -> Agreement:
        """The coordinator of the first party drafts; the clauses of its form apply."""
        if form != AgreementForm.HOSPITAL_HOSPITAL:
            clauses = {**postgraduate_clauses, **clauses}
        return agreements.agreement_draft(
            actor=coordinators[next(iter(parties))],
            title=title,
            form=form,
            start_date=start,
            end_date=end,
            parties=[
                {"institution": institutions[code], "funding_share": share}
                for code, share in parties.items()
            ],
            quotas=[{"year": y, "max_trainees": n} for y, n in (quotas or {}).items()],
            **clauses,
        )

    def sign(agreement: Agreement, *codes: str) -> Agreement:
        """Each party's coordinator signs for their own institution."""
        for code in codes:
            agreement = agreements.agreement_sign(
                actor=coordinators[code], agreement=agreement, institution=institutions[code]
            )
        return agreement

    wmu_emu = "WMU–EMU joint cultivation of medical postgraduates"
    v1 = draft(
        wmu_emu,
        AgreementForm.UNIVERSITY_DOMESTIC,
        {"wmu": 40, "emu": 60},
        _d(2023, 9, 1),
        _d(2028, 8, 31),
        quotas={2023: 4, 2024: 4, 2025: 5},
        reference="WMU-EMU-2023-01",
    )
    v1 = sign(v1, "wmu", "emu")
    # The second version raises the quotas from 2025 on; once both sign, it supersedes the first.
    v2 = agreements.agreement_amend(
        actor=coordinators["emu"],
        agreement=v1,
        reason="EMU's oncology laboratory takes more joint trainees from 2025.",
    )
    v2 = agreements.agreement_update(
        actor=coordinators["emu"],
        agreement=v2,
        title=v2.title,
        form=v2.form,
        start_date=v2.start_date,
        end_date=v2.end_date,
        parties=[
            {"institution": p.institution, "funding_share": p.funding_share}
            for p in v2.parties.select_related("institution")
        ],
        quotas=[
            {"year": y, "max_trainees": n}
            for y, n in {2023: 4, 2024: 4, 2025: 6, 2026: 6, 2027: 6}.items()
        ],
        reference=v2.reference,
        **postgraduate_clauses,
    )
    v2 = sign(v2, "emu", "wmu")
    sign(
        draft(
            "WMU–CIBR research training agreement",
            AgreementForm.UNIVERSITY_INSTITUTE,
            {"wmu": 50, "cibr": 50},
            _d(2024, 3, 1),
            _d(2029, 2, 28),
            quotas={2024: 2, 2025: 3, 2026: 3},
        ),
        "wmu",
        "cibr",
    )
    sign(
        draft(
            "EMU–Lanting antibody engineering programme",
            AgreementForm.UNIVERSITY_ENTERPRISE,
            {"emu": 30, "lanting": 70},
            _d(2026, 9, 1),
            _d(2030, 8, 31),
            quotas={2026: 2, 2027: 2},
        ),
        "emu",
    )
    draft(
        "WMU–Lakeside doctoral exchange",
        AgreementForm.UNIVERSITY_FOREIGN,
        {"wmu": 50, "lakeside": 50},
        _d(2027, 1, 1),
        _d(2031, 12, 31),
        quotas={2027: 2},
    )
    sign(
        draft(
            "Tutor-initiated imaging project (Prof. Chen, Dr. He)",
            AgreementForm.TUTOR_INITIATED,
            {"wmu": 50, "cibr": 50},
            _d(2021, 9, 1),
            _d(2024, 8, 31),
            initiating_tutor=users["tutor.chen"],
        ),
        "wmu",
        "cibr",
    )
    sign(
        draft(
            "ECH–WUH residency training exchange",
            AgreementForm.HOSPITAL_HOSPITAL,
            {"ech": 50, "wuh": 50},
            _d(2025, 1, 1),
            _d(2029, 12, 31),
            quotas={2025: 6, 2026: 6},
            exchange_rotation_clause=(
                "Each hospital admits the other's residents to its radiation oncology and "
                "internal medicine bases for rotations of one to three blocks, within the "
                "places per block both coordinators set."
            ),
            teacher_exchange_clause=(
                "Clinical teachers of both hospitals teach at the partner's bases for up to "
                "two weeks a year; the host counts the teaching towards their qualification."
            ),
            visit_clause=(
                "Yearly visits between the residency training offices and the eight "
                "specialty bases, with action items followed up by both offices."
            ),
            funding_clause="Each hospital pays for its own residents and teachers.",
            insurance_clause="The sending hospital insures its residents during a rotation.",
            housing_clause="The host hospital provides on-call rooms at no charge.",
        ),
        "ech",
        "wuh",
    )
    pilot = sign(
        draft(
            "EMU–Lanting pilot (ended early)",
            AgreementForm.UNIVERSITY_ENTERPRISE,
            {"emu": 50, "lanting": 50},
            _d(2022, 9, 1),
            _d(2026, 8, 31),
        ),
        "emu",
        "lanting",
    )
    agreements.agreement_terminate(
        actor=coordinators["lanting"],
        agreement=pilot,
        reason="The enterprise closed its Shanghai laboratory.",
    )
    # The daily job ends what is past its term: here the tutor-initiated project.
    agreements.agreement_expire_due(today=timezone.localdate())

    def resource(
        code: str,
        unit: str | None,
        name: str,
        name_zh: str,
        kind: str,
        opened_to: tuple[str, ...] = (),
        **extra: str,
    ) -> None:
        """The owner's coordinator lists the resource and opens it to partners under v2."""
        obj = resources.resource_create(
            actor=coordinators[code],
            institution=institutions[code],
            unit=units[(code, unit)] if unit else None,
            name=name,
            name_zh=name_zh,
            kind=kind,
            **extra,
        )
        for partner in opened_to:
            resources.resource_opening_create(
                actor=coordinators[code],
                resource=obj,
                agreement=v2,
                partner=institutions[partner],
            )

    resource(
        "emu",
        "State Key Laboratory of Oncology",
        "State Key Laboratory of Oncology",
        "肿瘤学国家重点实验室",
        "key_laboratory",
        ("wmu",),
        description="Cell culture, animal facility and tumour models.",
        location="EMU Life Sciences Building, floors 3–5",
    )
    resource(
        "emu",
        "State Key Laboratory of Oncology",
        "Confocal laser scanning microscope",
        "激光共聚焦显微镜",
        "instrument",
        ("wmu",),
        description="Zeiss LSM 980 with Airyscan.",
        location="Room 412",
        contact="lab-office@emu.demo.invalid",
    )
    resource(
        "emu",
        "Department of Pharmacology",
        "Mass spectrometry platform",
        "质谱平台",
        "platform",
        ("wmu",),
        location="Pharmacology building B101",
    )
    resource(
        "emu",
        None,
        "Advanced tumour immunology",
        "肿瘤免疫学进展",
        "course",
        ("wmu",),
        description="2 credits, spring term, in English.",
    )
    resource(
        "cibr",
        "Laboratory of Molecular Imaging",
        "Small-animal PET/CT",
        "小动物PET/CT",
        "instrument",
        location="Imaging centre, basement",
    )
    resource(
        "wmu",
        "Key Laboratory of Plateau Medicine",
        "Hypobaric chamber",
        "低压氧舱",
        "key_laboratory",
        ("emu",),
        location="WMU east campus",
    )
    resource(
        "lanting",
        "Antibody Engineering Platform",
        "Antibody screening platform",
        "抗体筛选平台",
        "platform",
    )
    resource("nmc", None, "Simulation centre", "临床技能模拟中心", "platform")
