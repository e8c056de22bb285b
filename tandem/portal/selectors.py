"""Reads that combine several apps: the tutor's workspace, the annual reports."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.accounts.models import Role
from tandem.alerts.selectors import active_warnings_for
from tandem.core import tenancy
from tandem.cultivation.selectors import current_trainee_rows, responsibilities_divided_for
from tandem.institutions.models import Institution
from tandem.meetings.selectors import last_reports_for
from tandem.plans.selectors import (
    milestones_to_review_for,
    next_milestones_for,
    plan_started_for,
)
from tandem.portal import permissions as report_permissions
from tandem.portal.models import AnnualReport


def workspace_rows(user: Any) -> list[dict[str, Any]]:
    """Every current trainee of the tutor (see `current_trainee_rows`) with the next milestone
    of their plan and their last progress report, in a fixed number of queries."""
    rows = current_trainee_rows(user)
    ids = [row["cultivation"].pk for row in rows]
    milestones = next_milestones_for(ids)
    reports = last_reports_for([row["trainee"].pk for row in rows])
    first = [row["cultivation"].pk for row in rows if row["is_first_in_charge"]]
    duties = _duties(first) if first else {}
    for row in rows:
        row["next_milestone"] = milestones.get(row["cultivation"].pk)
        row["last_progress_report"] = reports.get(row["trainee"].pk)
        row["to_start"] = duties.get(row["cultivation"].pk, [])
    return rows


def _duties(cultivation_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """What is the first tutor in charge's to start (§3.3 of the joint-cultivation source: the
    experimental tutor "acts as the first person in charge… and takes the initiative"): the
    training plan, the division of responsibilities, milestone sign-offs and the answers to
    early warnings. Four queries whatever the number of trainees."""
    planned = plan_started_for(cultivation_ids)
    divided = responsibilities_divided_for(cultivation_ids)
    to_review = milestones_to_review_for(cultivation_ids)
    warnings = active_warnings_for(cultivation_ids)
    duties: dict[int, list[dict[str, Any]]] = {}
    for pk in cultivation_ids:
        items = duties.setdefault(pk, [])
        if pk not in planned:
            items.append(_duty("plan", _("Start the training plan"), "plans:plan", pk))
        if pk not in divided:
            label = _("Propose the division of responsibilities")
            items.append(_duty("responsibilities", label, "cultivation:responsibilities", pk))
        if count := to_review.get(pk, 0):
            label = ngettext(
                "Sign off %(count)d milestone", "Sign off %(count)d milestones", count
            ) % {"count": count}
            items.append(_duty("milestones", label, "plans:plan", pk, count))
        if count := warnings.get(pk, 0):
            label = ngettext(
                "Answer %(count)d early warning", "Answer %(count)d early warnings", count
            ) % {"count": count}
            items.append(_duty("warnings", label, "alerts:list", None, count))
    return duties


def _duty(code: str, label: str, url: str, pk: int | None, count: int = 1) -> dict[str, Any]:
    return {
        "code": code,
        "label": label,
        "count": count,
        "url": reverse(url, args=[pk] if pk is not None else []),
    }


def annual_report_list_visible_to(user: Any) -> QuerySet[AnnualReport]:
    """The consortium's reports for every report reader; an institution's for the admins and
    those who may request it."""
    if not report_permissions.can_view_benchmarks(user):
        return AnnualReport.objects.none()
    reports = AnnualReport.objects.select_related("institution", "requested_by")
    if tenancy.is_consortium_admin(user):
        return reports
    own = tenancy.own_institution_ids(user, Role.COORDINATOR, Role.BASE_DIRECTOR)
    return reports.filter(Q(institution__isnull=True) | Q(institution_id__in=own))


def annual_report_get_for_user_or_404(user: Any, pk: int) -> AnnualReport:
    return get_object_or_404(annual_report_list_visible_to(user), pk=pk)


def report_institution_choices(user: Any) -> QuerySet[Institution]:
    """The institutions whose annual report the user may ask for."""
    institutions = Institution.objects.filter(is_active=True)
    if tenancy.is_consortium_admin(user):
        return institutions
    own = tenancy.own_institution_ids(user, Role.COORDINATOR, Role.BASE_DIRECTOR)
    return institutions.filter(pk__in=own)
