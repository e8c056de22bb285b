from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core.admin import AuditedModelAdmin
from tandem.resources.models import ResourceOpening, SharedResource


@admin.register(SharedResource)
class SharedResourceAdmin(AuditedModelAdmin):
    list_display = ["name", "institution", "unit", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_zh", "institution__name"]
    raw_id_fields = ["institution", "unit"]
    list_select_related = ["institution", "unit"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead of delete


@admin.register(ResourceOpening)
class ResourceOpeningAdmin(AuditedModelAdmin):
    """Openings are closed through the catalogue, which checks the agreement; read-only here."""

    list_display = ["resource", "partner", "agreement", "created_at"]
    list_select_related = ["resource", "partner", "agreement"]
    search_fields = ["resource__name", "partner__name", "agreement__title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
