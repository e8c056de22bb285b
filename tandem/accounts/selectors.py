"""Reads about people, always scoped to the asking user."""

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.models import (
    ApiToken,
    Membership,
    Role,
    StudentNumber,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.core import tenancy
from tandem.core.lookups import visible_or_none


def api_token_list_for(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_token_get_for_user_or_404(user: Any, pk: int) -> ApiToken:
    return get_object_or_404(api_token_list_for(user), pk=pk)


# --- People -------------------------------------------------------------------------------------

# Roles whose holders see everyone at their own and partner institutions. A person who is only a
# trainee sees themself and the staff of those institutions, never other trainees.
STAFF_ROLES = (
    Role.COORDINATOR,
    Role.TUTOR,
    Role.TEACHER,
    Role.BASE_DIRECTOR,
    Role.EVALUATOR,
)
STAFF_VISIBLE_TO_TRAINEES = (Role.COORDINATOR, Role.TUTOR, Role.TEACHER, Role.BASE_DIRECTOR)


def _active_memberships() -> QuerySet[Membership]:
    return (
        Membership.objects.filter(is_active=True)
        .select_related("institution", "unit")
        .order_by("institution__name", "role")
    )


def _people_visible_to(user: Any) -> QuerySet[User]:
    people = User.objects.all()
    if not getattr(user, "is_authenticated", False):
        return people.none()
    if tenancy.is_consortium_admin(user):
        return people
    reach = tenancy.reach_institution_ids(user)
    at_reach = Membership.objects.filter(
        user=OuterRef("pk"), is_active=True, institution_id__in=reach
    )
    if not tenancy.roles(user) & set(STAFF_ROLES):
        at_reach = at_reach.filter(role__in=STAFF_VISIBLE_TO_TRAINEES)
    return people.filter(Exists(at_reach) | Q(pk=user.pk))


def person_list_visible_to(user: Any) -> QuerySet[User]:
    """Everyone `user` may see, each with their active memberships prefetched."""
    return _people_visible_to(user).prefetch_related(
        Prefetch("memberships", queryset=_active_memberships(), to_attr="active_memberships")
    )


def person_list_with_role_in_reach(user: Any, role: str) -> QuerySet[User]:
    """People `user` may see who hold `role` (active) at one of the user's own or partner
    institutions (anywhere, for a consortium admin), by name: the choice list of tutors,
    trainees and other role holders on forms."""
    holding = Membership.objects.filter(user=OuterRef("pk"), role=role, is_active=True)
    if not tenancy.is_consortium_admin(user):
        holding = holding.filter(institution_id__in=tenancy.reach_institution_ids(user))
    return _people_visible_to(user).filter(Exists(holding)).order_by("full_name", "username")


def person_list_among(user: Any, ids: set[int]) -> QuerySet[User]:
    """The people among `ids` (the members of one series, the authors of one paper) whom
    `user` may see, by name: a choice list drawn from an object the user already sees."""
    return _people_visible_to(user).filter(pk__in=ids).order_by("full_name", "username")


def person_get_for_user_or_404(user: Any, pk: int) -> User:
    return get_object_or_404(person_list_visible_to(user), pk=pk)


def person_get_visible_or_none(user: Any, pk: int | None) -> User | None:
    """The person `pk` if `user` may see them; None for a missing id and for anyone else alike.
    Every id of a person that a request names goes through here (or through
    `tandem.core.lookups` with `person_list_visible_to`), never through `User.objects`."""
    return visible_or_none(person_list_visible_to(user), pk)


def person_filter(
    people: QuerySet[User],
    *,
    institution_id: int | None = None,
    role: str | None = None,
    search: str = "",
) -> QuerySet[User]:
    """Narrow a visible-to queryset by an institution, a role (active memberships) and a text."""
    if institution_id or role:
        wanted = Membership.objects.filter(user=OuterRef("pk"), is_active=True)
        if institution_id:
            wanted = wanted.filter(institution_id=institution_id)
        if role:
            wanted = wanted.filter(role=role)
        people = people.filter(Exists(wanted))
    search = search.strip()
    if search:
        people = people.filter(
            Q(full_name__icontains=search)
            | Q(email__icontains=search)
            | Q(username__icontains=search)
        )
    return people


def membership_get_for_user_or_404(user: Any, pk: int) -> Membership:
    """A membership of someone the user may see (404 otherwise)."""
    memberships = Membership.objects.select_related("user", "institution", "unit").filter(
        user__in=person_list_visible_to(user).values("pk")
    )
    return get_object_or_404(memberships, pk=pk)


def person_profile_parts(person: User) -> dict[str, Any]:
    """The person's trainee profile (with student numbers) and tutor profile, or None."""
    trainee = (
        TraineeProfile.objects.filter(user=person)
        .prefetch_related(
            Prefetch(
                "student_numbers",
                queryset=StudentNumber.objects.select_related("institution").order_by(
                    "institution__name"
                ),
            )
        )
        .first()
    )
    tutor = TutorProfile.objects.filter(user=person).first()
    return {"trainee_profile": trainee, "tutor_profile": tutor}


def person_memberships(person: User) -> QuerySet[Membership]:
    """All memberships of a person (active first), for their detail page."""
    return (
        Membership.objects.filter(user=person)
        .select_related("institution", "unit")
        .order_by("-is_active", "institution__name", "role")
    )
