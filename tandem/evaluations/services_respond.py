"""Answering an evaluation: drafts, submission, and releasing a round's results.

A draft is kept on the pair until the evaluator submits. Submitting locks the pair row, so two
submissions of the same pair at the same moment leave exactly one response; it validates every
required item first, so nothing is half-submitted. For an anonymous template the response is
written without the pair, the evaluator or a time, and the draft is deleted in the same
transaction (decision 082).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.evaluations import permissions, rules
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationDraft,
    EvaluationPair,
    EvaluationResponse,
    EvaluationRound,
    PairStatus,
)


def _lock_for_answer(actor: User, pair: EvaluationPair) -> EvaluationPair:
    locked = (
        EvaluationPair.objects.select_for_update()
        .select_related("round", "template")
        .get(pk=pair.pk)
    )
    if locked.evaluator_id != actor.pk:
        raise PermissionDenied(_("This evaluation is someone else's."))
    if not permissions.can_respond(actor, locked):
        raise field_error("status", _("This evaluation is no longer open for answers."))
    return locked


def _plain_answers(answers: dict[str, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in (answers or {}).items() if value is not None}


@transaction.atomic
def response_save_draft(
    *, actor: User, pair: EvaluationPair, answers: dict[str, Any]
) -> EvaluationDraft:
    """Keep what has been filled in so far; every answer given is checked, none is required."""
    locked = _lock_for_answer(actor, pair)
    items = list(locked.template.items.all())
    rules.clean_answers(items, answers, complete=False)
    known = {str(item.pk) for item in items}
    kept = {key: value for key, value in _plain_answers(answers).items() if key in known}
    draft, _created = EvaluationDraft.objects.update_or_create(
        pair=locked, defaults={"answers": kept, "saved_at": timezone.now()}
    )
    return draft


@transaction.atomic
def response_submit(
    *, actor: User, pair: EvaluationPair, answers: dict[str, Any]
) -> EvaluationPair:
    """Submit the evaluation; returns the pair, now submitted. A submitted evaluation cannot be
    changed or submitted again."""
    locked = _lock_for_answer(actor, pair)
    template = locked.template
    items = list(template.items.all())
    cleaned = rules.clean_answers(items, answers, complete=True)
    now = timezone.now()
    anonymous = template.is_anonymous
    response = EvaluationResponse.objects.create(
        round=locked.round,
        template=template,
        target_user_id=locked.target_user_id,
        target_institution_id=locked.target_institution_id,
        is_anonymous=anonymous,
        evaluator=None if anonymous else actor,
        pair=None if anonymous else locked,
        submitted_at=None if anonymous else now,
    )
    EvaluationAnswer.objects.bulk_create(
        EvaluationAnswer(
            response=response,
            item_id=answer.item_id,
            number=answer.number,
            text=answer.text,
            not_observed=answer.not_observed,
        )
        for answer in cleaned
    )
    locked.status = PairStatus.SUBMITTED
    locked.submitted_at = now
    locked.save(update_fields=["status", "submitted_at"])
    EvaluationDraft.objects.filter(pair=locked).delete()
    # The audit entry is about the pair (that it was done), never about the answers.
    audit_record(
        actor=actor,
        action="evaluations.submit",
        target=locked,
        changes={"status": [PairStatus.PENDING, PairStatus.SUBMITTED]},
    )
    return locked


@transaction.atomic
def round_release(*, actor: User, round_: EvaluationRound) -> EvaluationRound:
    """The reviewer releases the round's results to the people and institutions evaluated."""
    locked = EvaluationRound.objects.select_for_update().get(pk=round_.pk)
    if not permissions.can_manage_round(actor, locked):
        raise PermissionDenied(_("Only the coordinators running the round can release it."))
    if locked.released_at is not None:
        raise field_error("released_at", _("The results are already released."))
    locked.released_at = timezone.now()
    locked.save(update_fields=["released_at"])
    audit_record(
        actor=actor, action="evaluations.round_release", target=locked, changes={"released": True}
    )
    return locked


@transaction.atomic
def comment_hide(
    *, actor: User, round_: EvaluationRound, answer: EvaluationAnswer, reason: str
) -> EvaluationAnswer:
    """Hide an abusive comment from the results, with a reason. The audit entry is on the round
    and does not name the answer's response."""
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied(_("Only the coordinators running the round can hide comments."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give a reason."))
    locked = EvaluationAnswer.objects.select_for_update().get(pk=answer.pk, response__round=round_)
    if not locked.text or locked.hidden_reason:
        raise field_error("reason", _("Only a comment still shown can be hidden."))
    locked.hidden_reason = reason
    locked.save(update_fields=["hidden_reason"])
    audit_record(
        actor=actor,
        action="evaluations.comment_hide",
        target=round_,
        changes={"comment": locked.text[:80]},
        reason=reason,
    )
    return locked
