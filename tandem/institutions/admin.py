from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core.admin import AuditedModelAdmin
from tandem.institutions.models import Institution, Unit


@admin.register(Institution)
class InstitutionAdmin(AuditedModelAdmin):
    list_display = ["name", "name_zh", "code", "kind", "region", "country", "parent", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "name_zh", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead of delete


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["name", "institution", "kind", "specialty", "parent", "is_active"]
    list_filter = ["kind", "specialty", "is_active"]
    search_fields = ["name", "name_zh", "institution__name"]
    autocomplete_fields = ["institution", "parent"]
    list_select_related = ["institution", "parent"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
