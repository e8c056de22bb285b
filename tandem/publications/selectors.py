"""Reads about publications, scoped to the user: a publication is visible to whoever may open
the joint cultivation it belongs to (cultivation_list_visible_to)."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.core import tenancy
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.publications.models import Publication, PublicationAuthor, TutorConfirmation

STATUSES = ("compliant", "violations", "waived", "unconfirmed", "confirmed")


def cultivation_list_recordable_by(user: Any) -> QuerySet[JointCultivation]:
    """The joint cultivations this person may record publications for, as
    `permissions.can_record_publication` answers for one: admins all; the coordinators of the
    home or the host; the trainee; the current tutors."""
    visible = cultivation_list_visible_to(user)
    if not getattr(user, "is_authenticated", False) or tenancy.is_consortium_admin(user):
        return visible
    coordinated = tenancy.coordinated_institution_ids(user)
    return visible.filter(
        Q(home_id__in=coordinated)
        | Q(host_id__in=coordinated)
        | Q(trainee=user)
        | Exists(
            TutorAssignment.objects.filter(
                cultivation=OuterRef("pk"), tutor=user, ended_at__isnull=True
            )
        )
    )


def publication_list_visible_to(user: Any) -> QuerySet[Publication]:
    if not getattr(user, "is_authenticated", False):
        return Publication.objects.none()
    if tenancy.is_consortium_admin(user):
        return Publication.objects.all()
    return Publication.objects.filter(cultivation__in=cultivation_list_visible_to(user))


def _with_related(queryset: QuerySet[Publication]) -> QuerySet[Publication]:
    return (
        queryset.select_related(
            "cultivation__trainee",
            "cultivation__home",
            "cultivation__host",
            "cultivation__agreement",
            "created_by",
            "waiver_home_by",
            "waiver_host_by",
        )
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=PublicationAuthor.objects.select_related("user")
                .prefetch_related("institutions")
                .order_by("position"),
            ),
            Prefetch("confirmations", queryset=TutorConfirmation.objects.select_related("tutor")),
        )
        .annotate(confirmation_count=Count("confirmations", distinct=True))
        .order_by("-year", "-id")
    )


def publication_list_for_page(
    user: Any,
    *,
    status: str = "",
    year: int | None = None,
    cultivation_id: int | None = None,
    institution_id: int | None = None,
    search: str = "",
) -> QuerySet[Publication]:
    queryset = publication_list_visible_to(user)
    if status == "compliant":
        # A waived paper is acceptable, never "compliant": only papers without violations.
        queryset = queryset.filter(compliant=True, violations=[])
    elif status == "violations":
        queryset = queryset.filter(compliant=False)
    elif status == "waived":
        queryset = queryset.filter(
            compliant=True, waiver_home_by__isnull=False, waiver_host_by__isnull=False
        ).exclude(violations=[])
    if year:
        queryset = queryset.filter(year=year)
    if cultivation_id:
        queryset = queryset.filter(cultivation_id=cultivation_id)
    if institution_id:
        queryset = queryset.filter(
            Q(cultivation__home_id=institution_id) | Q(cultivation__host_id=institution_id)
        )
    if search:
        by_author = PublicationAuthor.objects.filter(
            publication=OuterRef("pk"), name__icontains=search
        )
        queryset = queryset.filter(
            Q(title__icontains=search)
            | Q(journal__icontains=search)
            | Q(doi__icontains=search)
            | Q(cultivation__trainee__full_name__icontains=search)
            | Exists(by_author)
        )
    if status in ("unconfirmed", "confirmed"):
        confirmed_by_both = (
            TutorConfirmation.objects.values("publication")
            .annotate(n=Count("id"))
            .filter(n__gte=2)
            .values("publication")
        )
        if status == "confirmed":
            queryset = queryset.filter(pk__in=confirmed_by_both)
        else:
            queryset = queryset.exclude(pk__in=confirmed_by_both)
    return _with_related(queryset)


def publication_get_for_user_or_404(user: Any, pk: int) -> Publication:
    return get_object_or_404(_with_related(publication_list_visible_to(user)), pk=pk)


def publications_dashboard(user: Any) -> dict[str, Any]:
    visible = publication_list_visible_to(user)
    counts = visible.aggregate(total=Count("id"), violations=Count("id", filter=Q(compliant=False)))
    return {"total": counts["total"], "violations": counts["violations"]}
