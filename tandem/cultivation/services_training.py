"""Writes and checks of the tutor training requirement (decision 092) and of trainees'
insurance (decision 093).

An institution's coordinator sets what its tutors' training must be: hours per yearly period,
and the mandatory courses for new tutors. A new tutor who lacks one cannot take on a new joint
trainee (`check_new_tutor_courses`, called wherever a tutor is paired or changed); the trainees
they already have are unaffected. A stay at the host under an agreement that requires insurance
before a stay starts needs the trainee's insurance on file for its first day: checked when
the joint cultivation is activated (`check_stay_insurance`) or resumed
(`check_resumed_stay_insurance`), and when a host stay is added or its dates change on a
running record (`services_stays`); later host stays are flagged ahead by the early warning
(decision 094).
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.cultivation import permissions, selectors_training
from tandem.cultivation.models import (
    JointCultivation,
    Stay,
    TraineeInsurance,
    TutorTrainingRequirement,
)
from tandem.institutions.models import Institution

REQUIREMENT_FIELDS = (
    "hours_per_period",
    "period_start_month",
    "mandatory_courses",
    "new_tutor_months",
)
INSURANCE_FIELDS = ("trainee", "insurer", "policy_number", "valid_from", "valid_until")


def _int_in(value: Any, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


@transaction.atomic
def tutor_training_requirement_set(
    *,
    actor: User,
    institution: Institution,
    hours_per_period: Any,
    period_start_month: Any = 9,
    mandatory_courses: Any = "",
    new_tutor_months: Any = 12,
) -> TutorTrainingRequirement:
    """Set (or change) an institution's tutor training requirement."""
    if not permissions.can_set_training_requirement(actor, institution.pk):
        raise PermissionDenied(
            _("Only a coordinator of the institution can set its tutor training requirement.")
        )
    errors: dict[str, list[str]] = {}
    try:
        hours = Decimal(str(hours_per_period).strip())
    except (InvalidOperation, TypeError, ValueError):
        hours = Decimal("-1")
    if not hours.is_finite():
        hours = Decimal("-1")
    if not (Decimal("0") <= hours <= Decimal("1000")) or hours != hours.quantize(Decimal("0.1")):
        errors.setdefault("hours_per_period", []).append(
            _("Give the hours per year, from 0 to 1000, with at most one decimal.")
        )
    month = _int_in(period_start_month, 1, 12)
    if month is None:
        errors.setdefault("period_start_month", []).append(
            _("Give the month the year is counted from, 1 to 12.")
        )
    months = _int_in(new_tutor_months, 0, 120)
    if months is None:
        errors.setdefault("new_tutor_months", []).append(
            _("Give how many months a tutor counts as new, 0 to 120.")
        )
    if isinstance(mandatory_courses, list | tuple):
        lines = [str(c) for c in mandatory_courses]
    else:
        lines = str(mandatory_courses or "").splitlines()
    courses: list[str] = []
    for line in lines:
        name = " ".join(line.split())
        if not name:
            continue
        if len(name) > 200:
            errors.setdefault("mandatory_courses", []).append(
                _("A course name is at most 200 characters: %(name)s…") % {"name": name[:40]}
            )
        elif name.casefold() not in {c.casefold() for c in courses}:
            courses.append(name)
    if errors:
        raise ValidationError(errors)
    requirement = (
        TutorTrainingRequirement.objects.select_for_update().filter(institution=institution).first()
    )
    before = snapshot(requirement, REQUIREMENT_FIELDS) if requirement else {}
    if requirement is None:
        requirement = TutorTrainingRequirement(institution=institution, updated_by=actor)
    requirement.hours_per_period = hours.quantize(Decimal("0.1"))
    requirement.period_start_month = month  # type: ignore[assignment]
    requirement.mandatory_courses = "\n".join(courses)
    requirement.new_tutor_months = months  # type: ignore[assignment]
    requirement.updated_by = actor
    requirement.updated_at = timezone.now()
    requirement.full_clean()
    requirement.save()
    changes = diff(before, snapshot(requirement, REQUIREMENT_FIELDS))
    audit_record(
        actor=actor,
        action="cultivation.training_requirement_set",
        target=requirement,
        changes=changes,
    )
    return requirement


def check_new_tutor_courses(
    cultivation: JointCultivation, tutor: User, institution_id: int, field: str
) -> None:
    """Refuse a new tutor who has not done the mandatory course(s) of their institution."""
    requirement, missing = selectors_training.new_tutor_missing_courses(
        tutor, institution_id, cultivation_id=cultivation.pk
    )
    if not missing or requirement is None:
        return
    raise field_error(
        field,
        ngettext(
            "%(tutor)s is a new tutor at %(institution)s and has not done the mandatory "
            "course %(courses)s; record the training before they take on a new joint trainee.",
            "%(tutor)s is a new tutor at %(institution)s and has not done the mandatory "
            "courses %(courses)s; record the trainings before they take on a new joint trainee.",
            len(missing),
        )
        % {
            "tutor": tutor,
            "institution": requirement.institution,
            "courses": ", ".join(f"\u201c{c}\u201d" for c in missing),
        },
    )


def host_stay_starting(
    cultivation: JointCultivation, today: datetime.date
) -> tuple[Stay, datetime.date] | None:
    """The host stay in effect or next to begin, and the day it starts for the system (its
    first day, or today if it has already begun)."""
    stay = (
        Stay.objects.filter(cultivation=cultivation, institution_id=cultivation.host_id)
        .filter(end__gte=today)
        .order_by("start", "pk")
        .first()
    )
    if stay is None:
        return None
    return stay, max(stay.start, today)


def stay_uninsured_problem(cultivation: JointCultivation, stay: Stay, today: datetime.date) -> str:
    """Why this stay cannot start (or go on being planned as it is), or "" when it may: a stay
    at the host under an agreement requiring insurance before a stay starts needs an
    insurance on file valid on its first day (today, if it has already begun)."""
    agreement = cultivation.agreement
    if not agreement.requires_insurance_before_stay or stay.institution_id != cultivation.host_id:
        return ""
    if stay.end < today:
        return ""
    day = max(stay.start, today)
    if selectors_training.insured_on(cultivation.trainee_id, day):
        return ""
    return _(
        "The agreement requires insurance before a stay at the host starts, and %(trainee)s "
        "has none on file valid on %(day)s (the stay at %(host)s from %(start)s). Record the "
        "insurance first."
    ) % {
        "trainee": cultivation.trainee,
        "day": day.isoformat(),
        "host": cultivation.host,
        "start": stay.start.isoformat(),
    }


def stay_insurance_problem(cultivation: JointCultivation, today: datetime.date) -> str:
    """Why the stay at the host (in effect or next to begin) cannot start, or "" when it may."""
    if not cultivation.agreement.requires_insurance_before_stay:
        return ""
    starting = host_stay_starting(cultivation, today)
    if starting is None:
        return ""
    return stay_uninsured_problem(cultivation, starting[0], today)


def upcoming_stay_insurance_problem(cultivation: JointCultivation, today: datetime.date) -> str:
    """For the pages: the first host stay not yet over that lacks the insurance it needs
    (the one in effect, or a later period of a sequential record), or ""."""
    if not cultivation.agreement.requires_insurance_before_stay:
        return ""
    stays = Stay.objects.filter(
        cultivation=cultivation, institution_id=cultivation.host_id, end__gte=today
    ).order_by("start", "pk")
    for stay in stays:
        problem = stay_uninsured_problem(cultivation, stay, today)
        if problem:
            return problem
    return ""


def check_stay_insurance(cultivation: JointCultivation) -> None:
    """On activation: the host stay in effect or next to begin."""
    problem = stay_insurance_problem(cultivation, timezone.localdate())
    if problem:
        raise ValidationError(problem)


def check_resumed_stay_insurance(cultivation: JointCultivation) -> None:
    """On resuming: the host stay in effect today goes on only with the insurance on file
    (a later one is flagged ahead by the early warning, `alerts.rules.stays_uninsured`)."""
    today = timezone.localdate()
    stay = (
        Stay.objects.filter(
            cultivation=cultivation,
            institution_id=cultivation.host_id,
            start__lte=today,
            end__gte=today,
        )
        .order_by("start", "pk")
        .first()
    )
    problem = stay_uninsured_problem(cultivation, stay, today) if stay is not None else ""
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def trainee_insurance_record(
    *,
    actor: User,
    cultivation: JointCultivation,
    insurer: str,
    policy_number: str,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
) -> TraineeInsurance:
    """Put a joint trainee's insurance on file (by the trainee or a coordinator of theirs)."""
    if not permissions.can_record_insurance(actor, cultivation):
        raise PermissionDenied(
            _(
                "Only the trainee or a coordinator of the home or the host can record the "
                "trainee's insurance."
            )
        )
    errors: dict[str, list[str]] = {}
    insurer = " ".join((insurer or "").split())
    policy_number = (policy_number or "").strip()
    if not insurer:
        errors.setdefault("insurer", []).append(_("Name the insurer."))
    elif len(insurer) > 200:
        errors.setdefault("insurer", []).append(_("The insurer's name is at most 200 characters."))
    if not policy_number:
        errors.setdefault("policy_number", []).append(_("Give the policy number."))
    elif len(policy_number) > 100:
        errors.setdefault("policy_number", []).append(
            _("The policy number is at most 100 characters.")
        )
    if not isinstance(valid_from, datetime.date):
        errors.setdefault("valid_from", []).append(_("Give the first day the policy covers."))
    if not isinstance(valid_until, datetime.date):
        errors.setdefault("valid_until", []).append(_("Give the last day the policy covers."))
    elif isinstance(valid_from, datetime.date) and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The policy must end on or after the day it starts.")
        )
    if errors:
        raise ValidationError(errors)
    assert valid_from is not None and valid_until is not None  # checked above
    insurance = TraineeInsurance(
        trainee_id=cultivation.trainee_id,
        insurer=insurer,
        policy_number=policy_number,
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=actor,
    )
    insurance.full_clean()
    insurance.save()
    audit_record(
        actor=actor,
        action="cultivation.insurance_record",
        # On the insurance itself, not in the joint record's history that the tutors read.
        target=insurance,
        changes=diff({}, snapshot(insurance, INSURANCE_FIELDS)),
    )
    return insurance
