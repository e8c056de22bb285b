"""Reads of the programs' assessment setup for the API: WBA forms and WBA requirements,
scoped like the plans (the training office of the program's hospital; consortium admins)."""

from typing import Any

from django.db.models import Q, QuerySet

from tandem.assessments.models import WbaForm, WbaRequirement
from tandem.core import tenancy
from tandem.residency.selectors import STAFF_ROLES


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def wba_form_list_visible_to(user: Any) -> QuerySet[WbaForm]:
    """The standard forms, and the forms of the programs of the reader's hospitals."""
    queryset = WbaForm.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        Q(program__isnull=True) | Q(program__institution_id__in=tenancy.own_institution_ids(user))
    )


def wba_requirement_list_visible_to(user: Any) -> QuerySet[WbaRequirement]:
    queryset = WbaRequirement.objects.select_related("form", "program", "department")
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(
        program__institution_id__in=tenancy.own_institution_ids(user, *STAFF_ROLES)
    )
