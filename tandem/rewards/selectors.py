"""Every read of rewards data, scoped to the reader (decision 104).

- A round (its kind, criteria, window and committee) is a public call: everyone who reaches
  the deciding institution (its own people and those of partners under an active agreement,
  like its regulations) reads it; a round the consortium admin opens to the whole consortium
  is read by everyone with an active membership.
- A nomination (statement, evidence, votes) is read by its nominator, its nominees, the round's
  committee and the round's managers (coordinators of the deciding institution, the consortium
  admin). Votes are the committee's; an objector's name is the committee's alone.
- Once announced, the result is published to the whole consortium (公示, decision 110):
  everyone with an active role anywhere in the consortium reads the round's announcement page
  and may object to an award, though they may not read the round's own page. The announcement
  publishes the round (title, kind, criteria, deciding institution, period) and the awarded
  nominees' names with the number of objections; never the statements, evidence, votes or
  objectors. Someone with no active role in the consortium gets the same 404 as for nothing.
"""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.institutions.models import Institution
from tandem.rewards.models import (
    AWARDED_STATUSES,
    Nomination,
    NominationStatus,
    Objection,
    RewardRound,
    RoundMember,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def in_consortium(user: Any) -> bool:
    return _signed_in(user) and (tenancy.is_consortium_admin(user) or bool(tenancy.roles(user)))


def today() -> datetime.date:
    return timezone.localdate()


# --- rounds --------------------------------------------------------------------------------


def round_list_visible_to(user: Any) -> QuerySet[RewardRound]:
    if not in_consortium(user):
        return RewardRound.objects.none()
    qs = RewardRound.objects.select_related("institution")
    if tenancy.is_consortium_admin(user):
        return qs
    return qs.filter(
        Q(consortium_wide=True) | Q(institution_id__in=tenancy.reach_institution_ids(user))
    )


def round_get_for_user_or_404(user: Any, pk: int) -> RewardRound:
    found = round_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def announced_round_list_visible_to(user: Any) -> QuerySet[RewardRound]:
    """Announced rounds: their announcement is published to every member of the consortium
    (not only to those who reach the deciding institution)."""
    if not in_consortium(user):
        return RewardRound.objects.none()
    return RewardRound.objects.select_related("institution").filter(announced_on__isnull=False)


def announced_round_get_or_404(user: Any, pk: int) -> RewardRound:
    found = announced_round_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def member_ids(round_: RewardRound) -> set[int]:
    return set(RoundMember.objects.filter(round=round_).values_list("user_id", flat=True))


def members_of(round_: RewardRound) -> QuerySet[User]:
    return User.objects.filter(pk__in=RoundMember.objects.filter(round=round_).values("user_id"))


def member_candidates(round_: RewardRound) -> QuerySet[User]:
    """Staff (not trainees) with an active membership at the deciding institution."""
    staff = (
        Membership.objects.filter(institution_id=round_.institution_id, is_active=True)
        .exclude(role=Role.TRAINEE)
        .values("user_id")
    )
    return User.objects.filter(pk__in=staff, is_active=True).order_by("full_name", "username")


def manager_ids(round_: RewardRound) -> set[int]:
    """Coordinators of the deciding institution and the consortium admins."""
    return set(
        Membership.objects.filter(is_active=True)
        .filter(
            Q(role=Role.COORDINATOR, institution_id=round_.institution_id)
            | Q(role=Role.CONSORTIUM_ADMIN)
        )
        .values_list("user_id", flat=True)
    )


def institutions_for_round(user: Any) -> QuerySet[Institution]:
    if tenancy.is_consortium_admin(user):
        return Institution.objects.filter(is_active=True).order_by("name")
    return Institution.objects.filter(pk__in=tenancy.coordinated_institution_ids(user)).order_by(
        "name"
    )


# --- nominations ---------------------------------------------------------------------------


def nomination_list_visible_to(user: Any) -> QuerySet[Nomination]:
    if not in_consortium(user):
        return Nomination.objects.none()
    qs = Nomination.objects.select_related("round__institution", "nominated_by")
    if tenancy.is_consortium_admin(user):
        return qs
    member_of = RoundMember.objects.filter(user_id=user.pk).values("round_id")
    nominee = Nomination.nominees.through.objects.filter(
        nomination_id=OuterRef("pk"), user_id=user.pk
    )
    scope = (
        Q(nominated_by_id=user.pk)
        | Q(Exists(nominee))
        | Q(round_id__in=member_of)
        | Q(round__institution_id__in=tenancy.coordinated_institution_ids(user))
    )
    return qs.filter(scope)


def nomination_get_for_user_or_404(user: Any, pk: int) -> Nomination:
    found = nomination_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def nominations_of_round_for(user: Any, round_: RewardRound) -> QuerySet[Nomination]:
    return (
        nomination_list_visible_to(user)
        .filter(round=round_)
        .prefetch_related("nominees")
        .order_by("nominated_at", "id")
    )


def announced_award_get_or_404(user: Any, pk: int) -> Nomination:
    """An award on a round's announcement page: every member of the consortium reaches it."""
    found = (
        Nomination.objects.filter(
            pk=pk,
            status__in=AWARDED_STATUSES,
            round__in=announced_round_list_visible_to(user),
        )
        .select_related("round__institution")
        .first()
    )
    if found is None:
        raise Http404
    return found


def awards_of_round(round_: RewardRound) -> QuerySet[Nomination]:
    return (
        Nomination.objects.filter(round=round_, status__in=AWARDED_STATUSES)
        .prefetch_related("nominees", "objections")
        .order_by("id")
    )


def nominee_ids(nomination: Nomination) -> set[int]:
    return set(nomination.nominees.values_list("pk", flat=True))


def ever_tutor_ids_of(user_ids: set[int]) -> set[int]:
    return set(
        TutorAssignment.objects.filter(cultivation__trainee_id__in=user_ids).values_list(
            "tutor_id", flat=True
        )
    )


def recused_ids(nomination: Nomination) -> set[int]:
    """Who may not vote on a nomination nor answer its objections: the nominees, anyone who
    ever tutored a nominee, and the person who nominated."""
    nominees = nominee_ids(nomination)
    return nominees | ever_tutor_ids_of(nominees) | {nomination.nominated_by_id}


def eligible_ids(nomination: Nomination) -> set[int]:
    return member_ids(nomination.round) - recused_ids(nomination)


def unanswered_objections(nomination: Nomination) -> QuerySet[Objection]:
    return nomination.objections.filter(answered_at__isnull=True)


def awards_due_final(day: datetime.date) -> QuerySet[Nomination]:
    """Announced awards whose objection period ended before `day`, every objection answered."""
    open_objection = Objection.objects.filter(
        nomination_id=OuterRef("pk"), answered_at__isnull=True
    )
    return Nomination.objects.filter(
        status=NominationStatus.ANNOUNCED, round__objection_until__lt=day
    ).exclude(Exists(open_objection))


def final_awards_of_trainee(trainee_id: int, day: datetime.date | None = None) -> list[Nomination]:
    """The final awards of a person, for their joint record: those already final, and those
    whose period has ended with every objection answered (final on read, before the sweep)."""
    on = day or today()
    due = awards_due_final(on).values("pk")
    return list(
        Nomination.objects.filter(nominees__pk=trainee_id)
        .filter(Q(status=NominationStatus.FINAL) | Q(pk__in=due))
        .select_related("round__institution")
        .order_by("round__objection_until", "id")
    )


# --- who can be nominated ------------------------------------------------------------------


def _in_round_scope(round_: RewardRound) -> Q:
    if round_.consortium_wide:
        return Q()
    at_institution = Membership.objects.filter(
        institution_id=round_.institution_id, is_active=True
    ).values("user_id")
    there = JointCultivation.objects.filter(
        Q(home_id=round_.institution_id) | Q(host_id=round_.institution_id)
    )
    tutors_there = TutorAssignment.objects.filter(cultivation__in=there).values("tutor_id")
    return Q(pk__in=at_institution) | Q(pk__in=there.values("trainee_id")) | Q(pk__in=tutors_there)


def _with_role(role: str) -> Q:
    return Q(pk__in=Membership.objects.filter(role=role, is_active=True).values("user_id"))


def nominee_candidates(user: Any, round_: RewardRound) -> QuerySet[User]:
    """The people `user` may nominate in `round_`: for a coordinator, the trainees and tutors
    of the institutions they coordinate and the trainees and tutors of joint cultivations
    there; for a
    tutor, their current trainees, their co-tutors and themselves (for a pair); always within
    the round's scope and of the kind it rewards."""
    if not _signed_in(user):
        return User.objects.none()
    reach = Q(pk__in=[])
    coordinated = tenancy.coordinated_institution_ids(user)
    if tenancy.is_consortium_admin(user):
        reach = Q()
    elif coordinated:
        reach |= Q(
            pk__in=Membership.objects.filter(
                institution_id__in=coordinated, is_active=True, role__in=(Role.TRAINEE, Role.TUTOR)
            ).values("user_id")
        )
        theirs = JointCultivation.objects.filter(
            Q(home_id__in=coordinated) | Q(host_id__in=coordinated)
        )
        reach |= Q(pk__in=theirs.values("trainee_id"))
        reach |= Q(
            pk__in=TutorAssignment.objects.filter(
                cultivation__in=theirs, ended_at__isnull=True
            ).values("tutor_id")
        )
    if Role.TUTOR in tenancy.roles(user):
        mine = TutorAssignment.objects.filter(tutor_id=user.pk, ended_at__isnull=True)
        reach |= Q(pk__in=mine.values("cultivation__trainee_id"))
        reach |= Q(
            pk__in=TutorAssignment.objects.filter(
                cultivation_id__in=mine.values("cultivation_id"), ended_at__isnull=True
            ).values("tutor_id")
        )
    kind = round_.nominee_kind
    if kind == "trainee":
        role_q = _with_role(Role.TRAINEE)
    elif kind == "either":
        role_q = _with_role(Role.TRAINEE) | _with_role(Role.TUTOR)
    else:
        role_q = _with_role(Role.TUTOR)
    return (
        User.objects.filter(is_active=True)
        .filter(reach)
        .filter(_in_round_scope(round_))
        .filter(role_q)
        .distinct()
        .order_by("full_name", "username")
    )


def is_tutor_pair(first_id: int, second_id: int) -> bool:
    """Two tutors currently assigned together to one joint cultivation."""
    shared = TutorAssignment.objects.filter(tutor_id=first_id, ended_at__isnull=True).values(
        "cultivation_id"
    )
    return TutorAssignment.objects.filter(
        tutor_id=second_id, ended_at__isnull=True, cultivation_id__in=shared
    ).exists()


def rewards_dashboard(user: Any) -> dict[str, Any]:
    """Rounds accepting nominations and announcements in their objection period; for a
    committee member, the nominations awaiting their vote."""
    if not in_consortium(user):
        return {}
    day = today()
    rounds = round_list_visible_to(user)
    awaiting = (
        Nomination.objects.filter(
            status=NominationStatus.SUBMITTED,
            round__in=RoundMember.objects.filter(user_id=user.pk).values("round_id"),
        )
        .exclude(votes__member_id=user.pk)
        .count()
    )
    return {
        "open_rounds": list(
            rounds.filter(
                nominations_open__lte=day, nominations_close__gte=day, announced_on__isnull=True
            )[:5]
        ),
        "announced": list(
            announced_round_list_visible_to(user)
            .filter(announced_on__lte=day, objection_until__gte=day)
            .order_by("objection_until")[:5]
        ),
        "awaiting_vote": awaiting,
    }


def objection_get_for_user_or_404(user: Any, pk: int) -> Objection:
    found = (
        Objection.objects.filter(nomination__in=nomination_list_visible_to(user))
        .select_related("nomination__round")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def objections_for(user: Any, nomination: Nomination) -> QuerySet[Objection]:
    return nomination.objections.select_related("objector", "answered_by")


def own_objections(user: Any, round_: RewardRound) -> QuerySet[Objection]:
    return Objection.objects.filter(nomination__round=round_, objector_id=user.pk).select_related(
        "nomination"
    )


def status_on_read(nomination: Nomination, day: datetime.date | None = None) -> str:
    """The status a reader sees: an award whose period is over with every objection answered
    reads as final even before the sweep has run."""
    on = day or today()
    if (
        nomination.status == NominationStatus.ANNOUNCED
        and nomination.round.objection_until is not None
        and nomination.round.objection_until < on
        and not unanswered_objections(nomination).exists()
    ):
        return NominationStatus.FINAL
    return nomination.status
