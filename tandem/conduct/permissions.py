"""Who may do what in discipline cases: one predicate per action, answering for one object.
Services call these; templates show buttons by them. The state checks (is the case at that
step, is the deadline past) are the services' own, so that each refusal says what is wrong."""

from typing import Any

from tandem.conduct import selectors
from tandem.conduct.models import Case, CaseStatus, Committee, Regulation
from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation
from tandem.institutions.models import Institution


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_rules(user: Any, institution: Institution | int) -> bool:
    """Regulations and committees: the institution's own coordinators."""
    pk = institution if isinstance(institution, int) else institution.pk
    return _signed_in(user) and pk in tenancy.coordinated_institution_ids(user)


def can_change_regulation(user: Any, regulation: Regulation) -> bool:
    return can_manage_rules(user, regulation.institution_id)


def can_change_committee(user: Any, committee: Committee) -> bool:
    return can_manage_rules(user, committee.institution_id)


def can_open_case(user: Any, cultivation: JointCultivation | None = None) -> bool:
    coordinated = tenancy.coordinated_institution_ids(user) if _signed_in(user) else set()
    if cultivation is None:
        return bool(coordinated)
    return bool(coordinated & {cultivation.home_id, cultivation.host_id})


def is_case_coordinator(user: Any, case: Case) -> bool:
    return _signed_in(user) and bool(
        tenancy.coordinated_institution_ids(user)
        & {case.cultivation.home_id, case.cultivation.host_id}
    )


def is_deciding_coordinator(user: Any, case: Case) -> bool:
    return _signed_in(user) and case.institution_id in tenancy.coordinated_institution_ids(user)


def is_other_side_coordinator(user: Any, case: Case) -> bool:
    other = {case.cultivation.home_id, case.cultivation.host_id} - {case.institution_id}
    return _signed_in(user) and bool(tenancy.coordinated_institution_ids(user) & other)


def is_committee_member(user: Any, case: Case) -> bool:
    return _signed_in(user) and user.pk in selectors.member_ids(case.committee)


def is_recused(user: Any, case: Case) -> bool:
    return user.pk in selectors.recused_ids(case)


def can_respond_case(user: Any, case: Case) -> bool:
    return _signed_in(user) and case.trainee_id == user.pk


def can_add_evidence(user: Any, case: Case) -> bool:
    return is_case_coordinator(user, case) or is_committee_member(user, case)


def can_schedule_hearing(user: Any, case: Case) -> bool:
    return is_deciding_coordinator(user, case) or is_committee_member(user, case)


def can_comment_case(user: Any, case: Case) -> bool:
    return is_other_side_coordinator(user, case)


def can_vote_case(user: Any, case: Case) -> bool:
    return is_committee_member(user, case) and not is_recused(user, case)


def can_decide_case(user: Any, case: Case) -> bool:
    return can_vote_case(user, case)


def can_appeal_case(user: Any, case: Case) -> bool:
    return can_respond_case(user, case)


def is_appeal_member(user: Any, case: Case) -> bool:
    appeal = getattr(case, "appeal", None) if case.pk else None
    body = appeal.body if appeal is not None else case.appeal_body
    return _signed_in(user) and user.pk in selectors.member_ids(body)


def can_decide_appeal(user: Any, case: Case) -> bool:
    return is_appeal_member(user, case) and user.pk not in selectors.appeal_recused_ids(case)


def can_lift_case(user: Any, case: Case) -> bool:
    return can_vote_case(user, case)


def can_record_home_outcome(user: Any, case: Case) -> bool:
    return _signed_in(user) and (
        case.cultivation.home_id in tenancy.coordinated_institution_ids(user)
    )


def can_read_letter(user: Any, case: Case) -> bool:
    return case.status != CaseStatus.AWAITING_RESPONSE and bool(case.decided_at)


def can_view_counts(user: Any) -> bool:
    return _signed_in(user) and (
        tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))
    )
