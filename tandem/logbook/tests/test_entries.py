"""Logging, verifying and returning entries: the rules, the bad input, the concurrency."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.core.models import AuditEvent
from tandem.logbook import selectors, services
from tandem.logbook.hashing import patient_hash
from tandem.logbook.models import EntryRole, EntryStatus, LogEntry, Minimum
from tandem.logbook.tests.conftest import A1_DAY, A2_DAY, B1_DAY
from tandem.logbook.tests.factories import log

pytestmark = pytest.mark.django_db


def test_an_entry_keeps_no_patient_number_and_a_duplicate_is_counted(lw):
    first = log(lw, day=A1_DAY, ref="mrn 00-4711")
    assert first.duplicates == 0
    assert "4711" not in first.patient_hash
    assert first.patient_hash == patient_hash(lw.world.cast.inst_a.pk, "MRN004711")
    second = log(lw, day=A1_DAY + datetime.timedelta(days=1), ref="MRN004711")
    assert second.duplicates == 1
    assert selectors.entry_list_of_resident(lw.world.cast.resident).get(pk=first.pk).is_duplicate
    for event in AuditEvent.objects.filter(action__startswith="logbook_entry"):
        assert "4711" not in str(event.changes) + event.reason


def test_the_patient_key_comes_from_the_settings(lw, settings):
    before = patient_hash(1, "X1")
    settings.LOGBOOK_PATIENT_KEY = "another key"
    assert patient_hash(1, "X1") != before


def test_a_day_outside_the_stint_is_refused_with_the_department_named(lw):
    with pytest.raises(ValidationError) as caught:
        log(lw, day=A2_DAY)
    assert "A1 ward" in str(caught.value.message_dict["date"])
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": 7}, "role"),
        ({"ref": "  "}, "patient_ref"),
        ({"ref": "9" * 41}, "patient_ref"),
        ({"day": datetime.date(2026, 12, 11)}, "date"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(lw, changes, field):
    kwargs = {"day": A1_DAY, **changes}
    with pytest.raises(ValidationError) as caught:
        log(lw, **kwargs)
    assert field in caught.value.message_dict
    assert not LogEntry.objects.exists()


def test_an_item_of_another_catalogue_is_refused(lw, cast):
    other = services.catalogue_create(
        actor=cast.coord_a, institution=cast.inst_a, specialty="surgery", name="Surgery"
    )
    item = services.item_save(
        actor=cast.coord_a, catalogue=other, code="O1", name="Appendectomy", kind="operation"
    )
    with pytest.raises(ValidationError) as caught:
        log(lw, item=item, day=A1_DAY)
    assert "item" in caught.value.message_dict


def test_only_residents_on_a_schedule_log(lw, cast):
    with pytest.raises(PermissionDenied):
        log(lw, who=cast.trainee, day=A1_DAY)


def _second_teacher(lw):
    teacher = UserFactory(username="teacher_a2", full_name="Second Teacher")
    Membership.objects.create(user=teacher, role=Role.TEACHER, institution=lw.world.cast.inst_a)
    lw.world.a1.teachers.add(teacher)
    return teacher


def test_the_teacher_verifies_and_a_second_teacher_is_told(lw, cast):
    entry = log(lw, day=A1_DAY)
    other = _second_teacher(lw)
    stale = LogEntry.objects.get(pk=entry.pk)
    services.entry_review(actor=cast.tutor_a, entry=entry, verify=True)
    with pytest.raises(ValidationError) as caught:
        services.entry_review(actor=other, entry=stale, verify=False, comment="Wrong date")
    assert "verified by" in str(caught.value)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.VERIFIED and entry.reviewed_by == cast.tutor_a


def test_someone_who_is_not_the_teacher_cannot_verify(lw, cast):
    entry = log(lw, day=A1_DAY)
    for actor in (cast.tutor_b, cast.coord_a, cast.resident):
        with pytest.raises(PermissionDenied):
            services.entry_review(actor=actor, entry=entry, verify=True)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_returning_needs_a_comment_and_the_resident_corrects(lw, cast):
    entry = log(lw, day=A1_DAY)
    with pytest.raises(ValidationError):
        services.entry_review(actor=cast.tutor_a, entry=entry, verify=False)
    services.entry_review(actor=cast.tutor_a, entry=entry, verify=False, comment="Assisted only")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED
    from tandem.alerts.models import Notification
    from tandem.alerts.texts import notification_text

    [told] = Notification.objects.filter(user=cast.resident, kind="log_returned")
    assert "Assisted only" in notification_text(told) and "MRN" not in notification_text(told)
    services.entry_correct(
        actor=cast.resident,
        entry=entry,
        department=lw.world.a1,
        item=lw.puncture,
        role=EntryRole.ASSISTED,
        date=A1_DAY,
    )
    entry.refresh_from_db()
    assert (entry.status, entry.role, entry.review_comment) == ("pending", 2, "")
    services.entry_review(actor=cast.tutor_a, entry=entry, verify=True)
    with pytest.raises(ValidationError):
        services.entry_withdraw(actor=cast.resident, entry=entry)


def test_bulk_review_reports_what_it_skipped(lw, cast):
    entries = [log(lw, day=A1_DAY + datetime.timedelta(days=n), ref=f"R{n}") for n in range(3)]
    b1_entry = services.entry_log(
        actor=cast.resident,
        department=lw.world.b1,
        item=lw.pneumonia,
        role=EntryRole.OBSERVED,
        date=B1_DAY,
        patient_ref="B-1",
    )
    services.entry_review(actor=_second_teacher(lw), entry=entries[0], verify=True)
    result = services.entry_review_bulk(
        actor=cast.tutor_a, entry_ids=[e.pk for e in entries] + [b1_entry.pk], verify=True
    )
    assert [e.pk for e in result.done] == [entries[1].pk, entries[2].pk]
    assert {pk for pk, _m in result.skipped} == {entries[0].pk, b1_entry.pk}
    assert LogEntry.objects.get(pk=b1_entry.pk).status == EntryStatus.PENDING


def test_stint_completion_counts_verified_entries_and_higher_roles(lw, cast):
    world = lw.world
    start, end = datetime.date(2026, 8, 31), datetime.date(2026, 10, 25)
    assert selectors.stint_completion(cast.resident, world.a1, start, end) == 0.0
    entries = [log(lw, day=A1_DAY, ref="P1"), log(lw, day=A1_DAY, ref="P2")]
    pneumonia = log(lw, item=lw.pneumonia, role=EntryRole.PERFORMED, day=A1_DAY, ref="P3")
    assert selectors.stint_completion(cast.resident, world.a1, start, end) == 0.0
    services.entry_review_bulk(
        actor=cast.tutor_a, entry_ids=[e.pk for e in [*entries, pneumonia]], verify=True
    )
    # 2 of 2 punctures and 1 of 3 pneumonias (performed counts as observed): 3 of 5.
    assert selectors.stint_completion(cast.resident, world.a1, start, end) == pytest.approx(0.6)
    assert selectors.stint_completion(cast.resident, world.a2, start, end) is None
    assert selectors.stint_completion(world.resident2, world.a1, start, end) == 0.0


def test_no_catalogue_means_none(lw, cast):
    lw.catalogue.is_active = False
    lw.catalogue.save()
    assert (
        selectors.stint_completion(
            cast.resident, lw.world.a1, datetime.date(2026, 8, 31), datetime.date(2026, 10, 25)
        )
        is None
    )


def test_who_sees_an_entry(lw, cast):
    a1_entry = log(lw, day=A1_DAY)
    b1_entry = services.entry_log(
        actor=cast.resident,
        department=lw.world.b1,
        item=lw.pneumonia,
        role=EntryRole.OBSERVED,
        date=B1_DAY,
        patient_ref="B-1",
    )

    def seen(user):
        return set(selectors.entry_list_visible_to(user).values_list("pk", flat=True))

    both = {a1_entry.pk, b1_entry.pk}
    assert seen(cast.resident) == both
    assert seen(cast.coord_a) == both  # the home training office
    assert seen(cast.admin) == both
    assert seen(cast.tutor_a) == {a1_entry.pk}  # teaches A1, not B1
    assert seen(cast.tutor_b) == {b1_entry.pk}  # the host's teacher: the hosted stint only
    assert seen(cast.coord_b) == {b1_entry.pk}  # the host's office: the hosted stint only
    assert seen(lw.world.resident2) == set()
    assert seen(cast.outsider) == set()
    assert seen(cast.trainee) == set()


def test_the_resident_page_shows_a_host_only_the_hosted_stint(lw, cast, client_for):
    from django.urls import reverse

    url = reverse("logbook:resident", args=[cast.resident.pk])
    host = client_for("coord_b").get(url).content.decode()
    assert "B1 ward" in host and "A1 ward" not in host and "A2 clinic" not in host
    teacher = client_for("tutor_a").get(url).content.decode()
    assert "A1 ward" in teacher and "B1 ward" not in teacher
    office = client_for("coord_a").get(url).content.decode()
    assert "A1 ward" in office and "B1 ward" in office and "Over the whole training" in office


def test_the_admin_lists_nothing_of_the_logbook():
    from django.contrib import admin

    from tandem.logbook.models import Catalogue, CatalogueItem, Minimum

    for model in (LogEntry, Catalogue, CatalogueItem, Minimum):
        assert not admin.site.is_registered(model)


@pytest.mark.parametrize("per_department", [True, False])
def test_the_database_keeps_one_minimum_per_item_role_and_place(lw, per_department):
    """On SQLite as on PostgreSQL: a second row for the same item, role and department (or the
    whole specialty) is refused by the database, not only by `minimum_set`."""
    department = lw.world.a1 if per_department else None
    role = EntryRole.PERFORMED if per_department else EntryRole.ASSISTED
    assert Minimum.objects.filter(item=lw.puncture, department=department, role=role).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Minimum.objects.create(item=lw.puncture, department=department, role=role, count=9)
    # Another department or the other role is a different minimum.
    Minimum.objects.create(item=lw.puncture, department=lw.world.a2, role=role, count=1)
