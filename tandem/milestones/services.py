"""Every write about milestones and the competency committee. Each service is atomic, checks
its permission, validates (a clear message naming what is wrong, nothing saved) and writes its
audit row in the same transaction."""

import datetime
from statistics import median_low
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record
from tandem.core.errors import ValidationError, field_error
from tandem.milestones import permissions, selectors
from tandem.milestones.builtin import EXAMPLE
from tandem.milestones.models import (
    LEVELS,
    MIN_MEMBERS,
    Committee,
    CommitteeMember,
    Decision,
    Domain,
    Epa,
    MilestoneLevel,
    MilestoneSet,
    Rating,
    ResidentReview,
    Review,
    ReviewStatus,
    Subcompetency,
)
from tandem.residency.models import Program


def _level_error(field: str) -> ValidationError:
    return field_error(field, _("A level is a whole number from 1 to 5, or “not yet assessable”."))


def _name(user: Any) -> str:
    return user.full_name or user.username


# --------------------------------------------------------------------------- sets


@transaction.atomic
def set_create(
    *,
    actor: User,
    institution: Any,
    specialty: str,
    version: str,
    name: str,
    name_zh: str = "",
) -> MilestoneSet:
    if not (
        permissions.can_create_set(actor)
        and permissions.can_manage_set(actor, MilestoneSet(institution=institution))
    ):
        raise PermissionDenied(_("Only the hospital's training office keeps its milestone sets."))
    version, name = version.strip(), name.strip()
    if not version or len(version) > 16:
        raise field_error("version", _("Give a version of at most 16 characters."))
    if MilestoneSet.objects.filter(
        institution=institution, specialty=specialty, version=version
    ).exists():
        raise field_error("version", _("The hospital already has this version for the specialty."))
    milestone_set = MilestoneSet(
        institution=institution,
        specialty=specialty,
        version=version,
        name=name,
        name_zh=name_zh.strip(),
    )
    milestone_set.full_clean()
    milestone_set.save()
    audit_record(
        actor=actor,
        action="milestone_set.create",
        target=milestone_set,
        changes={"specialty": specialty, "version": version, "name": name},
    )
    return milestone_set


def _check_set_editable(actor: Any, milestone_set: MilestoneSet) -> None:
    if milestone_set.is_builtin or not permissions.can_manage_set(actor, milestone_set):
        raise PermissionDenied(_("Only the hospital's training office keeps its milestone sets."))


def _save_subcompetency(
    milestone_set: MilestoneSet,
    code: str,
    domain: str,
    name: str,
    name_zh: str,
    levels: dict[int, tuple[str, str]],
    position: int,
) -> Subcompetency:
    if domain not in Domain.values:
        raise field_error("domain", _("Choose a competency domain."))
    if sorted(levels) != list(LEVELS) or any(not text.strip() for text, _zh in levels.values()):
        raise field_error("levels", _("Describe each of the levels 1 to 5."))
    sub, _created = Subcompetency.objects.update_or_create(
        milestone_set=milestone_set,
        code=code,
        defaults={"domain": domain, "name": name, "name_zh": name_zh, "position": position},
    )
    for level, (text, text_zh) in levels.items():
        MilestoneLevel.objects.update_or_create(
            subcompetency=sub,
            level=level,
            defaults={"description": text.strip(), "description_zh": text_zh.strip()},
        )
    return sub


@transaction.atomic
def subcompetency_save(
    *,
    actor: User,
    milestone_set: MilestoneSet,
    code: str,
    domain: str,
    name: str,
    name_zh: str = "",
    levels: dict[int, tuple[str, str]],
    position: int = 0,
) -> Subcompetency:
    """Add a subcompetency to the set, or change the one with this code."""
    _check_set_editable(actor, milestone_set)
    code, name = code.strip(), name.strip()
    if not code or len(code) > 16:
        raise field_error("code", _("Give a code of at most 16 characters."))
    if not name:
        raise field_error("name", _("Give the name of the subcompetency."))
    sub = _save_subcompetency(milestone_set, code, domain, name, name_zh.strip(), levels, position)
    audit_record(
        actor=actor,
        action="milestone_sub.save",
        target=milestone_set,
        changes={"code": code, "domain": domain, "name": name},
    )
    return sub


@transaction.atomic
def epa_save(
    *,
    actor: User,
    milestone_set: MilestoneSet,
    code: str,
    name: str,
    name_zh: str = "",
    position: int = 0,
) -> Epa:
    _check_set_editable(actor, milestone_set)
    code, name = code.strip(), name.strip()
    if not code or len(code) > 16:
        raise field_error("code", _("Give a code of at most 16 characters."))
    if not name:
        raise field_error("name", _("Give the title of the EPA."))
    epa, _created = Epa.objects.update_or_create(
        milestone_set=milestone_set,
        code=code,
        defaults={"name": name, "name_zh": name_zh.strip(), "position": position},
    )
    audit_record(
        actor=actor, action="milestone_epa.save", target=milestone_set, changes={"code": code}
    )
    return epa


# --------------------------------------------------------------------------- committees


def _check_faculty(program: Program, users: list[Any]) -> None:
    faculty = set(
        selectors.faculty_of_institution(program.institution_id).values_list("pk", flat=True)
    )
    for user in users:
        if user.pk not in faculty:
            raise field_error(
                "members",
                _("%(name)s is not on the faculty of the program's hospital.")
                % {"name": _name(user)},
            )


@transaction.atomic
def committee_create(
    *, actor: User, program: Program, members: list[User], chair: User
) -> Committee:
    """A committee with its first members; it holds reviews once it has at least three."""
    if not permissions.can_create_committee(actor, program):
        raise PermissionDenied(_("Only the program's training office sets up its committee."))
    if Committee.objects.filter(program=program).exists():
        raise field_error("program", _("The program already has a competency committee."))
    members = list({m.pk: m for m in members}.values())
    _check_faculty(program, members)
    if chair.pk not in {m.pk for m in members}:
        raise field_error("chair", _("The chair must be one of the members."))
    committee = Committee.objects.create(program=program, chair=chair)
    CommitteeMember.objects.bulk_create(
        [CommitteeMember(committee=committee, user=m) for m in members]
    )
    audit_record(
        actor=actor,
        action="committee.create",
        target=committee,
        changes={"members": sorted(_name(m) for m in members), "chair": _name(chair)},
    )
    return committee


def _lock(committee: Committee) -> Committee:
    return Committee.objects.select_for_update().select_related("program").get(pk=committee.pk)


@transaction.atomic
def committee_member_add(*, actor: User, committee: Committee, user: User) -> CommitteeMember:
    if not permissions.can_manage_committee(actor, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    committee = _lock(committee)
    _check_faculty(committee.program, [user])
    if committee.members.filter(user=user).exists():
        raise field_error("user", _("%(name)s is already a member.") % {"name": _name(user)})
    seat = CommitteeMember.objects.create(committee=committee, user=user)
    audit_record(
        actor=actor,
        action="committee.member_add",
        target=committee,
        changes={"member": _name(user)},
    )
    return seat


@transaction.atomic
def committee_member_remove(*, actor: User, committee: Committee, user: User) -> None:
    """Refused when the committee would fall below three members, or for the chair."""
    if not permissions.can_manage_committee(actor, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    committee = _lock(committee)
    seat = committee.members.filter(user=user).first()
    if seat is None:
        raise field_error("user", _("%(name)s is not a member.") % {"name": _name(user)})
    if committee.chair_id == user.pk:
        raise field_error(
            "user",
            _("%(name)s chairs the committee: choose another chair first.") % {"name": _name(user)},
        )
    if committee.members.count() <= MIN_MEMBERS:
        raise field_error(
            "user",
            _(
                "A competency committee needs at least %(min)s members: add another member "
                "before removing %(name)s."
            )
            % {"min": MIN_MEMBERS, "name": _name(user)},
        )
    seat.delete()
    audit_record(
        actor=actor,
        action="committee.member_remove",
        target=committee,
        changes={"member": _name(user)},
    )


@transaction.atomic
def committee_chair_set(*, actor: User, committee: Committee, user: User) -> Committee:
    if not permissions.can_manage_committee(actor, committee):
        raise PermissionDenied(_("Only the program's training office changes its committee."))
    committee = _lock(committee)
    if not committee.members.filter(user=user).exists():
        raise field_error("chair", _("The chair must be one of the members."))
    committee.chair = user
    committee.save(update_fields=["chair"])
    audit_record(
        actor=actor, action="committee.chair_set", target=committee, changes={"chair": _name(user)}
    )
    return committee


# --------------------------------------------------------------------------- reviews


@transaction.atomic
def review_open(
    *,
    actor: User,
    committee: Committee,
    milestone_set: MilestoneSet,
    label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    due_on: datetime.date,
) -> Review:
    """Open a review period with one resident review per resident of the program."""
    if not permissions.can_open_review(actor, committee):
        raise PermissionDenied(_("Only the committee and the program's training office do this."))
    committee = _lock(committee)
    count = committee.members.count()
    if count < MIN_MEMBERS:
        raise field_error(
            "committee",
            _("The committee has %(count)s members: it needs at least %(min)s to hold a review.")
            % {"count": count, "min": MIN_MEMBERS},
        )
    program = committee.program
    if not selectors.sets_for_program(actor, program).filter(pk=milestone_set.pk).exists():
        raise field_error("milestone_set", _("Choose a milestone set of the program's specialty."))
    label = label.strip()
    if not label or len(label) > 40:
        raise field_error("label", _("Name the period in at most 40 characters, e.g. 2026 H2."))
    if period_end < period_start:
        raise field_error("period_end", _("The period ends before it starts."))
    if due_on < period_start:
        raise field_error("due_on", _("The decisions cannot be due before the period starts."))
    if committee.reviews.filter(label=label).exists():
        raise field_error("label", _("The committee already has a review of this period."))
    review = Review.objects.create(
        committee=committee,
        milestone_set=milestone_set,
        label=label,
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        opened_by=actor,
    )
    members = selectors.residents_of_program(program)
    ResidentReview.objects.bulk_create(
        [ResidentReview(review=review, member=m, resident_id=m.resident_id) for m in members]
    )
    audit_record(
        actor=actor,
        action="competency_review.open",
        target=review,
        changes={
            "label": label,
            "period_start": period_start,
            "period_end": period_end,
            "due_on": due_on,
            "residents": len(members),
        },
    )
    return review


def _lock_open(resident_review: ResidentReview) -> ResidentReview:
    locked = ResidentReview.objects.select_for_update().get(pk=resident_review.pk)
    if locked.status != ReviewStatus.OPEN:
        raise ValidationError(_("This review is finalised already: nothing can change in it."))
    return locked


def _check_level(level: Any, field: str) -> int | None:
    if level is None or level == "":
        return None
    if isinstance(level, bool) or not isinstance(level, int | str):
        raise _level_error(field)
    try:
        number = int(level)
    except ValueError:
        raise _level_error(field) from None
    if str(number) != str(level).strip() or number not in LEVELS:
        raise _level_error(field)
    return number


@transaction.atomic
def ratings_save(
    *,
    actor: User,
    resident_review: ResidentReview,
    subcompetencies: dict[int, Any] | None = None,
    epas: dict[int, Any] | None = None,
    notes: dict[int, str] | None = None,
) -> int:
    """The member's own levels (None: not yet assessable) for subcompetencies and EPAs of the
    review's set, keyed by id; notes by subcompetency id. Every value is checked before any is
    saved. Returns the number of ratings written."""
    if not permissions.can_rate(actor, resident_review):
        if resident_review.status != ReviewStatus.OPEN:
            raise ValidationError(_("This review is finalised already: nothing can change in it."))
        raise PermissionDenied(_("Only members of the committee rate residents."))
    locked = _lock_open(resident_review)
    set_id = resident_review.review.milestone_set_id
    subcompetencies, epas, notes = subcompetencies or {}, epas or {}, notes or {}
    sub_ids = set(
        Subcompetency.objects.filter(milestone_set_id=set_id).values_list("pk", flat=True)
    )
    epa_ids = set(Epa.objects.filter(milestone_set_id=set_id).values_list("pk", flat=True))
    checked_subs: dict[int, int | None] = {}
    checked_epas: dict[int, int | None] = {}
    for pk, level in subcompetencies.items():
        if pk not in sub_ids:
            raise field_error(f"sub_{pk}", _("This subcompetency is not in the review's set."))
        checked_subs[pk] = _check_level(level, f"sub_{pk}")
    for pk, level in epas.items():
        if pk not in epa_ids:
            raise field_error(f"epa_{pk}", _("This EPA is not in the review's set."))
        checked_epas[pk] = _check_level(level, f"epa_{pk}")
    for pk, note in notes.items():
        if len(note) > 2000:
            raise field_error(f"note_{pk}", _("A note has at most 2000 characters."))
    now = timezone.now()
    for pk, level in checked_subs.items():
        Rating.objects.update_or_create(
            resident_review=locked,
            rater=actor,
            subcompetency_id=pk,
            defaults={"level": level, "note": notes.get(pk, "").strip(), "updated_at": now},
        )
    for pk, level in checked_epas.items():
        Rating.objects.update_or_create(
            resident_review=locked,
            rater=actor,
            epa_id=pk,
            defaults={"level": level, "updated_at": now},
        )
    written = len(checked_subs) + len(checked_epas)
    audit_record(
        actor=actor,
        action="competency_review.rate",
        target=locked,
        changes={"ratings": written},
    )
    return written


def committee_level(levels: list[int | None]) -> int | None:
    """The committee's level from its members' levels: the lower median of those given ("not
    yet assessable" left out), None when nobody could assess."""
    given = [level for level in levels if level is not None]
    return median_low(given) if given else None


def _summary(resident_review: ResidentReview) -> dict[str, dict[str, int | None]]:
    """The median (the lower of two middle values) of the members' levels per subcompetency
    and EPA; None when no member could assess it."""
    subs: dict[str, list[int | None]] = {}
    epas: dict[str, list[int | None]] = {}
    review_set = resident_review.review.milestone_set
    for code in Subcompetency.objects.filter(milestone_set=review_set).values_list(
        "code", flat=True
    ):
        subs[code] = []
    for code in Epa.objects.filter(milestone_set=review_set).values_list("code", flat=True):
        epas[code] = []
    for rating in Rating.objects.filter(resident_review=resident_review).select_related(
        "subcompetency", "epa"
    ):
        if rating.subcompetency is not None:
            subs.setdefault(rating.subcompetency.code, []).append(rating.level)
        elif rating.epa is not None:
            epas.setdefault(rating.epa.code, []).append(rating.level)
    return {
        "subcompetencies": {code: committee_level(v) for code, v in subs.items()},
        "epas": {code: committee_level(v) for code, v in epas.items()},
    }


@transaction.atomic
def resident_review_finalise(
    *,
    actor: User,
    resident_review: ResidentReview,
    decision: str,
    plan: str = "",
    plan_owner: User | None = None,
    plan_due: datetime.date | None = None,
) -> ResidentReview:
    """Record the committee's decision and fix the summary; the resident is notified. Two
    members finalising at once: the first wins, the second is told it is finalised already."""
    if not permissions.is_member(actor, resident_review.review.committee):
        raise PermissionDenied(_("Only members of the committee decide."))
    locked = _lock_open(resident_review)
    if decision not in Decision.values:
        raise field_error(
            "decision", _("Choose progressing, not yet progressing or a remediation plan.")
        )
    plan = plan.strip()
    if decision == Decision.REMEDIATION:
        if not plan:
            raise field_error("plan", _("Write the remediation plan."))
        if plan_owner is None:
            raise field_error("plan_owner", _("Name who owns the remediation plan."))
        faculty = selectors.faculty_of_institution(
            resident_review.review.committee.program.institution_id
        )
        if not faculty.filter(pk=plan_owner.pk).exists():
            raise field_error("plan_owner", _("The plan's owner must be on the program's faculty."))
        if plan_due is None or plan_due <= timezone.localdate():
            raise field_error("plan_due", _("The plan is due on a day after today."))
    else:
        plan, plan_owner, plan_due = "", None, None
    if not Rating.objects.filter(resident_review=locked, level__isnull=False).exists():
        raise field_error("decision", _("No member has rated the resident yet."))
    locked.review = resident_review.review
    locked.summary = _summary(locked)
    locked.decision = decision
    locked.plan = plan
    locked.plan_owner = plan_owner
    locked.plan_due = plan_due
    locked.status = ReviewStatus.FINALISED
    locked.finalised_by = actor
    locked.finalised_at = timezone.now()
    locked.save()
    audit_record(
        actor=actor,
        action="competency_review.finalise",
        target=locked,
        changes={
            "status": [ReviewStatus.OPEN.value, ReviewStatus.FINALISED.value],
            "decision": decision,
            "plan": plan,
            "plan_owner": _name(plan_owner) if plan_owner else "",
            "plan_due": plan_due,
        },
    )
    notification_send(
        users=[locked.resident_id],
        kind=NotificationKind.CCC_SUMMARY,
        params={"period": resident_review.review.label, "decision": decision},
        url=reverse("milestones:summary", kwargs={"pk": locked.pk}),
    )
    return locked


# --------------------------------------------------------------------------- built-in set


def builtin_set_ensure(specialty: str = "internal_medicine") -> MilestoneSet:
    """The built-in example set of a specialty, created on first use (no data migration:
    transactional tests flush reference data)."""
    version = EXAMPLE["version"]
    found = MilestoneSet.objects.filter(
        institution__isnull=True, specialty=specialty, version=version
    ).first()
    if found is not None:
        return found
    with transaction.atomic():
        milestone_set = MilestoneSet.objects.create(
            institution=None,
            specialty=specialty,
            version=version,
            name=EXAMPLE["name"],
            name_zh=EXAMPLE["name_zh"],
            is_builtin=True,
        )
        for position, sub in enumerate(EXAMPLE["subcompetencies"]):
            _save_subcompetency(
                milestone_set,
                sub["code"],
                sub["domain"],
                sub["name"],
                sub["name_zh"],
                {i + 1: pair for i, pair in enumerate(sub["levels"])},
                position,
            )
        Epa.objects.bulk_create(
            [
                Epa(
                    milestone_set=milestone_set,
                    code=e["code"],
                    name=e["name"],
                    name_zh=e["name_zh"],
                    position=i,
                )
                for i, e in enumerate(EXAMPLE["epas"])
            ]
        )
    return milestone_set
