"""Set-up services: programs, requirements, cohort members and exchange quotas — who may, what
is refused (naming the field, saving nothing) and what the audit trail records."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tandem.core.audit_labels import worded
from tandem.core.models import AuditEvent
from tandem.residency import cohort_instance, selectors, services
from tandem.residency.models import CohortMember, ExchangeQuota, Requirement
from tandem.residency.tests.factories import build_world, make_resident, publish


@pytest.fixture
def world(cast):
    return build_world(cast)


def _field(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


def _requirement(world, code):
    return world.program.requirements.get(departments__code=code)


def _resident(cast, username, institution=None):
    return make_resident(cast, username, institution)


# --------------------------------------------------------------------------- programs


def test_program_update_changes_given_fields_and_audits_them(world):
    program = services.program_update(
        actor=world.cast.coord_a, program=world.program, name=" IM PGY1 (2026) ", training_year=2
    )
    program.refresh_from_db()
    assert (program.name, program.training_year, program.code) == ("IM PGY1 (2026)", 2, "im1")
    event = AuditEvent.objects.filter(action="program.update").latest("id")
    assert event.changes == {"name": ["IM PGY1", "IM PGY1 (2026)"], "training_year": [1, 2]}


def test_program_update_without_a_change_records_nothing(world):
    before = AuditEvent.objects.count()
    services.program_update(actor=world.cast.coord_a, program=world.program, name="IM PGY1")
    assert AuditEvent.objects.count() == before


def test_program_code_stays_unique_per_hospital(world):
    services.program_create(
        actor=world.cast.coord_a,
        institution=world.cast.inst_a,
        code="im2",
        name="IM PGY2",
        specialty="internal_medicine",
    )
    with pytest.raises(ValidationError) as exc:
        services.program_update(
            actor=world.cast.coord_a, program=world.program, code="im2", name="Renamed"
        )
    assert _field(exc) == {"code"}
    # The caller's object still shows what is stored, and nothing was saved.
    assert (world.program.code, world.program.name) == ("im1", "IM PGY1")
    world.program.refresh_from_db()
    assert world.program.code == "im1"
    # Another hospital may use the same code.
    services.program_create(
        actor=world.cast.coord_b,
        institution=world.cast.inst_b,
        code="im1",
        name="B's IM",
        specialty="internal_medicine",
    )


def test_program_create_refuses_a_duplicate_code_on_the_code_field(world):
    with pytest.raises(ValidationError) as exc:
        services.program_create(
            actor=world.cast.coord_a,
            institution=world.cast.inst_a,
            code="im1",
            name="Again",
            specialty="internal_medicine",
        )
    assert _field(exc) == {"code"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"specialty": "astrology"}, "specialty"),
        ({"training_year": 6}, "training_year"),
        ({"name": "   "}, "name"),
        ({"code": "not a slug"}, "code"),
    ],
)
def test_program_update_names_the_bad_field(world, values, field):
    with pytest.raises(ValidationError) as exc:
        services.program_update(actor=world.cast.coord_a, program=world.program, **values)
    assert field in _field(exc)


@pytest.mark.parametrize("actor", ["coord_b", "tutor_a", "resident", "outsider"])
def test_only_the_training_office_updates_a_program(world, actor):
    with pytest.raises(PermissionDenied):
        services.program_update(
            actor=getattr(world.cast, actor), program=world.program, name="Mine now"
        )


# --------------------------------------------------------------------------- requirements


def test_requirement_update_changes_blocks_and_keeps_or_drops_the_upper_limit(world):
    req = _requirement(world, "a2")
    services.requirement_update(actor=world.cast.coord_a, requirement=req, min_blocks=2)
    req.refresh_from_db()
    assert (req.min_blocks, req.max_blocks) == (2, 3)  # max_blocks left out: unchanged
    services.requirement_update(
        actor=world.cast.coord_a, requirement=req, max_blocks=None, is_elective=True
    )
    req.refresh_from_db()
    assert (req.min_blocks, req.max_blocks, req.is_elective) == (2, None, True)
    event = AuditEvent.objects.filter(action="program.requirement_update").latest("id")
    assert event.target_id == str(world.program.pk)
    # Stored as codes and parameters, worded in the reader's language when shown.
    assert [worded(value) for value in event.changes["requirement"]] == [
        "A2 clinic: 2–3",
        "A2 clinic: 2–∞ (elective)",
    ]


def test_requirement_update_with_most_below_least_names_max_blocks(world):
    req = _requirement(world, "a2")
    with pytest.raises(ValidationError) as exc:
        services.requirement_update(
            actor=world.cast.coord_a, requirement=req, min_blocks=3, max_blocks=2
        )
    assert _field(exc) == {"max_blocks"}
    req.refresh_from_db()
    assert (req.min_blocks, req.max_blocks) == (1, 3)


def test_requirement_cannot_take_in_a_department_without_an_exchange_quota(world, cast):
    from tandem.institutions.models import Unit

    base_c = Unit.objects.create(
        institution=cast.inst_c, name="C base", kind="training_base", specialty="internal_medicine"
    )
    c1 = services.department_create(actor=cast.outsider, base=base_c, name="C1", code="c1")
    req = _requirement(world, "a2")
    with pytest.raises(ValidationError) as exc:
        services.requirement_update(actor=cast.coord_a, requirement=req, departments=[world.a2, c1])
    assert _field(exc) == {"departments"}
    assert [d.code for d in req.departments.all()] == ["a2"]


def test_requirement_change_that_breaks_the_sequence_rules_is_rolled_back(world):
    # The rules say "at most 2 blocks in a row on A1": A1 must stay in the program.
    req = _requirement(world, "a1")
    with pytest.raises(ValidationError) as exc:
        services.requirement_update(
            actor=world.cast.coord_a, requirement=req, departments=[world.a2]
        )
    assert _field(exc) == {"departments"}
    assert "sequence rules" in exc.value.messages[0]
    assert [d.code for d in Requirement.objects.get(pk=req.pk).departments.all()] == ["a1"]
    with pytest.raises(ValidationError) as exc:
        services.requirement_remove(actor=world.cast.coord_a, requirement=req)
    assert _field(exc) == {"requirement"}
    assert Requirement.objects.filter(pk=req.pk).exists()


def test_requirement_remove_deletes_it_and_audits_on_the_program(world):
    req = _requirement(world, "b1")
    services.requirement_remove(actor=world.cast.coord_a, requirement=req)
    assert not Requirement.objects.filter(pk=req.pk).exists()
    event = AuditEvent.objects.filter(action="program.requirement_remove").get()
    assert event.target_id == str(world.program.pk)
    assert [worded(value) for value in event.changes["requirement"]] == [
        "B1 ward: 0–1 (elective)",
        "",
    ]
    with translation.override("zh-hans"):
        assert worded(event.changes["requirement"][0]) == "B1 ward：0–1（选修）"


@pytest.mark.parametrize("actor", ["coord_b", "tutor_a", "outsider"])
def test_only_the_training_office_edits_requirements(world, actor):
    req = _requirement(world, "a2")
    with pytest.raises(PermissionDenied):
        services.requirement_update(actor=getattr(world.cast, actor), requirement=req, min_blocks=0)
    with pytest.raises(PermissionDenied):
        services.requirement_remove(actor=getattr(world.cast, actor), requirement=req)


# --------------------------------------------------------------------------- members


def test_member_update_sets_program_leave_and_preferences_with_audit(world):
    member = services.member_update(
        actor=world.cast.coord_a,
        member=world.member,
        leave_blocks=[3, 0, 3],
        preferences=[
            {"department": world.a2.pk, "points": 3},
            {"department": str(world.b1.pk), "points": "-2"},
        ],
    )
    member.refresh_from_db()
    assert member.leave_blocks == [0, 3]
    assert member.preferences == [
        {"department": world.a2.pk, "points": 3},
        {"department": world.b1.pk, "points": -2},
    ]
    event = AuditEvent.objects.filter(action="cohort.member_update").get()
    assert event.target_id == str(world.cohort.pk)
    # People read block numbers from 1 and departments by name.
    assert event.changes == {
        "Rui Resident — leave_blocks": ["—", "1, 4"],
        "Rui Resident — preferences": ["—", "A2 clinic: +3, B1 ward: -2"],
    }


def test_member_update_moves_a_resident_to_another_program_of_the_hospital(world):
    other = services.program_create(
        actor=world.cast.coord_a,
        institution=world.cast.inst_a,
        code="im2",
        name="IM PGY2",
        specialty="internal_medicine",
        training_year=2,
    )
    services.member_update(actor=world.cast.coord_a, member=world.member, program=other)
    assert CohortMember.objects.get(pk=world.member.pk).program == other
    b_program = services.program_create(
        actor=world.cast.coord_b,
        institution=world.cast.inst_b,
        code="bp",
        name="B program",
        specialty="surgery",
    )
    with pytest.raises(ValidationError) as exc:
        services.member_update(actor=world.cast.coord_a, member=world.member, program=b_program)
    assert _field(exc) == {"program"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"leave_blocks": [4]}, "leave_blocks"),  # the calendar has blocks 0–3
        ({"leave_blocks": [-1]}, "leave_blocks"),
        ({"leave_blocks": ["two"]}, "leave_blocks"),
        ({"preferences": [{"department": 999999, "points": 1}]}, "preferences"),
        ({"preferences": [{"department": 0, "points": 1}]}, "preferences"),
        ({"preferences": [{"points": 1}]}, "preferences"),
        ({"preferences": ["A1"]}, "preferences"),
        ({"preferences": [{"department": "x", "points": 1}]}, "preferences"),
    ],
)
def test_member_update_names_the_bad_field_and_saves_nothing(world, values, field):
    with pytest.raises(ValidationError) as exc:
        services.member_update(actor=world.cast.coord_a, member=world.member, **values)
    assert _field(exc) == {field}
    stored = CohortMember.objects.get(pk=world.member.pk)
    assert (stored.leave_blocks, stored.preferences) == ([], [])
    assert (world.member.leave_blocks, world.member.preferences) == ([], [])


def test_preferences_name_departments_of_the_program_once_within_the_points_range(world, cast):
    from tandem.institutions.models import Unit

    base = Unit.objects.get(name="IM base A")
    outside = services.department_create(actor=cast.coord_a, base=base, name="A3 ICU", code="a3")
    for prefs, words in (
        ([{"department": outside.pk, "points": 1}], "A3 ICU is not in the resident's program"),
        (
            [{"department": world.a1.pk, "points": 1}, {"department": world.a1.pk, "points": 2}],
            "once",
        ),
        ([{"department": world.a1.pk, "points": 101}], "between -100 and 100"),
    ):
        with pytest.raises(ValidationError) as exc:
            services.member_update(actor=cast.coord_a, member=world.member, preferences=prefs)
        assert words in exc.value.messages[0]


def test_member_update_refuses_preferences_left_outside_a_new_program(world):
    services.member_update(
        actor=world.cast.coord_a,
        member=world.member,
        preferences=[{"department": world.a1.pk, "points": 2}],
    )
    empty = services.program_create(
        actor=world.cast.coord_a,
        institution=world.cast.inst_a,
        code="empty",
        name="Empty",
        specialty="surgery",
    )
    with pytest.raises(ValidationError) as exc:
        services.member_update(actor=world.cast.coord_a, member=world.member, program=empty)
    assert _field(exc) == {"preferences"}
    services.member_update(
        actor=world.cast.coord_a, member=world.member, program=empty, preferences=[]
    )
    assert CohortMember.objects.get(pk=world.member.pk).program == empty


@pytest.mark.parametrize("actor", ["coord_b", "tutor_a", "resident", "outsider"])
def test_only_the_training_office_edits_and_removes_members(world, actor):
    with pytest.raises(PermissionDenied):
        services.member_update(
            actor=getattr(world.cast, actor), member=world.member, leave_blocks=[1]
        )
    with pytest.raises(PermissionDenied):
        services.member_remove(actor=getattr(world.cast, actor), member=world.member)
    assert CohortMember.objects.filter(pk=world.member.pk).exists()


def test_member_remove_deletes_and_audits_on_the_cohort(world):
    services.member_remove(actor=world.cast.coord_a, member=world.member2)
    assert not CohortMember.objects.filter(pk=world.member2.pk).exists()
    event = AuditEvent.objects.filter(action="cohort.member_remove").get()
    assert event.target_id == str(world.cohort.pk)
    assert event.changes == {"member": ["Second Resident (IM PGY1)", None]}


def test_a_resident_on_the_published_schedule_cannot_be_removed(world):
    publish(world)
    with pytest.raises(ValidationError) as exc:
        services.member_remove(actor=world.cast.coord_a, member=world.member)
    assert _field(exc) == {"member"}
    assert "Rui Resident is on this cohort's published schedule" in exc.value.messages[0]
    assert CohortMember.objects.filter(pk=world.member.pk).exists()
    # Someone added after publishing is not on it and may go again.
    late = services.member_add(
        actor=world.cast.coord_a,
        cohort=world.cohort,
        resident=_resident(world.cast, "late"),
        program=world.program,
    )
    services.member_remove(actor=world.cast.coord_a, member=late)


def test_member_add_many_adds_all_or_none(world, cast):
    first, second = _resident(cast, "newbie1"), _resident(cast, "newbie2")
    at_b = _resident(cast, "atb", institution=cast.inst_b)
    with pytest.raises(ValidationError) as exc:
        services.member_add_many(
            actor=cast.coord_a, cohort=world.cohort, residents=[first, at_b], program=world.program
        )
    assert _field(exc) == {"residents"}
    assert exc.value.messages[0].startswith("Atb: Choose a resident of this hospital.")
    assert not CohortMember.objects.filter(resident=first).exists()
    added = services.member_add_many(
        actor=cast.coord_a, cohort=world.cohort, residents=[first, second], program=world.program
    )
    assert len(added) == 2
    assert AuditEvent.objects.filter(action="cohort.member_add").count() == 4  # 2 in build_world
    with pytest.raises(ValidationError) as exc:
        services.member_add_many(
            actor=cast.coord_a, cohort=world.cohort, residents=[], program=world.program
        )
    assert _field(exc) == {"residents"}


def test_member_add_checks_leave_and_preferences_too(world, cast):
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=cast.coord_a,
            cohort=world.cohort,
            resident=_resident(cast, "x1"),
            program=world.program,
            leave_blocks=["soon"],
        )
    assert _field(exc) == {"leave_blocks"}
    with pytest.raises(ValidationError) as exc:
        services.member_add(
            actor=cast.coord_a,
            cohort=world.cohort,
            resident=_resident(cast, "x2"),
            program=world.program,
            preferences=[{"department": 0, "points": 1}],
        )
    assert _field(exc) == {"preferences"}


def test_resident_candidates_are_the_hospitals_residents_not_yet_in_the_cohort(world, cast):
    _resident(cast, "zhang.wei")
    _resident(cast, "li.na")
    _resident(cast, "at.b", institution=cast.inst_b)
    inactive = _resident(cast, "gone")
    inactive.memberships.update(is_active=False)
    names = list(selectors.resident_candidates(world.cohort).values_list("username", flat=True))
    assert names == ["li.na", "zhang.wei"]  # by full name; members and others left out
    assert list(
        selectors.resident_candidates(world.cohort, "ZHANG").values_list("username", flat=True)
    ) == ["zhang.wei"]


def test_a_stale_preference_does_not_reach_the_instance(world):
    services.member_update(
        actor=world.cast.coord_a,
        member=world.member,
        preferences=[
            {"department": world.b1.pk, "points": 5},
            {"department": world.a2.pk, "points": 1},
        ],
    )
    services.requirement_remove(actor=world.cast.coord_a, requirement=_requirement(world, "b1"))
    instance = cohort_instance.instance_for_cohort(world.cohort, name="x")
    row = next(r for r in instance["residents"] if r["id"] == world.member.key)
    assert row["preferences"] == [{"rotation": f"D{world.a2.pk}", "points": 1}]


# --------------------------------------------------------------------------- quotas


def test_either_hospitals_training_office_sets_and_removes_a_quota(world, cast):
    quota = services.quota_set(
        actor=cast.coord_b,
        agreement=cast.agreement_ab,
        from_institution=cast.inst_b,
        to_institution=cast.inst_a,
        max_per_block=2,
    )
    services.quota_remove(actor=cast.coord_a, quota=quota)
    assert not ExchangeQuota.objects.filter(pk=quota.pk).exists()
    event = AuditEvent.objects.filter(action="exchange_quota.remove").get()
    assert event.target_id == str(cast.agreement_ab.pk)
    assert event.changes == {f"{cast.inst_b} → {cast.inst_a}": [2, None]}


@pytest.mark.parametrize("actor", ["tutor_a", "tutor_b", "resident", "outsider"])
def test_others_cannot_remove_a_quota(world, actor):
    quota = ExchangeQuota.objects.get()
    with pytest.raises(PermissionDenied):
        services.quota_remove(actor=getattr(world.cast, actor), quota=quota)
    assert ExchangeQuota.objects.filter(pk=quota.pk).exists()


def test_a_quota_a_requirement_depends_on_cannot_be_removed(world):
    services.requirement_update(
        actor=world.cast.coord_a, requirement=_requirement(world, "b1"), min_blocks=1
    )
    quota = ExchangeQuota.objects.get()
    with pytest.raises(ValidationError) as exc:
        services.quota_remove(actor=world.cast.coord_a, quota=quota)
    assert _field(exc) == {"quota"}
    assert (
        "IM PGY1 needs at least 1 blocks at Eastern Medical University" in (exc.value.messages[0])
    )
    assert ExchangeQuota.objects.filter(pk=quota.pk).exists()


# --------------------------------------------------------------------------- departments


def test_a_department_takes_only_teachers_of_its_own_hospital(world, cast):
    with pytest.raises(ValidationError) as refused:
        services.department_create(
            actor=cast.coord_a,
            base=world.base_a,
            name="A3 ward",
            code="a3",
            teachers=[cast.tutor_b],
        )
    assert _field(refused) == {"teachers"}
    assert not world.base_a.rotation_departments.filter(code="a3").exists()
    with pytest.raises(ValidationError) as refused:
        services.department_update(
            actor=cast.coord_a, department=world.a1, teachers=[cast.tutor_b], name="A1 renamed"
        )
    assert _field(refused) == {"teachers"}
    world.a1.refresh_from_db()
    assert world.a1.name == "A1 ward"
    updated = services.department_update(
        actor=cast.coord_a, department=world.a1, teachers=[cast.tutor_a]
    )
    assert list(updated.teachers.all()) == [cast.tutor_a]


def test_a_calendar_far_in_the_future_is_refused_on_its_first_day(world, cast):
    import datetime

    with pytest.raises(ValidationError) as refused:
        services.calendar_create(
            actor=cast.coord_a,
            name="Far",
            training_year=2100,
            kind="months",
            start_date=datetime.date(9999, 12, 1),
            block_count=12,
            institution=cast.inst_a,
        )
    assert _field(refused) == {"start_date"}
