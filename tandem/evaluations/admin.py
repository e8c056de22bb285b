"""The Django admin shows templates, rounds and the completion pairs, read-only. Responses,
answers and drafts are not registered at all: no admin page can put an anonymous answer beside
its author (decision 082)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tandem.core.admin import AuditedModelAdmin
from tandem.evaluations.models import EvaluationPair, EvaluationRound, EvaluationTemplate


class ReadOnlyAdmin(AuditedModelAdmin):
    """Changes go through the services (versions, pair generation, reasons)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "relationship", "is_anonymous", "is_current"]
    list_filter = ["relationship", "is_anonymous", "is_current"]
    search_fields = ["title", "title_zh"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "institution", "population", "opens_on", "due_on", "released_at"]
    list_select_related = ["institution"]
    search_fields = ["title", "title_zh"]


@admin.register(EvaluationPair)
class EvaluationPairAdmin(ReadOnlyAdmin):
    list_display = ["round", "relationship", "evaluator", "status", "due_on"]
    list_filter = ["status", "relationship"]
    list_select_related = ["round", "evaluator"]
    raw_id_fields = ["round", "evaluator", "target_user", "target_institution", "institution"]
