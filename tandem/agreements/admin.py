"""Back-office view of agreements for consortium admins; every save is audited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementQuota,
    AgreementSignature,
)
from tandem.core import tenancy
from tandem.core.admin import AuditedModelAdmin


class ConsortiumAdminInline(admin.TabularInline):
    """Inlines follow the same rule as AuditedModelAdmin: consortium admins only (they hold a
    role, not Django model permissions)."""

    extra = 0

    def _is_admin(self, request: HttpRequest) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)


class PartyInline(ConsortiumAdminInline):
    model = AgreementParty
    extra = 0


class QuotaInline(ConsortiumAdminInline):
    model = AgreementQuota
    extra = 0


class SignatureInline(ConsortiumAdminInline):
    model = AgreementSignature
    extra = 0
    readonly_fields = ["institution", "signed_by", "signed_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # signatures are given on the agreement's page, by the parties

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(ConsortiumAdminInline):
    model = AgreementAttachment
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Agreement)
class AgreementAdmin(AuditedModelAdmin):
    list_display = ["title", "version", "form", "status", "start_date", "end_date"]
    list_filter = ["status", "form"]
    search_fields = ["title", "reference", "parties__institution__name"]
    date_hierarchy = "start_date"
    raw_id_fields = ["amends", "initiating_tutor", "created_by"]
    readonly_fields = ["created_at", "activated_at", "ended_at"]
    inlines = [PartyInline, QuotaInline, SignatureInline, AttachmentInline]
    list_select_related = ["created_by"]
