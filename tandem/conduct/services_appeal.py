"""After the decision: the appeal window, an appeal to another body and its final decision,
the sanction coming into force (with the termination of the joint cultivation when that is
the outcome), its review date and lifting, and the record of what the home institution itself
decided (an expulsion is never decided here).

A decided sanction is not in force during the appeal window nor while an appeal is pending
(decision 095): it comes into force when the window closes without an appeal (the sweep
`cases_bring_into_force`), when the trainee accepts the decision in writing, or when the
appeal body upholds or reduces it.
"""

import calendar
import datetime
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.conduct import permissions, selectors
from tandem.conduct.models import Appeal, AppealOutcome, Case, CaseStatus, Level, rank
from tandem.conduct.services import lock, notify, parties, today
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.cultivation.services import lock_cultivation
from tandem.cultivation.services_termination import terminate_by_decision
from tandem.institutions.workdays import WorkingCalendar


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def review_date_for(case: Case, start: datetime.date) -> datetime.date:
    """`review_months` after `start`, on the next working day of the deciding institution's
    calendar when that date is a holiday or a weekend."""
    target = add_months(start, case.review_months)
    working = WorkingCalendar.for_institution(
        case.institution_id, target, target + datetime.timedelta(days=60)
    )
    while not working.is_working_day(target):
        target += datetime.timedelta(days=1)
    return target


def _carry_out_termination(case: Case, actor: User | None) -> None:
    """End the joint cultivation as the sanction decides, closing what the coordinators'
    termination closes (pair, stays, debriefings, bookings, fund allocations) in this
    transaction; the home enrolment stays. In the sweep (no one acting) the decision's author
    carries it out."""
    cultivation = lock_cultivation(case.cultivation)
    # A case in force has been decided: `decided_by` is set.
    terminate_by_decision(
        actor=cast(User, actor or case.decided_by),
        cultivation=cultivation,
        reason=_("Terminated by the decision in discipline case %(number)s.") % {"number": case.pk},
        institution_id=case.institution_id,
    )


def _bring_into_force(case: Case, actor: User | None) -> None:
    start = today()
    case.status = CaseStatus.IN_FORCE
    case.in_force_from = start
    case.review_date = review_date_for(case, start) if case.outcome != Level.TERMINATION else None
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action="conduct_case.in_force",
        target=case,
        changes={"review_date": [None, case.review_date]},
    )
    if case.outcome == Level.TERMINATION:
        _carry_out_termination(case, actor)
    notify(case, parties(case) | selectors.tutor_ids_of(case))


@transaction.atomic
def case_accept(*, actor: User, case: Case) -> Case:
    """The trainee accepts the decision in writing and gives up the appeal: in force now."""
    case = lock(case)
    if not permissions.can_appeal_case(actor, case):
        raise PermissionDenied(_("Only the trainee the case concerns accepts the decision."))
    if case.status != CaseStatus.DECIDED:
        raise ValidationError(_("There is no decision awaiting your appeal or acceptance."))
    audit_record(actor=actor, action="conduct_case.accept", target=case)
    _bring_into_force(case, actor)
    return case


@transaction.atomic
def cases_bring_into_force(*, on: datetime.date | None = None) -> int:
    """The sweep: decisions whose appeal window closed without an appeal come into force."""
    day = on or today()
    count = 0
    for case in selectors.cases_awaiting_force(day).select_for_update():
        case = lock(case)
        _bring_into_force(case, None)
        count += 1
    return count


@transaction.atomic
def appeal_lodge(*, actor: User, case: Case, grounds: str) -> Appeal:
    case = lock(case)
    if not permissions.can_appeal_case(actor, case):
        raise PermissionDenied(_("Only the trainee the case concerns appeals."))
    if case.status != CaseStatus.DECIDED:
        raise ValidationError(_("There is no decision open to appeal."))
    assert case.appeal_due is not None and case.appeal_body is not None
    if today() > case.appeal_due:
        raise ValidationError(
            _("The appeal had to be lodged by %(date)s; the window has closed.")
            % {"date": case.appeal_due.isoformat()}
        )
    grounds = (grounds or "").strip()
    if not grounds:
        raise field_error("grounds", _("Write the grounds of your appeal."))
    if case.appeal_body_id == case.committee_id:  # the constraint says so too
        raise ValidationError(_("The appeal goes to a body other than the one that decided."))
    appeal = Appeal(case=case, body=case.appeal_body, grounds=grounds)
    appeal.full_clean()
    appeal.save()
    case.status = CaseStatus.UNDER_APPEAL
    case.full_clean()
    case.save()
    audit_record(actor=actor, action="conduct_case.appeal", target=case)
    notify(
        case,
        (parties(case) | selectors.member_ids(appeal.body) | selectors.tutor_ids_of(case))
        - {actor.pk},
        urgent=True,
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: User, case: Case, outcome: str, reasons: str, reduced_to: str = ""
) -> Appeal:
    """The appeal body's final decision: upheld, reduced (to a lighter sanction) or
    annulled. A member who took part in the first decision, or is otherwise recused, cannot."""
    case = lock(case)
    if not permissions.is_appeal_member(actor, case):
        raise PermissionDenied(_("Only the members of the appeal body decide the appeal."))
    if actor.pk in selectors.appeal_recused_ids(case):
        raise PermissionDenied(
            _(
                "You are recused from this appeal (you took part in the first decision, or "
                "you are the trainee, one of their tutors or involved in the case)."
            )
        )
    if case.status != CaseStatus.UNDER_APPEAL:
        raise ValidationError(_("No appeal is pending in this case."))
    appeal = Appeal.objects.select_for_update().get(case=case)
    errors: dict[str, list[str]] = {}
    reasons = (reasons or "").strip()
    reduced_to = (reduced_to or "").strip()
    if outcome not in AppealOutcome.values:
        errors["outcome"] = [_("Choose upheld, reduced or annulled.")]
    if not reasons:
        errors["reasons"] = [_("Write the reasons for the appeal decision.")]
    if outcome == AppealOutcome.REDUCED and (
        reduced_to not in Level.values or rank(reduced_to) >= rank(case.outcome)
    ):
        errors["reduced_to"] = [_("Choose a sanction lighter than the one decided.")]
    if errors:
        raise ValidationError(errors)
    appeal.outcome = outcome
    appeal.reduced_to = reduced_to if outcome == AppealOutcome.REDUCED else ""
    appeal.reasons = reasons
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.full_clean()
    appeal.save()
    audit_record(
        actor=actor,
        action="conduct_case.appeal_decide",
        target=case,
        changes={"appeal": [None, outcome]},
    )
    if outcome == AppealOutcome.ANNULLED:
        case.status = CaseStatus.ANNULLED
        case.full_clean()
        case.save()
        notify(case, parties(case) | selectors.tutor_ids_of(case))
    else:
        if outcome == AppealOutcome.REDUCED:
            case.outcome = reduced_to
            if case.review_months == 0:  # reduced from termination
                case.review_months = 6
        _bring_into_force(case, actor)
    return appeal


@transaction.atomic
def case_lift(*, actor: User, case: Case, reasons: str, early: bool = False) -> Case:
    """The committee lifts (解除) a sanction on good conduct at its review date — earlier
    only when it says so (`early`) for the conduct that merits it. The record stays."""
    case = lock(case)
    if not permissions.is_committee_member(actor, case) or permissions.is_recused(actor, case):
        raise PermissionDenied(_("Only a member of the deciding committee lifts a sanction."))
    if case.status != CaseStatus.IN_FORCE:
        raise ValidationError(_("Only a sanction in force is lifted."))
    if case.outcome == Level.TERMINATION or case.review_date is None:
        raise ValidationError(_("The termination of a joint cultivation is not lifted."))
    reasons = (reasons or "").strip()
    errors: dict[str, list[str]] = {}
    if not reasons:
        errors["reasons"] = [_("Write the reasons for lifting the sanction.")]
    if today() < case.review_date and not early:
        errors["early"] = [
            _(
                "The review date is %(date)s: lifting earlier is an exception the committee "
                "must state (tick “early”, with the conduct that merits it)."
            )
            % {"date": case.review_date.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    case.status = CaseStatus.LIFTED
    case.lifted_at = timezone.now()
    case.lifted_by = actor
    case.lift_reasons = reasons
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action="conduct_case.lift",
        target=case,
        changes={"early": [None, bool(today() < case.review_date)]},
    )
    notify(case, parties(case) - {actor.pk})
    return case


@transaction.atomic
def home_outcome_record(*, actor: User, case: Case, text: str) -> Case:
    """What the home institution decided on its own (e.g. an expulsion): recorded, not made."""
    case = lock(case)
    if not permissions.can_record_home_outcome(actor, case):
        raise PermissionDenied(_("Only a coordinator of the home institution records this."))
    if case.is_open:
        raise ValidationError(_("Record the home institution's outcome after the decision."))
    text = (text or "").strip()
    if not text:
        raise field_error("text", _("Say what the home institution decided, and when."))
    case.home_outcome = text
    case.home_outcome_recorded_at = timezone.now()
    case.full_clean()
    case.save()
    audit_record(actor=actor, action="conduct_case.home_outcome", target=case)
    notify(case, parties(case) - {actor.pk})
    return case
