"""The pages that look across apps: the dashboard and the tutor's workspace."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tandem.cultivation import permissions as cultivation_permissions
from tandem.cultivation import selectors as cultivation_selectors
from tandem.portal import dashboards, selectors


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html", dashboards.dashboard_for(request.user))


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    if not cultivation_permissions.can_use_workspace(request.user):
        raise PermissionDenied(_("The workspace is for tutors."))
    return render(
        request,
        "portal/workspace.html",
        {
            "rows": selectors.workspace_rows(request.user),
            "load": cultivation_selectors.tutor_load(request.user, timezone.localdate().year),
        },
    )
