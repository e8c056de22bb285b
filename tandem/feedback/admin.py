"""The back office: items and seminars read-only for consortium admins. The raiser of an
anonymous item is not here (`AnonymousFollow` is deliberately not registered, decision 083)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core import tenancy
from tandem.feedback.models import FeedbackItem, Routing, Seminar


class _ReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by the services only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeedbackItem)
class FeedbackItemAdmin(_ReadOnly):
    list_display = ["id", "title", "category", "institution", "status", "is_anonymous"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    exclude = ["raised_by"]


@admin.register(Seminar)
class SeminarAdmin(_ReadOnly):
    list_display = ["title", "agreement", "starts_at", "status"]


@admin.register(Routing)
class RoutingAdmin(_ReadOnly):
    list_display = ["agreement", "category", "side", "handler_role"]
