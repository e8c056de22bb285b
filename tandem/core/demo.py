"""The demo consortium: fictional, deterministic, idempotent.

Two medical universities (west and east) under a university–university agreement, a research
institute, an enterprise, a cancer hospital and a university hospital with residency training
bases, a foreign university, and an outsider college with no agreement. People in every role,
agreements in every state, shared laboratories and instruments.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation

from tandem.accounts.models import (
    Membership,
    Role,
    StudentNumber,
    TraineeKind,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementQuota,
    AgreementSignature,
    AgreementStatus,
)
from tandem.core.audit import audit_record
from tandem.institutions.models import Institution, Specialty, Unit, UnitKind
from tandem.resources.models import ResourceOpening, SharedResource

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
        {"wmu": "W2024D017", "emu": "E2024J003"},
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
    now = timezone.now()
    institutions: dict[str, Institution] = {}
    for code, name, name_zh, kind, region, country, tiers, parent in INSTITUTIONS:
        inst = Institution.objects.create(
            code=code,
            name=name,
            name_zh=name_zh,
            kind=kind,
            region=region,
            country=country,
            tier_labels=tiers,
            parent=institutions.get(parent) if parent else None,
        )
        institutions[code] = inst
        audit_record(actor=None, action="institution.create", target=inst, reason="demo data")

    units: dict[tuple[str, str], Unit] = {}
    for code, name, name_zh, kind in UNITS:
        units[(code, name)] = Unit.objects.create(
            institution=institutions[code], name=name, name_zh=name_zh, kind=kind
        )
    for hospital in ("ech", "wuh"):
        for specialty, zh in SPECIALTY_ZH.items():
            name = f"{specialty.label} base"
            units[(hospital, name)] = Unit.objects.create(
                institution=institutions[hospital],
                name=name,
                name_zh=f"{zh}住培基地",
                kind=UnitKind.TRAINING_BASE,
                specialty=specialty,
            )

    users: dict[str, User] = {}
    hashed = User(username="x")
    hashed.set_password(DEMO_PASSWORD)
    for username, full_name, role, inst_code, unit_name in PEOPLE:
        user = User.objects.create(
            username=username,
            full_name=full_name,
            email=f"{username}@demo.tandem.invalid",
            password=hashed.password,
            preferred_language="en" if username.endswith("lakeside") else "zh-hans",
        )
        users[username] = user
        Membership.objects.create(
            user=user,
            role=role,
            institution=institutions[inst_code] if inst_code else None,
            unit=units.get((inst_code, unit_name)) if unit_name else None,
        )
    # A person with two roles: the EMU tutor also evaluates teaching at the cancer hospital.
    Membership.objects.create(
        user=users["tutor.li"], role=Role.EVALUATOR, institution=institutions["ech"]
    )
    for username, (title, qualification, areas, quota) in TUTORS.items():
        TutorProfile.objects.create(
            user=users[username],
            title=title,
            qualification=qualification,
            research_areas=areas,
            annual_quota=quota,
        )
    for username, (kind, cohort, specialty, numbers) in TRAINEES.items():
        profile = TraineeProfile.objects.create(
            user=users[username], kind=kind, cohort=cohort, specialty=specialty
        )
        for code, number in numbers.items():
            StudentNumber.objects.create(
                trainee=profile, institution=institutions[code], number=number
            )

    def agreement(
        title: str,
        form: str,
        status: str,
        parties: dict[str, int],
        start,
        end,
        signed: tuple[str, ...] = (),
        quotas: dict[int, int] | None = None,
        **extra,
    ) -> Agreement:
        creator = users[f"coord.{next(iter(parties))}"]
        obj = Agreement.objects.create(
            title=title,
            form=form,
            status=status,
            start_date=start,
            end_date=end,
            created_by=creator,
            funding_clause=extra.pop(
                "funding_clause",
                "Each party funds the research of the joint trainees in proportion to its share.",
            ),
            ip_clause="Results belong jointly to the parties; inventions are filed jointly.",
            insurance_clause="The host institution insures joint trainees during their stay.",
            housing_clause="The host institution provides student housing at its own rates.",
            activated_at=now
            if status in {"active", "superseded", "expired", "terminated"}
            else None,
            **extra,
        )
        for code, share in parties.items():
            AgreementParty.objects.create(
                agreement=obj, institution=institutions[code], funding_share=Decimal(share)
            )
        for code in signed:
            AgreementSignature.objects.create(
                agreement=obj, institution=institutions[code], signed_by=users[f"coord.{code}"]
            )
        for year, count in (quotas or {}).items():
            AgreementQuota.objects.create(agreement=obj, year=year, max_trainees=count)
        audit_record(actor=creator, action="agreement.draft", target=obj, reason="demo data")
        if status != "draft":
            audit_record(actor=None, action=f"agreement.{status}", target=obj, reason="demo data")
        return obj

    v1 = agreement(
        "WMU–EMU joint cultivation of medical postgraduates",
        "university_domestic",
        AgreementStatus.SUPERSEDED,
        {"wmu": 40, "emu": 60},
        _d(2023, 9, 1),
        _d(2028, 8, 31),
        signed=("wmu", "emu"),
        quotas={2023: 4, 2024: 4, 2025: 5},
        reference="WMU-EMU-2023-01",
    )
    v2 = agreement(
        "WMU–EMU joint cultivation of medical postgraduates",
        "university_domestic",
        AgreementStatus.ACTIVE,
        {"wmu": 40, "emu": 60},
        _d(2023, 9, 1),
        _d(2028, 8, 31),
        signed=("wmu", "emu"),
        quotas={2023: 4, 2024: 4, 2025: 6, 2026: 6, 2027: 6},
        version=2,
        amends=v1,
        reference="WMU-EMU-2023-01",
        end_reason="",
    )
    agreement(
        "WMU–CIBR research training agreement",
        "university_institute",
        AgreementStatus.ACTIVE,
        {"wmu": 50, "cibr": 50},
        _d(2024, 3, 1),
        _d(2029, 2, 28),
        signed=("wmu", "cibr"),
        quotas={2024: 2, 2025: 3, 2026: 3},
    )
    agreement(
        "EMU–Lanting antibody engineering programme",
        "university_enterprise",
        AgreementStatus.SIGNING,
        {"emu": 30, "lanting": 70},
        _d(2026, 9, 1),
        _d(2030, 8, 31),
        signed=("emu",),
        quotas={2026: 2, 2027: 2},
    )
    agreement(
        "WMU–Lakeside doctoral exchange",
        "university_foreign",
        AgreementStatus.DRAFT,
        {"wmu": 50, "lakeside": 50},
        _d(2027, 1, 1),
        _d(2031, 12, 31),
        quotas={2027: 2},
    )
    agreement(
        "Tutor-initiated imaging project (Prof. Chen, Dr. He)",
        "tutor_initiated",
        AgreementStatus.EXPIRED,
        {"wmu": 50, "cibr": 50},
        _d(2021, 9, 1),
        _d(2024, 8, 31),
        signed=("wmu", "cibr"),
        initiating_tutor=users["tutor.chen"],
        ended_at=now,
    )
    agreement(
        "ECH–WUH residency training exchange",
        "university_domestic",
        AgreementStatus.ACTIVE,
        {"ech": 50, "wuh": 50},
        _d(2025, 1, 1),
        _d(2029, 12, 31),
        signed=("ech", "wuh"),
        quotas={2025: 6, 2026: 6},
    )
    agreement(
        "EMU–Lanting pilot (ended early)",
        "university_enterprise",
        AgreementStatus.TERMINATED,
        {"emu": 50, "lanting": 50},
        _d(2022, 9, 1),
        _d(2026, 8, 31),
        signed=("emu", "lanting"),
        ended_at=now,
        end_reason="The enterprise closed its Shanghai laboratory.",
    )

    def resource(
        code: str,
        unit: str | None,
        name: str,
        name_zh: str,
        kind: str,
        opened_to: tuple[tuple[Agreement, str], ...] = (),
        **extra,
    ) -> SharedResource:
        obj = SharedResource.objects.create(
            institution=institutions[code],
            unit=units.get((code, unit)) if unit else None,
            name=name,
            name_zh=name_zh,
            kind=kind,
            **extra,
        )
        for agr, partner in opened_to:
            ResourceOpening.objects.create(
                resource=obj, agreement=agr, partner=institutions[partner]
            )
        return obj

    resource(
        "emu",
        "State Key Laboratory of Oncology",
        "State Key Laboratory of Oncology",
        "肿瘤学国家重点实验室",
        "key_laboratory",
        ((v2, "wmu"),),
        description="Cell culture, animal facility and tumour models.",
        location="EMU Life Sciences Building, floors 3–5",
    )
    resource(
        "emu",
        "State Key Laboratory of Oncology",
        "Confocal laser scanning microscope",
        "激光共聚焦显微镜",
        "instrument",
        ((v2, "wmu"),),
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
        ((v2, "wmu"),),
        location="Pharmacology building B101",
    )
    resource(
        "emu",
        None,
        "Advanced tumour immunology (course)",
        "肿瘤免疫学进展（课程）",
        "course",
        ((v2, "wmu"),),
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
        ((v2, "emu"),),
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
