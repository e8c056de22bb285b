"""Who may do what with wellbeing check-ins: one predicate per action, answering for one
object. Services call these; templates show buttons by them.

Being a coordinator or a consortium admin gives no reading right here: only the designated
officers read check-ins and alerts (decision 089)."""

from typing import Any

from tandem.accounts.models import Role
from tandem.core import tenancy
from tandem.institutions.models import Institution
from tandem.wellbeing import selectors
from tandem.wellbeing.models import (
    AdjustmentProposal,
    AlertStatus,
    CheckIn,
    ProposalStatus,
    WellbeingAlert,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_check_in(user: Any) -> bool:
    return (
        _signed_in(user)
        and Role.TRAINEE in tenancy.roles(user)
        and selectors.home_and_host_of(user)[0] is not None
    )


def is_officer_for(user: Any, checkin: CheckIn) -> bool:
    ids = selectors.officer_institution_ids(user)
    return checkin.home_id in ids or (checkin.share_with_host and checkin.host_id in ids)


def can_read_checkin(user: Any, checkin: CheckIn) -> bool:
    return _signed_in(user) and (checkin.trainee_id == user.pk or is_officer_for(user, checkin))


def is_officer(user: Any) -> bool:
    return bool(selectors.officer_institution_ids(user))


def can_manage_officers(user: Any, institution: Institution) -> bool:
    """The institution's own coordinators; not the consortium admin, not a partner's."""
    return institution.pk in tenancy.coordinated_institution_ids(user)


def can_view_stats(user: Any) -> bool:
    return bool(tenancy.coordinated_institution_ids(user))


def can_handle_alert(user: Any, alert: WellbeingAlert) -> bool:
    return _signed_in(user) and is_officer_for(user, alert.checkin)


def can_acknowledge_alert(user: Any, alert: WellbeingAlert) -> bool:
    return alert.status == AlertStatus.OPEN and can_handle_alert(user, alert)


def can_note_alert(user: Any, alert: WellbeingAlert) -> bool:
    return alert.status != AlertStatus.CLOSED and can_handle_alert(user, alert)


def can_close_alert(user: Any, alert: WellbeingAlert) -> bool:
    return alert.status == AlertStatus.ACKNOWLEDGED and can_handle_alert(user, alert)


def can_propose_adjustment(user: Any, alert: WellbeingAlert) -> bool:
    return alert.status == AlertStatus.ACKNOWLEDGED and can_handle_alert(user, alert)


def can_decide_proposal(user: Any, proposal: AdjustmentProposal) -> bool:
    return (
        _signed_in(user)
        and proposal.status == ProposalStatus.PROPOSED
        and proposal.alert.checkin.trainee_id == user.pk
    )
