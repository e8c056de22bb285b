"""Writes about allocations (money set aside for one joint trainee) and joint fund applications.

An allocation's split between the home and the host follows the agreement's funding shares unless
the proposer gives another. Either way it is in force ("approved by both") only once a coordinator
of the home and one of the host have approved it, each approval recorded with who and when; a
proposing coordinator approves their own side by proposing.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.agreements.models import AgreementParty
from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.core.numbers import format_money
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import current_tutors
from tandem.funds import permissions
from tandem.funds.models import (
    AllocationShare,
    AllocationStatus,
    ApplicationStatus,
    FundAllocation,
    JointFundApplication,
    ResearchFund,
)

OPEN_CULTIVATION = ("proposed", "approved", "active", "suspended")
ALLOCATION_FIELDS = (
    "fund",
    "cultivation",
    "amount",
    "status",
    "warn_below",
    "split_differs_from_agreement",
)
APPLICATION_FIELDS = (
    "title",
    "funder",
    "amount_requested",
    "status",
    "outcome",
    "resulting_fund",
    "first_tutor",
    "second_tutor",
)


def _allocation_state(allocation: FundAllocation) -> dict[str, Any]:
    state = snapshot(allocation, ALLOCATION_FIELDS)
    state["shares"] = [
        f"{s.institution}: {s.share}%" + (" ✓" if s.approved_by_id else "")
        for s in allocation.shares.select_related("institution").order_by("institution_id")
    ]
    return state


def agreement_split(cultivation: JointCultivation) -> dict[int, Decimal]:
    """The home's and the host's funding shares (per cent) from the cultivation's agreement."""
    parties = AgreementParty.objects.filter(
        agreement_id=cultivation.agreement_id,
        institution_id__in=[cultivation.home_id, cultivation.host_id],
    ).values_list("institution_id", "funding_share")
    split = {cultivation.home_id: Decimal("0"), cultivation.host_id: Decimal("0")}
    split.update(dict(parties))
    return split


def _clean_split(cultivation: JointCultivation, shares: dict[int, Any]) -> dict[int, Decimal]:
    sides = {cultivation.home_id, cultivation.host_id}
    cleaned: dict[int, Decimal] = {}
    for institution_id, value in shares.items():
        key = getattr(institution_id, "pk", institution_id)
        if key not in sides:
            raise field_error("shares", _("Only the home and the host institution bear shares."))
        try:
            share = Decimal(str(value))
        except ArithmeticError:
            raise field_error("shares", _("A share must be a number.")) from None
        if not Decimal("0") <= share <= Decimal("100"):
            raise field_error("shares", _("A share lies between 0 and 100 per cent."))
        cleaned[key] = share
    for side in sides:
        cleaned.setdefault(side, Decimal("0"))
    if sum(cleaned.values()) != Decimal("100"):
        raise field_error("shares", _("The shares of the home and the host must add up to 100."))
    return cleaned


@transaction.atomic
def allocation_propose(
    *,
    actor: User,
    fund: ResearchFund,
    cultivation: JointCultivation,
    amount: Decimal,
    warn_below: Decimal = Decimal("0"),
    shares: dict[int, Any] | None = None,
) -> FundAllocation:
    """Set money aside from `fund` for a joint trainee's research.

    The split defaults to the agreement's funding shares. The allocation waits for the
    coordinators of both sides; the sides the proposing coordinator coordinates count as
    approved by them."""
    fund = ResearchFund.objects.select_for_update(of=("self",)).get(pk=fund.pk)
    if not permissions.can_allocate(actor, fund):
        raise PermissionDenied(_("Only the fund's coordinators or its PI can allocate money."))
    if fund.institution_id not in (cultivation.home_id, cultivation.host_id):
        raise field_error(
            "fund", _("The fund must belong to the trainee's home or host institution.")
        )
    if cultivation.status not in OPEN_CULTIVATION:
        raise field_error("cultivation", _("The joint cultivation has ended."))
    if amount is None or amount <= 0:
        raise field_error("amount", _("The amount must be more than zero."))
    if warn_below is None or warn_below < 0:
        raise field_error("warn_below", _("The threshold cannot be negative."))
    committed = (
        FundAllocation.objects.filter(fund=fund)
        .exclude(status=AllocationStatus.CLOSED)
        .aggregate(left=Sum(F("amount") - F("spent"), default=Decimal("0")))["left"]
    )
    available = fund.balance - committed
    if amount > available:
        raise field_error(
            "amount",
            _("Only %(available)s CNY of the fund are not yet allocated.")
            % {"available": format_money(max(available, Decimal("0")))},
        )
    default = agreement_split(cultivation)
    split = default if shares is None else _clean_split(cultivation, shares)
    differs = split != default
    allocation = FundAllocation(
        fund=fund,
        cultivation=cultivation,
        amount=amount,
        warn_below=warn_below,
        created_by=actor,
        split_differs_from_agreement=differs,
        status=AllocationStatus.PROPOSED,
    )
    allocation.full_clean()
    allocation.save()
    now = timezone.now()
    own_sides = tenancy.coordinated_institution_ids(actor)
    for institution_id, share in sorted(split.items()):
        row = AllocationShare(allocation=allocation, institution_id=institution_id, share=share)
        if institution_id in own_sides:
            row.approved_by, row.approved_at = actor, now
        row.full_clean(exclude=["allocation", "institution", "approved_by"])
        row.save()
    if not allocation.shares.filter(approved_by__isnull=True).exists():
        allocation.status = AllocationStatus.APPROVED
        allocation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="allocation.propose",
        target=allocation,
        changes=diff({}, _allocation_state(allocation)),
    )
    return allocation


@transaction.atomic
def allocation_approve(
    *, actor: User, allocation: FundAllocation, institution: int | None = None
) -> FundAllocation:
    """A coordinator of the home or the host approves the allocation for their side; it is in
    force once both sides have approved."""
    allocation = (
        FundAllocation.objects.select_for_update(of=("self",))
        .select_related("cultivation")
        .get(pk=allocation.pk)
    )
    if not permissions.may_approve_as_side(actor, allocation):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host approve a split.")
        )
    pending = permissions.sides_user_may_approve(actor, allocation)
    if institution is not None:
        institution = getattr(institution, "pk", institution)
        pending &= {institution}
    if not pending:
        raise ValidationError(_("There is nothing left for you to approve on this allocation."))
    before = _allocation_state(allocation)
    now = timezone.now()
    allocation.shares.filter(institution_id__in=pending, approved_by__isnull=True).update(
        approved_by=actor, approved_at=now
    )
    if not allocation.shares.filter(approved_by__isnull=True).exists():
        allocation.status = AllocationStatus.APPROVED
        allocation.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="allocation.approve",
        target=allocation,
        changes=diff(before, _allocation_state(allocation)),
    )
    return allocation


@transaction.atomic
def allocation_set_threshold(
    *, actor: User, allocation: FundAllocation, warn_below: Decimal
) -> FundAllocation:
    if not permissions.can_manage_fund(actor, allocation.fund):
        raise PermissionDenied(_("Only the fund's coordinators or its PI can change this."))
    if warn_below is None or warn_below < 0:
        raise field_error("warn_below", _("The threshold cannot be negative."))
    before = _allocation_state(allocation)
    allocation.warn_below = warn_below
    allocation.full_clean()
    allocation.save(update_fields=["warn_below"])
    audit_record(
        actor=actor,
        action="allocation.set_threshold",
        target=allocation,
        changes=diff(before, _allocation_state(allocation)),
    )
    return allocation


# --- Joint fund applications ----------------------------------------------------------------


@transaction.atomic
def application_draft(
    *,
    actor: User,
    cultivation: JointCultivation,
    title: str,
    funder: str,
    amount_requested: Decimal,
) -> JointFundApplication:
    """One tutor of the trainee's current pair drafts a joint application of both tutors."""
    pair = current_tutors(cultivation)
    first, second = pair.get("experimental"), pair.get("theoretical")
    if first is None or second is None:
        raise field_error(
            "cultivation", _("A joint application needs both tutors of the trainee's pair.")
        )
    if actor.pk not in (first.tutor_id, second.tutor_id):
        raise PermissionDenied(_("Only the trainee's tutors apply jointly for funds."))
    if amount_requested is None or amount_requested <= 0:
        raise field_error("amount_requested", _("The amount must be more than zero."))
    application = JointFundApplication(
        cultivation=cultivation,
        first_tutor_id=first.tutor_id,
        second_tutor_id=second.tutor_id,
        title=(title or "").strip(),
        funder=(funder or "").strip(),
        amount_requested=amount_requested,
        created_by=actor,
    )
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="application.draft",
        target=application,
        changes=diff({}, snapshot(application, APPLICATION_FIELDS)),
    )
    return application


@transaction.atomic
def application_submit(*, actor: User, application: JointFundApplication) -> JointFundApplication:
    application = JointFundApplication.objects.select_for_update(of=("self",)).get(
        pk=application.pk
    )
    if not permissions.is_application_tutor(actor, application):
        raise PermissionDenied(_("Only the applying tutors submit the application."))
    if application.status != ApplicationStatus.DRAFTED:
        raise ValidationError(_("Only a drafted application can be submitted."))
    before = snapshot(application, APPLICATION_FIELDS)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="application.submit",
        target=application,
        changes=diff(before, snapshot(application, APPLICATION_FIELDS)),
    )
    return application


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: JointFundApplication,
    status: str,
    outcome: str,
    resulting_fund: ResearchFund | None = None,
) -> JointFundApplication:
    """Record the funder's decision: granted (with the fund it became) or rejected."""
    application = (
        JointFundApplication.objects.select_for_update(of=("self",))
        .select_related("cultivation")
        .get(pk=application.pk)
    )
    if not permissions.may_decide_application(actor, application):
        raise PermissionDenied(_("Only the tutors or the coordinators record the outcome."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted application receives an outcome."))
    if status not in (ApplicationStatus.GRANTED, ApplicationStatus.REJECTED):
        raise field_error("status", _("The outcome is either granted or rejected."))
    outcome = (outcome or "").strip()
    if status == ApplicationStatus.GRANTED:
        if resulting_fund is None:
            raise field_error("resulting_fund", _("Name the fund the grant was registered as."))
        if JointFundApplication.objects.filter(resulting_fund=resulting_fund).exists():
            raise field_error(
                "resulting_fund", _("This fund already results from another application.")
            )
    elif not outcome:
        raise field_error("outcome", _("Say what the funder decided."))
    before = snapshot(application, APPLICATION_FIELDS)
    application.status = status
    application.outcome = outcome
    application.resulting_fund = resulting_fund if status == ApplicationStatus.GRANTED else None
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    audit_record(
        actor=actor,
        action="application.decide",
        target=application,
        changes=diff(before, snapshot(application, APPLICATION_FIELDS)),
    )
    return application
