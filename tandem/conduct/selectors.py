"""Every read of conduct data, scoped to the reader (decision 096).

Who reads a case: the trainee; the coordinators of the cultivation's home and host; the members
of the deciding committee; the members of the appeal body once an appeal is lodged; and, once a
sanction is decided and until it is lifted or annulled, the trainee's two tutors of that
cultivation. Nobody else — not other trainees, not other tutors, not a third institution, not
the consortium admin, who sees counts only, with small numbers suppressed.

Regulations and committees are the institutions' public rules: everyone in the consortium who
reaches the institution reads them.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tandem.accounts.models import Membership, Role, User
from tandem.conduct.models import (
    Article,
    ArticleVersion,
    Case,
    CaseStatus,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Regulation,
)
from tandem.core import tenancy
from tandem.cultivation.models import CultivationStatus, JointCultivation, TutorAssignment
from tandem.institutions.models import Institution

TUTOR_READS = (CaseStatus.DECIDED, CaseStatus.UNDER_APPEAL, CaseStatus.IN_FORCE)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def min_group() -> int:
    """Below this many cases a count is not shown."""
    return int(getattr(settings, "CONDUCT_MIN_GROUP", settings.EVALUATIONS_MIN_RESPONSES))


# --- regulations and committees ---------------------------------------------------------------


def _reach_filter(user: Any, field: str) -> Q:
    if tenancy.is_consortium_admin(user):
        return Q()
    return Q(**{f"{field}__in": tenancy.reach_institution_ids(user)})


def regulation_list_visible_to(user: Any) -> QuerySet[Regulation]:
    if not _signed_in(user):
        return Regulation.objects.none()
    return (
        Regulation.objects.filter(_reach_filter(user, "institution_id"))
        .select_related("institution")
        .annotate(article_count=Count("articles"))
    )


def regulation_get_for_user_or_404(user: Any, pk: int) -> Regulation:
    found = regulation_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def article_list_of(regulation: Regulation) -> QuerySet[Article]:
    return regulation.articles.prefetch_related("versions")


def article_get_for_user_or_404(user: Any, pk: int) -> Article:
    found = (
        Article.objects.filter(regulation__in=regulation_list_visible_to(user))
        .select_related("regulation")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def version_in_force(article: Article, day: datetime.date) -> ArticleVersion | None:
    return (
        article.versions.filter(effective_from__lte=day)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=day))
        .order_by("-version")
        .first()
    )


def articles_citable_by(user: Any, cultivation: JointCultivation) -> QuerySet[Article]:
    """The articles of the regulations of the cultivation's home and host."""
    return (
        Article.objects.filter(
            regulation__institution_id__in=(cultivation.home_id, cultivation.host_id)
        )
        .select_related("regulation__institution")
        .order_by("regulation__institution_id", "regulation__title", "number")
    )


def committee_list_visible_to(user: Any) -> QuerySet[Committee]:
    if not _signed_in(user):
        return Committee.objects.none()
    return Committee.objects.filter(_reach_filter(user, "institution_id")).select_related(
        "institution"
    )


def committee_get_for_user_or_404(user: Any, pk: int) -> Committee:
    found = committee_list_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def committees_of(institution_ids: Any, kind: str) -> QuerySet[Committee]:
    return Committee.objects.filter(institution_id__in=institution_ids, kind=kind).select_related(
        "institution"
    )


def member_candidates(institution: Institution) -> QuerySet[User]:
    """Staff (not trainees) with an active membership at the institution."""
    staff = (
        Membership.objects.filter(institution=institution, is_active=True)
        .exclude(role=Role.TRAINEE)
        .values("user_id")
    )
    return User.objects.filter(pk__in=staff, is_active=True).order_by("full_name", "username")


def member_ids(committee: Committee | None) -> set[int]:
    if committee is None:
        return set()
    return set(
        CommitteeMember.objects.filter(committee=committee).values_list("user_id", flat=True)
    )


# --- cases ---------------------------------------------------------------------------------


def _tutor_of_case(user: Any) -> Exists:
    return Exists(
        TutorAssignment.objects.filter(
            cultivation_id=OuterRef("cultivation_id"), tutor_id=user.pk
        ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("opened_at")))
    )


def case_list_visible_to(user: Any) -> QuerySet[Case]:
    if not _signed_in(user):
        return Case.objects.none()
    coordinated = tenancy.coordinated_institution_ids(user)
    member_of = CommitteeMember.objects.filter(user_id=user.pk).values("committee_id")
    scope = (
        Q(trainee_id=user.pk)
        | Q(cultivation__home_id__in=coordinated)
        | Q(cultivation__host_id__in=coordinated)
        | Q(committee_id__in=member_of)
        | Q(appeal__body_id__in=member_of)
        | (Q(status__in=TUTOR_READS) & Q(_tutor_of_case(user)))
    )
    return Case.objects.filter(scope).distinct()


def case_get_for_user_or_404(user: Any, pk: int) -> Case:
    found = (
        case_list_visible_to(user)
        .select_related(
            "trainee",
            "institution",
            "cultivation__home",
            "cultivation__host",
            "article_version__article__regulation",
            "committee",
            "appeal_body",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def case_list_for_page(user: Any) -> QuerySet[Case]:
    return case_list_visible_to(user).select_related(
        "trainee", "institution", "article_version__article"
    )


def cultivations_for_case(user: Any) -> QuerySet[JointCultivation]:
    """Open joint cultivations whose home or host the user coordinates."""
    coordinated = tenancy.coordinated_institution_ids(user)
    return (
        JointCultivation.objects.filter(
            Q(home_id__in=coordinated) | Q(host_id__in=coordinated),
            status__in=(CultivationStatus.ACTIVE, CultivationStatus.SUSPENDED),
        )
        .select_related("trainee", "home", "host")
        .order_by("trainee__full_name", "id")
    )


def tutor_ids_of(case: Case) -> set[int]:
    return set(
        TutorAssignment.objects.filter(cultivation_id=case.cultivation_id)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=case.opened_at))
        .values_list("tutor_id", flat=True)
    )


def ever_tutor_ids_of(trainee_id: int) -> set[int]:
    return set(
        TutorAssignment.objects.filter(cultivation__trainee_id=trainee_id).values_list(
            "tutor_id", flat=True
        )
    )


def coordinator_ids_of(institution_ids: Any) -> set[int]:
    return set(
        Membership.objects.filter(
            institution_id__in=institution_ids, role=Role.COORDINATOR, is_active=True
        ).values_list("user_id", flat=True)
    )


def recused_ids(case: Case) -> set[int]:
    """Who may not vote or decide on the case: the trainee, anyone who ever tutored them, the
    coordinator who opened the case and the others the facts involve."""
    involved = set(case.involved.values_list("pk", flat=True)) if case.pk else set()
    return {case.trainee_id, case.opened_by_id} | ever_tutor_ids_of(case.trainee_id) | involved


def appeal_recused_ids(case: Case) -> set[int]:
    """On appeal, also whoever voted on or made the first decision."""
    first = set(case.votes.values_list("member_id", flat=True))
    if case.decided_by_id:
        first.add(case.decided_by_id)
    return recused_ids(case) | first


def case_counts_for_admin(user: Any) -> list[dict[str, Any]]:
    """Cases per institution whose regulation applies and status group, for the consortium
    admin and coordinators: counts only; a count below `min_group()` is shown as None."""
    if not (tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user)):
        return []
    threshold = min_group()
    rows = (
        Case.objects.values("institution_id", "institution__name", "institution__name_zh")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=CaseStatus.values[:4])),
            in_force=Count("id", filter=Q(status=CaseStatus.IN_FORCE)),
        )
        .order_by("institution__name")
    )
    result = []
    for row in rows:
        suppressed = row["total"] < threshold
        result.append(
            {
                "institution_id": row["institution_id"],
                "institution": row["institution__name"],
                "institution_zh": row["institution__name_zh"],
                "total": None if suppressed else row["total"],
                "open": None if suppressed or row["open"] < threshold else row["open"],
                "in_force": None if suppressed or row["in_force"] < threshold else row["in_force"],
            }
        )
    return result


def cases_awaiting_force(today: datetime.date) -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.DECIDED, appeal_due__lt=today)


def appeal_bodies_for(case: Case) -> QuerySet[Committee]:
    return committees_of(
        (case.cultivation.home_id, case.cultivation.host_id), CommitteeKind.APPEAL
    ).exclude(pk=case.committee_id)
