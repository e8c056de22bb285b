"""Research funds, their allocation to joint trainees, and the expense ledger.

A fund's balance is kept on its row and never goes below zero: the database refuses it
(a check constraint) and the services update it with a single conditional UPDATE, so parallel
spending cannot overdraw it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import worded


class ResearchFund(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)  # e.g. JGY2021219
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=200)
    principal_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("principal investigator"),
        on_delete=models.PROTECT,
        related_name="research_funds",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="research_funds",
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    balance = models.DecimalField(_("balance (CNY)"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("research fund")
        verbose_name_plural = _("research funds")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_amount_positive"),
            models.CheckConstraint(
                condition=Q(balance__gte=0) & Q(balance__lte=F("amount")),
                name="fund_balance_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="fund_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved by both")
    CLOSED = "closed", _("Closed")


class FundAllocation(models.Model):
    """Money set aside from a fund for one joint trainee's research, by mutual agreement."""

    fund = models.ForeignKey(
        ResearchFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.PROTECT,
        related_name="fund_allocations",
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    spent = models.DecimalField(
        _("spent (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AllocationStatus.choices,
        default=AllocationStatus.PROPOSED,
    )
    split_differs_from_agreement = models.BooleanField(
        _("split differs from the agreement"), default=False
    )
    warn_below = models.DecimalField(
        _("warn when the remainder falls below (CNY)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(spent__gte=0) & Q(spent__lte=F("amount")),
                name="allocation_spent_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fund.code} → {self.cultivation.trainee}"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent


class AllocationShare(models.Model):
    """Which part of an allocation each party bears (per cent)."""

    allocation = models.ForeignKey(FundAllocation, on_delete=models.CASCADE, related_name="shares")
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("institution"), on_delete=models.PROTECT
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "institution"], name="allocation_share_once"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=100), name="allocation_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.share}%"


class ExpenseCategory(models.TextChoices):
    CONSUMABLES = "consumables", _("Consumables and reagents")
    INSTRUMENT_USE = "instrument_use", _("Instrument and laboratory use")
    ANIMALS = "animals", _("Laboratory animals")
    TESTING = "testing", _("Testing and analysis")
    TRAVEL = "travel", _("Travel")
    PUBLICATION = "publication", _("Publication fees")
    OTHER = "other", _("Other")


def receipt_path(instance: "Expense", filename: str) -> str:
    return f"funds/{instance.fund_id}/receipts/{filename}"


class Expense(models.Model):
    fund = models.ForeignKey(
        ResearchFund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="expenses"
    )
    allocation = models.ForeignKey(
        FundAllocation,
        verbose_name=_("allocation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    category = models.CharField(_("category"), max_length=32, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # A compensating entry (e.g. a cancelled booking's charge) gives the money back; the
    # original row stays in the ledger. One reversal per expense, enforced by the database.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.TextField(_("reason"), blank=True)
    # Entries the system makes (a booking's charge, a reversal) keep their description and
    # reason as codes and parameters ({"description": {"code": …, "params": …}}, see
    # core.audit_labels.generated), worded when shown in the reader's language; `description`
    # and `reason` then hold the same words in the site's language, for search and exports.
    generated = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | ~Q(reason=""),
                name="expense_reversal_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["fund", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.description}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def description_text(self) -> str:
        """The description in the reader's language."""
        return worded(self.generated.get("description") or self.description)

    @property
    def reason_text(self) -> str:
        return worded(self.generated.get("reason") or self.reason)

    @property
    def signed_amount(self) -> Decimal:
        """Negative for spending, positive for money given back."""
        return self.amount if self.is_reversal else -self.amount


class ApplicationStatus(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    SUBMITTED = "submitted", _("Submitted")
    GRANTED = "granted", _("Granted")
    REJECTED = "rejected", _("Rejected")


class JointFundApplication(models.Model):
    """A research fund project that a trainee's two tutors declare jointly."""

    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.PROTECT,
        related_name="fund_applications",
    )
    first_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first tutor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second tutor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    funder = models.CharField(_("funder"), max_length=200)
    amount_requested = models.DecimalField(
        _("amount requested (CNY)"), max_digits=14, decimal_places=2
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFTED,
    )
    outcome = models.TextField(_("outcome"), blank=True)
    resulting_fund = models.OneToOneField(
        ResearchFund,
        verbose_name=_("resulting fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("joint fund application")
        verbose_name_plural = _("joint fund applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="application_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(first_tutor=F("second_tutor")), name="application_two_tutors"
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(resulting_fund__isnull=False),
                name="application_granted_has_fund",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(outcome=""),
                name="application_rejected_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.title
