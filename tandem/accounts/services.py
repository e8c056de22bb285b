"""Every write about people: their settings, API tokens, invitations, memberships, profiles."""

import secrets
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts import importing, permissions
from tandem.accounts.emails import send_invitation
from tandem.accounts.models import (
    MAX_ANNUAL_QUOTA,
    ApiToken,
    Membership,
    Role,
    StudentNumber,
    SupervisorQualification,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.core.tenancy import forget
from tandem.institutions.models import Institution, Unit

if TYPE_CHECKING:
    from tandem.accounts.importing import ImportSummary

TOKEN_PREFIX = "tdm_"


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `actor`; returns the row and the secret, which is never stored."""
    name = name.strip()
    if not name:
        raise field_error("name", _("Give the token a name."))
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= 20:
        raise field_error("name", _("You have 20 active tokens; revoke one first."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=actor, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key))
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.create", target=token, changes={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token)
    return token


SETTINGS_FIELDS = ("full_name", "email", "phone", "preferred_language")


@transaction.atomic
def user_settings_update(*, actor: User, user: User, **values: str) -> User:
    """A person changes their own name, e-mail, phone and preferred language."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own settings."))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be changed here."))
    before = snapshot(user, SETTINGS_FIELDS)
    for field, value in values.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(values))
    changes = diff(before, snapshot(user, SETTINGS_FIELDS))
    if changes:
        audit_record(actor=actor, action="user.settings", target=user, changes=changes)
    return user


# --- People: invitations, memberships, profiles --------------------------------------------------

PROFILE_TRAINEE_FIELDS = ("kind", "cohort", "specialty")
PROFILE_TUTOR_FIELDS = ("title", "qualification", "research_areas", "annual_quota")


def _check_role_grant(actor: User, role: str, institution: Institution | None) -> None:
    if role not in Role.values:
        raise field_error("role", _("Choose a valid role."))
    if role == Role.CONSORTIUM_ADMIN:
        if not permissions.can_grant_role(actor, role, None):
            raise PermissionDenied(
                _("Only a consortium admin can make someone a consortium admin.")
            )
        return
    if institution is None:
        raise field_error("institution", _("Choose the institution of this role."))
    if not permissions.can_grant_role(actor, role, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of %(institution)s can give roles there.")
            % {"institution": institution}
        )


def _username_for(email: str) -> str:
    base = email.lower()[:150]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        suffix = f"-{n}"
        username = base[: 150 - len(suffix)] + suffix
    return username


@transaction.atomic
def membership_add(
    *,
    actor: User,
    user: User,
    role: str,
    institution: Institution | None,
    unit: Unit | None = None,
    reason: str = "",
) -> Membership:
    """Give `user` a role at an institution (or unit); reactivates an ended identical role."""

    _check_role_grant(actor, role, institution)
    if role == Role.CONSORTIUM_ADMIN:
        institution, unit = None, None
    if unit is not None and institution is not None and unit.institution_id != institution.pk:
        raise field_error("unit", _("This unit does not belong to the chosen institution."))
    existing = Membership.objects.filter(
        user=user, role=role, institution=institution, unit=unit
    ).first()
    if existing is not None and existing.is_active:
        raise field_error("role", _("This person already holds this role there."))
    membership = existing or Membership(user=user, role=role, institution=institution, unit=unit)
    membership.is_active = True
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="membership.add",
        target=membership,
        changes={"role": role, "institution": institution, "unit": unit, "is_active": True},
        reason=reason,
    )
    forget(user)
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, reason: str = "") -> Membership:
    """Deactivate a membership. An institution always keeps at least one active coordinator."""

    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not permissions.can_end_membership(actor, membership):
        raise PermissionDenied(_("Only a coordinator of this institution can end this role."))
    if not membership.is_active:
        raise field_error("membership", _("This role has already ended."))
    if membership.role == Role.COORDINATOR:
        others = Membership.objects.filter(
            role=Role.COORDINATOR, institution=membership.institution, is_active=True
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise field_error(
                "membership",
                _("This is the last coordinator of the institution: appoint another first."),
            )
    if membership.role == Role.CONSORTIUM_ADMIN:
        others = Membership.objects.filter(role=Role.CONSORTIUM_ADMIN, is_active=True).exclude(
            pk=membership.pk
        )
        if not others.exists():
            raise field_error("membership", _("The consortium needs at least one admin."))
    membership.is_active = False
    membership.full_clean()
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.end",
        target=membership,
        changes={"is_active": [True, False]},
        reason=reason,
    )
    forget(membership.user)
    return membership


@transaction.atomic
def person_invite(
    *,
    actor: User,
    email: str,
    full_name: str,
    institution: Institution | None,
    role: str,
    unit: Unit | None = None,
    language: str = "en",
) -> User:
    """Create an account with a role and e-mail a set-password link after commit.

    An e-mail address that already has an account gets the role added instead (no new account,
    no e-mail)."""
    from django.core.validators import validate_email

    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error("email", _("Enter a valid e-mail address.")) from None
    _check_role_grant(actor, role, institution)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        membership_add(actor=actor, user=existing, role=role, institution=institution, unit=unit)
        return existing
    if not full_name:
        raise field_error("full_name", _("Give the person's full name."))
    if language not in {"en", "zh-hans"}:
        raise field_error("language", _("Choose English or Simplified Chinese."))
    user = User(
        username=_username_for(email),
        email=email,
        full_name=full_name,
        preferred_language=language,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="person.invite",
        target=user,
        changes={"email": email, "full_name": full_name, "preferred_language": language},
    )
    membership_add(actor=actor, user=user, role=role, institution=institution, unit=unit)
    where = str(unit or institution or _("the consortium"))
    role_label = str(Role(role).label)
    inviter = actor.display_name
    user_id = user.pk
    transaction.on_commit(lambda: send_invitation(user_id, where, role_label, inviter))
    return user


def _require_edit(actor: User, person: User) -> None:
    if not permissions.can_edit_person(actor, person):
        raise PermissionDenied(
            _("Only a coordinator of this person's institution can change their profile.")
        )


@transaction.atomic
def trainee_profile_save(
    *,
    actor: User,
    user: User,
    kind: str,
    cohort: int,
    specialty: str = "",
    student_numbers: dict[int, str] | None = None,
) -> TraineeProfile:
    """Create or update a trainee profile. `student_numbers` maps institution ids to numbers;
    institutions left out keep their number, an empty number removes it."""
    _require_edit(actor, user)
    profile = TraineeProfile.objects.filter(user=user).first()
    before = snapshot(profile, PROFILE_TRAINEE_FIELDS) if profile else {}
    numbers_before = (
        {sn.institution_id: sn.number for sn in profile.student_numbers.all()} if profile else {}
    )
    profile = profile or TraineeProfile(user=user)
    profile.kind, profile.cohort, profile.specialty = kind, cohort, (specialty or "").strip()
    profile.full_clean()
    profile.save()
    changes = diff(before, snapshot(profile, PROFILE_TRAINEE_FIELDS))
    allowed = {m.institution_id for m in Membership.objects.filter(user=user, is_active=True)}
    for institution_id, raw in (student_numbers or {}).items():
        number = (raw or "").strip()
        if number == numbers_before.get(institution_id, ""):
            continue
        if not number:
            StudentNumber.objects.filter(trainee=profile, institution_id=institution_id).delete()
        else:
            if institution_id not in allowed:
                raise field_error(
                    "student_numbers",
                    _("A student number needs a role at that institution."),
                )
            clash = StudentNumber.objects.filter(
                institution_id=institution_id, number=number
            ).exclude(trainee=profile)
            if clash.exists():
                raise field_error(
                    "student_numbers",
                    _("The student number %(number)s is already used at this institution.")
                    % {"number": number},
                )
            StudentNumber.objects.update_or_create(
                trainee=profile, institution_id=institution_id, defaults={"number": number}
            )
        changes[f"student_number@{institution_id}"] = [
            numbers_before.get(institution_id),
            number or None,
        ]
    if changes:
        audit_record(actor=actor, action="trainee_profile.save", target=profile, changes=changes)
    return profile


@transaction.atomic
def tutor_profile_save(
    *,
    actor: User,
    user: User,
    title: str = "",
    qualification: str = SupervisorQualification.MASTER,
    research_areas: str = "",
    annual_quota: int = 3,
) -> TutorProfile:
    _require_edit(actor, user)
    if annual_quota is None or not 0 <= annual_quota <= MAX_ANNUAL_QUOTA:
        raise field_error(
            "annual_quota",
            _("The annual quota is between 0 and %(max)s.") % {"max": MAX_ANNUAL_QUOTA},
        )
    profile = TutorProfile.objects.filter(user=user).first()
    before = snapshot(profile, PROFILE_TUTOR_FIELDS) if profile else {}
    profile = profile or TutorProfile(user=user)
    profile.title = (title or "").strip()
    profile.qualification = qualification
    profile.research_areas = (research_areas or "").strip()
    profile.annual_quota = annual_quota
    profile.full_clean()
    profile.save()
    changes = diff(before, snapshot(profile, PROFILE_TUTOR_FIELDS))
    if changes:
        audit_record(actor=actor, action="tutor_profile.save", target=profile, changes=changes)
    return profile


@transaction.atomic
def people_import(*, actor: User, institution: Institution, file: Any) -> "ImportSummary":
    """Import people from an .xlsx or .csv file: all rows or none.

    Raises `ImportRejected` (a ValidationError carrying every error by row and column) when any
    row is bad; nothing is saved then."""

    if not permissions.can_manage_people_at(actor, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of %(institution)s can import people there.")
            % {"institution": institution}
        )
    rows = importing.parse_and_validate(file, institution)
    summary = importing.ImportSummary()
    for row in rows:
        existing = User.objects.filter(email__iexact=row.email).exists()
        person = person_invite(
            actor=actor,
            email=row.email,
            full_name=row.full_name,
            institution=institution,
            role=row.role,
            unit=row.unit,
            language=actor.preferred_language or "en",
        )
        (summary.roles_added if existing else summary.invited).append(person.email)
        if row.role == Role.TRAINEE:
            assert row.cohort is not None  # the importer reports a missing cohort as an error
            trainee_profile_save(
                actor=actor,
                user=person,
                kind=row.trainee_kind,
                cohort=row.cohort,
                student_numbers={institution.pk: row.student_number}
                if row.student_number
                else None,
            )
        elif row.role in (Role.TUTOR, Role.TEACHER) and row.has_tutor_fields:
            tutor_profile_save(
                actor=actor,
                user=person,
                title=row.title,
                qualification=row.qualification,
                research_areas=row.research_areas,
                annual_quota=row.annual_quota,
            )
    audit_record(
        actor=actor,
        action="people.import",
        target=institution,
        changes={"invited": len(summary.invited), "roles_added": len(summary.roles_added)},
        reason=getattr(file, "name", ""),
    )
    return summary
