"""Reads about agreements, always scoped to the asking user.

A person sees the agreements to which one of their own institutions (any role) is a party;
consortium admins see all. Everyone else gets the same 404 as for an agreement that does not
exist.
"""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementSignature,
    AgreementStatus,
)
from tandem.core import tenancy


def agreement_list_visible_to(user: Any) -> QuerySet[Agreement]:
    queryset = Agreement.objects.all()
    if tenancy.is_consortium_admin(user):
        return queryset
    own = tenancy.own_institution_ids(user)
    if not own:
        return queryset.none()
    return queryset.filter(
        Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), institution_id__in=own))
    )


def _with_related(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return queryset.select_related(
        "created_by", "initiating_tutor", "amends", "amendment"
    ).prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("institution")),
        Prefetch(
            "signatures",
            queryset=AgreementSignature.objects.select_related("institution", "signed_by"),
        ),
        "quotas",
    )


def agreement_list_for_page(
    user: Any,
    *,
    status: str = "",
    form: str = "",
    institution_id: int | None = None,
    search: str = "",
) -> QuerySet[Agreement]:
    """The filtered list, with what a list row shows loaded in a fixed number of queries."""
    queryset = agreement_list_visible_to(user)
    if status:
        queryset = queryset.filter(status=status)
    if form:
        queryset = queryset.filter(form=form)
    if institution_id:
        queryset = queryset.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"), institution_id=institution_id
                )
            )
        )
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return _with_related(queryset)


def agreement_get_for_user_or_404(user: Any, pk: int) -> Agreement:
    return get_object_or_404(_with_related(agreement_list_visible_to(user)), pk=pk)


def agreement_list_awaiting_signature_of(user: Any) -> QuerySet[Agreement]:
    """Drafts and agreements being signed where one of the institutions this person coordinates
    is a party and has not signed yet (for the dashboard)."""
    coordinated = tenancy.coordinated_institution_ids(user)
    if not coordinated:
        return Agreement.objects.none()
    unsigned_party = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), institution_id__in=coordinated
    ).exclude(
        Exists(
            AgreementSignature.objects.filter(
                agreement=OuterRef("agreement"), institution=OuterRef("institution")
            )
        )
    )
    return _with_related(
        Agreement.objects.filter(
            Exists(unsigned_party),
            status__in=[AgreementStatus.DRAFT, AgreementStatus.SIGNING],
        )
    )


def agreement_versions(user: Any, agreement: Agreement) -> list[Agreement]:
    """The versions of this agreement that the person may see, oldest first.

    The chain is short (one row per amendment), so it is walked row by row."""
    visible = agreement_list_visible_to(user).only(
        "pk", "title", "version", "status", "amends_id", "activated_at"
    )
    versions = [agreement]
    current: Agreement | None = agreement
    while current is not None and current.amends_id is not None:
        current = visible.filter(pk=current.amends_id).first()
        if current is not None:
            versions.insert(0, current)
    current = agreement
    while current is not None:
        current = visible.filter(amends=current).first()
        if current is not None:
            versions.append(current)
    return versions


def attachment_list_for(agreement: Agreement) -> QuerySet[AgreementAttachment]:
    """The attachments of an agreement the caller has already fetched through a selector."""
    return agreement.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")


def attachment_get_for_user_or_404(
    user: Any, agreement_pk: int, attachment_pk: int
) -> AgreementAttachment:
    agreement = agreement_get_for_user_or_404(user, agreement_pk)
    return get_object_or_404(attachment_list_for(agreement), pk=attachment_pk)
