"""Every read of exchange visits, scoped to the reader (decision 109).

A visit is read by the consortium admin, the coordinators of its two institutions, the people
taking part (the delegation, each side's participants, the sessions' participants), the
directors of a base that has a session, and the owners of its actions. Nobody else: the same
404 for a visit that does not exist.

Within a visit, what a reader sees depends on the side:
- shared by both sides: the visit, its agenda, the people taking part, the sessions with their
  minutes, and the practices shared;
- a base director who takes part in nothing else sees the sessions of their base only;
- each side's internal notes: that side's coordinators only;
- actions: the host's coordinators and the consortium admin see all (the host accepts them);
  the visiting side's coordinators see those the visiting side owns; anyone else the actions
  they own themselves.
"""

import datetime
from typing import Any

import icalendar
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core import tenancy
from tandem.institutions.models import Institution, Unit, UnitKind
from tandem.visits.models import (
    Action,
    ActionStatus,
    Delegate,
    Practice,
    Session,
    Visit,
    VisitStatus,
)

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _director_units(user: Any) -> set[int]:
    return tenancy.unit_ids_with_role(user, Role.BASE_DIRECTOR)


def visit_list_visible_to(user: Any) -> QuerySet[Visit]:
    if not _signed_in(user):
        return Visit.objects.none()
    base = Visit.objects.select_related("host", "visiting")
    if tenancy.is_consortium_admin(user):
        return base
    coordinated = tenancy.coordinated_institution_ids(user)
    units = _director_units(user)
    reach = (
        Q(host_id__in=coordinated)
        | Q(visiting_id__in=coordinated)
        | Q(pk__in=Delegate.objects.filter(person=user).values("visit_id"))
        | Q(pk__in=Session.objects.filter(participants=user).values("visit_id"))
        | Q(pk__in=Action.objects.filter(owner=user).values("visit_id"))
    )
    if units:
        reach |= Q(
            pk__in=Session.objects.filter(
                Q(host_base_id__in=units) | Q(visiting_base_id__in=units)
            ).values("visit_id")
        )
    return base.filter(reach)


def visit_get_for_user_or_404(user: Any, pk: int) -> Visit:
    found = visit_list_visible_to(user).select_related("agreement").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def takes_part_fully(user: Any, visit: Visit) -> bool:
    """Reads every shared part: admin, either side's coordinators, anyone taking part."""
    if tenancy.is_consortium_admin(user) or (
        tenancy.coordinated_institution_ids(user) & set(visit.side_ids)
    ):
        return True
    return (
        visit.delegates.filter(person=user).exists()
        or visit.sessions.filter(participants=user).exists()
    )


def session_list_in(user: Any, visit: Visit) -> QuerySet[Session]:
    sessions = visit.sessions.select_related("host_base", "visiting_base").annotate(
        action_count=Count("actions")
    )
    if takes_part_fully(user, visit):
        return sessions
    units = _director_units(user)
    return sessions.filter(Q(host_base_id__in=units) | Q(visiting_base_id__in=units))


def session_get_for_user_or_404(user: Any, pk: int) -> Session:
    session = (
        Session.objects.filter(visit__in=visit_list_visible_to(user), pk=pk)
        .select_related("visit__host", "visit__visiting")
        .first()
    )
    if session is None or not session_list_in(user, session.visit).filter(pk=pk).exists():
        raise Http404
    return session


def delegate_list_in(user: Any, visit: Visit) -> QuerySet[Delegate]:
    if not takes_part_fully(user, visit):
        return visit.delegates.none()
    return visit.delegates.select_related("person", "institution")


def _action_scope(user: Any) -> Q:
    if tenancy.is_consortium_admin(user):
        return Q()
    coordinated = tenancy.coordinated_institution_ids(user)
    return Q(visit__host_id__in=coordinated) | Q(institution_id__in=coordinated) | Q(owner=user)


def action_list_visible_to(user: Any) -> QuerySet[Action]:
    if not _signed_in(user):
        return Action.objects.none()
    return Action.objects.filter(_action_scope(user)).select_related(
        "visit__host", "visit__visiting", "institution", "owner", "session"
    )


def action_list_in(user: Any, visit: Visit) -> QuerySet[Action]:
    return action_list_visible_to(user).filter(visit=visit)


def action_get_for_user_or_404(user: Any, pk: int) -> Action:
    found = action_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def previous_visit(visit: Visit) -> Visit | None:
    """The last visit before this one between the same two institutions (either way round)."""
    pair = Q(host_id=visit.host_id, visiting_id=visit.visiting_id) | Q(
        host_id=visit.visiting_id, visiting_id=visit.host_id
    )
    return (
        Visit.objects.filter(pair, starts_on__lt=visit.starts_on)
        .exclude(status=VisitStatus.CANCELLED)
        .exclude(pk=visit.pk)
        .order_by("-starts_on", "-id")
        .first()
    )


def review_of_previous(user: Any, visit: Visit) -> dict[str, Any]:
    """What the next visit starts with: the previous visit's actions the reader may see, the
    open ones first, then the closed."""
    previous = previous_visit(visit)
    if previous is None:
        return {"previous": None, "open": [], "closed": []}
    actions = list(action_list_in(user, previous).order_by("deadline", "id"))
    return {
        "previous": previous,
        "open": [a for a in actions if a.status != ActionStatus.ACCEPTED],
        "closed": [a for a in actions if a.status == ActionStatus.ACCEPTED],
    }


def people_of(visit: Visit) -> QuerySet[User]:
    """Everyone with an active role at one of the visit's two institutions: who may take part,
    present, attend a session or own an action."""
    members = Membership.objects.filter(institution_id__in=visit.side_ids, is_active=True)
    return User.objects.filter(pk__in=members.values("user_id")).order_by("full_name", "username")


def person_of_visit_or_none(visit: Visit, pk: int | None) -> User | None:
    """A person of the visit's two institutions by id; None for anyone else and for nobody
    (the same answer)."""
    return people_of(visit).filter(pk=pk).first() if pk is not None else None


def unit_or_none(pk: int | None) -> Unit | None:
    """A unit of the consortium's directory (units are public, decision 003)."""
    return Unit.objects.filter(pk=pk).first() if pk is not None else None


def side_or_none(visit: Visit, pk: int | None) -> Institution | None:
    if pk == visit.host_id:
        return visit.host
    if pk == visit.visiting_id:
        return visit.visiting
    return None


def bases_of(institution_id: int) -> QuerySet[Unit]:
    return Unit.objects.filter(
        institution_id=institution_id, kind=UnitKind.TRAINING_BASE, is_active=True
    ).order_by("specialty", "name")


def practice_list_visible_to(user: Any) -> QuerySet[Practice]:
    """The library: every practice shared at any visit, for everyone in the consortium."""
    if not _signed_in(user) or not (tenancy.is_consortium_admin(user) or tenancy.roles(user)):
        return Practice.objects.none()
    return Practice.objects.select_related("institution", "visit")


def practice_search(
    user: Any,
    *,
    text: str = "",
    specialty: str = "",
    topic: str = "",
    institution_id: int | None = None,
) -> QuerySet[Practice]:
    found = practice_list_visible_to(user)
    if specialty:
        found = found.filter(specialty=specialty)
    if topic:
        found = found.filter(topic=topic)
    if institution_id:
        found = found.filter(institution_id=institution_id)
    for word in (text or "").split()[:8]:
        found = found.filter(
            Q(title__icontains=word)
            | Q(title_zh__icontains=word)
            | Q(summary__icontains=word)
            | Q(summary_zh__icontains=word)
        )
    return found


def overdue_actions(today: datetime.date) -> QuerySet[Action]:
    """For the early-warning rule: open or in-progress actions past their deadline, of visits
    not cancelled, consortium-wide."""
    return (
        Action.objects.filter(
            status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS), deadline__lt=today
        )
        .exclude(visit__status=VisitStatus.CANCELLED)
        .select_related("visit", "owner")
    )


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The visits the person takes part in or runs (all-day, over the visit's days) and the
    sessions they are invited to (at their time), for their calendar feed."""
    if not _signed_in(user):
        return []
    coordinated = tenancy.coordinated_institution_ids(user)
    visits = Visit.objects.filter(
        Q(host_id__in=coordinated)
        | Q(visiting_id__in=coordinated)
        | Q(pk__in=Delegate.objects.filter(person=user).values("visit_id"))
    ).select_related("host", "visiting")
    events = []
    for visit in visits:
        event = icalendar.Event()
        event.add("uid", f"visit-{visit.pk}@tandem")
        event.add("summary", str(visit))
        event.add("dtstart", visit.starts_on)
        event.add("dtend", visit.ends_on + datetime.timedelta(days=1))
        event.add("dtstamp", visit.created_at)
        event.add("location", visit.place or str(visit.host))
        if visit.status == VisitStatus.CANCELLED:
            event.add("status", "CANCELLED")
        events.append(event)
    sessions = Session.objects.filter(participants=user, starts_at__isnull=False).select_related(
        "visit"
    )
    for session in sessions:
        assert session.starts_at is not None
        event = icalendar.Event()
        event.add("uid", f"visit-session-{session.pk}@tandem")
        event.add("summary", f"{session.visit} — {session}")
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.starts_at + datetime.timedelta(hours=2))
        event.add("dtstamp", session.visit.created_at)
        if session.place:
            event.add("location", session.place)
        if session.visit.status == VisitStatus.CANCELLED:
            event.add("status", "CANCELLED")
        events.append(event)
    return events


def visits_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard panel: the next visits, the actions the person owns still to do. A fixed
    number of queries."""
    if not _signed_in(user):
        return {}
    today = timezone.localdate()
    mine = Action.objects.filter(owner=user, status__in=OPEN_STATUSES)
    return {
        "upcoming": list(
            visit_list_visible_to(user)
            .filter(ends_on__gte=today)
            .exclude(status=VisitStatus.CANCELLED)
            .order_by("starts_on")[:3]
        ),
        "my_actions": mine.count(),
        "my_overdue": mine.filter(
            status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS), deadline__lt=today
        ).count(),
    }
