"""Residents rate the activities they attended through the evaluation engine (decision 108).

Each rated activity has its own evaluation round, made at its first sign-in, run by the
hospital of its department with the hospital's rating form (an anonymous template for
"trainee evaluates each tutor", `RatingForm`); each resident who attended owes one evaluation
of the teacher in it. The round's results are the activity's rating, shown from the engine's
anonymity threshold on; what a resident answered is never tied to them (decision 082).
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.core.audit import audit_record
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationRound,
    PairStatus,
    PopulationKind,
    Relationship,
    RoundTemplate,
)
from tandem.evaluations.rotation import rotation_pair_add
from tandem.teaching import selectors
from tandem.teaching.models import Activity, Attendance


def _round_for(activity: Activity) -> EvaluationRound | None:
    """The activity's rating round, made now if the hospital has a rating form. The caller
    holds the activity's row lock, so two first sign-ins make one round."""
    if activity.rating_round_id is not None:
        return activity.rating_round
    institution_id = activity.department.base.institution_id
    form = selectors.rating_form_for(institution_id)
    if form is None:
        return None
    day = timezone.localdate(activity.starts_at)
    kind = activity.kind
    round_ = EvaluationRound(
        title=f"{kind.name}: {activity.topic}"[:200],
        title_zh=f"{kind.name_zh or kind.name}：{activity.topic}"[:200],
        institution_id=institution_id,
        population=PopulationKind.INSTITUTION,
        opens_on=day,
        due_on=day + datetime.timedelta(days=form.due_days),
        created_by=activity.created_by,
    )
    round_.full_clean()
    round_.save()
    RoundTemplate.objects.create(
        round=round_, relationship=Relationship.TRAINEE_TUTOR, template=form.template
    )
    activity.rating_round = round_
    activity.save(update_fields=["rating_round"])
    audit_record(
        actor=None,
        action="teaching_activity.rating_round",
        target=activity,
        changes={"round": [None, round_.title], "due_on": [None, round_.due_on]},
    )
    return round_


def pair_for_sign_in(*, activity: Activity, attendance: Attendance) -> EvaluationPair | None:
    """The resident's evaluation of the activity's teacher, once per activity; None when the
    hospital rates no activities."""
    round_ = _round_for(activity)
    if round_ is None:
        return None
    home_id = (
        attendance.member.cohort.institution_id
        if attendance.member_id and attendance.member
        else round_.institution_id
    )
    try:
        with transaction.atomic():
            return rotation_pair_add(
                round_=round_,
                relationship=Relationship.TRAINEE_TUTOR,
                evaluator_id=attendance.resident_id,
                institution_id=home_id,
                target_user_id=activity.teacher_id,
            )
    except IntegrityError:  # the same pair written at the same moment: keep that one
        return (
            EvaluationPair.objects.filter(
                round=round_,
                evaluator_id=attendance.resident_id,
                target_user_id=activity.teacher_id,
            )
            .exclude(status=PairStatus.WITHDRAWN)
            .first()
        )
