from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.core import tenancy


class TandemAdminSite(admin.AdminSite):
    """The back office: open to consortium admins only, whatever their staff flag says."""

    site_header = _("Tandem back office")
    site_title = _("Tandem back office")
    index_title = _("Consortium administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and tenancy.is_consortium_admin(user))
