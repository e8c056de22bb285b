"""The committee's rules, in the services: three members at least, levels 1–5 or not yet
assessable, members only, one finalisation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.alerts.models import Notification
from tandem.core.models import AuditEvent
from tandem.milestones import services
from tandem.milestones.models import Committee, Rating, ResidentReview, ReviewStatus
from tandem.milestones.tests.factories import faculty, rate_all

pytestmark = pytest.mark.django_db


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def test_committee_below_three_cannot_hold_a_review(mw, cast):
    Committee.objects.filter(pk=mw.committee.pk).delete()
    small = services.committee_create(
        actor=cast.coord_a,
        program=mw.world.program,
        members=[cast.tutor_a, mw.two],
        chair=cast.tutor_a,
    )
    with pytest.raises(ValidationError) as exc:
        services.review_open(
            actor=cast.tutor_a,
            committee=small,
            milestone_set=mw.milestone_set,
            label="2027 H1",
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 6, 30),
            due_on=datetime.date(2027, 7, 15),
        )
    assert "at least 3" in _messages(exc.value)
    assert not small.reviews.exists()


def test_removing_a_member_below_three_is_refused_with_the_reason(mw, cast):
    with pytest.raises(ValidationError) as exc:
        services.committee_member_remove(actor=cast.coord_a, committee=mw.committee, user=mw.two)
    assert "at least 3 members" in _messages(exc.value)
    assert mw.committee.members.count() == 3


def test_a_fourth_member_may_leave_again(mw, cast):
    four = faculty(cast, "ccc_four")
    services.committee_member_add(actor=cast.coord_a, committee=mw.committee, user=four)
    services.committee_member_remove(actor=cast.coord_a, committee=mw.committee, user=four)
    assert mw.committee.members.count() == 3
    assert AuditEvent.objects.filter(action="committee.member_remove").exists()


def test_a_member_must_be_on_the_hospitals_faculty(mw, cast):
    with pytest.raises(ValidationError) as exc:
        services.committee_member_add(actor=cast.coord_a, committee=mw.committee, user=cast.tutor_b)
    assert "not on the faculty" in _messages(exc.value)


def test_only_the_training_office_changes_the_committee(mw, cast):
    with pytest.raises(PermissionDenied):
        services.committee_member_add(
            actor=cast.tutor_a, committee=mw.committee, user=faculty(cast, "ccc_five")
        )


@pytest.mark.parametrize("level", [0, 6, -1, "7", "x", 2.5, True])
def test_a_level_outside_one_to_five_is_refused_and_nothing_saved(mw, cast, level):
    sub = mw.milestone_set.subcompetencies.first()
    other = mw.milestone_set.subcompetencies.last()
    with pytest.raises(ValidationError) as exc:
        services.ratings_save(
            actor=cast.tutor_a,
            resident_review=mw.open_rr,
            subcompetencies={other.pk: 3, sub.pk: level},
        )
    assert "whole number from 1 to 5" in _messages(exc.value)
    assert not Rating.objects.filter(resident_review=mw.open_rr).exists()


def test_not_yet_assessable_is_a_rating_without_level(mw, cast):
    sub = mw.milestone_set.subcompetencies.first()
    services.ratings_save(
        actor=cast.tutor_a, resident_review=mw.open_rr, subcompetencies={sub.pk: None}
    )
    rating = Rating.objects.get(resident_review=mw.open_rr)
    assert rating.level is None


def test_a_non_member_cannot_rate(mw, cast):
    sub = mw.milestone_set.subcompetencies.first()
    for outsider in (cast.coord_a, cast.tutor_b, cast.resident):
        with pytest.raises(PermissionDenied):
            services.ratings_save(
                actor=outsider, resident_review=mw.open_rr, subcompetencies={sub.pk: 3}
            )
    assert not Rating.objects.filter(resident_review=mw.open_rr).exists()


def test_finalising_takes_the_median_and_tells_the_resident(mw, cast):
    rate_all(mw.open_rr, cast.tutor_a, 2)
    rate_all(mw.open_rr, mw.two, 4)
    rate_all(mw.open_rr, mw.three, None)
    rr = services.resident_review_finalise(
        actor=mw.two, resident_review=mw.open_rr, decision="not_yet"
    )
    assert rr.status == ReviewStatus.FINALISED
    assert set(rr.summary["subcompetencies"].values()) == {2}  # lower median of 2 and 4
    assert Notification.objects.filter(user=cast.resident, kind="ccc_summary").count() == 2


def test_a_remediation_needs_plan_owner_and_due_date(mw, cast):
    rate_all(mw.open_rr, cast.tutor_a, 2)
    with pytest.raises(ValidationError) as exc:
        services.resident_review_finalise(
            actor=cast.tutor_a, resident_review=mw.open_rr, decision="remediation", plan=""
        )
    assert "remediation plan" in _messages(exc.value)
    mw.open_rr.refresh_from_db()
    assert mw.open_rr.status == ReviewStatus.OPEN
    rr = services.resident_review_finalise(
        actor=cast.tutor_a,
        resident_review=mw.open_rr,
        decision="remediation",
        plan="Two supervised admissions a week",
        plan_owner=mw.three,
        plan_due=timezone.localdate() + datetime.timedelta(days=60),
    )
    assert rr.plan_owner == mw.three


def test_a_finalised_review_is_not_rated_or_finalised_again(mw, cast):
    sub = mw.milestone_set.subcompetencies.first()
    with pytest.raises(ValidationError) as exc:
        services.ratings_save(
            actor=cast.tutor_a, resident_review=mw.done_rr, subcompetencies={sub.pk: 5}
        )
    assert "finalised already" in _messages(exc.value)
    with pytest.raises(ValidationError):
        services.resident_review_finalise(
            actor=mw.two, resident_review=mw.done_rr, decision="not_yet"
        )
    assert ResidentReview.objects.get(pk=mw.done_rr.pk).decision == "progressing"


def test_a_review_without_ratings_is_not_finalised(mw, cast):
    with pytest.raises(ValidationError) as exc:
        services.resident_review_finalise(
            actor=cast.tutor_a, resident_review=mw.open_rr, decision="progressing"
        )
    assert "No member has rated" in _messages(exc.value)


def test_builtin_set_is_created_once():
    first = services.builtin_set_ensure()
    assert services.builtin_set_ensure() == first
    assert first.subcompetencies.count() == 5
    assert first.epas.count() == 3
    assert all(s.levels.count() == 5 for s in first.subcompetencies.all())
