"""The API operations that look across apps: the tutor's workspace (mounted under
/cultivation/, where it has always been)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from tandem.core.api import ERRORS
from tandem.cultivation import permissions as cultivation_permissions
from tandem.portal import selectors
from tandem.portal.schemas import WorkspaceRowOut

router = Router(tags=["cultivation"])


@router.get(
    "/workspace",
    response={200: list[WorkspaceRowOut], **ERRORS},
    operation_id="cultivation_workspace_list",
)
def workspace_list(request: HttpRequest) -> Any:
    if not cultivation_permissions.can_use_workspace(request.user):
        raise PermissionDenied(_("The workspace is for tutors."))
    return [
        {
            "cultivation_id": row["cultivation"].pk,
            "trainee_id": row["trainee"].pk,
            "trainee_name": str(row["trainee"]),
            "role": row["role"],
            "status": row["status"],
            "home_id": row["home"].pk,
            "host_id": row["host"].pk,
            "partner_tutor_id": row["partner"].tutor_id if row["partner"] else None,
            "is_complete": row["is_complete"],
            "next_milestone": row["next_milestone"],
            "last_progress_report_at": (
                row["last_progress_report"].submitted_at if row["last_progress_report"] else None
            ),
            "is_first_in_charge": row["is_first_in_charge"],
            "to_start": row["to_start"],
        }
        for row in selectors.workspace_rows(request.user)
    ]
