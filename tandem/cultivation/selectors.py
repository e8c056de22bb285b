"""Reads about joint cultivations, always scoped to the asking user."""

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from tandem.accounts.models import Membership, Role, TraineeKind, TutorProfile, User
from tandem.agreements.models import Agreement
from tandem.core import tenancy
from tandem.core.unions import pk_in_any
from tandem.cultivation.models import (
    DEFAULT_RESPONSIBILITIES,
    CultivationStatus,
    Decision,
    DecisionKind,
    EndingRequest,
    JointCultivation,
    ResponsibilityKey,
    ResponsibilityShare,
    ResponsibilitySignature,
    ResponsibilityTemplateItem,
    Stay,
    TutorAssignment,
    TutorChangeRequest,
    TutorRole,
    TutorTraining,
)
from tandem.cultivation.selectors_training import tutors_short_by_institution

OPEN_STATUSES = ("proposed", "approved", "active", "suspended")

STAFF_ROLES = (
    Role.COORDINATOR,
    Role.TUTOR,
    Role.TEACHER,
    Role.BASE_DIRECTOR,
    Role.EVALUATOR,
)


def cultivation_list_visible_to(user: Any) -> QuerySet[JointCultivation]:
    """Joint cultivations the user may open.

    - consortium admins: all;
    - staff (coordinators, tutors, teachers, directors, evaluators) of the home or the host;
    - the trainee: their own;
    - a tutor who is or was in the trainee's pair (even after leaving the institution).
    """
    queryset = JointCultivation.objects.all()
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if tenancy.is_consortium_admin(user):
        return queryset
    staff_at = tenancy.own_institution_ids(user, *STAFF_ROLES)
    # Two indexed branches: the columns of the cultivation itself (one bitmap OR), and the
    # pairs the tutor is or was in. An EXISTS in the same OR scanned every cultivation.
    return queryset.filter(
        pk_in_any(
            JointCultivation.objects.filter(
                Q(home_id__in=staff_at) | Q(host_id__in=staff_at) | Q(trainee=user)
            ).values("pk"),
            TutorAssignment.objects.filter(tutor=user).values("cultivation_id"),
        )
    )


def _signed_by(role: str) -> Exists:
    return Exists(
        ResponsibilitySignature.objects.filter(
            cultivation=OuterRef("pk"), assignment__role=role, assignment__ended_at__isnull=True
        )
    )


def with_completeness(queryset: QuerySet[JointCultivation]) -> QuerySet[JointCultivation]:
    """Annotate `signed_experimental` and `signed_theoretical`: both true means the pair is
    complete and both current tutors signed the division of responsibilities (signatures are
    cleared whenever the division or the pair changes)."""
    return queryset.annotate(
        signed_experimental=_signed_by(TutorRole.EXPERIMENTAL),
        signed_theoretical=_signed_by(TutorRole.THEORETICAL),
    )


def incomplete_filter() -> Q:
    """Open cultivations whose pair or signed division is missing (after `with_completeness`)."""
    return Q(status__in=OPEN_STATUSES) & (
        Q(signed_experimental=False) | Q(signed_theoretical=False)
    )


def _current_pair_prefetch() -> Prefetch:
    return Prefetch(
        "tutor_assignments",
        queryset=TutorAssignment.objects.filter(ended_at__isnull=True).select_related("tutor"),
        to_attr="current_pair",
    )


def cultivation_list_for_page(
    user: Any,
    *,
    status: str = "",
    institution_id: int | None = None,
    agreement_id: int | None = None,
    incomplete_only: bool = False,
    search: str = "",
) -> QuerySet[JointCultivation]:
    """The filtered list with what a row shows, in a fixed number of queries."""
    queryset = with_completeness(cultivation_list_visible_to(user))
    if status:
        queryset = queryset.filter(status=status)
    if institution_id:
        queryset = queryset.filter(Q(home_id=institution_id) | Q(host_id=institution_id))
    if agreement_id:
        queryset = queryset.filter(agreement_id=agreement_id)
    if incomplete_only:
        queryset = queryset.filter(incomplete_filter())
    if search:
        queryset = queryset.filter(
            Q(trainee__full_name__icontains=search)
            | Q(trainee__username__icontains=search)
            | Q(research_topic__icontains=search)
        )
    return queryset.select_related("trainee", "agreement", "home", "host").prefetch_related(
        _current_pair_prefetch()
    )


def cultivation_get_for_user_or_404(user: Any, pk: int) -> JointCultivation:
    return get_object_or_404(
        with_completeness(cultivation_list_visible_to(user))
        .select_related("trainee", "agreement", "home", "host", "proposed_by")
        .prefetch_related(
            Prefetch("stays", queryset=Stay.objects.select_related("institution")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("institution", "decided_by"),
            ),
            Prefetch(
                "ending_requests",
                queryset=EndingRequest.objects.select_related(
                    "requested_by", "requested_for", "decided_by"
                ),
            ),
        ),
        pk=pk,
    )


def is_incomplete(cultivation: JointCultivation) -> bool:
    """For a cultivation fetched through the selectors above (annotated)."""
    if cultivation.status not in OPEN_STATUSES:
        return False
    signed = (
        getattr(cultivation, "signed_experimental", None),
        getattr(cultivation, "signed_theoretical", None),
    )
    if None in signed:
        return not cultivation_is_complete(cultivation)
    return not all(signed)


def cultivation_is_complete(cultivation: JointCultivation) -> bool:
    """Both tutors present and the division of responsibilities signed by both."""
    signed_roles = set(
        ResponsibilitySignature.objects.filter(
            cultivation=cultivation, assignment__ended_at__isnull=True
        ).values_list("assignment__role", flat=True)
    )
    return signed_roles == {TutorRole.EXPERIMENTAL, TutorRole.THEORETICAL}


def current_tutors(cultivation: JointCultivation) -> dict[str, TutorAssignment]:
    """{"experimental": assignment, "theoretical": assignment} for the current pair."""
    return {
        assignment.role: assignment
        for assignment in cultivation.tutor_assignments.filter(
            ended_at__isnull=True
        ).select_related("tutor", "institution")
    }


def tutors_in_force_on(
    cultivation: JointCultivation, day: datetime.date
) -> dict[str, TutorAssignment]:
    """The pair as it stood on `day`: for each role, the last assignment that had started by
    the end of that day (so a tutor replaced later, or a pair ended by termination, still
    answers for the work of their period); before the first assignment, the first one."""
    end_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    pair: dict[str, TutorAssignment] = {}
    assignments = cultivation.tutor_assignments.select_related("tutor", "institution").order_by(
        "started_at", "id"
    )
    for assignment in assignments:
        if assignment.role not in pair or assignment.started_at <= end_of_day:
            pair[assignment.role] = assignment
    return pair


def pair_history(cultivation: JointCultivation) -> QuerySet[TutorAssignment]:
    return cultivation.tutor_assignments.select_related("tutor", "institution").order_by(
        "role", "-started_at", "-id"
    )


def agreement_lineage_ids(agreement: Agreement) -> list[int]:
    """The agreement and every version it amends or that amends it (one row per version)."""
    ids = [agreement.pk]
    current = agreement.amends_id
    while current is not None and current not in ids:
        ids.append(current)
        current = Agreement.objects.filter(pk=current).values_list("amends_id", flat=True).first()
    current_pk: int | None = agreement.pk
    while current_pk is not None:
        current_pk = (
            Agreement.objects.filter(amends_id=current_pk).values_list("pk", flat=True).first()
        )
        if current_pk is not None:
            if current_pk in ids:
                break
            ids.append(current_pk)
    return sorted(ids)


def approved_institution_ids(cultivation: JointCultivation) -> set[int]:
    return set(
        cultivation.decisions.filter(kind=DecisionKind.APPROVE).values_list(
            "institution_id", flat=True
        )
    )


# --- Tutor changes ---------------------------------------------------------------------------


def change_request_list_for(cultivation: JointCultivation) -> QuerySet[TutorChangeRequest]:
    """The change requests of a cultivation the caller has already fetched through a selector."""
    return cultivation.tutor_change_requests.select_related(
        "new_tutor",
        "requested_by",
        "home_approved_by",
        "host_approved_by",
        "cultivation__home",
        "cultivation__host",
    )


def change_request_get_for_user_or_404(
    user: Any, cultivation_pk: int, request_pk: int
) -> TutorChangeRequest:
    cultivation = cultivation_get_for_user_or_404(user, cultivation_pk)
    change = get_object_or_404(change_request_list_for(cultivation), pk=request_pk)
    change.cultivation = cultivation
    return change


# --- Responsibilities --------------------------------------------------------------------------


def responsibility_template_for(agreement: Agreement) -> list[ResponsibilityTemplateItem]:
    """The agreement's template; the standard items (unsaved) until a coordinator edits it."""
    items = list(agreement.responsibility_items.all())
    if items:
        return items
    return [
        ResponsibilityTemplateItem(agreement=agreement, key=key, position=index)
        for index, key in enumerate(ResponsibilityKey.values)
    ]


def suggested_role(item: Any) -> str:
    return DEFAULT_RESPONSIBILITIES.get(item.key, TutorRole.EXPERIMENTAL) if item.key else ""


def responsibility_shares(cultivation: JointCultivation) -> list[ResponsibilityShare]:
    return list(cultivation.responsibilities.all())


def responsibility_signatures(cultivation: JointCultivation) -> list[ResponsibilitySignature]:
    return list(
        cultivation.responsibility_signatures.filter(
            assignment__ended_at__isnull=True
        ).select_related("assignment__tutor")
    )


# --- Tutors --------------------------------------------------------------------------------------


def tutor_list_visible_to(user: Any) -> QuerySet[User]:
    """Tutors at the user's own and partner institutions, and the user themself."""
    people = User.objects.all()
    if not getattr(user, "is_authenticated", False):
        return people.none()
    if tenancy.is_consortium_admin(user):
        return people.filter(
            Q(tutor_profile__isnull=False) | Q(memberships__role=Role.TUTOR)
        ).distinct()
    reach = tenancy.reach_institution_ids(user)
    tutor_at_reach = Membership.objects.filter(
        user=OuterRef("pk"), role=Role.TUTOR, is_active=True, institution_id__in=reach
    )
    return people.filter(Exists(tutor_at_reach) | Q(pk=user.pk))


def tutor_get_for_user_or_404(user: Any, pk: int) -> User:
    return get_object_or_404(tutor_list_visible_to(user), pk=pk)


def tutor_institution_ids(tutor: User) -> set[int]:
    return set(
        Membership.objects.filter(
            user=tutor, role=Role.TUTOR, is_active=True, institution__isnull=False
        ).values_list("institution_id", flat=True)
    )


def trainee_list_proposable_by(user: Any) -> QuerySet[User]:
    """Postgraduates (not residents) who may be proposed for a joint cultivation by this
    person: enrolled at an institution within their reach as a coordinator (the service checks
    the trainee is enrolled at the home), and without a joint cultivation still open."""
    enrolled = Membership.objects.filter(user=OuterRef("pk"), role=Role.TRAINEE, is_active=True)
    if not tenancy.is_consortium_admin(user):
        reach = (
            tenancy.reach_institution_ids(user)
            if tenancy.coordinated_institution_ids(user)
            else set()
        )
        enrolled = enrolled.filter(institution_id__in=reach)
    open_cultivation = JointCultivation.objects.filter(
        trainee=OuterRef("pk"), status__in=OPEN_STATUSES
    )
    return (
        User.objects.filter(Exists(enrolled), trainee_profile__isnull=False)
        .exclude(trainee_profile__kind=TraineeKind.RESIDENT)
        .exclude(Exists(open_cultivation))
        .order_by("full_name", "username")
    )


def eligible_tutors(cultivation: JointCultivation, role: str) -> QuerySet[User]:
    """People who may be offered for `role` (the service checks qualification and quota)."""
    places = [cultivation.host_id]
    if role == TutorRole.THEORETICAL:
        places.append(cultivation.home_id)
    at_place = Membership.objects.filter(
        user=OuterRef("pk"), role=Role.TUTOR, is_active=True, institution_id__in=places
    )
    return User.objects.filter(Exists(at_place), tutor_profile__isnull=False).select_related(
        "tutor_profile"
    )


def training_list_for(tutor: User) -> QuerySet[TutorTraining]:
    """The trainings of a tutor the caller has already fetched through a selector."""
    return TutorTraining.objects.filter(tutor=tutor).select_related("recorded_by")


def training_get_for_user_or_404(user: Any, pk: int) -> TutorTraining:
    training = get_object_or_404(TutorTraining.objects.select_related("tutor"), pk=pk)
    # Same 404 when the tutor is out of reach.
    tutor_get_for_user_or_404(user, training.tutor_id)
    return training


def counted_assignments(tutor: User, year: int) -> QuerySet[TutorAssignment]:
    """The assignments that take a place in a tutor's yearly quota.

    A place is taken by every current assignment (ended_at empty) whose quota year is `year`,
    whatever the cultivation's status: trainees being guided and those guided to completion.
    A place is given back when the tutor is changed (the new tutor takes it) or when the joint
    cultivation is terminated (its assignments end with the reason)."""
    return TutorAssignment.objects.filter(tutor=tutor, quota_year=year, ended_at__isnull=True)


def tutor_load(tutor: User, year: int) -> dict[str, Any]:
    """A tutor's trainees in `year` by home institution and degree, against the annual quota."""
    profile = TutorProfile.objects.filter(user=tutor).first()
    counted = counted_assignments(tutor, year)
    rows = list(
        counted.order_by()
        .values(
            "cultivation__home__name",
            "cultivation__home__name_zh",
            "cultivation__trainee__trainee_profile__kind",
        )
        .annotate(n=Count("cultivation", distinct=True))
        .order_by("cultivation__home__name", "cultivation__trainee__trainee_profile__kind")
    )
    zh = (get_language() or "").startswith("zh")
    kinds = dict(TraineeKind.choices)
    table = [
        {
            "institution": (row["cultivation__home__name_zh"] if zh else "")
            or row["cultivation__home__name"],
            "kind": str(kinds.get(row["cultivation__trainee__trainee_profile__kind"], "—")),
            "n": row["n"],
        }
        for row in rows
    ]
    used = counted.values("cultivation").distinct().count()
    current = (
        TutorAssignment.objects.filter(
            tutor=tutor, ended_at__isnull=True, cultivation__status__in=OPEN_STATUSES
        )
        .values("cultivation")
        .distinct()
        .count()
    )
    quota = profile.annual_quota if profile else 0
    return {
        "year": year,
        "profile": profile,
        "quota": quota,
        "used": used,
        "left": max(quota - used, 0),
        "current": current,
        "pct": min(round(100 * used / quota), 100) if quota else 100,
        "rows": table,
    }


# --- Current trainees and dashboard ---------------------------------------------------------------


def current_trainee_rows(user: Any) -> list[dict[str, Any]]:
    """Every current trainee of the tutor, across institutions, in a fixed number of queries.

    Each row: cultivation, trainee, role, status, home, host, partner (the other tutor's
    assignment or None) and is_complete. The tutor workspace of `tandem.portal` adds what
    plans and meetings know of each."""
    assignments = list(
        TutorAssignment.objects.filter(
            tutor=user, ended_at__isnull=True, cultivation__status__in=OPEN_STATUSES
        )
        .select_related(
            "cultivation__trainee",
            "cultivation__home",
            "cultivation__host",
            "cultivation__agreement",
        )
        .order_by("cultivation__trainee__full_name", "cultivation_id")
    )
    ids = [a.cultivation_id for a in assignments]
    annotated = {
        c.pk: c
        for c in with_completeness(JointCultivation.objects.filter(pk__in=ids)).prefetch_related(
            _current_pair_prefetch()
        )
    }
    rows = []
    for assignment in assignments:
        cultivation = annotated[assignment.cultivation_id]
        partner = next(
            (a for a in getattr(cultivation, "current_pair", []) if a.pk != assignment.pk), None
        )
        rows.append(
            {
                "cultivation": assignment.cultivation,
                "trainee": assignment.cultivation.trainee,
                "role": assignment.role,
                "role_label": assignment.get_role_display(),
                "status": cultivation.status,
                "status_label": cultivation.get_status_display(),
                "home": assignment.cultivation.home,
                "host": assignment.cultivation.host,
                "partner": partner,
                "is_first_in_charge": assignment.is_first_in_charge,
                # Annotated by with_completeness().
                "is_complete": bool(
                    getattr(cultivation, "signed_experimental", False)
                    and getattr(cultivation, "signed_theoretical", False)
                ),
            }
        )
    return rows


def cultivation_dashboard(user: Any) -> dict[str, Any]:
    """Counts for the dashboard card, in a fixed number of queries."""
    visible = with_completeness(cultivation_list_visible_to(user))
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    coordinated = tenancy.coordinated_institution_ids(user)
    awaiting = 0
    if coordinated:
        approved_by_me = Decision.objects.filter(
            cultivation=OuterRef("pk"),
            kind=DecisionKind.APPROVE,
            institution_id__in=coordinated,
        )
        awaiting = (
            visible.filter(
                Q(home_id__in=coordinated) | Q(host_id__in=coordinated),
                status=CultivationStatus.PROPOSED,
            )
            .exclude(Exists(approved_by_me))
            .count()
        )
    return {
        "by_status": [
            {"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in CultivationStatus.choices
        ],
        "total": sum(counts.values()),
        "incomplete": visible.filter(incomplete_filter()).count(),
        "awaiting_my_approval": awaiting,
        "tutor_training": tutors_short_by_institution(user),
        "my_trainees": TutorAssignment.objects.filter(
            tutor=user, ended_at__isnull=True, cultivation__status__in=OPEN_STATUSES
        ).count()
        if getattr(user, "is_authenticated", False)
        else 0,
    }


def responsibilities_divided_for(cultivation_ids: list[int]) -> set[int]:
    """Which of these cultivations have a division of responsibilities, in one query."""
    return set(
        ResponsibilityShare.objects.filter(cultivation_id__in=cultivation_ids)
        .values_list("cultivation_id", flat=True)
        .distinct()
    )
