"""A discipline case up to its decision: opening (facts, the article cited, evidence), the
trainee's written response or waiver, a hearing for demerit and above, the other
institution's comment, the committee's votes and its reasoned decision.

Each service checks its predicate and the case's step, validates the whole input before
writing, and records one audit event in its transaction; no audit row carries the facts, a
response or the reasons (they live in this app's tables only, decision 096). Every step
notifies the people it concerns, with a link and no detail. Deadlines are counted in working
days of the calendar of the institution whose regulation applies.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.conduct import permissions, selectors
from tandem.conduct.models import (
    HEARING_FROM,
    OPEN_STATUSES,
    Article,
    Case,
    CaseStatus,
    Committee,
    CommitteeKind,
    Evidence,
    Level,
    Vote,
    rank,
)
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation.models import CultivationStatus, JointCultivation
from tandem.institutions.workdays import add_working_days
from tandem.meetings.selectors import report_list_visible_to
from tandem.plans.selectors import milestone_list_visible_to
from tandem.publications.selectors import publication_list_visible_to

REFERENCE_KINDS = ("publication", "milestone", "report")
DEFAULT_REVIEW_MONTHS = {
    Level.CRITICISM: 6,
    Level.WARNING: 6,
    Level.SERIOUS_WARNING: 12,
    Level.DEMERIT: 12,
    Level.PROBATION: 12,
}


def notify(case: Case, users: Iterable[int], *, urgent: bool = False) -> None:
    """The kind's label and the link are the whole text: no name, no fact."""
    notification_send(
        users=set(users),
        kind=NotificationKind.CONDUCT_STEP,
        url=reverse("conduct:case_detail", kwargs={"pk": case.pk}),
        urgent=urgent,
    )


def parties(case: Case) -> set[int]:
    """The trainee, the coordinators of both institutions and the deciding committee."""
    return (
        {case.trainee_id}
        | selectors.coordinator_ids_of((case.cultivation.home_id, case.cultivation.host_id))
        | selectors.member_ids(case.committee)
    )


def lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update()
        .select_related("cultivation", "committee", "institution", "article_version__article")
        .get(pk=case.pk)
    )


def _text(value: Any) -> str:
    return (value or "").strip()


def today() -> datetime.date:
    return timezone.localdate()


# --- opening -------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: User,
    cultivation: JointCultivation,
    article: Article | None,
    committee: Committee | None,
    conduct_date: datetime.date | None,
    facts: str,
    proposed_level: str,
    involved: Iterable[User] = (),
) -> Case:
    """Open a case about the trainee of `cultivation`, citing `article` as in force on the
    date of the conduct; the deciding committee is one of the article's institution."""
    if not permissions.can_open_case(actor, cultivation):
        raise PermissionDenied(
            _("Only a coordinator of the trainee's home or host institution opens a case.")
        )
    errors: dict[str, list[str]] = {}
    facts = _text(facts)
    if cultivation.status not in (CultivationStatus.ACTIVE, CultivationStatus.SUSPENDED):
        errors["cultivation"] = [_("A case is opened only during an active joint cultivation.")]
    if not facts:
        errors["facts"] = [_("Describe the facts of the case.")]
    if proposed_level not in Level.values:
        errors["proposed_level"] = [_("Choose the sanction the committee will consider.")]
    if conduct_date is None:
        errors["conduct_date"] = [_("Give the date of the conduct.")]
    elif conduct_date > today():
        errors["conduct_date"] = [_("The date of the conduct cannot be in the future.")]
    sides = (cultivation.home_id, cultivation.host_id)
    version = None
    if article is None or article.regulation.institution_id not in sides:
        errors["article"] = [
            _("Cite an article of a regulation of the trainee's home or host institution.")
        ]
    elif conduct_date is not None:
        version = selectors.version_in_force(article, conduct_date)
        if version is None:
            errors["article"] = [
                _(
                    "Article %(number)s was not in force on %(date)s, the date of the "
                    "conduct: cite an article in force on that date."
                )
                % {"number": article.number, "date": conduct_date.isoformat()}
            ]
    if committee is None or (
        article is not None
        and (
            committee.institution_id != article.regulation.institution_id
            or committee.kind != CommitteeKind.DISCIPLINE
        )
    ):
        errors["committee"] = [
            _("Choose a discipline committee of the institution whose regulation you cite.")
        ]
    elif not selectors.member_ids(committee):
        errors["committee"] = [_("This committee has no members yet.")]
    people = list(involved)
    if errors:
        raise ValidationError(errors)
    assert article is not None and version is not None and committee is not None
    assert conduct_date is not None
    regulation = article.regulation
    opened = today()
    case = Case(
        cultivation=cultivation,
        trainee_id=cultivation.trainee_id,
        institution_id=regulation.institution_id,
        article_version=version,
        committee=committee,
        conduct_date=conduct_date,
        facts=facts,
        proposed_level=proposed_level,
        opened_by=actor,
        response_due=add_working_days(regulation.institution_id, opened, regulation.response_days),
    )
    case.full_clean()
    case.save()
    if people:
        case.involved.set(people)
    audit_record(
        actor=actor,
        action="conduct_case.open",
        target=case,
        changes={
            "proposed_level": [None, proposed_level],
            "response_due": [None, case.response_due],
        },
    )
    notify(case, parties(case) - {actor.pk}, urgent=True)
    return case


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    case: Case,
    description: str,
    file: Any = None,
    reference_kind: str = "",
    reference_id: Any = None,
) -> Evidence:
    """A file, or a reference to a record in Tandem the actor can see."""
    case = lock(case)
    if not permissions.can_add_evidence(actor, case):
        raise PermissionDenied(_("Only the coordinators and the committee add evidence."))
    if not case.is_open:
        raise ValidationError(_("The case is decided: no more evidence is added."))
    errors: dict[str, list[str]] = {}
    description = _text(description)
    if not description:
        errors["description"] = [_("Say what the evidence shows.")]
    reference_kind = _text(reference_kind)
    number = None
    if reference_kind:
        if reference_kind not in REFERENCE_KINDS:
            errors["reference_kind"] = [_("Choose a publication, a milestone or a report.")]
        else:
            try:
                number = int(str(reference_id))
            except (TypeError, ValueError):
                number = None
            if number is None or not _reference_visible(actor, reference_kind, number, case):
                errors["reference_id"] = [_("No such record of this trainee that you can see.")]
    elif not file:
        errors["file"] = [_("Attach a file or refer to a record in Tandem.")]
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        case=case,
        description=description,
        reference_kind=reference_kind,
        reference_id=number,
        added_by=actor,
    )
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    audit_record(actor=actor, action="conduct_case.evidence", target=case)
    return evidence


def _reference_visible(actor: User, kind: str, pk: int, case: Case) -> bool:
    if kind == "publication":
        return publication_list_visible_to(actor).filter(pk=pk).exists()
    if kind == "milestone":
        return (
            milestone_list_visible_to(actor)
            .filter(pk=pk, plan__cultivation__trainee_id=case.trainee_id)
            .exists()
        )
    return report_list_visible_to(actor).filter(pk=pk, trainee_id=case.trainee_id).exists()


# --- the trainee's side ---------------------------------------------------------------------


def _require_trainee(actor: User, case: Case) -> None:
    if not permissions.can_respond_case(actor, case):
        raise PermissionDenied(_("Only the trainee the case concerns answers it."))


def _require_response_window(case: Case) -> None:
    if case.status != CaseStatus.AWAITING_RESPONSE or case.has_answered:
        raise ValidationError(_("The case is no longer waiting for your response."))
    if today() > case.response_due:
        raise ValidationError(
            _("The response was due on %(date)s; the deadline has passed.")
            % {"date": case.response_due.isoformat()}
        )


@transaction.atomic
def case_respond(
    *, actor: User, case: Case, response: str = "", waive: bool = False, hearing: bool = False
) -> Case:
    """The trainee's written response (or a written waiver of it), with a request for a
    hearing when the sanction considered is a demerit or graver."""
    case = lock(case)
    _require_trainee(actor, case)
    _require_response_window(case)
    response = _text(response)
    errors: dict[str, list[str]] = {}
    if waive and response:
        errors["response"] = [_("Either respond or waive your response, not both.")]
    elif not waive and not response:
        errors["response"] = [_("Write your response, or waive it in writing.")]
    if len(response) > 8000:
        errors["response"] = [_("Keep the response under 8,000 characters.")]
    if hearing and rank(case.proposed_level) < rank(HEARING_FROM):
        errors["hearing"] = [
            _("A hearing can be requested when a demerit or a graver sanction is considered.")
        ]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if waive:
        case.waived_at = now
    else:
        case.response = response
        case.responded_at = now
    if hearing:
        case.hearing_requested_at = now
        case.status = CaseStatus.HEARING_REQUESTED
    else:
        case.status = CaseStatus.DELIBERATION
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action="conduct_case.waive" if waive else "conduct_case.respond",
        target=case,
    )
    if hearing:
        audit_record(actor=actor, action="conduct_case.hearing_request", target=case)
    notify(case, parties(case) - {actor.pk})
    return case


@transaction.atomic
def hearing_schedule(
    *, actor: User, case: Case, hearing_at: datetime.datetime | None, place: str
) -> Case:
    case = lock(case)
    if not permissions.can_schedule_hearing(actor, case):
        raise PermissionDenied(_("Only the deciding institution or its committee schedules it."))
    if case.status not in (CaseStatus.HEARING_REQUESTED, CaseStatus.HEARING_SCHEDULED):
        raise ValidationError(_("No hearing has been requested in this case."))
    errors: dict[str, list[str]] = {}
    place = _text(place)
    if hearing_at is None:
        errors["hearing_at"] = [_("Give the date and time of the hearing.")]
    elif hearing_at <= timezone.now():
        errors["hearing_at"] = [_("The hearing must be in the future.")]
    if not place:
        errors["place"] = [_("Say where the hearing takes place.")]
    if errors:
        raise ValidationError(errors)
    case.hearing_at = hearing_at
    case.hearing_place = place
    case.status = CaseStatus.HEARING_SCHEDULED
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action="conduct_case.hearing_schedule",
        target=case,
        changes={"hearing_at": [None, hearing_at]},
    )
    notify(case, parties(case) - {actor.pk}, urgent=True)
    return case


@transaction.atomic
def hearing_record(*, actor: User, case: Case, record: str) -> Case:
    case = lock(case)
    if not permissions.can_schedule_hearing(actor, case):
        raise PermissionDenied(_("Only the deciding institution or its committee records it."))
    if case.status != CaseStatus.HEARING_SCHEDULED:
        raise ValidationError(_("No hearing is scheduled in this case."))
    assert case.hearing_at is not None
    if timezone.now() < case.hearing_at:
        raise ValidationError(_("The hearing has not taken place yet."))
    record = _text(record)
    if not record:
        raise field_error("record", _("Write the record of the hearing."))
    case.hearing_record = record
    case.status = CaseStatus.DELIBERATION
    case.full_clean()
    case.save()
    audit_record(actor=actor, action="conduct_case.hearing_record", target=case)
    notify(case, parties(case) - {actor.pk})
    return case


@transaction.atomic
def case_comment(*, actor: User, case: Case, comment: str) -> Case:
    """The other institution's comment, before the decision (a later one replaces it)."""
    case = lock(case)
    if not permissions.can_comment_case(actor, case):
        raise PermissionDenied(_("Only a coordinator of the other institution comments here."))
    if not case.is_open:
        raise ValidationError(_("The case is decided: comments were taken before the decision."))
    comment = _text(comment)
    if not comment:
        raise field_error("comment", _("Write the comment."))
    case.comment = comment
    case.commented_by = actor
    case.commented_at = timezone.now()
    case.full_clean()
    case.save()
    audit_record(actor=actor, action="conduct_case.comment", target=case)
    notify(case, selectors.member_ids(case.committee) | {case.trainee_id})
    return case


# --- deliberation and decision ----------------------------------------------------------------


def _require_ready(case: Case) -> None:
    """A decision waits for the trainee: their response, a written waiver, or the deadline
    passed; a requested hearing must have been held."""
    if case.status in (CaseStatus.HEARING_REQUESTED, CaseStatus.HEARING_SCHEDULED):
        raise ValidationError(_("The hearing the trainee requested must be held first."))
    if case.status == CaseStatus.AWAITING_RESPONSE and today() <= case.response_due:
        raise ValidationError(
            _(
                "The trainee's response is due on %(date)s: the committee decides after that "
                "date, unless the trainee responds or waives the response in writing first."
            )
            % {"date": case.response_due.isoformat()}
        )
    if case.status not in OPEN_STATUSES:
        raise ValidationError(_("This case has already been decided."))


def _require_member(actor: User, case: Case) -> None:
    if not permissions.is_committee_member(actor, case):
        raise PermissionDenied(_("Only the members of the deciding committee vote and decide."))
    if permissions.is_recused(actor, case):
        raise PermissionDenied(
            _(
                "You are recused from this case (you are the trainee, one of their tutors, "
                "the person who opened it or involved in it): you cannot vote or decide."
            )
        )


def _level(value: Any, case: Case, field: str) -> str:
    level = _text(value)
    if level and level not in Level.values:
        raise field_error(field, _("Choose a sanction of the list, or none."))
    if level and rank(level) > rank(case.proposed_level):
        raise field_error(
            field,
            _(
                "The committee cannot decide a graver sanction than the one the trainee was "
                "told was considered (%(level)s)."
            )
            % {"level": Level(case.proposed_level).label},
        )
    return level


@transaction.atomic
def case_vote(*, actor: User, case: Case, level: str) -> Vote:
    """A member's vote: a sanction no graver than the one considered, or "" for none."""
    case = lock(case)
    _require_member(actor, case)
    _require_ready(case)
    chosen = _level(level, case, "level")
    vote, _created = Vote.objects.update_or_create(
        case=case, member=actor, defaults={"level": chosen, "cast_at": timezone.now()}
    )
    audit_record(actor=actor, action="conduct_case.vote", target=case)
    return vote


def tally(case: Case) -> tuple[str | None, int, int]:
    """(the level a majority of the votes cast chose or None, votes cast, members eligible)."""
    eligible = selectors.member_ids(case.committee) - selectors.recused_ids(case)
    votes = [v.level for v in case.votes.all() if v.member_id in eligible]
    counts = Counter(votes)
    winner = None
    for level, count in counts.items():
        if count * 2 > len(votes):
            winner = level
    return winner, len(votes), len(eligible)


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case: Case,
    outcome: str,
    reasons: str,
    appeal_body: Committee | None = None,
    review_months: Any = None,
) -> Case:
    """The committee's decision, as a majority of its eligible members voted, with written
    reasons; a sanction names the appeal body (another body) and a review period."""
    case = lock(case)
    _require_member(actor, case)
    _require_ready(case)
    chosen = _level(outcome, case, "outcome")
    errors: dict[str, list[str]] = {}
    reasons = _text(reasons)
    if not reasons:
        errors["reasons"] = [_("Write the reasons for the decision.")]
    winner, cast, eligible = tally(case)
    if cast * 2 <= eligible:
        errors["outcome"] = [
            _("More than half of the %(eligible)s eligible members must vote first (%(cast)s did).")
            % {"eligible": eligible, "cast": cast}
        ]
    elif winner is None or winner != chosen:
        errors["outcome"] = [_("The decision must be what a majority of the votes chose.")]
    months = 0
    if chosen:
        if appeal_body is None or appeal_body.pk == case.committee_id:
            errors["appeal_body"] = [
                _("Name the appeal body: a body other than the committee that decides.")
            ]
        elif not selectors.appeal_bodies_for(case).filter(pk=appeal_body.pk).exists():
            errors["appeal_body"] = [_("Choose an appeal body of the home or host institution.")]
        elif not selectors.member_ids(appeal_body) - selectors.appeal_recused_ids(case):
            errors["appeal_body"] = [
                _("This appeal body has no member who did not take part in the decision.")
            ]
        if chosen != Level.TERMINATION:
            default = DEFAULT_REVIEW_MONTHS[Level(chosen)]
            try:
                months = int(str(review_months)) if review_months not in (None, "") else default
            except (TypeError, ValueError):
                months = -1
            if not 1 <= months <= 24:
                errors["review_months"] = [_("Give a review period of 1 to 24 months.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    case.outcome = chosen
    case.reasons = reasons
    case.decided_by = actor
    case.decided_at = now
    case.review_months = months
    if chosen:
        regulation = case.article_version.article.regulation
        case.status = CaseStatus.DECIDED
        case.appeal_body = appeal_body
        case.appeal_due = add_working_days(case.institution_id, today(), regulation.appeal_days)
    else:
        case.status = CaseStatus.DISMISSED
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action="conduct_case.decide",
        target=case,
        changes={"outcome": [None, chosen or None], "appeal_due": [None, case.appeal_due]},
    )
    tutors = selectors.tutor_ids_of(case) if chosen else set()
    notify(case, (parties(case) | tutors) - {actor.pk}, urgent=True)
    return case
