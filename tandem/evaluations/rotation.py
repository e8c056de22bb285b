"""The engine for residency rotations (used by `tandem.assessments`): one round per
department and rotation end, with pairs added one by one as the stints are known, instead of
generated from a population of joint trainees.

At the end of a rotation the responsible teacher evaluates the resident (a named form: the
rotation-end assessment reads its mean rating), and the resident evaluates the department
(as "trainee evaluates the host", the department's hospital as target) and each teacher
(anonymous forms, shown under the engine's threshold only, decision 082).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.evaluations import permissions
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    PairStatus,
    PopulationKind,
    RoundTemplate,
)
from tandem.institutions.models import Institution


@transaction.atomic
def rotation_round_open(
    *,
    actor: User,
    institution: Institution,
    title: str,
    title_zh: str,
    opens_on: datetime.date,
    due_on: datetime.date,
    templates: dict[str, EvaluationTemplate],
) -> EvaluationRound:
    """A round with no pairs yet, run by the residents' hospital."""
    if not permissions.can_open_round(actor, institution.pk):
        raise PermissionDenied(_("Only a coordinator of the institution can open its rounds."))
    for relationship, template in templates.items():
        if template.relationship != relationship:
            raise field_error(
                f"template_{relationship}", _("This template is for another relationship.")
            )
    round_ = EvaluationRound(
        title=title[:200],
        title_zh=title_zh[:200],
        institution=institution,
        population=PopulationKind.INSTITUTION,
        opens_on=opens_on,
        due_on=max(due_on, opens_on),
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    RoundTemplate.objects.bulk_create(
        RoundTemplate(round=round_, relationship=rel, template=template)
        for rel, template in templates.items()
    )
    audit_record(
        actor=actor,
        action="evaluations.round_open",
        target=round_,
        changes={"title": round_.title, "opens_on": opens_on, "due_on": round_.due_on},
    )
    return round_


def rotation_pair_add(
    *,
    round_: EvaluationRound,
    relationship: str,
    evaluator_id: int,
    institution_id: int,
    target_user_id: int | None = None,
    target_institution_id: int | None = None,
) -> EvaluationPair | None:
    """The pair (added once: an existing one is returned); None when the round has no form for
    the relationship. Called inside the caller's audited transaction."""
    chosen = RoundTemplate.objects.filter(round=round_, relationship=relationship).first()
    if chosen is None:
        return None
    existing = (
        EvaluationPair.objects.filter(
            round=round_,
            relationship=relationship,
            evaluator_id=evaluator_id,
            target_user_id=target_user_id,
            target_institution_id=target_institution_id,
        )
        .exclude(status=PairStatus.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return existing
    pair = EvaluationPair(
        round=round_,
        relationship=relationship,
        template_id=chosen.template_id,
        evaluator_id=evaluator_id,
        target_user_id=target_user_id,
        target_institution_id=target_institution_id,
        institution_id=institution_id,
        due_on=round_.due_on,
    )
    pair.full_clean()
    pair.save()
    return pair


def pair_mean_rating(pair: EvaluationPair) -> Decimal | None:
    """The mean of the rating and entrustment answers of a submitted named evaluation; None
    before it is submitted."""
    if pair.status != PairStatus.SUBMITTED:
        return None
    mean = EvaluationAnswer.objects.filter(
        response__pair=pair,
        item__kind__in=[ItemKind.RATING, ItemKind.ENTRUSTMENT],
        number__isnull=False,
        not_observed=False,
    ).aggregate(mean=Avg("number"))["mean"]
    return None if mean is None else Decimal(str(round(float(mean), 1)))
