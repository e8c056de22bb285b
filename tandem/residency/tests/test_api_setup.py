"""The residency set-up API: departments, calendars, programs, requirements, cohorts, members and
exchange quotas, on top of the world of tests/factories.py."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.api import api
from tandem.core.models import AuditEvent
from tandem.institutions.models import Unit, UnitKind
from tandem.residency import services
from tandem.residency.models import (
    BlockCalendar,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    Program,
    Requirement,
)
from tandem.residency.tests.factories import (
    build_world,
    make_base_director,
    make_resident,
    publish,
)

API = "/api/v1/residency"


def send(client, method, url, data=None):
    body = json.dumps(data if data is not None else {})
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.fixture
def world(cast):
    return build_world(cast)


def _base_director(world):
    client = Client()
    client.force_login(make_base_director(world))
    return client


def _requirement(world, department):
    return Requirement.objects.get(program=world.program, departments=department)


# --------------------------------------------------------------------------- the document


def test_every_operation_is_named_residency_and_uses_only_its_own_schemas():
    # OpenAPI components are named after their class: a shared name (agreements has a QuotaIn
    # too) would make one app's schema replace the other's in the document.
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        op
        for path, item in schema["paths"].items()
        if "/residency/" in path
        for op in item.values()
    ]
    assert len(operations) >= 40
    for operation in operations:
        assert operation["operationId"].startswith("residency_")
        for ref in re.findall(r"#/components/schemas/(\w+)", json.dumps(operation)):
            assert ref == "ErrorOut" or ref.removeprefix("Paged").startswith("Residency"), ref


# --------------------------------------------------------------------------- access


def test_outsider_gets_404(world, client_for):
    client = client_for("outsider")
    assert client.get(f"{API}/departments/{world.a1.pk}/").status_code == 404
    assert (
        send(client, "patch", f"{API}/departments/{world.a1.pk}/", {"name": "Mine"}).status_code
        == 404
    )
    assert client.get(f"{API}/programs/{world.program.pk}/").status_code == 404
    assert (
        send(client, "patch", f"{API}/programs/{world.program.pk}/", {"name": "Mine"}).status_code
        == 404
    )
    requirement = _requirement(world, world.a2)
    assert send(client, "delete", f"{API}/requirements/{requirement.pk}/").status_code == 404
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/").status_code == 404
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/members/").status_code == 404
    assert (
        send(
            client, "patch", f"{API}/members/{world.member.pk}/", {"leave_blocks": [1]}
        ).status_code
        == 404
    )
    quota = ExchangeQuota.objects.get()
    assert send(client, "delete", f"{API}/quotas/{quota.pk}/").status_code == 404
    assert Requirement.objects.filter(pk=requirement.pk).exists()
    assert ExchangeQuota.objects.filter(pk=quota.pk).exists()


@pytest.mark.parametrize("actor", ["tutor_a", "resident"])
def test_wrong_role_gets_403_on_writes(world, cast, client_for, actor):
    client = client_for(actor)
    department = {"base_id": world.base_a.pk, "name": "X", "code": "x"}
    assert send(client, "post", f"{API}/departments/", department).status_code == 403
    assert (
        send(client, "patch", f"{API}/departments/{world.a1.pk}/", {"name": "X"}).status_code == 403
    )
    assert (
        send(
            client,
            "post",
            f"{API}/calendars/",
            {
                "name": "X",
                "training_year": 2027,
                "kind": "months",
                "start_date": "2027-09-01",
                "block_count": 12,
            },
        ).status_code
        == 403
    )
    assert (
        send(
            client,
            "post",
            f"{API}/programs/",
            {"institution_id": cast.inst_a.pk, "code": "x", "name": "X", "specialty": "surgery"},
        ).status_code
        == 403
    )
    assert (
        send(
            client,
            "post",
            f"{API}/cohorts/",
            {"institution_id": cast.inst_a.pk, "calendar_id": world.calendar.pk, "name": "X"},
        ).status_code
        == 403
    )
    assert (
        send(
            client,
            "put",
            f"{API}/quotas/",
            {
                "agreement_id": cast.agreement_ab.pk,
                "from_institution_id": cast.inst_a.pk,
                "to_institution_id": cast.inst_b.pk,
                "max_per_block": 3,
            },
        ).status_code
        == 403
    )
    quota = ExchangeQuota.objects.get()
    assert send(client, "delete", f"{API}/quotas/{quota.pk}/").status_code == 403
    assert ExchangeQuota.objects.get().max_per_block == 1
    assert Department.objects.get(pk=world.a1.pk).name == "A1 ward"


def test_partner_coordinator_cannot_edit_the_other_hospitals_set_up(world, client_for):
    client = client_for("coord_b")
    assert client.get(f"{API}/departments/{world.a1.pk}/").status_code == 200
    assert (
        send(client, "patch", f"{API}/departments/{world.a1.pk}/", {"name": "Mine"}).status_code
        == 403
    )
    assert (
        send(
            client,
            "post",
            f"{API}/departments/",
            {"base_id": world.base_a.pk, "name": "X", "code": "x"},
        ).status_code
        == 403
    )


def test_base_director_edits_only_their_own_base(world, cast):
    client = _base_director(world)
    assert (
        send(client, "patch", f"{API}/departments/{world.a1.pk}/", {"max_per_block": 5}).status_code
        == 200
    )
    assert (
        send(client, "patch", f"{API}/departments/{world.b1.pk}/", {"max_per_block": 5}).status_code
        == 403
    )
    # A director sees the hospital's programs but only the training office changes them.
    assert client.get(f"{API}/programs/{world.program.pk}/").status_code == 200
    assert (
        send(client, "patch", f"{API}/programs/{world.program.pk}/", {"name": "Mine"}).status_code
        == 403
    )
    assert Department.objects.get(pk=world.b1.pk).max_per_block == 2


# --------------------------------------------------------------------------- departments


def test_department_create_and_get(world, cast, client_for):
    client = client_for("coord_a")
    response = send(
        client,
        "post",
        f"{API}/departments/",
        {
            "base_id": world.base_a.pk,
            "name": "A3 ICU",
            "name_zh": "重症监护室",
            "code": "a3",
            "min_per_block": 1,
            "max_per_block": 2,
            "duration": 2,
            "teacher_ids": [cast.tutor_a.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"] == f"D{body['id']}"
    assert (body["institution_id"], body["duration"], body["teacher_ids"]) == (
        cast.inst_a.pk,
        2,
        [cast.tutor_a.pk],
    )
    assert client.get(f"{API}/departments/{body['id']}/").json() == body
    assert AuditEvent.objects.filter(action="department.create", target_id=str(body["id"]))


def test_department_with_a_teacher_of_another_hospital_is_refused(world, cast, client_for):
    response = send(
        client_for("coord_a"),
        "post",
        f"{API}/departments/",
        {"base_id": world.base_a.pk, "name": "A3", "code": "a3", "teacher_ids": [cast.tutor_b.pk]},
    )
    assert response.status_code == 400
    assert "teachers" in response.json()["errors"]
    assert not Department.objects.filter(code="a3").exists()


def test_department_on_a_base_the_caller_cannot_see_is_400_naming_base(world, client_for):
    response = send(
        client_for("outsider"),
        "post",
        f"{API}/departments/",
        {"base_id": world.base_a.pk, "name": "A3", "code": "a3"},
    )
    assert response.status_code == 400
    assert "base" in response.json()["errors"]


def test_department_teacher_who_does_not_teach_there_is_refused(world, cast, client_for):
    """A person the caller can see, of the same hospital, but a resident: the service refuses
    them, naming `teachers`, and the department's teachers stay as they were."""
    before = sorted(t.pk for t in world.a1.teachers.all())
    resident = make_resident(cast, "resident.teacher")
    response = send(
        client_for("coord_a"),
        "patch",
        f"{API}/departments/{world.a1.pk}/",
        {"teacher_ids": [resident.pk]},
    )
    assert response.status_code == 400
    assert "teachers" in response.json()["errors"]
    assert sorted(t.pk for t in world.a1.teachers.all()) == before


def test_department_update_changes_only_what_is_sent(world, client_for):
    client = client_for("coord_a")
    response = send(
        client, "patch", f"{API}/departments/{world.a1.pk}/", {"max_per_block": 5, "name": None}
    )
    assert response.status_code == 200
    assert (response.json()["max_per_block"], response.json()["name"]) == (5, "A1 ward")
    refused = send(
        client,
        "patch",
        f"{API}/departments/{world.a1.pk}/",
        {"min_per_block": 6, "name": "Renamed"},
    )
    assert refused.status_code == 400
    assert "max_per_block" in refused.json()["errors"]
    world.a1.refresh_from_db()
    assert (world.a1.min_per_block, world.a1.name) == (0, "A1 ward")


def test_department_list_query_count_does_not_grow(world, client_for):
    client = client_for("coord_a")

    def add(count):
        for index in range(count):
            services.department_create(
                actor=world.cast.coord_a,
                base=world.base_a,
                name=f"Extra {index}",
                code=f"x{Department.objects.count()}",
            )

    add(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{API}/departments/").status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as large:
        client.get(f"{API}/departments/")
    assert len(small) == len(large)


# --------------------------------------------------------------------------- calendars


def test_calendar_create_numbers_blocks_from_one(client_for):
    client = client_for("coord_a")
    response = send(
        client,
        "post",
        f"{API}/calendars/",
        {
            "name": "2027/28",
            "training_year": 2027,
            "kind": "months",
            "start_date": "2027-09-01",
            "block_count": 12,
        },
    )
    assert response.status_code == 201, response.content
    blocks = response.json()["blocks"]
    assert [b["number"] for b in blocks] == list(range(1, 13))
    assert blocks[0] == {
        "index": 0,
        "number": 1,
        "start_date": "2027-09-01",
        "end_date": "2027-09-30",
    }
    assert blocks[-1]["end_date"] == "2028-08-31"
    assert client.get(f"{API}/calendars/{response.json()['id']}/").json() == response.json()


@pytest.mark.parametrize(
    ("data", "field", "status"),
    [
        ({"start_date": "2027-09-02"}, "start_date", 400),
        ({"start_date": "9999-12-01"}, "start_date", 400),
        ({"block_count": 27}, "block_count", 422),
        ({"kind": "weeks"}, "kind", 422),
    ],
)
def test_calendar_bad_input_names_the_field_and_saves_nothing(client_for, data, field, status):
    payload = {
        "name": "Bad",
        "training_year": 2027,
        "kind": "months",
        "start_date": "2027-09-01",
        "block_count": 12,
        **data,
    }
    response = send(client_for("coord_a"), "post", f"{API}/calendars/", payload)
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not BlockCalendar.objects.filter(name="Bad").exists()


# --------------------------------------------------------------------------- programs


def test_program_create_update_and_rules(world, cast, client_for):
    client = client_for("coord_a")
    created = send(
        client,
        "post",
        f"{API}/programs/",
        {
            "institution_id": cast.inst_a.pk,
            "code": "su1",
            "name": "Surgery PGY1",
            "specialty": "surgery",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["requirements"] == []
    updated = send(client, "patch", f"{API}/programs/{pk}/", {"training_year": 2})
    assert (updated.json()["training_year"], updated.json()["name"]) == (2, "Surgery PGY1")
    detail = client.get(f"{API}/programs/{world.program.pk}/").json()
    assert detail["rules"] == {"max_consecutive": [{"rotations": [f"D{world.a1.pk}"], "blocks": 2}]}
    assert sorted(r["department_ids"][0] for r in detail["requirements"]) == sorted(
        [world.a1.pk, world.a2.pk, world.b1.pk]
    )


def test_program_with_a_taken_code_is_400_naming_code(world, cast, client_for):
    response = send(
        client_for("coord_a"),
        "post",
        f"{API}/programs/",
        {
            "institution_id": cast.inst_a.pk,
            "code": "im1",
            "name": "Again",
            "specialty": "internal_medicine",
        },
    )
    assert response.status_code == 400
    assert "code" in response.json()["errors"]
    assert Program.objects.filter(code="im1").count() == 1


def test_partner_coordinator_cannot_create_a_program_for_the_other_hospital(cast, client_for):
    response = send(
        client_for("coord_b"),
        "post",
        f"{API}/programs/",
        {"institution_id": cast.inst_a.pk, "code": "x", "name": "X", "specialty": "surgery"},
    )
    assert response.status_code == 403
    assert not Program.objects.filter(code="x").exists()


def test_bad_rules_are_400_naming_rules_and_keep_the_old_ones(world, client_for):
    before = Program.objects.get(pk=world.program.pk).rules
    response = send(
        client_for("coord_a"),
        "put",
        f"{API}/programs/{world.program.pk}/rules/",
        {"rules": {"max_consecutive": [{"rotations": ["D999999"], "blocks": 1}]}, "may_idle": True},
    )
    assert response.status_code == 400
    assert "rules" in response.json()["errors"]
    program = Program.objects.get(pk=world.program.pk)
    assert (program.rules, program.may_idle) == (before, False)


def test_requirements_add_update_remove(world, client_for):
    client = client_for("coord_a")
    added = send(
        client,
        "post",
        f"{API}/programs/{world.program.pk}/requirements/",
        {
            "department_ids": [world.a1.pk, world.a2.pk],
            "min_blocks": 0,
            "max_blocks": 1,
            "is_elective": True,
        },
    )
    assert added.status_code == 201, added.content
    pk = added.json()["id"]
    assert added.json()["department_ids"] == sorted([world.a1.pk, world.a2.pk])
    unlimited = send(client, "patch", f"{API}/requirements/{pk}/", {"max_blocks": None})
    assert unlimited.status_code == 200
    assert unlimited.json()["max_blocks"] is None
    kept = send(client, "patch", f"{API}/requirements/{pk}/", {"min_blocks": 1})
    assert (kept.json()["min_blocks"], kept.json()["max_blocks"]) == (1, None)
    assert send(client, "delete", f"{API}/requirements/{pk}/").status_code == 204
    assert not Requirement.objects.filter(pk=pk).exists()


def test_requirement_bad_input_names_the_field_and_changes_nothing(world, cast, client_for):
    client = client_for("coord_a")
    requirement = _requirement(world, world.a2)
    response = send(
        client, "patch", f"{API}/requirements/{requirement.pk}/", {"min_blocks": 3, "max_blocks": 2}
    )
    assert response.status_code == 400
    assert "max_blocks" in response.json()["errors"]
    base_c = Unit.objects.create(
        institution=cast.inst_c,
        name="C base",
        kind=UnitKind.TRAINING_BASE,
        specialty="internal_medicine",
    )
    unseen = services.department_create(actor=cast.outsider, base=base_c, name="C1", code="c1")
    response = send(
        client,
        "post",
        f"{API}/programs/{world.program.pk}/requirements/",
        {"department_ids": [unseen.pk], "min_blocks": 1},
    )
    assert response.status_code == 400
    assert "departments" in response.json()["errors"]
    requirement.refresh_from_db()
    assert (requirement.min_blocks, requirement.max_blocks) == (1, 3)
    assert Requirement.objects.filter(program=world.program).count() == 3


def test_an_inactive_department_cannot_join_a_requirement(world, client_for):
    client = client_for("coord_a")
    assert (
        send(client, "patch", f"{API}/departments/{world.a2.pk}/", {"is_active": False}).json()[
            "is_active"
        ]
        is False
    )
    response = send(
        client,
        "post",
        f"{API}/programs/{world.program.pk}/requirements/",
        {"department_ids": [world.a2.pk], "min_blocks": 0},
    )
    assert response.status_code == 400
    assert "departments" in response.json()["errors"]
    assert Requirement.objects.filter(program=world.program).count() == 3


def test_removing_a_requirement_the_rules_name_is_refused(world, client_for):
    requirement = _requirement(world, world.a1)  # the max_consecutive rule names A1
    response = send(client_for("coord_a"), "delete", f"{API}/requirements/{requirement.pk}/")
    assert response.status_code == 400
    assert "requirement" in response.json()["errors"]
    assert Requirement.objects.filter(pk=requirement.pk).exists()


# --------------------------------------------------------------------------- cohorts


def test_cohort_create_and_members(world, cast, client_for):
    client = client_for("coord_a")
    created = send(
        client,
        "post",
        f"{API}/cohorts/",
        {
            "institution_id": cast.inst_a.pk,
            "calendar_id": world.calendar.pk,
            "name": "A residents 2027",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["has_schedule"] is False
    pk = created.json()["id"]
    resident = make_resident(cast, "resident3")
    added = send(
        client,
        "post",
        f"{API}/cohorts/{pk}/members/",
        {
            "resident_id": resident.pk,
            "program_id": world.program.pk,
            "leave_blocks": [2],
            "preferences": [{"department": world.a2.pk, "points": 3}],
        },
    )
    assert added.status_code == 201, added.content
    member = added.json()
    assert (member["key"], member["leave_blocks"], member["resident_name"]) == (
        f"R{member['id']}",
        [2],
        "Resident3",
    )
    changed = send(client, "patch", f"{API}/members/{member['id']}/", {"leave_blocks": [0, 1]})
    assert changed.status_code == 200
    assert changed.json()["leave_blocks"] == [0, 1]
    assert changed.json()["preferences"] == [{"department": world.a2.pk, "points": 3}]
    listed = client.get(f"{API}/cohorts/{pk}/members/").json()
    assert [m["id"] for m in listed["items"]] == [member["id"]]
    assert send(client, "delete", f"{API}/members/{member['id']}/").status_code == 204
    assert not CohortMember.objects.filter(pk=member["id"]).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"leave_blocks": [4]}, "leave_blocks"),
        ({"preferences": [{"department": 999999, "points": 1}]}, "preferences"),
        ({"program_id": 999999}, "program"),
        ({"resident_id": 999999}, "resident"),
    ],
)
def test_member_bad_input_names_the_field_and_saves_nothing(world, cast, client_for, data, field):
    resident = make_resident(cast, "resident3")
    payload = {"resident_id": resident.pk, "program_id": world.program.pk, **data}
    response = send(
        client_for("coord_a"), "post", f"{API}/cohorts/{world.cohort.pk}/members/", payload
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert world.cohort.members.count() == 2


def test_a_resident_already_in_the_cohort_is_400_naming_resident(world, cast, client_for):
    response = send(
        client_for("coord_a"),
        "post",
        f"{API}/cohorts/{world.cohort.pk}/members/",
        {"resident_id": cast.resident.pk, "program_id": world.program.pk},
    )
    assert response.status_code == 400
    assert "resident" in response.json()["errors"]


def test_cohort_with_a_taken_name_or_a_partners_calendar_is_refused(world, cast, client_for):
    client = client_for("coord_a")
    taken = send(
        client,
        "post",
        f"{API}/cohorts/",
        {
            "institution_id": cast.inst_a.pk,
            "calendar_id": world.calendar.pk,
            "name": world.cohort.name,
        },
    )
    assert taken.status_code == 400
    assert "name" in taken.json()["errors"]
    b_calendar = services.calendar_create(
        actor=cast.coord_b,
        institution=cast.inst_b,
        name="B only",
        training_year=2026,
        kind="months",
        start_date=world.calendar.start_date.replace(day=1),
        block_count=4,
    )
    foreign = send(
        client,
        "post",
        f"{API}/cohorts/",
        {"institution_id": cast.inst_a.pk, "calendar_id": b_calendar.pk, "name": "On B"},
    )
    assert foreign.status_code == 400
    assert "calendar" in foreign.json()["errors"]
    assert Cohort.objects.filter(institution=cast.inst_a).count() == 1


def test_partner_sees_the_cohort_but_not_its_member_list(world, client_for):
    publish(world)
    client = client_for("coord_b")
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/").json()["has_schedule"] is True
    assert client.get(f"{API}/cohorts/{world.cohort.pk}/members/").status_code == 403
    assert (
        send(
            client, "patch", f"{API}/members/{world.member.pk}/", {"leave_blocks": [1]}
        ).status_code
        == 404
    )


def test_a_member_on_a_published_schedule_cannot_be_removed(world, client_for):
    publish(world)
    response = send(client_for("coord_a"), "delete", f"{API}/members/{world.member.pk}/")
    assert response.status_code == 400
    assert "member" in response.json()["errors"]
    assert CohortMember.objects.filter(pk=world.member.pk).exists()


# --------------------------------------------------------------------------- exchange quotas


def test_quota_set_replaces_and_remove(world, cast, client_for):
    client = client_for("coord_b")  # either party's training office
    data = {
        "agreement_id": cast.agreement_ab.pk,
        "from_institution_id": cast.inst_b.pk,
        "to_institution_id": cast.inst_a.pk,
        "max_per_block": 2,
    }
    first = send(client, "put", f"{API}/quotas/", data)
    assert first.status_code == 200, first.content
    again = send(client, "put", f"{API}/quotas/", {**data, "max_per_block": 3})
    assert (again.json()["id"], again.json()["max_per_block"]) == (first.json()["id"], 3)
    ids = [q["id"] for q in client.get(f"{API}/quotas/").json()["items"]]
    assert first.json()["id"] in ids and len(ids) == 2
    assert send(client, "delete", f"{API}/quotas/{first.json()['id']}/").status_code == 204
    assert ExchangeQuota.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"agreement_id": 999999}, "agreement"),
        ({"to_institution_id": 999999}, "to_institution"),
    ],
)
def test_quota_bad_input_names_the_field(world, cast, client_for, data, field):
    payload = {
        "agreement_id": cast.agreement_ab.pk,
        "from_institution_id": cast.inst_a.pk,
        "to_institution_id": cast.inst_b.pk,
        "max_per_block": 5,
        **data,
    }
    response = send(client_for("coord_a"), "put", f"{API}/quotas/", payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert ExchangeQuota.objects.get().max_per_block == 1


def test_a_quota_a_requirement_needs_cannot_be_removed(world, client_for):
    requirement = _requirement(world, world.b1)
    requirement.min_blocks = 1
    requirement.save()
    quota = ExchangeQuota.objects.get()
    response = send(client_for("coord_a"), "delete", f"{API}/quotas/{quota.pk}/")
    assert response.status_code == 400
    assert "quota" in response.json()["errors"]
    assert ExchangeQuota.objects.filter(pk=quota.pk).exists()
