"""Who may do what in residency scheduling. Views and the API ask these; services ask again.

- The residency training office (coordinators of a hospital) manages its bases, calendars,
  programs, cohorts, proposals and published schedules; consortium admins may do the same.
- An exchange quota is set or removed by the training office of either hospital.
- A base director edits the departments of their own base only.
- A partner hospital's coordinator approves the residents a proposal sends to them.
- A resident asks for leave and swaps on their own published schedule; the resident asked to
  swap accepts or declines before the training office decides.
"""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.institutions.models import Unit, UnitKind
from tandem.residency.models import (
    CohortMember,
    Department,
    ExchangeQuota,
    PartnerApproval,
    ProposalStatus,
    RequestStatus,
    ScheduleProposal,
    SwapConsent,
)


def can_manage_institution(user: Any, institution_id: int | None) -> bool:
    if tenancy.is_consortium_admin(user):
        return True
    return institution_id is not None and institution_id in tenancy.coordinated_institution_ids(
        user
    )


def can_manage_any(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_edit_base(user: Any, base: Unit) -> bool:
    if base.kind != UnitKind.TRAINING_BASE:
        return False
    if can_manage_institution(user, base.institution_id):
        return True
    return base.pk in tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)


def can_create_department(user: Any) -> bool:
    return can_manage_any(user) or bool(tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR))


def can_edit_department(user: Any, department: Department) -> bool:
    return can_edit_base(user, department.base)


def can_manage_cohort(user: Any, cohort: Any) -> bool:
    return can_manage_institution(user, cohort.institution_id)


def can_create_program(user: Any) -> bool:
    return can_manage_any(user)


def can_edit_program(user: Any, program: Any) -> bool:
    return can_manage_institution(user, program.institution_id)


def can_edit_requirement(user: Any, requirement: Any) -> bool:
    return can_edit_program(user, requirement.program)


def can_create_cohort(user: Any) -> bool:
    return can_manage_any(user)


def can_edit_member(user: Any, member: CohortMember) -> bool:
    return can_manage_cohort(user, member.cohort)


def can_view_quotas(user: Any) -> bool:
    """The quota page is the training offices' (others see quotas on the residency home)."""
    return can_manage_any(user)


def can_edit_quota(user: Any, quota: ExchangeQuota) -> bool:
    return can_manage_institution(user, quota.from_institution_id) or can_manage_institution(
        user, quota.to_institution_id
    )


def pending_partner_ids(proposal: ScheduleProposal) -> set[int]:
    return {a.institution_id for a in proposal.partner_approvals.all() if a.approved_at is None}


def can_approve_proposal(user: Any, proposal: ScheduleProposal) -> bool:
    if proposal.status != ProposalStatus.DONE:
        return False
    return bool(tenancy.coordinated_institution_ids(user) & pending_partner_ids(proposal))


def may_approve_as_partner(user: Any, proposal: ScheduleProposal) -> bool:
    """A coordinator of a partner hospital the proposal sends residents to."""
    partners = {a.institution_id for a in proposal.partner_approvals.all()}
    return bool(tenancy.coordinated_institution_ids(user) & partners)


def can_publish_proposal(user: Any, proposal: ScheduleProposal) -> bool:
    return (
        proposal.status == ProposalStatus.DONE
        and not pending_partner_ids(proposal)
        and can_manage_cohort(user, proposal.cohort)
    )


def can_edit_proposal(user: Any, proposal: ScheduleProposal) -> bool:
    """Pin cells and solve again: only proposals not being solved and not yet published."""
    return proposal.status in (
        ProposalStatus.DONE,
        ProposalStatus.INFEASIBLE,
        ProposalStatus.FAILED,
        ProposalStatus.INTERRUPTED,
        ProposalStatus.QUEUED,
    ) and can_manage_cohort(user, proposal.cohort)


def can_stop_proposal(user: Any, proposal: ScheduleProposal) -> bool:
    """Stop a running solve and keep its best schedule so far: the cohort's training office,
    once per solve."""
    return (
        proposal.status == ProposalStatus.SOLVING
        and proposal.stop_requested_at is None
        and can_manage_cohort(user, proposal.cohort)
    )


def can_request_change(user: Any, member: CohortMember) -> bool:
    return member.resident_id == getattr(user, "pk", None)


def can_consent_swap(user: Any, request_obj: Any) -> bool:
    """The resident asked to swap answers while the request waits for them."""
    return (
        request_obj.status == RequestStatus.PENDING
        and request_obj.consent == SwapConsent.ASKED
        and request_obj.other.resident_id == getattr(user, "pk", None)
    )


def can_decide_request(user: Any, request_obj: Any) -> bool:
    return request_obj.status == RequestStatus.PENDING and can_manage_cohort(
        user, request_obj.member.cohort
    )


def all_partners_approved(proposal: ScheduleProposal) -> bool:
    return not PartnerApproval.objects.filter(proposal=proposal, approved_at__isnull=True).exists()
