"""The logbook pages: logging on the phone form, the week screen, the progress pages (at a
fixed number of queries whatever the data), the catalogue pages, and bad input."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import TraineeProfileFactory, UserFactory
from tandem.logbook.hashing import patient_hash
from tandem.logbook.models import EntryStatus, LogEntry, Minimum
from tandem.logbook.tests.conftest import A1_DAY, A2_DAY
from tandem.logbook.tests.factories import log
from tandem.residency.models import Assignment, Block, CohortMember

pytestmark = pytest.mark.django_db


def _grow(lw, residents: int, entries_each: int) -> None:
    """More residents in the cohort on the resident's rotations, each with entries (test
    data written in bulk: the services are tested elsewhere)."""
    world = lw.world
    schedule = world.cohort.schedule
    blocks = list(Block.objects.filter(calendar=world.calendar).order_by("index"))
    pattern = [world.a1, world.a1, world.a2, world.b1]
    start = CohortMember.objects.count()
    for n in range(residents):
        user = UserFactory(username=f"grown{start}_{n}", full_name=f"Grown {start} {n}")
        Membership.objects.create(user=user, role=Role.TRAINEE, institution=world.cast.inst_a)
        TraineeProfileFactory(user=user, kind="resident", cohort=2026)
        member = CohortMember.objects.create(
            cohort=world.cohort, resident=user, program=world.program
        )
        Assignment.objects.bulk_create(
            Assignment(schedule=schedule, member=member, block=b, department=d)
            for b, d in zip(blocks, pattern, strict=True)
        )
        LogEntry.objects.bulk_create(
            LogEntry(
                resident=user,
                member=member,
                department=world.a1,
                item=lw.puncture,
                role=3,
                date=A1_DAY,
                patient_hash=patient_hash(1, f"{n}-{k}"),
                status=EntryStatus.VERIFIED if k % 2 else EntryStatus.PENDING,
                reviewed_by=world.cast.tutor_a if k % 2 else None,
            )
            for k in range(entries_each)
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("actor", "url_of"),
    [
        ("coord_a", lambda lw: reverse("logbook:cohort", args=[lw.world.cohort.pk])),
        ("tutor_a", lambda lw: reverse("logbook:department", args=[lw.world.a1.pk])),
        ("coord_a", lambda lw: reverse("logbook:resident", args=[lw.world.cast.resident.pk])),
        ("tutor_a", lambda lw: reverse("logbook:review") + "?all=1"),
        ("resident", lambda lw: reverse("logbook:home")),
    ],
)
def test_progress_pages_issue_a_fixed_number_of_queries(lw, client_for, actor, url_of):
    client = client_for(actor)
    url = url_of(lw)
    log(lw, day=A1_DAY)
    client.get(url)  # warm up the session and the content types
    _grow(lw, 2, 3)
    small = _queries(client, url)
    _grow(lw, 8, 12)
    for n in range(6):
        log(lw, day=A1_DAY, ref=f"more-{n}")
    large = _queries(client, url)
    assert small == large


def test_the_resident_logs_from_the_form_and_is_warned_of_a_duplicate(lw, client_for):
    client = client_for("resident")
    data = {
        "department": lw.world.a1.pk,
        "date": A1_DAY.isoformat(),
        "item": lw.puncture.pk,
        "role": "3",
        "patient_ref": "MRN 555",
    }
    response = client.post(reverse("logbook:entry_new"), data, follow=True)
    assert response.status_code == 200 and "waits for your teacher" in response.content.decode()
    response = client.post(reverse("logbook:entry_new"), data, follow=True)
    assert "same patient before" in response.content.decode()
    assert LogEntry.objects.count() == 2
    assert "555" not in response.content.decode()


def test_a_day_outside_the_rotation_is_refused_on_the_form(lw, client_for):
    data = {
        "department": lw.world.a1.pk,
        "date": A2_DAY.isoformat(),
        "item": lw.puncture.pk,
        "role": "3",
        "patient_ref": "MRN 555",
    }
    response = client_for("resident").post(reverse("logbook:entry_new"), data)
    assert response.status_code == 400
    assert "You were not rotating in A1 ward" in response.content.decode()
    assert not LogEntry.objects.exists()


def test_the_week_screen_verifies_in_bulk(lw, client_for):
    entries = [log(lw, day=A1_DAY + datetime.timedelta(days=n), ref=f"W{n}") for n in range(3)]
    monday = A1_DAY - datetime.timedelta(days=A1_DAY.weekday())
    client = client_for("tutor_a")
    page = client.get(reverse("logbook:review") + f"?week={monday.isoformat()}")
    assert page.content.decode().count('name="entries"') == 3
    response = client.post(
        reverse("logbook:review"),
        {"week": monday.isoformat(), "verify": "1", "entries": [e.pk for e in entries]},
        follow=True,
    )
    assert "3 entries saved" in response.content.decode()
    assert set(LogEntry.objects.values_list("status", flat=True)) == {"verified"}


def test_a_second_teacher_is_told_on_the_page(lw, client_for, cast):
    entry = log(lw, day=A1_DAY)
    other = UserFactory(username="teacher_two", full_name="Tess Two")
    Membership.objects.create(user=other, role=Role.TEACHER, institution=cast.inst_a)
    lw.world.a1.teachers.add(other)
    url = reverse("logbook:entry_review", args=[entry.pk])
    client_for("tutor_a").post(url, {"verify": "1"})
    from django.test import Client

    second = Client()
    second.force_login(other)
    response = second.post(url, {"verify": "0", "comment": "No"}, follow=True)
    assert "verified by" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED and entry.reviewed_by == cast.tutor_a


def _workbook(rows: list[list[object]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("catalogue.xlsx", buffer.getvalue())


def test_the_import_lists_every_bad_row_and_saves_nothing(lw, client_for):
    before = Minimum.objects.count()
    upload = _workbook(
        [
            ["编码", "类别", "名称", "中文名称", "科室", "角色", "最低例数"],
            ["P02", "操作", "Thoracentesis", "胸腔穿刺", "a1", "完成", 2],
            ["P03", "surgery?", "Paracentesis", "", "", "", ""],
            ["P04", "procedure", "Bone marrow aspiration", "", "zz", "performed", 0],
        ]
    )
    response = client_for("coord_a").post(
        reverse("logbook:catalogue_import", args=[lw.catalogue.pk]), {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Write disease, procedure or operation." in body
    assert "No single department of the hospital has the code zz." in body
    assert "A minimum is a whole number from 1 to 1000." in body
    assert not lw.catalogue.items.filter(code="P02").exists()
    assert Minimum.objects.count() == before


def test_a_good_import_adds_items_and_minimums(lw, client_for):
    upload = _workbook(
        [
            ["code", "kind", "name", "name_zh", "department", "role", "minimum"],
            ["P02", "procedure", "Thoracentesis", "胸腔穿刺", "a1", "performed", 2],
            ["P02", "procedure", "Thoracentesis", "胸腔穿刺", "", "assisted", 6],
            ["D02", "disease", "Heart failure", "心力衰竭", "", "", ""],
        ]
    )
    response = client_for("coord_a").post(
        reverse("logbook:catalogue_import", args=[lw.catalogue.pk]), {"file": upload}, follow=True
    )
    assert "Imported: 2 items, 2 minimums." in response.content.decode()
    item = lw.catalogue.items.get(code="P02")
    assert item.name_zh == "胸腔穿刺"
    assert set(item.minimums.values_list("department_id", "role", "count")) == {
        (lw.world.a1.pk, 3, 2),
        (None, 2, 6),
    }


def test_the_api_answers_bad_input_by_field(lw, client_for):
    client = client_for("resident")
    response = client.post(
        "/api/v1/logbook/entries",
        {
            "department_id": lw.world.a1.pk,
            "item_id": lw.puncture.pk,
            "role": 9,
            "date": A2_DAY.isoformat(),
            "patient_ref": "",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"role", "date", "patient_ref"} <= set(errors)
    assert not LogEntry.objects.exists()


def test_pages_read_in_chinese(lw, client_for):
    log(lw, day=A1_DAY)
    client = client_for("resident")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("logbook:home"), headers={"accept-language": "zh-hans"}).content
    body = body.decode()
    assert "病例与操作登记" in body


def test_the_resident_corrects_a_returned_entry(lw, client_for, cast):
    from tandem.logbook import services

    entry = log(lw, day=A1_DAY)
    services.entry_review(actor=cast.tutor_a, entry=entry, verify=False, comment="Assisted?")
    client = client_for("resident")
    url = reverse("logbook:entry_edit", args=[entry.pk])
    assert "Assisted?" in client.get(url).content.decode()
    data = {
        "department": lw.world.a1.pk,
        "date": A1_DAY.isoformat(),
        "item": lw.puncture.pk,
        "role": "2",
        "patient_ref": "",
    }
    response = client.post(url, data, follow=True)
    assert "waits for your teacher again" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.role) == (EntryStatus.PENDING, 2)
