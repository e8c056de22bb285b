"""Back office for people: consortium admins only, every change audited like the services."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import (
    ApiToken,
    Membership,
    StudentNumber,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.core.admin import AuditedModelAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution", "unit"]
    fields = ["role", "institution", "unit", "is_active"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Django's user admin (password forms, permissions), consortium admins only, audited.
    The password hash never reaches the audit trail (AuditedModelAdmin leaves it out)."""

    list_display = ["username", "full_name", "email", "preferred_language", "is_active"]
    search_fields = ["username", "full_name", "email"]
    list_filter = ["is_active", "preferred_language", "memberships__role"]
    readonly_fields = ["last_login", "date_joined", "failed_login_count", "locked_until"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (
            _("Sign-in"),
            {"fields": ("last_login", "date_joined", "failed_login_count", "locked_until")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "full_name", "password1", "password2"),
            },
        ),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "institution", "unit", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__full_name", "user__email", "institution__name"]
    autocomplete_fields = ["user", "institution", "unit"]
    list_select_related = ["user", "institution", "unit"]


class StudentNumberInline(admin.TabularInline):
    model = StudentNumber
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(TraineeProfile)
class TraineeProfileAdmin(AuditedModelAdmin):
    list_display = ["user", "kind", "cohort", "specialty"]
    list_filter = ["kind", "cohort"]
    search_fields = ["user__full_name", "user__email", "student_numbers__number"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    inlines = [StudentNumberInline]


@admin.register(TutorProfile)
class TutorProfileAdmin(AuditedModelAdmin):
    list_display = ["user", "title", "qualification", "annual_quota"]
    list_filter = ["qualification"]
    search_fields = ["user__full_name", "user__email", "research_areas"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Read-only: tokens are created and revoked by their owners."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
