"""Back office for residency scheduling: consortium admins only, every change audited.

Day-to-day set-up happens on the residency pages, whose services check every rule (exchange
quotas, sequence rules, leave within the calendar); the admin is for repairs and checks only the
database's constraints. Schedules, proposals and requests are read-only here: they change only
through the services that check them against the solver's rules.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tandem.core import tenancy
from tandem.core.admin import AuditedModelAdmin
from tandem.core.audit import audit_record, diff, snapshot
from tandem.institutions.models import Specialty
from tandem.residency.models import (
    Block,
    BlockCalendar,
    CapacityOverride,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    LeaveRequest,
    PartnerApproval,
    Program,
    PublishedSchedule,
    Requirement,
    ScheduleProposal,
    SwapRequest,
)


class ConsortiumAdminInline(admin.TabularInline):
    """Inlines follow AuditedModelAdmin's rule: consortium admins only."""

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


class InlineAuditedAdmin(AuditedModelAdmin):
    """Also audits the rows changed in inlines, on the parent object, in the same transaction."""

    @transaction.atomic
    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        model = formset.model
        fields = [f.attname for f in model._meta.concrete_fields]
        changed_pks = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        before = {obj.pk: snapshot(obj, fields) for obj in model.objects.filter(pk__in=changed_pks)}
        deleted = [(str(f.instance), f.instance.pk) for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        parent = form.instance
        for label, _pk in deleted:
            audit_record(
                actor=request.user,
                action="admin.delete_inline",
                target=parent,
                changes={model._meta.model_name: [label, None]},
            )
        for obj in formset.new_objects:
            audit_record(
                actor=request.user,
                action="admin.add_inline",
                target=parent,
                changes={model._meta.model_name: [None, str(obj)]},
            )
        for obj, _fields in formset.changed_objects:
            changes = diff(before.get(obj.pk, {}), snapshot(obj, fields))
            audit_record(
                actor=request.user,
                action="admin.change_inline",
                target=parent,
                changes={f"{obj} — {key}": value for key, value in changes.items()},
            )


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "name_zh",
        "code",
        "base",
        "min_per_block",
        "max_per_block",
        "duration",
        "is_active",
    ]
    list_filter = ["is_active", "base__specialty", "base__institution"]
    search_fields = ["name", "name_zh", "code", "base__name", "base__institution__name"]
    autocomplete_fields = ["base", "teachers"]
    list_select_related = ["base__institution"]


class BlockInline(ConsortiumAdminInline):
    """Blocks are made with their calendar; shown numbered from 1, as people count them."""

    model = Block
    fields = ["number", "start_date", "end_date"]
    readonly_fields = ["number", "start_date", "end_date"]
    ordering = ["index"]

    @admin.display(description=_("block"))
    def number(self, obj: Block) -> int:
        return obj.index + 1

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BlockCalendar)
class BlockCalendarAdmin(InlineAuditedAdmin):
    """New calendars are made on the residency pages, which also make their blocks."""

    list_display = ["name", "institution", "training_year", "kind", "start_date", "block_count"]
    list_filter = ["kind", "training_year"]
    search_fields = ["name", "institution__name"]
    readonly_fields = ["kind", "start_date", "block_count", "created_at"]
    list_select_related = ["institution"]
    inlines = [BlockInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RequirementInline(ConsortiumAdminInline):
    model = Requirement
    fields = ["departments", "min_blocks", "max_blocks", "is_elective"]
    autocomplete_fields = ["departments"]


class ProgramAdminForm(forms.ModelForm):
    specialty = forms.ChoiceField(label=_("specialty"), choices=Specialty.choices)

    class Meta:
        model = Program
        fields = ["institution", "code", "name", "specialty", "training_year", "may_idle", "rules"]


@admin.register(Program)
class ProgramAdmin(InlineAuditedAdmin):
    form = ProgramAdminForm
    list_display = ["name", "code", "institution", "specialty", "training_year", "may_idle"]
    list_filter = ["specialty", "training_year", "may_idle"]
    search_fields = ["name", "code", "institution__name"]
    autocomplete_fields = ["institution"]
    list_select_related = ["institution"]
    inlines = [RequirementInline]


class MemberInline(ConsortiumAdminInline):
    """Leave and preferences are edited on the member's page, which checks them."""

    model = CohortMember
    fields = ["resident", "program", "leave", "preferences"]
    readonly_fields = ["leave", "preferences"]
    autocomplete_fields = ["resident", "program"]

    @admin.display(description=_("leave blocks"))
    def leave(self, obj: CohortMember) -> str:
        return ", ".join(str(b + 1) for b in obj.leave_blocks or []) or "—"


@admin.register(Cohort)
class CohortAdmin(InlineAuditedAdmin):
    list_display = ["name", "institution", "calendar", "created_at"]
    list_filter = ["institution"]
    search_fields = ["name", "institution__name", "members__resident__full_name"]
    autocomplete_fields = ["institution"]
    readonly_fields = ["created_at"]
    list_select_related = ["institution", "calendar"]
    inlines = [MemberInline]


@admin.register(ExchangeQuota)
class ExchangeQuotaAdmin(AuditedModelAdmin):
    list_display = ["agreement", "from_institution", "to_institution", "max_per_block"]
    list_filter = ["agreement__status"]
    search_fields = ["agreement__title", "from_institution__name", "to_institution__name"]
    autocomplete_fields = ["agreement", "from_institution", "to_institution"]
    list_select_related = ["agreement", "from_institution", "to_institution"]


class ReadOnlyAdmin(AuditedModelAdmin):
    """Shown to consortium admins, changed only through the services; deleting is allowed
    (and audited) for clearing up."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnerApprovalInline(ConsortiumAdminInline):
    model = PartnerApproval
    fields = ["institution", "approved_by", "approved_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScheduleProposal)
class ScheduleProposalAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "cohort", "status", "objective", "bound", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["cohort__name", "cohort__institution__name"]
    exclude = ["instance", "solution"]  # large JSON: downloaded from the proposal's page
    list_select_related = ["cohort", "created_by"]
    date_hierarchy = "created_at"
    inlines = [PartnerApprovalInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        published = obj is not None and obj.status == "published"
        return super().has_delete_permission(request, obj) and not published


@admin.register(PublishedSchedule)
class PublishedScheduleAdmin(ReadOnlyAdmin):
    """Published and changed through the services only; never deleted here (its rows are the
    residents' record)."""

    list_display = ["cohort", "proposal", "published_by", "published_at"]
    search_fields = ["cohort__name", "cohort__institution__name"]
    exclude = ["instance", "solution"]
    list_select_related = ["cohort", "proposal", "published_by"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ["member", "block", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["member__resident__full_name", "reason"]
    list_select_related = ["member__resident", "block", "decided_by"]


@admin.register(SwapRequest)
class SwapRequestAdmin(ReadOnlyAdmin):
    list_display = ["member", "other", "block", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["member__resident__full_name", "other__resident__full_name", "reason"]
    list_select_related = ["member__resident", "other__resident", "block", "decided_by"]


@admin.register(CapacityOverride)
class CapacityOverrideAdmin(ReadOnlyAdmin):
    """Read-only: capacities by block are set on the department's capacity page, whose service
    checks them against the department's own numbers."""

    list_display = ["department", "block", "min_per_block", "max_per_block"]
    list_filter = ["block__calendar"]
    list_select_related = ["department", "block"]
    search_fields = ["department__name", "department__code"]
