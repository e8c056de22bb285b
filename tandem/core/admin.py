"""The base of every app's back-office admin classes: consortium admins only, every save and
delete audited. The admin site itself is the portal's (`tandem.portal.admin_site`)."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest

from tandem.core import tenancy
from tandem.core.audit import audit_record, diff, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes the same audit events as the services: who, when, what changed."""

    def _is_admin(self, request: HttpRequest) -> bool:
        return tenancy.is_consortium_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_admin(request)

    def _fields(self, obj: models.Model) -> list[str]:
        return [f.attname for f in obj._meta.concrete_fields if f.attname != "password"]

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before: dict[str, Any] = {}
        if change and obj.pk:
            old = type(obj).objects.get(pk=obj.pk)
            before = snapshot(old, self._fields(old))
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, self._fields(obj)))
        audit_record(
            actor=request.user,
            action="admin.change" if change else "admin.add",
            target=obj,
            changes=changes,
            reason=form.data.get("_audit_reason", "") if hasattr(form, "data") else "",
        )

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(actor=request.user, action="admin.delete", target=obj)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", target=obj)
        super().delete_queryset(request, queryset)
