"""Invitations, roles and profiles: the rules the services enforce for pages and API alike."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts import services
from tandem.accounts.models import Membership, Role, StudentNumber, TutorProfile, User
from tandem.core.models import AuditEvent


def _invite(cast, actor=None, **overrides):
    values = {
        "actor": actor or cast.coord_a,
        "email": "New.Person@Example.org",
        "full_name": "New Person",
        "institution": cast.inst_a,
        "role": Role.TEACHER,
        "language": "zh-hans",
    }
    values.update(overrides)
    return services.person_invite(**values)


@pytest.mark.django_db
def test_invite_creates_account_without_password_and_mails_a_set_password_link(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(cast)
    assert person.username == "new.person@example.org"
    assert person.email == "new.person@example.org"
    assert not person.has_usable_password()
    assert Membership.objects.filter(
        user=person, role="teacher", institution=cast.inst_a, is_active=True
    ).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "/accounts/reset/" in message.body
    assert "邀请" in message.subject  # written in the person's language
    assert AuditEvent.objects.filter(action="person.invite", target_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_invitation_is_not_sent_when_the_transaction_rolls_back(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _invite(cast)
    assert len(callbacks) == 1 and mail.outbox == []


@pytest.mark.django_db
def test_inviting_an_existing_email_adds_the_role_instead(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(cast, email=cast.tutor_a.email.upper(), role=Role.EVALUATOR)
    assert person == cast.tutor_a
    assert User.objects.filter(email__iexact=cast.tutor_a.email).count() == 1
    assert cast.tutor_a.memberships.filter(role="evaluator", institution=cast.inst_a).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_coordinator_cannot_invite_at_another_institution(cast):
    with pytest.raises(PermissionDenied):
        _invite(cast, actor=cast.coord_b)
    assert not User.objects.filter(email="new.person@example.org").exists()


@pytest.mark.django_db
def test_only_an_admin_may_grant_consortium_admin(cast):
    with pytest.raises(PermissionDenied):
        _invite(cast, role=Role.CONSORTIUM_ADMIN, institution=None)
    person = _invite(cast, actor=cast.admin, role=Role.CONSORTIUM_ADMIN, institution=None)
    assert person.memberships.get().institution is None


@pytest.mark.django_db
def test_invite_with_a_bad_email_names_the_field_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        _invite(cast, email="not-an-email")
    assert "email" in exc.value.message_dict
    assert User.objects.count() == 8


@pytest.mark.django_db
def test_unit_must_belong_to_the_institution(cast):
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            actor=cast.admin,
            user=cast.tutor_b,
            role=Role.TEACHER,
            institution=cast.inst_b,
            unit=cast.lab_a,
        )
    assert "unit" in exc.value.message_dict


@pytest.mark.django_db
def test_the_same_active_role_cannot_be_added_twice(cast):
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            actor=cast.coord_a, user=cast.tutor_a, role=Role.TUTOR, institution=cast.inst_a
        )
    assert "role" in exc.value.message_dict


@pytest.mark.django_db
def test_ending_a_role_deactivates_and_audits_it(cast):
    membership = cast.tutor_a.memberships.get(role="tutor")
    services.membership_end(actor=cast.coord_a, membership=membership, reason="retired")
    membership.refresh_from_db()
    assert membership.is_active is False
    event = AuditEvent.objects.get(action="membership.end")
    assert event.reason == "retired" and event.actor == cast.coord_a


@pytest.mark.django_db
def test_an_ended_role_can_be_given_again(cast):
    membership = cast.tutor_a.memberships.get(role="tutor")
    services.membership_end(actor=cast.coord_a, membership=membership)
    again = services.membership_add(
        actor=cast.coord_a, user=cast.tutor_a, role=Role.TUTOR, institution=cast.inst_a
    )
    assert again.pk == membership.pk and again.is_active


@pytest.mark.django_db
def test_coordinator_cannot_end_their_own_last_coordinator_role(cast):
    membership = cast.coord_a.memberships.get(role="coordinator")
    with pytest.raises(ValidationError) as exc:
        services.membership_end(actor=cast.coord_a, membership=membership)
    assert "membership" in exc.value.message_dict
    membership.refresh_from_db()
    assert membership.is_active


@pytest.mark.django_db
def test_a_coordinator_role_can_end_once_another_coordinator_exists(cast):
    services.membership_add(
        actor=cast.coord_a, user=cast.tutor_a, role=Role.COORDINATOR, institution=cast.inst_a
    )
    membership = cast.coord_a.memberships.get(role="coordinator")
    services.membership_end(actor=cast.coord_a, membership=membership)
    assert not Membership.objects.get(pk=membership.pk).is_active


@pytest.mark.django_db
def test_partner_coordinator_cannot_end_a_role_at_a(cast):
    with pytest.raises(PermissionDenied):
        services.membership_end(
            actor=cast.coord_b, membership=cast.tutor_a.memberships.get(role="tutor")
        )


@pytest.mark.django_db
def test_trainee_profile_saves_student_numbers_and_audits(cast):
    profile = services.trainee_profile_save(
        actor=cast.coord_a,
        user=cast.resident,
        kind="resident",
        cohort=2023,
        specialty="Surgery",
        student_numbers={cast.inst_a.pk: "R2023001"},
    )
    assert profile.cohort == 2023
    assert StudentNumber.objects.get(trainee=profile).number == "R2023001"
    event = AuditEvent.objects.get(action="trainee_profile.save")
    assert event.changes["cohort"] == [2024, 2023]


@pytest.mark.django_db
def test_student_number_is_unique_per_institution(cast):
    with pytest.raises(ValidationError) as exc:
        services.trainee_profile_save(
            actor=cast.coord_a,
            user=cast.resident,
            kind="resident",
            cohort=2024,
            student_numbers={cast.inst_a.pk: "A2025001"},  # the trainee's number
        )
    assert "student_numbers" in exc.value.message_dict
    assert not StudentNumber.objects.filter(trainee__user=cast.resident).exists()


@pytest.mark.django_db
def test_bad_cohort_names_the_field_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        services.trainee_profile_save(
            actor=cast.coord_a, user=cast.resident, kind="resident", cohort=1850
        )
    assert "cohort" in exc.value.message_dict
    assert cast.resident.trainee_profile.cohort == 2024


@pytest.mark.django_db
def test_partner_coordinator_cannot_edit_a_trainee_profile_of_a(cast):
    with pytest.raises(PermissionDenied):
        services.trainee_profile_save(
            actor=cast.coord_b, user=cast.trainee, kind="doctoral", cohort=2025
        )


@pytest.mark.django_db
@pytest.mark.parametrize("quota", [-1, 51])
def test_tutor_quota_is_between_0_and_50(cast, quota):
    with pytest.raises(ValidationError) as exc:
        services.tutor_profile_save(actor=cast.coord_a, user=cast.tutor_a, annual_quota=quota)
    assert "annual_quota" in exc.value.message_dict
    assert TutorProfile.objects.get(user=cast.tutor_a).annual_quota == 3


@pytest.mark.django_db
def test_tutor_profile_save_records_the_change(cast):
    services.tutor_profile_save(
        actor=cast.coord_a,
        user=cast.tutor_a,
        title="Professor",
        qualification="doctoral",
        research_areas="Oncology",
        annual_quota=5,
    )
    event = AuditEvent.objects.get(action="tutor_profile.save")
    assert event.changes["annual_quota"] == [3, 5]


@pytest.mark.django_db
def test_a_tutor_cannot_edit_their_own_profile(cast):
    with pytest.raises(PermissionDenied):
        services.tutor_profile_save(actor=cast.tutor_a, user=cast.tutor_a, annual_quota=50)
