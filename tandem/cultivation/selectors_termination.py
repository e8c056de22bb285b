"""Reads for the termination preview (decision 098), scoped like every cultivation read."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.cultivation import permissions, selectors
from tandem.cultivation.models import EndingKind, EndingRequest
from tandem.cultivation.services_termination import TerminationPlan


def termination_request_for_user_or_404(user: Any, pk: int, ending_pk: int) -> EndingRequest:
    """An open termination request of a cultivation the user sees (else 404, as for a missing
    one); 403 unless the user coordinates one of the two institutions."""
    cultivation = selectors.cultivation_get_for_user_or_404(user, pk)
    ending = next(
        (
            e
            for e in cultivation.ending_requests.all()
            if e.pk == ending_pk and e.kind == EndingKind.TERMINATE and e.is_open
        ),
        None,
    )
    if ending is None:
        raise Http404
    ending.cultivation = cultivation
    if not permissions.can_preview_termination(user, ending):
        raise PermissionDenied(
            _("Only the coordinators of the home and the host see what a termination changes.")
        )
    return ending


def memberships_kept(plan: TerminationPlan) -> list[Membership]:
    """The trainee's home memberships the plan keeps, with their institution."""
    return list(
        Membership.objects.filter(pk__in=plan.home_memberships)
        .select_related("institution")
        .order_by("id")
    )
