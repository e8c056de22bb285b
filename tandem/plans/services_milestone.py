"""Writes about milestones: submitting evidence and recording the examiners' review.

Like the plan services, each locks the plan row, checks who may act, validates everything before
writing and records one audit event in its transaction.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.plans import permissions
from tandem.plans.models import (
    MilestoneEvidence,
    MilestoneStatus,
    MilestoneSubmission,
    PlanMilestone,
    ReviewOutcome,
)
from tandem.plans.services import _lock_plan, _require_writer

EVIDENCE_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "doc", "docx", "xls", "xlsx", "ppt", "pptx")


def _check_files(files: list[Any]) -> None:
    if not files:
        raise field_error("files", _("Attach at least one evidence file."))
    limit = settings.MAX_ATTACHMENT_BYTES
    for upload in files:
        name = getattr(upload, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in EVIDENCE_EXTENSIONS:
            raise field_error(
                "files",
                _("%(name)s: upload a PDF, an image, or a Word, Excel or PowerPoint document.")
                % {"name": name or "?"},
            )
        if not upload.size:
            raise field_error("files", _("%(name)s is empty.") % {"name": name})
        if upload.size > limit:
            raise field_error(
                "files",
                _("%(name)s is larger than %(mb)s MB.")
                % {"name": name, "mb": round(limit / (1024 * 1024), 1)},
            )


def _lock_milestone(milestone: PlanMilestone) -> PlanMilestone:
    _lock_plan(milestone.plan)
    return PlanMilestone.objects.select_related(
        "plan", "plan__cultivation", "plan__cultivation__trainee"
    ).get(pk=milestone.pk)


@transaction.atomic
def milestone_submit(
    *, actor: User, milestone: PlanMilestone, files: list[Any], note: str = ""
) -> MilestoneSubmission:
    """The trainee or a tutor submits a milestone with its evidence files."""
    milestone = _lock_milestone(milestone)
    _require_writer(actor, milestone.plan.cultivation)
    if milestone.latest is None:
        raise ValidationError(_("This milestone is not in the signed plan yet."))
    if milestone.status not in (MilestoneStatus.PLANNED, MilestoneStatus.NEEDS_REVISION):
        raise ValidationError(
            _("This milestone is %(status)s; it cannot be submitted now.")
            % {"status": milestone.get_status_display()}
        )
    _check_files(files)
    before = snapshot(milestone, ("status",))
    submission = MilestoneSubmission(
        milestone=milestone,
        number=milestone.submissions.count() + 1,
        note=(note or "").strip(),
        submitted_by=actor,
    )
    submission.full_clean()
    submission.save()
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence = MilestoneEvidence(
            submission=submission,
            file=upload,
            name=upload.name[:200],
            sha256=digest.hexdigest(),
            size=upload.size,
        )
        evidence.save()
    milestone.status = MilestoneStatus.SUBMITTED
    milestone.full_clean()
    milestone.save(update_fields=["status"])
    changes = diff(before, snapshot(milestone, ("status",)))
    changes["evidence"] = [None, [e.name for e in submission.evidence.all()]]
    audit_record(actor=actor, action="milestone.submit", target=milestone, changes=changes)
    return submission


@transaction.atomic
def milestone_review(
    *,
    actor: User,
    milestone: PlanMilestone,
    outcome: str,
    comments: str = "",
    examiners: str = "",
) -> MilestoneSubmission:
    """A current tutor or a coordinator of home or host records the examiners' verdict."""
    milestone = _lock_milestone(milestone)
    cultivation = milestone.plan.cultivation
    permissions.forget(cultivation)
    if not permissions.may_review(actor, cultivation):
        raise PermissionDenied(
            _("Only the current tutors and the coordinators of home and host review milestones.")
        )
    if milestone.status != MilestoneStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted milestone can be reviewed."))
    errors: dict[str, list[str]] = {}
    comments = (comments or "").strip()
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = [_("Choose passed, needs revision or failed.")]
    elif outcome != ReviewOutcome.PASSED and not comments:
        errors["comments"] = [
            _("Give the examiners' comments: what must change, or why it failed.")
        ]
    if errors:
        raise ValidationError(errors)
    submission = milestone.submissions.order_by("-number").first()
    assert submission is not None  # a submitted milestone has a submission
    submission.outcome = outcome
    submission.comments = comments
    submission.examiners = (examiners or "").strip()
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.full_clean()
    submission.save()
    before = snapshot(milestone, ("status",))
    milestone.status = outcome
    milestone.full_clean()
    milestone.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="milestone.review",
        target=milestone,
        changes=diff(before, snapshot(milestone, ("status",))),
        reason=comments,
    )
    return submission
