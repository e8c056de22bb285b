"""Reads about feedback items and seminars, always scoped to the asking user.

A handler sees the items routed to their institution for their role (coordinators: all of
their institution's); consortium admins see every item. A raiser sees their own: a named one
by `raised_by`, an anonymous one through their sealed follows. No handler read touches
`AnonymousFollow`: only `followed_item_ids(user)` reads it, for the user themselves.
"""

import datetime
from typing import Any

import icalendar
from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tandem.accounts.models import Membership, Role
from tandem.agreements.models import AgreementParty
from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation
from tandem.feedback.models import (
    DEFAULT_ROUTING,
    ESCALATE_TO_ADMIN_AFTER_DAYS,
    AnonymousFollow,
    Category,
    FeedbackItem,
    HandlerRole,
    ItemStatus,
    Routing,
    Seminar,
    SeminarStatus,
)
from tandem.feedback.sealing import unseal

# Below this many items an institution's statistics are not shown: with one or two items a
# time to close could point at the person who raised them.
STATS_MIN_GROUP = 3

ACTIVE_ITEM = (ItemStatus.OPEN, ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def followed_item_ids(user: Any) -> set[int]:
    """The anonymous items `user` raised, for `user` alone (cached for the request)."""
    cached = getattr(user, "_tandem_followed_items", None)
    if cached is None:
        cached = set()
        if _signed_in(user):
            for nonce, sealed in AnonymousFollow.objects.filter(user=user).values_list(
                "nonce", "sealed"
            ):
                cached.add(unseal(nonce, sealed))
        user._tandem_followed_items = cached
    return cached


def _handled_condition(user: Any) -> Q:
    condition = Q(pk__in=[])
    for role in HandlerRole.values:
        ids = tenancy.own_institution_ids(user, role)
        if ids:
            condition |= Q(institution_id__in=ids, handler_role=role)
    coordinated = tenancy.coordinated_institution_ids(user)
    if coordinated:
        condition |= Q(institution_id__in=coordinated)
    return condition


def item_list_handled_by(user: Any) -> QuerySet[FeedbackItem]:
    """The items `user` handles (never their own as a raiser)."""
    queryset = FeedbackItem.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    return queryset.filter(_handled_condition(user))


def item_list_raised_by(user: Any) -> QuerySet[FeedbackItem]:
    if not _signed_in(user):
        return FeedbackItem.objects.none()
    return FeedbackItem.objects.filter(Q(raised_by=user) | Q(pk__in=followed_item_ids(user)))


def item_list_visible_to(user: Any) -> QuerySet[FeedbackItem]:
    queryset = FeedbackItem.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    condition = _handled_condition(user) | Q(raised_by=user) | Q(pk__in=followed_item_ids(user))
    return queryset.filter(condition)


def item_get_for_user_or_404(user: Any, pk: int) -> FeedbackItem:
    return get_object_or_404(
        item_list_visible_to(user).select_related(
            "agreement", "institution", "seminar", "raised_by"
        ),
        pk=pk,
    )


def item_list_for_page(user: Any, *, status: str = "") -> QuerySet[FeedbackItem]:
    queryset = item_list_handled_by(user)
    if status == "active":
        queryset = queryset.filter(status__in=ACTIVE_ITEM)
    elif status in ItemStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.select_related("agreement", "institution", "raised_by").order_by(
        "acknowledge_due", "id"
    )


def routing_for(agreement_id: int, category: str) -> tuple[str, str, int, int]:
    """(side, handler role, days to acknowledge, days to resolve) for a category under an
    agreement: the agreement's own row, else the default."""
    row = (
        Routing.objects.filter(agreement_id=agreement_id, category=category)
        .values_list("side", "handler_role", "acknowledge_days", "resolve_days")
        .first()
    )
    if row is not None:
        return row[0], row[1], row[2], row[3]
    return DEFAULT_ROUTING[category]


def routing_table(agreement_id: int) -> list[dict[str, Any]]:
    own = {r.category: r for r in Routing.objects.filter(agreement_id=agreement_id)}
    rows = []
    for value, label in Category.choices:
        side, role, ack, resolve = DEFAULT_ROUTING[value]
        row = own.get(value)
        rows.append(
            {
                "category": value,
                "label": label,
                "side": row.side if row else side,
                "handler_role": row.handler_role if row else role,
                "acknowledge_days": row.acknowledge_days if row else ack,
                "resolve_days": row.resolve_days if row else resolve,
                "handler_role_label": HandlerRole(row.handler_role if row else role).label,
                "overridden": row is not None,
            }
        )
    return rows


def cultivations_for_raising(user: Any) -> QuerySet[JointCultivation]:
    """The trainee's own active joint cultivations: where an item can be raised from."""
    if not _signed_in(user):
        return JointCultivation.objects.none()
    return JointCultivation.objects.filter(trainee=user, status="active").select_related(
        "agreement", "home", "host"
    )


def item_stats(user: Any) -> list[dict[str, Any]]:
    """Per institution the items were routed to: how many, mean days to acknowledge and to
    close, how many were reopened; suppressed below STATS_MIN_GROUP items. One query."""
    queryset = FeedbackItem.objects.all()
    if not tenancy.is_consortium_admin(user):
        queryset = queryset.filter(institution_id__in=tenancy.coordinated_institution_ids(user))
    rows = (
        queryset.values("institution_id", "institution__name", "institution__name_zh")
        .annotate(
            items=Count("id"),
            acknowledge=Avg("days_to_acknowledge"),
            close=Avg("days_to_close"),
            reopened=Count("id", filter=Q(reopen_count__gt=0)),
            open=Count("id", filter=Q(status__in=ACTIVE_ITEM)),
        )
        .order_by("institution__name")
    )
    result = []
    for row in rows:
        shown = row["items"] >= STATS_MIN_GROUP
        result.append(
            {
                "institution_id": row["institution_id"],
                "institution": row["institution__name"],
                "institution_zh": row["institution__name_zh"] or row["institution__name"],
                "suppressed": not shown,
                "items": row["items"] if shown else None,
                "open": row["open"] if shown else None,
                "days_to_acknowledge": _round(row["acknowledge"]) if shown else None,
                "days_to_close": _round(row["close"]) if shown else None,
                "reopened": row["reopened"] if shown else None,
            }
        )
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def overdue_items(today: datetime.date) -> list[dict[str, Any]]:
    """Items past a deadline, for the early-warning rule (`tandem.alerts.rules`): the stage
    overdue and whether it has gone up to the consortium admins. One query; no raiser."""
    escalate = today - datetime.timedelta(days=ESCALATE_TO_ADMIN_AFTER_DAYS)
    rows = FeedbackItem.objects.filter(
        Q(status=ItemStatus.OPEN, acknowledge_due__lt=today)
        | Q(
            status__in=[ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS],
            resolve_due__lt=today,
        )
    ).values(
        "id",
        "title",
        "category",
        "status",
        "institution_id",
        "handler_role",
        "acknowledge_due",
        "resolve_due",
    )
    result = []
    for row in rows:
        stage = "acknowledge" if row["status"] == ItemStatus.OPEN else "resolve"
        due = row["acknowledge_due"] if stage == "acknowledge" else row["resolve_due"]
        result.append(row | {"stage": stage, "due": due, "to_admin": due < escalate})
    return result


def handler_ids(institution_role_pairs: set[tuple[int, str]]) -> dict[tuple[int, str], set[int]]:
    """The people holding each (institution, role), in one query."""
    if not institution_role_pairs:
        return {}
    condition = Q(pk__in=[])
    for institution_id, role in institution_role_pairs:
        condition |= Q(institution_id=institution_id, role=role)
    result: dict[tuple[int, str], set[int]] = {}
    for institution_id, role, user_id in Membership.objects.filter(
        condition, is_active=True
    ).values_list("institution_id", "role", "user_id"):
        result.setdefault((institution_id, role), set()).add(user_id)
    return result


def consortium_admin_ids() -> list[int]:
    return list(
        Membership.objects.filter(role=Role.CONSORTIUM_ADMIN, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- Seminars -----------------------------------------------------------------------------------


def _party_ids_of(user: Any) -> set[int]:
    return tenancy.coordinated_institution_ids(user)


def seminar_list_visible_to(user: Any) -> QuerySet[Seminar]:
    """Admins; coordinators of the agreement's parties; the organizer; the invited."""
    queryset = Seminar.objects.all()
    if not _signed_in(user):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    condition = Q(organizer=user) | Q(invitations__person=user)
    coordinated = _party_ids_of(user)
    if coordinated:
        agreements = AgreementParty.objects.filter(institution_id__in=coordinated).values(
            "agreement_id"
        )
        condition |= Q(agreement_id__in=agreements)
    ids = Seminar.objects.filter(condition).values("id")
    return queryset.filter(id__in=ids)


def seminar_get_for_user_or_404(user: Any, pk: int) -> Seminar:
    return get_object_or_404(
        seminar_list_visible_to(user).select_related("agreement", "host_site", "organizer"),
        pk=pk,
    )


def seminar_previous(seminar: Seminar) -> Seminar | None:
    """The last seminar before this one for the same group (agreement, host site, cohort)."""
    return (
        Seminar.objects.filter(
            agreement_id=seminar.agreement_id,
            host_site_id=seminar.host_site_id,
            cohort=seminar.cohort,
            starts_at__lt=seminar.starts_at,
        )
        .exclude(status=SeminarStatus.CANCELLED)
        .order_by("-starts_at", "-id")
        .first()
    )


def seminar_carried_items(seminar: Seminar) -> list[FeedbackItem]:
    """The items raised at the previous seminar, in their current state: the head of this
    seminar's agenda. Only what every participant may know: category, subject, state."""
    previous = seminar_previous(seminar)
    if previous is None:
        return []
    return list(
        FeedbackItem.objects.filter(seminar=previous)
        .only("id", "title", "category", "status", "seminar_id")
        .order_by("id")
    )


def seminar_invitations(seminar: Seminar) -> QuerySet[Any]:
    return seminar.invitations.select_related("person", "site").order_by(
        "site__name", "person__full_name", "person__username"
    )


def seminars_upcoming_for(user: Any, limit: int = 3) -> list[Seminar]:
    return list(
        seminar_list_visible_to(user)
        .filter(starts_at__gte=timezone.now(), status=SeminarStatus.SCHEDULED)
        .order_by("starts_at")[:limit]
    )


def calendar_events_for(user: Any) -> list[icalendar.Event]:
    """The seminars the person organizes or is invited to, for their calendar feed."""
    if not _signed_in(user):
        return []
    seminars = Seminar.objects.filter(Q(organizer=user) | Q(invitations__person=user)).distinct()
    events = []
    for seminar in seminars:
        event = icalendar.Event()
        event.add("uid", f"seminar-{seminar.pk}@tandem")
        event.add("summary", seminar.title)
        event.add("dtstart", seminar.starts_at)
        event.add("dtend", seminar.starts_at + datetime.timedelta(minutes=seminar.duration_minutes))
        event.add("dtstamp", seminar.created_at)
        if seminar.place:
            event.add("location", seminar.place)
        if seminar.online_url:
            event.add("url", seminar.online_url)
        if seminar.status == SeminarStatus.CANCELLED:
            event.add("status", "CANCELLED")
        events.append(event)
    return events


def feedback_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard panel: items to handle (and how many overdue), the person's own items
    awaiting their confirmation, the next seminars. A fixed number of queries."""
    if not _signed_in(user):
        return {}
    today = timezone.localdate()
    handled = item_list_handled_by(user).filter(status__in=ACTIVE_ITEM)
    counts = handled.aggregate(
        active=Count("id"),
        overdue=Count(
            "id",
            filter=Q(status=ItemStatus.OPEN, acknowledge_due__lt=today)
            | Q(
                status__in=[ItemStatus.ACKNOWLEDGED, ItemStatus.IN_PROGRESS], resolve_due__lt=today
            ),
        ),
    )
    mine = item_list_raised_by(user)
    return {
        "to_handle": counts["active"] if not tenancy.roles(user) <= {Role.TRAINEE} else 0,
        "overdue": counts["overdue"],
        "to_confirm": mine.filter(status=ItemStatus.RESOLVED).count(),
        "mine_open": mine.exclude(status=ItemStatus.CLOSED).count(),
        "seminars": seminars_upcoming_for(user),
    }
