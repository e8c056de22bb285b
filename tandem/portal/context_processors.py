from typing import Any

from django.http import HttpRequest

from tandem.alerts.selectors import warning_list_for_page
from tandem.core import tenancy


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_roles": tenancy.roles(user),
        "nav_is_admin": tenancy.is_consortium_admin(user),
        "nav_is_coordinator": bool(tenancy.coordinated_institution_ids(user)),
        "nav_open_alerts": warning_list_for_page(user).count(),
    }
