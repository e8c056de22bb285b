"""Who may do what with an agreement. Views and the API ask these; the services ask again.

`can_manage_agreement` answers "is this person on the agreement's side at all" (a coordinator
of one of its parties, or a consortium admin); the other predicates add the state the agreement
must be in, so pages show only the buttons that will work.
"""

from typing import Any

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core import tenancy


def party_institution_ids(agreement: Agreement) -> set[int]:
    # Uses the prefetched parties when the selector loaded them.
    return {party.institution_id for party in agreement.parties.all()}


def signed_institution_ids(agreement: Agreement) -> set[int]:
    return {signature.institution_id for signature in agreement.signatures.all()}


def can_create_agreement(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))


def can_act_for_parties(user: Any, institution_ids: set[int]) -> bool:
    """A consortium admin, or a coordinator of one of `institution_ids` (the parties of an
    agreement, or those named in a draft before it exists)."""
    if tenancy.is_consortium_admin(user):
        return True
    return bool(tenancy.coordinated_institution_ids(user) & institution_ids)


def can_manage_agreement(user: Any, agreement: Agreement) -> bool:
    return can_act_for_parties(user, party_institution_ids(agreement))


def can_edit_agreement(user: Any, agreement: Agreement) -> bool:
    return agreement.status == AgreementStatus.DRAFT and can_manage_agreement(user, agreement)


def coordinated_party_ids(user: Any, agreement: Agreement) -> set[int]:
    """The party institutions this person coordinates (admins coordinate none of them)."""
    return tenancy.coordinated_institution_ids(user) & party_institution_ids(agreement)


def institutions_user_may_sign_for(user: Any, agreement: Agreement) -> set[int]:
    """Party institutions this person coordinates that have not signed yet."""
    if not agreement.is_open:
        return set()
    return coordinated_party_ids(user, agreement) - signed_institution_ids(agreement)


def can_sign_agreement(user: Any, agreement: Agreement) -> bool:
    return bool(institutions_user_may_sign_for(user, agreement))


def may_sign_as_party(user: Any, agreement: Agreement) -> bool:
    """A coordinator of a party: the only kind of person who ever signs (admins do not)."""
    return bool(coordinated_party_ids(user, agreement))


def has_open_amendment(agreement: Agreement) -> bool:
    amendment = getattr(agreement, "amendment", None)
    return amendment is not None and amendment.is_open


def can_amend_agreement(user: Any, agreement: Agreement) -> bool:
    return (
        agreement.status == AgreementStatus.ACTIVE
        and not has_open_amendment(agreement)
        and can_manage_agreement(user, agreement)
    )


def can_terminate_agreement(user: Any, agreement: Agreement) -> bool:
    return agreement.status == AgreementStatus.ACTIVE and can_manage_agreement(user, agreement)


def can_withdraw_agreement(user: Any, agreement: Agreement) -> bool:
    return agreement.is_open and can_manage_agreement(user, agreement)


ATTACHABLE = (AgreementStatus.DRAFT, AgreementStatus.SIGNING, AgreementStatus.ACTIVE)


def can_add_attachment(user: Any, agreement: Agreement) -> bool:
    return agreement.status in ATTACHABLE and can_manage_agreement(user, agreement)
