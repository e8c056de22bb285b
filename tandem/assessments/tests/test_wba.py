"""WBAs: started by the resident, confirmed by their teacher on their account or with a
one-time code; bad input and wrong confirmations refused with nothing saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.assessments import codes, selectors, services_wba
from tandem.assessments.models import Wba, WbaCode, WbaStatus
from tandem.assessments.tests.conftest import TODAY
from tandem.assessments.tests.factories import ratings
from tandem.core.models import AuditEvent

pytestmark = pytest.mark.django_db
B1_DAY = datetime.date(2026, 12, 8)


def start(aw, **changes):
    cast = aw.world.cast
    kwargs = {
        "actor": cast.resident,
        "department": aw.world.b1,
        "form": aw.mini_cex,
        "teacher": cast.tutor_b,
        "date": B1_DAY,
        "case": "Chest pain, new admission",
        "ratings": ratings(aw.mini_cex),
        "feedback": "Focused history; examine the neck veins.",
        **changes,
    }
    return services_wba.wba_start(**kwargs)


def test_a_wba_confirmed_on_the_teachers_account_counts_for_the_rotation(aw):
    wba = start(aw)
    assert wba.status == WbaStatus.AWAITING
    services_wba.wba_confirm(actor=aw.world.cast.tutor_b, wba=wba)
    wba.refresh_from_db()
    assert (wba.status, wba.confirmed_by) == (WbaStatus.CONFIRMED, "account")
    [(stint, department, lines)] = [
        row
        for row in selectors.wba_progress_of_resident(aw.world.cast.resident.pk)
        if row[1] == aw.world.b1
    ]
    assert [(line["confirmed"], line["required"], line["met"]) for line in lines] == [(1, 1, True)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ratings": {"history": 10}}, "rating_history"),
        ({"ratings": {}}, "rating_history"),
        ({"department": "a1"}, "department"),
        ({"teacher": "tutor_a"}, "teacher"),
        ({"date": datetime.date(2026, 12, 11)}, "date"),
        ({"case": "  "}, "case"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(aw, changes, field):
    cast = aw.world.cast
    if changes.get("department") == "a1":
        changes["department"] = aw.world.a1
    if changes.get("teacher") == "tutor_a":
        changes["teacher"] = cast.tutor_a
    if "ratings" in changes and changes["ratings"]:
        changes["ratings"] = {**ratings(aw.mini_cex), **changes["ratings"]}
    with pytest.raises(ValidationError) as caught:
        start(aw, **changes)
    assert field in caught.value.message_dict
    assert not Wba.objects.exists()


def test_a_wba_confirmed_by_someone_not_its_teacher_is_refused(aw):
    wba = start(aw)
    for someone in (aw.world.cast.tutor_a, aw.world.cast.resident, aw.world.cast.coord_b):
        with pytest.raises(PermissionDenied):
            services_wba.wba_confirm(actor=someone, wba=wba)
    wba.refresh_from_db()
    assert wba.status == WbaStatus.AWAITING


def test_a_one_time_code_confirms_once_and_is_kept_only_as_a_hash(aw):
    cast = aw.world.cast
    row, plain = services_wba.wba_code_issue(actor=cast.tutor_b)
    assert plain not in row.code_hash
    assert row.code_hash == codes.code_hash(cast.tutor_b.pk, plain)
    for event in AuditEvent.objects.filter(action__startswith="wba"):
        assert plain not in str(event.changes)
    wba = start(aw)
    services_wba.wba_confirm_with_code(
        actor=cast.resident, wba=wba, code=f" {plain[:3]} {plain[3:]}"
    )
    wba.refresh_from_db()
    assert (wba.status, wba.confirmed_by) == (WbaStatus.CONFIRMED, "code")
    row.refresh_from_db()
    assert row.used_at is not None and row.wba == wba
    second = start(aw, case="Syncope")
    with pytest.raises(ValidationError) as caught:
        services_wba.wba_confirm_with_code(actor=cast.resident, wba=second, code=plain)
    assert "used already" in str(caught.value)
    second.refresh_from_db()
    assert second.status == WbaStatus.AWAITING
    assert second.code_failures == 1


def test_an_expired_code_and_another_teachers_code_are_refused(aw):
    cast = aw.world.cast
    wba = start(aw)
    _row, other = services_wba.wba_code_issue(actor=cast.tutor_a)
    with pytest.raises(ValidationError):
        services_wba.wba_confirm_with_code(actor=cast.resident, wba=wba, code=other)
    _row, plain = services_wba.wba_code_issue(actor=cast.tutor_b)
    later = time_machine.travel(TODAY + datetime.timedelta(minutes=11), tick=False)
    with later, pytest.raises(ValidationError) as caught:
        services_wba.wba_confirm_with_code(actor=cast.resident, wba=wba, code=plain)
    assert "expired" in str(caught.value)
    wba.refresh_from_db()
    assert wba.status == WbaStatus.AWAITING
    assert not WbaCode.objects.filter(used_at__isnull=False).exists()


def test_after_five_wrong_codes_only_the_teachers_account_confirms(aw):
    cast = aw.world.cast
    wba = start(aw)
    for _ in range(codes.MAX_CODE_TRIES):
        with pytest.raises(ValidationError):
            services_wba.wba_confirm_with_code(actor=cast.resident, wba=wba, code="000000")
    _row, plain = services_wba.wba_code_issue(actor=cast.tutor_b)
    with pytest.raises(ValidationError) as caught:
        services_wba.wba_confirm_with_code(actor=cast.resident, wba=wba, code=plain)
    assert "Too many" in str(caught.value)
    services_wba.wba_confirm(actor=cast.tutor_b, wba=wba)


def test_only_the_resident_enters_a_code_for_their_wba(aw):
    cast = aw.world.cast
    wba = start(aw)
    _row, plain = services_wba.wba_code_issue(actor=cast.tutor_b)
    with pytest.raises(PermissionDenied):
        services_wba.wba_confirm_with_code(actor=cast.tutor_b, wba=wba, code=plain)
    with pytest.raises(PermissionDenied):
        services_wba.wba_code_issue(actor=cast.resident)
