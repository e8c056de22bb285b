"""What each person sees first: a dashboard built from the selectors of every app.

Read-only, and every number comes from a visible-to selector, so a dashboard can never show
more than the person could open. Aggregates run in the database: the number of queries does
not grow with the data.
"""

from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.accounts.selectors import person_list_visible_to
from tandem.agreements.models import AgreementStatus
from tandem.agreements.selectors import (
    agreement_list_awaiting_signature_of,
    agreement_list_visible_to,
)
from tandem.alerts.selectors import alerts_dashboard
from tandem.assessments.selectors import assessments_dashboard
from tandem.assessments.selectors_completion import completion_dashboard
from tandem.bookings.selectors import booking_dashboard
from tandem.core import tenancy
from tandem.cultivation.selectors import cultivation_dashboard
from tandem.evaluations.selectors import evaluations_dashboard
from tandem.faculty.selectors import faculty_dashboard
from tandem.feedback.selectors import feedback_dashboard
from tandem.funds.selectors import funds_dashboard
from tandem.institutions.models import Institution, Region
from tandem.logbook.selectors import logbook_dashboard
from tandem.meetings.selectors import meetings_dashboard
from tandem.milestones.selectors import milestones_dashboard
from tandem.plans.selectors import plans_dashboard
from tandem.portal import benchmarks, charts
from tandem.portal import permissions as report_permissions
from tandem.publications.selectors import publications_dashboard
from tandem.quality.selectors import quality_dashboard
from tandem.residency.selectors import residency_dashboard
from tandem.resources.selectors import resource_list_visible_to
from tandem.rewards.selectors import rewards_dashboard
from tandem.teaching.selectors import teaching_dashboard
from tandem.visits.selectors import visits_dashboard
from tandem.wellbeing.selectors import wellbeing_dashboard
from tandem.workhours.selectors import workhours_dashboard


def _bars(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Rows of (label, count) with a width in percent of the largest, for a CSS bar chart."""
    top = max((count for _label, count in rows), default=0) or 1
    return [
        {"label": label, "count": count, "pct": round(100 * count / top)} for label, count in rows
    ]


def _agreements_by_status(user: Any) -> list[dict[str, Any]]:
    counts = dict(
        agreement_list_visible_to(user).order_by().values_list("status").annotate(n=Count("id"))
    )
    return _bars([(label, counts.get(value, 0)) for value, label in AgreementStatus.choices])


def _people_by_role(user: Any) -> list[dict[str, Any]]:
    people = person_list_visible_to(user).values("pk")
    scope = Membership.objects.filter(is_active=True, user__in=people)
    if not tenancy.is_consortium_admin(user):
        scope = scope.filter(institution_id__in=tenancy.own_institution_ids(user))
    counts = dict(scope.order_by().values_list("role").annotate(n=Count("user", distinct=True)))
    return _bars([(label, counts.get(value, 0)) for value, label in Role.choices])


def _institutions_by_region() -> list[dict[str, Any]]:
    counts = dict(
        Institution.objects.filter(is_active=True)
        .order_by()
        .values_list("region")
        .annotate(n=Count("id"))
    )
    return _bars([(label, counts.get(value, 0)) for value, label in Region.choices])


def _joint_trainees_by_region() -> charts.BarChart:
    """The consortium's joint trainees per region (its benchmarking table's group rows, so
    suppressed as everywhere else): what a report reader looks at first."""
    indicator = benchmarks.INDICATORS["joint_trainees"]
    table = benchmarks.table(indicator, benchmarks.Grouping.REGION, timezone.localdate())
    rows, _columns = benchmarks.shown(table, benchmarks.View(show="groups"))
    return charts.bar_chart(
        str(_("Joint trainees by region")),
        benchmarks.chart_rows([row for row in rows if row.kind == "group"], indicator),
    )


def dashboard_for(user: Any) -> dict[str, Any]:
    roles = tenancy.roles(user)
    is_admin = tenancy.is_consortium_admin(user)
    coordinates = bool(tenancy.coordinated_institution_ids(user))
    context: dict[str, Any] = {
        "memberships": list(
            Membership.objects.filter(user=user, is_active=True).select_related(
                "institution", "unit"
            )
        ),
        "roles": roles,
        "is_admin": is_admin,
        "is_coordinator": coordinates,
        "resource_count": resource_list_visible_to(user).count(),
        "cultivation_dashboard": cultivation_dashboard(user),
        "residency": residency_dashboard(user),
        "plans": plans_dashboard(user),
        "alerts": alerts_dashboard(user),
        "meetings": meetings_dashboard(user),
        "feedback": feedback_dashboard(user),
        "evaluations": evaluations_dashboard(user),
        "wellbeing": wellbeing_dashboard(user),
        "logbook": logbook_dashboard(user),
        "milestones": milestones_dashboard(user),
        "workhours": workhours_dashboard(user),
        "teaching": teaching_dashboard(user),
        "faculty": faculty_dashboard(user),
        "quality": quality_dashboard(user),
        "rewards": rewards_dashboard(user),
        "visits": visits_dashboard(user),
        "assessments": assessments_dashboard(user),
        "completion": completion_dashboard(user),
        "funds": funds_dashboard(user),
        "publications": publications_dashboard(user),
        "bookings": booking_dashboard(user),
        "active_agreements": agreement_list_visible_to(user)
        .filter(status=AgreementStatus.ACTIVE)
        .order_by("end_date")[:5],
    }
    if is_admin or coordinates:
        context["awaiting_signature"] = list(agreement_list_awaiting_signature_of(user)[:10])
        context["agreements_by_status"] = _agreements_by_status(user)
        context["people_by_role"] = _people_by_role(user)
    if is_admin:
        context["institutions_by_region"] = _institutions_by_region()
    if report_permissions.can_view_benchmarks(user):
        context["benchmark_chart"] = _joint_trainees_by_region()
    if Role.TRAINEE in roles:
        context["trainee_profile"] = getattr(user, "trainee_profile", None)
    if Role.TUTOR in roles:
        context["tutor_profile"] = getattr(user, "tutor_profile", None)
    return context
