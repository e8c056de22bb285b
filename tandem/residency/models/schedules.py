"""Schedules of residency rotations: proposals made by the solver, partner approvals, published
schedules and their cells, leave and swap requests after publishing."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.residency.models.setup import Block, Cohort, CohortMember, Department


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SOLVING = "solving", _("Solving")
    DONE = "done", _("Proposed")
    INFEASIBLE = "infeasible", _("No schedule possible")
    FAILED = "failed", pgettext_lazy("solver", "Failed")
    # The worker solving it was lost (its heartbeat stopped): the best schedule it had saved,
    # if any, is kept in `solution`.
    INTERRUPTED = "interrupted", _("Interrupted")
    PUBLISHED = "published", _("Published")


class ScheduleProposal(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="proposals")
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous proposal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    instance = models.JSONField(_("instance"), default=dict)
    solution = models.JSONField(_("solution"), null=True, blank=True)
    # When no schedule is possible: the conflicting rules as the solver library's findings
    # ([{"code": "conflict_cap_min", "params": {...}}]), worded in the reader's language on
    # the page. Proposals solved before this field existed keep only the English `conflicts`.
    conflict_details = models.JSONField(_("conflicting rules"), null=True, blank=True)
    # {"R12": {"3": "ech-im-ward"}}: cells the coordinator fixed before solving.
    pins = models.JSONField(_("pinned cells"), default=dict, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=20)
    incumbent = models.IntegerField(_("best schedule so far"), null=True, blank=True)
    bound = models.IntegerField(_("best possible"), null=True, blank=True)
    objective = models.IntegerField(_("objective"), null=True, blank=True)
    changed_count = models.PositiveIntegerField(_("cells changed"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every second by the running solve; a solve whose heartbeat stops is interrupted.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    stop_requested_at = models.DateTimeField(_("stop asked at"), null=True, blank=True)
    stop_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stop asked by"),
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("schedule proposal")
        verbose_name_plural = _("schedule proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(solution__isnull=False),
                name="residency_published_has_solution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} #{self.pk}"


class PartnerApproval(models.Model):
    """A partner hospital's consent to the residents a proposal sends to it."""

    proposal = models.ForeignKey(
        ScheduleProposal, on_delete=models.CASCADE, related_name="partner_approvals"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner hospital"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("partner approval")
        verbose_name_plural = _("partner approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "institution"], name="residency_partner_approval_once"
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="residency_partner_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.institution}"


class PublishedSchedule(models.Model):
    """The schedule in force for a cohort. Changes after publishing edit `solution`."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="schedule")
    proposal = models.ForeignKey(
        ScheduleProposal,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published proposal"),
    )
    instance = models.JSONField(_("instance"))
    solution = models.JSONField(_("solution"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("published schedule")
        verbose_name_plural = _("published schedules")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return str(self.cohort)


class Assignment(models.Model):
    """One cell of a published schedule, kept in rows for calendars and partner views."""

    schedule = models.ForeignKey(
        PublishedSchedule, on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="assignments")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["member", "block__index"]
        constraints = [
            models.UniqueConstraint(fields=["member", "block"], name="residency_assignment_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.block}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class LeaveRequest(models.Model):
    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="leave_requests"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.member} — {self.block}"


class SwapConsent(models.TextChoices):
    ASKED = "asked", _("Waiting for the other resident")
    ACCEPTED = "accepted", _("Accepted by the other resident")
    DECLINED = "declined", _("Declined by the other resident")


class SwapRequest(models.Model):
    """Two residents trade their rotations in one block: the other resident agrees first,
    then the training office decides."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="swap_requests")
    other = models.ForeignKey(
        CohortMember, verbose_name=_("swap with"), on_delete=models.CASCADE, related_name="+"
    )
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    consent = models.CharField(
        _("other resident's consent"),
        max_length=16,
        choices=SwapConsent.choices,
        default=SwapConsent.ASKED,
    )
    consent_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    consent_note = models.TextField(_("other resident's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(member=F("other")), name="residency_swap_two_people"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(consent="accepted"),
                name="residency_swap_approved_after_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ⇄ {self.other} — {self.block}"


def new_feed_key() -> str:
    """The default of the old rotation feed's key, named by migration 0001; the one calendar
    feed of decision 079 replaced that feed."""
    return secrets.token_urlsafe(24)
