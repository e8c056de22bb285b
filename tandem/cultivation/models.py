"""Joint cultivation: a trainee enrolled at a home institution doing research at a host under an
agreement, guided by a pair of tutors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CultivationStatus(models.TextChoices):
    # With a context: "Active" alone means "enabled" elsewhere in the application.
    PROPOSED = "proposed", pgettext_lazy("cultivation status", "Proposed")
    APPROVED = "approved", pgettext_lazy("cultivation status", "Approved by both")
    ACTIVE = "active", pgettext_lazy("cultivation status", "Active")
    SUSPENDED = "suspended", pgettext_lazy("cultivation status", "Suspended")
    COMPLETED = "completed", pgettext_lazy("cultivation status", "Completed")
    TERMINATED = "terminated", pgettext_lazy("cultivation status", "Terminated")


class StayMode(models.TextChoices):
    SEQUENTIAL = "sequential", _("Sequential stays")
    CONCURRENT = "concurrent", _("Concurrent stays")


# Statuses that occupy a place in the agreement's yearly quota.
QUOTA_STATUSES = ("approved", "active", "suspended", "completed")


class JointCultivation(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="joint_cultivations",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="joint_cultivations",
    )
    home = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("home institution (enrolment)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    host = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("host institution (research)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CultivationStatus.choices,
        default=CultivationStatus.PROPOSED,
    )
    quota_year = models.PositiveSmallIntegerField(_("quota year"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    stay_mode = models.CharField(
        _("stays"), max_length=16, choices=StayMode.choices, default=StayMode.SEQUENTIAL
    )
    research_topic = models.CharField(_("research topic"), max_length=300, blank=True)
    # The last day of a terminated joint arrangement (decision 098): the host's reach into the
    # trainee's records stops after it; what existed until then stays readable.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Set by the exchange format when a record is imported from another installation.
    external_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("joint cultivation")
        verbose_name_plural = _("joint cultivations")
        ordering = ["-planned_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(home=models.F("host")), name="cultivation_home_differs_from_host"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="cultivation_period_positive",
            ),
            # One open joint arrangement per trainee at a time.
            models.UniqueConstraint(
                fields=["trainee"],
                condition=Q(status__in=["proposed", "approved", "active", "suspended"]),
                name="cultivation_one_open_per_trainee",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "quota_year", "status"])]

    def __str__(self) -> str:
        return f"{self.trainee} — {self.home} → {self.host}"

    @property
    def is_incomplete(self) -> bool:
        """Open, and the pair or its signed division is missing. Needs the annotations of
        `selectors.with_completeness` (every list selector adds them)."""
        if self.status in (CultivationStatus.COMPLETED, CultivationStatus.TERMINATED):
            return False
        return not (
            getattr(self, "signed_experimental", False)
            and getattr(self, "signed_theoretical", False)
        )


class Stay(models.Model):
    """A period the trainee spends at one of the two sites."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="stays"
    )
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("site"), on_delete=models.PROTECT
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="stay_positive")
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.start} – {self.end}"


class DecisionKind(models.TextChoices):
    PROPOSE = "propose", _("Proposed")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    ACTIVATE = "activate", _("Activated")
    SUSPEND = "suspend", _("Suspended")
    RESUME = "resume", _("Resumed")
    COMPLETE = "complete", _("Completed")
    TERMINATE = "terminate", _("Terminated")


class Decision(models.Model):
    """Every decision on a joint cultivation: who decided, for which institution, and why."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    from_status = models.CharField(max_length=16, choices=CultivationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=CultivationStatus.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            # Each institution approves a proposal once.
            models.UniqueConstraint(
                fields=["cultivation", "institution"],
                condition=Q(kind="approve"),
                name="decision_one_approval_per_institution",
            ),
            # Stopping or refusing a joint cultivation always says why.
            models.CheckConstraint(
                condition=~Q(kind__in=["reject", "suspend", "terminate"]) | ~Q(reason=""),
                name="decision_stop_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.decided_by}"


class EndingKind(models.TextChoices):
    SUSPEND = "suspend", _("Suspension")
    COMPLETE = "complete", _("Completion")
    TERMINATE = "terminate", _("Termination")


class EndingGround(models.TextChoices):
    """The fixed list of grounds an ending request names (its text says the rest)."""

    PLAN_COMPLETED = "plan_completed", _("Training plan completed")
    DEGREE_REQUIREMENTS_MET = "degree_requirements_met", _("Degree requirements met")
    TRAINEE_WITHDREW = "trainee_withdrew", _("The trainee withdrew")
    INSUFFICIENT_PROGRESS = "insufficient_progress", _("Insufficient progress")
    MISCONDUCT = "misconduct", _("Academic or disciplinary misconduct")
    HEALTH = "health", _("Health")
    SAFETY = "safety", _("Safety risk")
    AGREEMENT_ENDED = "agreement_ended", _("The agreement ended")
    OTHER = "other", _("Other")


GROUNDS_FOR: dict[str, tuple[str, ...]] = {
    EndingKind.COMPLETE: (
        EndingGround.PLAN_COMPLETED,
        EndingGround.DEGREE_REQUIREMENTS_MET,
        EndingGround.OTHER,
    ),
    EndingKind.TERMINATE: (
        EndingGround.TRAINEE_WITHDREW,
        EndingGround.INSUFFICIENT_PROGRESS,
        EndingGround.MISCONDUCT,
        EndingGround.HEALTH,
        EndingGround.AGREEMENT_ENDED,
        EndingGround.OTHER,
    ),
    # Suspension by one side is for urgent reasons only.
    EndingKind.SUSPEND: (
        EndingGround.HEALTH,
        EndingGround.SAFETY,
        EndingGround.MISCONDUCT,
        EndingGround.OTHER,
    ),
}


class EndingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the other institution")
    CONFIRMED = "confirmed", _("Confirmed by both")
    DECLINED = "declined", _("Declined")
    LAPSED = "lapsed", _("Lapsed unconfirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EndingRequest(models.Model):
    """One side asks to complete, terminate or (at once, for urgent reasons) suspend a joint
    cultivation; the other side confirms or declines. An unconfirmed suspension lapses at
    `confirm_by`."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="ending_requests"
    )
    kind = models.CharField(_("request"), max_length=16, choices=EndingKind.choices)
    ground = models.CharField(_("ground"), max_length=32, choices=EndingGround.choices)
    reason = models.TextField(_("explanation"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_for = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirm_by = models.DateTimeField(_("to be confirmed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EndingStatus.choices, default=EndingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decision_reason = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("ending request")
        verbose_name_plural = _("ending requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cultivation"],
                condition=Q(status="requested"),
                name="ending_one_open_per_cultivation",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="ending_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="ending_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="suspend") | Q(confirm_by__isnull=False),
                name="ending_suspension_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["status", "confirm_by"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.cultivation}"

    @property
    def is_open(self) -> bool:
        return self.status == EndingStatus.REQUESTED

    def other_side_id(self) -> int:
        cultivation = self.cultivation
        if self.requested_for_id == cultivation.home_id:
            return cultivation.host_id
        return cultivation.home_id


class TutorRole(models.TextChoices):
    EXPERIMENTAL = "experimental", _("Experimental/practical tutor (first in charge)")
    THEORETICAL = "theoretical", _("Theoretical/teaching tutor")


class TutorAssignment(models.Model):
    """One tutor's place in a trainee's pair, from `started_at` until `ended_at` (history kept)."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="tutor_assignments"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        on_delete=models.PROTECT,
        related_name="tutor_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=TutorRole.choices)
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT
    )
    is_first_in_charge = models.BooleanField(_("first in charge"), default=False)
    quota_year = models.PositiveSmallIntegerField(_("counts against the quota of year"))
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        verbose_name = _("tutor assignment")
        verbose_name_plural = _("tutor assignments")
        ordering = ["cultivation", "role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cultivation", "role"],
                condition=Q(ended_at__isnull=True),
                name="tutor_one_current_per_role",
            ),
            models.UniqueConstraint(
                fields=["cultivation"],
                condition=Q(ended_at__isnull=True, is_first_in_charge=True),
                name="tutor_one_first_in_charge",
            ),
            # The experimental tutor, and only they, is first in charge.
            models.CheckConstraint(
                condition=Q(role="experimental", is_first_in_charge=True)
                | Q(role="theoretical", is_first_in_charge=False),
                name="tutor_first_in_charge_is_experimental",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="tutor_assignment_period",
            ),
        ]
        indexes = [models.Index(fields=["tutor", "quota_year"])]

    def __str__(self) -> str:
        return f"{self.tutor} ({self.get_role_display()})"


class ChangeRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")


class TutorChangeRequest(models.Model):
    """A request to replace the current tutor in one role; applied once both the home and the
    host coordinators have approved it."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="tutor_change_requests"
    )
    role = models.CharField(_("role"), max_length=16, choices=TutorRole.choices)
    new_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new tutor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    home_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved for the home institution by"),
    )
    home_approved_at = models.DateTimeField(null=True, blank=True)
    host_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("approved for the host institution by"),
    )
    host_approved_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        verbose_name = _("tutor change request")
        verbose_name_plural = _("tutor change requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cultivation", "role"],
                condition=Q(status="requested"),
                name="tutor_change_one_open_per_role",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(home_approved_by__isnull=False, host_approved_by__isnull=False),
                name="tutor_change_approved_by_both",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="tutor_change_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.cultivation.trainee}: {self.get_role_display()} → {self.new_tutor}"


class ResponsibilityKey(models.TextChoices):
    """The standard items of a division of responsibilities (the default template)."""

    EXPERIMENT_DESIGN = "experiment_design", _("Experiment design")
    LAB_SAFETY_ETHICS = "lab_safety_ethics", _("Lab safety and ethics")
    THESIS_GUIDANCE = "thesis_guidance", _("Thesis guidance")
    RESEARCH_FUNDING = "research_funding", _("Research funding")
    PUBLICATIONS = "publications", _("Publications")
    CAREER_WELLBEING = "career_wellbeing", _("Career and wellbeing")


# Who usually takes each standard item; only a suggestion, the pair decides.
DEFAULT_RESPONSIBILITIES = {
    ResponsibilityKey.EXPERIMENT_DESIGN: TutorRole.EXPERIMENTAL,
    ResponsibilityKey.LAB_SAFETY_ETHICS: TutorRole.EXPERIMENTAL,
    ResponsibilityKey.THESIS_GUIDANCE: TutorRole.THEORETICAL,
    ResponsibilityKey.RESEARCH_FUNDING: TutorRole.EXPERIMENTAL,
    ResponsibilityKey.PUBLICATIONS: TutorRole.EXPERIMENTAL,
    ResponsibilityKey.CAREER_WELLBEING: TutorRole.THEORETICAL,
}


class LabelledItem(models.Model):
    """A standard item (`key`, shown in the reader's language) or a custom one (`title`)."""

    key = models.CharField(
        _("standard item"), max_length=32, choices=ResponsibilityKey.choices, blank=True
    )
    title = models.CharField(_("wording"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        return str(ResponsibilityKey(self.key).label) if self.key else ""


class ResponsibilityTemplateItem(LabelledItem):
    """One item of an agreement's template for dividing responsibilities between tutors."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="responsibility_items"
    )

    class Meta:
        verbose_name = _("responsibility template item")
        verbose_name_plural = _("responsibility template items")
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(key="") | ~Q(title=""), name="responsibility_template_item_named"
            ),
        ]


class ResponsibilityShare(LabelledItem):
    """One item of a pair's division of responsibilities, and the tutor role that holds it."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="responsibilities"
    )
    role = models.CharField(_("held by"), max_length=16, choices=TutorRole.choices)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["cultivation", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(key="") | ~Q(title=""), name="responsibility_share_named"
            ),
            models.UniqueConstraint(
                fields=["cultivation", "position"], name="responsibility_share_position_unique"
            ),
        ]


class ResponsibilitySignature(models.Model):
    """A current tutor's signature under the division; cleared whenever it or the pair changes."""

    cultivation = models.ForeignKey(
        JointCultivation, on_delete=models.CASCADE, related_name="responsibility_signatures"
    )
    assignment = models.OneToOneField(
        TutorAssignment, on_delete=models.CASCADE, related_name="responsibility_signature"
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature of the division")
        verbose_name_plural = _("signatures of the division")
        ordering = ["signed_at"]

    def __str__(self) -> str:
        return f"{self.assignment.tutor} — {self.signed_at:%Y-%m-%d}"


def certificate_path(instance: "TutorTraining", filename: str) -> str:
    return f"tutor-training/{instance.tutor_id}/{filename}"


class TutorTraining(models.Model):
    """A course a tutor attended to develop as a supervisor."""

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        on_delete=models.PROTECT,
        related_name="tutor_trainings",
    )
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    date = models.DateField(_("date"))
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("tutor training")
        verbose_name_plural = _("tutor trainings")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=1000), name="tutor_training_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.date})"


class TutorTrainingRequirement(models.Model):
    """What an institution requires of its tutors' training (decision 092): hours per yearly
    period, and the courses a new tutor must have done before taking on a new joint trainee."""

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="tutor_training_requirement",
    )
    hours_per_period = models.DecimalField(
        _("training hours required per year"), max_digits=5, decimal_places=1, default=0
    )
    period_start_month = models.PositiveSmallIntegerField(
        _("the year is counted from the month"),
        default=9,
        help_text=_("1 for the calendar year; 9 for an academic year from September."),
    )
    mandatory_courses = models.TextField(
        _("mandatory courses for new tutors"),
        blank=True,
        help_text=_("One course per line, named as the training records name it."),
    )
    new_tutor_months = models.PositiveSmallIntegerField(
        _("a tutor counts as new for this many months after their first joint trainee"),
        default=12,
        help_text=_("0: only a tutor who has never tutored a joint trainee is new."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tutor training requirement")
        verbose_name_plural = _("tutor training requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_period__gte=0) & Q(hours_per_period__lte=1000),
                name="training_requirement_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(period_start_month__gte=1) & Q(period_start_month__lte=12),
                name="training_requirement_month_range",
            ),
            models.CheckConstraint(
                condition=Q(new_tutor_months__lte=120), name="training_requirement_new_months"
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)

    @property
    def course_list(self) -> list[str]:
        return [line.strip() for line in self.mandatory_courses.splitlines() if line.strip()]


class TraineeInsurance(models.Model):
    """A trainee's insurance on file: which insurer, which policy, valid from when until when.
    A stay at the host under an agreement that requires insurance needs one valid on its first
    day (decision 093)."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="insurances",
    )
    insurer = models.CharField(_("insurer"), max_length=200)
    policy_number = models.CharField(_("policy number"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("trainee insurance")
        verbose_name_plural = _("trainee insurances")
        ordering = ["-valid_until", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="trainee_insurance_period",
            ),
            models.CheckConstraint(condition=~Q(insurer=""), name="trainee_insurance_insurer"),
            models.CheckConstraint(
                condition=~Q(policy_number=""), name="trainee_insurance_policy_number"
            ),
        ]
        indexes = [models.Index(fields=["trainee", "valid_from", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number} ({self.valid_from} – {self.valid_until})"
