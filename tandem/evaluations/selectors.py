"""Every read of evaluations, scoped to the reader.

Templates and rounds are visible to those who keep or run them (their institution's coordinators
and the consortium admin); an evaluator sees their own pairs; a target sees released results
about themselves. Results of an anonymous template are aggregates only, from the threshold on
(decision 082); `results.py` computes them.
"""

import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import tenancy
from tandem.cultivation.models import CultivationStatus, JointCultivation, TutorAssignment
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    PairStatus,
    PopulationKind,
    RoundTemplate,
    TemplateItem,
)
from tandem.institutions.models import Institution


def templates_visible_to(user: Any) -> QuerySet[EvaluationTemplate]:
    qs = EvaluationTemplate.objects.select_related("institution")
    if tenancy.is_consortium_admin(user):
        return qs
    coordinated = tenancy.coordinated_institution_ids(user)
    if not coordinated:
        return qs.none()
    return qs.filter(Q(institution__isnull=True) | Q(institution_id__in=coordinated))


def template_get_for_user_or_404(user: Any, pk: int) -> EvaluationTemplate:
    try:
        return templates_visible_to(user).get(pk=pk)
    except EvaluationTemplate.DoesNotExist:
        raise Http404 from None


def template_choices_for(user: Any, relationship: str) -> QuerySet[EvaluationTemplate]:
    """The current templates a coordinator may use for `relationship` in a new round."""
    return templates_visible_to(user).filter(
        relationship=relationship, is_current=True, retired_at__isnull=True
    )


def rounds_visible_to(user: Any) -> QuerySet[EvaluationRound]:
    qs = EvaluationRound.objects.select_related("institution", "agreement")
    if tenancy.is_consortium_admin(user):
        return qs
    coordinated = tenancy.coordinated_institution_ids(user)
    return qs.filter(institution_id__in=coordinated) if coordinated else qs.none()


def round_get_for_user_or_404(user: Any, pk: int) -> EvaluationRound:
    try:
        return rounds_visible_to(user).get(pk=pk)
    except EvaluationRound.DoesNotExist:
        raise Http404 from None


def round_target_get_or_404(
    round_: EvaluationRound, template_pk: int, kind: str, target_pk: int
) -> Any:
    """A target of the round under one of its templates: a person or an institution that a
    (not withdrawn) pair evaluates. Anyone else is the same 404 as an id that does not exist."""
    pairs = round_.pairs.exclude(status="withdrawn").filter(template_id=template_pk)
    found: Any
    if kind == "person":
        found = User.objects.filter(pk__in=pairs.values("target_user_id"), pk=target_pk).first()
    elif kind == "institution":
        found = Institution.objects.filter(
            pk__in=pairs.values("target_institution_id"), pk=target_pk
        ).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


def pairs_to_do(user: Any, today: datetime.date | None = None) -> QuerySet[EvaluationPair]:
    """The evaluator's to-do list: pairs still to do in rounds that have opened."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return EvaluationPair.objects.none()
    return (
        EvaluationPair.objects.filter(
            evaluator=user, status=PairStatus.PENDING, round__opens_on__lte=today
        )
        .select_related("round", "template", "target_user", "target_institution")
        .order_by("due_on", "id")
    )


def pair_get_for_evaluator_or_404(user: Any, pk: int) -> EvaluationPair:
    """One of the evaluator's own pairs (any status); anyone else's is missing."""
    try:
        return EvaluationPair.objects.select_related(
            "round", "template", "target_user", "target_institution"
        ).get(pk=pk, evaluator_id=getattr(user, "pk", None))
    except EvaluationPair.DoesNotExist:
        raise Http404 from None


def pair_get_for_manager_or_404(user: Any, pk: int) -> EvaluationPair:
    try:
        return EvaluationPair.objects.select_related(
            "round", "evaluator", "target_user", "target_institution"
        ).get(pk=pk, round__in=rounds_visible_to(user))
    except EvaluationPair.DoesNotExist:
        raise Http404 from None


def reassign_choices_for(user: Any, pair: EvaluationPair) -> QuerySet[User]:
    """People a pair may be given to: members of the round's institution or its partners."""
    reach = tenancy.reach_institution_ids(user) if not tenancy.is_consortium_admin(user) else None
    qs = User.objects.filter(memberships__is_active=True, is_active=True)
    if reach is not None:
        qs = qs.filter(memberships__institution_id__in=reach)
    return qs.exclude(pk=pair.evaluator_id).distinct().order_by("full_name", "username")


# --- completion -----------------------------------------------------------------------------


def _counts() -> dict[str, Any]:
    return {
        "total": Count("id", filter=~Q(status=PairStatus.WITHDRAWN)),
        "submitted": Count("id", filter=Q(status=PairStatus.SUBMITTED)),
        "pending": Count("id", filter=Q(status=PairStatus.PENDING)),
    }


def round_completion_by_institution(round_: EvaluationRound) -> list[dict[str, Any]]:
    """One query: to do, submitted and total per evaluator's institution."""
    rows = (
        EvaluationPair.objects.filter(round=round_)
        .values("institution_id", "institution__name", "institution__name_zh")
        .annotate(**_counts())
        .order_by("institution__name")
    )
    return [dict(row) for row in rows]


def round_completion_by_evaluator(round_: EvaluationRound) -> QuerySet[Any]:
    """Per evaluator (paginate it): how many of their pairs are submitted."""
    return (
        EvaluationPair.objects.filter(round=round_)
        .values("evaluator_id", "evaluator__full_name", "evaluator__username")
        .annotate(**_counts())
        .order_by("evaluator__full_name", "evaluator_id")
    )


# --- the population of a round ------------------------------------------------------------


def population_cultivations(
    *,
    population: str,
    institution_id: int,
    agreement_id: int | None,
    cohort: int | None,
) -> QuerySet[JointCultivation]:
    """The active joint cultivations a round covers."""
    qs = JointCultivation.objects.filter(status=CultivationStatus.ACTIVE)
    if population == PopulationKind.CONSORTIUM:
        return qs
    if population == PopulationKind.AGREEMENT:
        return qs.filter(agreement_id=agreement_id or 0)
    qs = qs.filter(Q(home_id=institution_id) | Q(host_id=institution_id))
    if population == PopulationKind.COHORT:
        qs = qs.filter(trainee__trainee_profile__cohort=cohort or 0)
    return qs


def population_rows(
    cultivations: QuerySet[JointCultivation],
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Two queries: (trainee, home, host) per cultivation and (trainee, tutor, tutor's
    institution) per current tutor assignment."""
    trainees = list(cultivations.values_list("trainee_id", "home_id", "host_id").order_by("id"))
    tutors = list(
        TutorAssignment.objects.filter(
            cultivation__in=cultivations.values("id"), ended_at__isnull=True
        )
        .values_list("cultivation__trainee_id", "tutor_id", "institution_id")
        .order_by("id")
    )
    return trainees, tutors


# --- the dashboard panel --------------------------------------------------------------------

DASHBOARD_ROUNDS = 5


def evaluations_dashboard(user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """The dashboard panel, three queries at most: the evaluator's evaluations to do (and how
    many are overdue); for those who run rounds, the open ones (opened, results not released)
    with how many of their pairs are submitted."""
    if not getattr(user, "is_authenticated", False):
        return {}
    today = today or timezone.localdate()
    todo = pairs_to_do(user, today).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    panel: dict[str, Any] = {"to_do": todo["total"], "overdue": todo["overdue"], "rounds": []}
    if tenancy.is_consortium_admin(user) or tenancy.coordinated_institution_ids(user):
        rounds = (
            rounds_visible_to(user)
            .filter(opens_on__lte=today, released_at__isnull=True)
            .annotate(
                pairs_total=Count("pairs", filter=~Q(pairs__status=PairStatus.WITHDRAWN)),
                pairs_submitted=Count("pairs", filter=Q(pairs__status=PairStatus.SUBMITTED)),
            )
            .order_by("due_on", "id")[:DASHBOARD_ROUNDS]
        )
        panel["rounds"] = [
            {
                "round": round_,
                "submitted": round_.pairs_submitted,
                "total": round_.pairs_total,
                "pct": round(100 * round_.pairs_submitted / round_.pairs_total)
                if round_.pairs_total
                else 0,
                "overdue": round_.due_on < today,
            }
            for round_ in rounds
        ]
    if not panel["to_do"] and not panel["rounds"]:
        return {}
    return panel


# --- the template builder (decision 087) ------------------------------------------------------


def _rounds_using() -> Any:
    return Coalesce(
        Subquery(
            RoundTemplate.objects.filter(template_id=OuterRef("pk"))
            .order_by()
            .values("template_id")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def template_list_for_page(user: Any, relationship: str = "") -> QuerySet[EvaluationTemplate]:
    """The current version of every template family the user keeps or may use, with whether a
    round uses it: one query whatever the number of templates."""
    qs = (
        templates_visible_to(user)
        .filter(is_current=True)
        .annotate(in_use=Exists(RoundTemplate.objects.filter(template_id=OuterRef("pk"))))
        .order_by("retired_at", "title", "pk")
    )
    if relationship:
        qs = qs.filter(relationship=relationship)
    return qs


def template_versions(template: EvaluationTemplate) -> QuerySet[EvaluationTemplate]:
    """Every version of the template's family, newest first, with how many rounds use each."""
    return (
        EvaluationTemplate.objects.filter(family=template.family)
        .annotate(rounds_using=_rounds_using())
        .order_by("-version")
    )


def template_sections(template: EvaluationTemplate) -> list[dict[str, Any]]:
    """The template's sections and items in the shape the services take (two queries)."""
    sections: dict[int, dict[str, Any]] = {
        section.pk: {"title": section.title, "title_zh": section.title_zh, "items": []}
        for section in template.sections.order_by("position", "id")
    }
    for item in TemplateItem.objects.filter(template=template).order_by("position", "id"):
        sections[item.section_id]["items"].append(
            {
                "id": item.pk,
                "code": item.code,
                "kind": item.kind,
                "prompt": item.prompt,
                "prompt_zh": item.prompt_zh,
                "options": list(item.options),
                "is_required": item.is_required,
                "allows_not_observed": item.allows_not_observed,
            }
        )
    return list(sections.values())


def template_institution_choices(user: Any) -> QuerySet[Institution]:
    """The institutions the user may keep templates for (the consortium admin: any; he may also
    keep consortium-wide ones, which have no institution)."""
    if tenancy.is_consortium_admin(user):
        return Institution.objects.order_by("name")
    return Institution.objects.filter(pk__in=tenancy.coordinated_institution_ids(user)).order_by(
        "name"
    )
