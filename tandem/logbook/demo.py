"""The demo's case and procedure logs: a catalogue for each demo specialty with minimums for
its departments and over the training, and entries of every demo resident in each state —
verified and returned by teacher.guo (ECH radiation oncology ward) and teacher.lu (WUH
cardiology), and waiting for them. Built through the services only, dated relative to today
within the residents' published rotations; a second run changes nothing.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from tandem.accounts.models import User
from tandem.institutions.models import Institution
from tandem.logbook import services
from tandem.logbook.models import Catalogue, EntryRole, LogEntry
from tandem.residency.models import CohortMember, Department
from tandem.residency.stints import stints_of_members

# hospital, specialty, name, name_zh, [(code, kind, name, name_zh, [(department, role, n)])]
# A department code "" is a minimum over the whole training.
CATALOGUES = [
    (
        "ech",
        "radiation_oncology",
        "Radiation oncology",
        "放射肿瘤科",
        [
            ("RO-D01", "disease", "Nasopharyngeal carcinoma", "鼻咽癌", [("ro-ward", 1, 4)]),
            ("RO-D02", "disease", "Lung cancer", "肺癌", [("ro-ward", 1, 3), ("rad", 1, 2)]),
            (
                "RO-P01",
                "procedure",
                "Target volume delineation",
                "靶区勾画",
                [("ro-plan", 3, 4), ("", 3, 10)],
            ),
            ("RO-P02", "procedure", "Treatment plan review", "治疗计划审核", [("ro-plan", 2, 3)]),
            ("RO-P03", "procedure", "Thoracentesis", "胸腔穿刺", [("ro-ward", 2, 2)]),
            ("RO-D03", "disease", "Frozen section diagnosis", "冰冻切片诊断", [("path", 1, 3)]),
        ],
    ),
    (
        "wuh",
        "internal_medicine",
        "Internal medicine",
        "内科",
        [
            ("IM-D01", "disease", "Acute coronary syndrome", "急性冠脉综合征", [("cardio", 1, 4)]),
            ("IM-D02", "disease", "Heart failure", "心力衰竭", [("cardio", 1, 3)]),
            ("IM-P01", "procedure", "Electrocardiogram reading", "心电图判读", [("cardio", 3, 5)]),
            (
                "IM-D03",
                "disease",
                "Community-acquired pneumonia",
                "社区获得性肺炎",
                [("resp", 1, 3)],
            ),
            ("IM-P02", "procedure", "Thoracentesis", "胸腔穿刺", [("resp", 2, 2), ("", 3, 3)]),
            ("IM-D04", "disease", "Upper GI bleeding", "上消化道出血", [("gastro", 1, 2)]),
            ("IM-O01", "operation", "Appendectomy", "阑尾切除术", [("gen-surg", 2, 1)]),
        ],
    ),
    (
        "wuh",
        "anesthesia",
        "Anesthesia",
        "麻醉科",
        [
            ("AN-P01", "procedure", "Endotracheal intubation", "气管插管", [("anes", 3, 6)]),
            ("AN-P02", "procedure", "Spinal anesthesia", "椎管内麻醉", [("anes", 2, 4)]),
            ("AN-P03", "procedure", "Central venous catheter", "中心静脉置管", [("icu", 2, 3)]),
            ("AN-D01", "disease", "Septic shock", "感染性休克", [("icu", 1, 2), ("cardio", 1, 1)]),
        ],
    ),
]
TEACHERS = {"ro-ward": "teacher.guo", "cardio": "teacher.lu"}


def load_demo() -> None:
    today = timezone.localdate()
    for code, specialty, name, name_zh, items in CATALOGUES:
        institution = Institution.objects.filter(code=code).first()
        coordinator = User.objects.filter(username=f"coord.{code}").first()
        if institution is None or coordinator is None:
            continue
        if Catalogue.objects.filter(institution=institution, specialty=specialty).exists():
            continue
        _catalogue(institution, coordinator, specialty, name, name_zh, items)
    if not LogEntry.objects.exists():
        _entries(today)


def _catalogue(institution, coordinator, specialty, name, name_zh, items) -> None:  # type: ignore[no-untyped-def]
    catalogue = services.catalogue_create(
        actor=coordinator, institution=institution, specialty=specialty, name=name, name_zh=name_zh
    )
    departments = {
        d.code: d
        for d in Department.objects.filter(
            Q(base__institution=institution) | Q(base__institution__code__in=["ech", "wuh"])
        ).order_by("-base__institution_id")
    }
    own = {d.code: d for d in Department.objects.filter(base__institution=institution)}
    departments.update(own)
    for item_code, kind, item_name, item_zh, minimums in items:
        item = services.item_save(
            actor=coordinator,
            catalogue=catalogue,
            code=item_code,
            name=item_name,
            name_zh=item_zh,
            kind=kind,
        )
        for department_code, role, count in minimums:
            department = departments.get(department_code) if department_code else None
            if department_code and department is None:
                continue
            services.minimum_set(
                actor=coordinator, item=item, department=department, role=role, count=count
            )


def _entries(today: datetime.date) -> None:
    """For each started rotation of each demo resident, entries spread over the days gone by:
    the first resident of each cohort on pace, the others some way behind; the teachers of
    ro-ward and cardio verify the older ones, return one, and leave the last week's waiting."""
    teachers = {
        code: User.objects.filter(username=username).first() for code, username in TEACHERS.items()
    }
    members = list(
        CohortMember.objects.filter(cohort__schedule__isnull=False)
        .select_related("resident", "program", "cohort")
        .order_by("cohort_id", "pk")
    )
    catalogues = {
        (c.institution_id, c.specialty): c for c in Catalogue.objects.prefetch_related("items")
    }
    departments = Department.objects.in_bulk()
    first_of_cohort: set[int] = set()
    seen_cohorts: set[int] = set()
    for member in members:
        if member.cohort_id not in seen_cohorts:
            seen_cohorts.add(member.cohort_id)
            first_of_cohort.add(member.pk)
    by_member = {m.pk: m for m in members}
    for stint in stints_of_members(by_member):
        member = by_member[stint.member_id]
        catalogue = catalogues.get((member.program.institution_id, member.program.specialty))
        if catalogue is None or stint.start > today:
            continue
        department = departments[stint.department_id]
        items = _items_for(catalogue, department)
        if not items:
            continue
        last = min(stint.end, today)
        days = (last - stint.start).days + 1
        wanted = len(items) * (3 if member.pk in first_of_cohort else 1)
        teacher = teachers.get(department.code)
        for n in range(min(wanted, days)):
            day = stint.start + datetime.timedelta(days=(n * days) // max(wanted, 1))
            item, role = items[n % len(items)]
            entry = services.entry_log(
                actor=member.resident,
                department=department,
                item=item,
                role=role,
                date=day,
                patient_ref=f"DEMO-{member.pk}-{stint.department_id}-{n % 7}",
            )
            if teacher is None or (today - day).days < 7:
                continue
            if n % 6 == 5:
                services.entry_review(
                    actor=teacher,
                    entry=entry,
                    verify=False,
                    comment="Please give your role precisely: assisted, not performed.",
                )
            else:
                services.entry_review(actor=teacher, entry=entry, verify=True)


def _items_for(catalogue: Catalogue, department: Department) -> list:  # type: ignore[type-arg]
    """The (item, role) pairs the catalogue asks for in this department."""
    pairs = []
    for item in catalogue.items.all():
        for minimum in item.minimums.filter(department=department):
            pairs.append((item, minimum.role if minimum.role else EntryRole.OBSERVED))
    return pairs
