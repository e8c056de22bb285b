"""Who may do what with warnings, thresholds and notifications. Views and the API ask these;
the services ask again."""

from typing import Any

from tandem.alerts.models import EarlyWarning, Notification
from tandem.core import tenancy
from tandem.cultivation.models import TutorAssignment
from tandem.institutions.models import Institution


def is_responsible_for(user: Any, warning: EarlyWarning) -> bool:
    """The pair of tutors, the coordinators of the institution (and of the cultivation's home
    and host), admins, and anyone the warning was sent to."""
    if not getattr(user, "is_authenticated", False):
        return False
    if tenancy.is_consortium_admin(user) or warning.extra_recipient_id == user.pk:
        return True
    coordinated = tenancy.coordinated_institution_ids(user)
    sides = {warning.institution_id}
    cultivation = warning.cultivation
    if cultivation is not None:
        sides |= {cultivation.home_id, cultivation.host_id}
        if TutorAssignment.objects.filter(
            cultivation_id=warning.cultivation_id, tutor=user, ended_at__isnull=True
        ).exists():
            return True
    if coordinated & sides:
        return True
    return Notification.objects.filter(user=user, warning=warning).exists()


def can_handle_warning(user: Any, warning: EarlyWarning) -> bool:
    return warning.is_active and is_responsible_for(user, warning)


def can_edit_thresholds(user: Any, institution: Institution) -> bool:
    return tenancy.is_consortium_admin(user) or (
        institution.pk in tenancy.coordinated_institution_ids(user)
    )


def can_view_overview(user: Any) -> bool:
    return tenancy.is_consortium_admin(user) or bool(tenancy.coordinated_institution_ids(user))
