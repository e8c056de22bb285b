"""The back office's view of the audit trail: read-only, for consortium admins."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core import tenancy
from tandem.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_repr", "reason"]
    list_filter = ["action"]
    search_fields = ["target_repr", "reason", "actor__username"]
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the audit trail is append-only, written by the services

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
