"""Booking shared resources: the owner's rules and the bookings.

No two active bookings of one resource overlap. On PostgreSQL an exclusion constraint
guarantees it; on SQLite the booking service checks inside a serialized (IMMEDIATE)
transaction. See decision 060.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.bookings.constraints import PostgresExclusionConstraint, TsTzRange

# A booking stays inside one day's opening hours: the week view relies on it to bound its
# index scan.
MAX_BOOKING_MINUTES = 24 * 60
WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)  # ISO weekdays, Monday = 1


def default_opening_hours() -> dict[str, list[str]]:
    return {str(day): ["08:00", "18:00"] for day in (1, 2, 3, 4, 5)}


class BookingRules(models.Model):
    """The owner's rules for booking one resource; a resource without rules is not bookable."""

    resource = models.OneToOneField(
        "resources.SharedResource",
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="booking_rules",
    )
    # {"1": ["08:00", "18:00"], ...}: ISO weekday → opening and closing time (local time,
    # settings.TIME_ZONE). A missing weekday is closed.
    opening_hours = models.JSONField(_("opening hours"), default=default_opening_hours)
    slot_minutes = models.PositiveIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    max_booking_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"),
        default=240,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_BOOKING_MINUTES)],
    )
    min_notice_hours = models.PositiveIntegerField(_("minimum notice (hours)"), default=24)
    max_advance_days = models.PositiveIntegerField(
        _("book at most this many days ahead"), default=60, validators=[MinValueValidator(1)]
    )
    approval_required = models.BooleanField(_("approval needed"), default=True)
    cost_per_hour = models.DecimalField(
        _("cost per hour (CNY)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    charge_no_show = models.BooleanField(_("charge no-shows"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_per_hour__gte=0), name="booking_rules_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(max_booking_minutes__gte=F("slot_minutes")),
                name="booking_rules_longest_at_least_one_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("No-show")


# Bookings that hold their time slot.
ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
# Bookings that took (or were charged for) their time slot.
USED_STATUSES = (BookingStatus.COMPLETED,)


class Booking(models.Model):
    resource = models.ForeignKey(
        "resources.SharedResource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    # The booker's institution through which the resource is reached, and the agreement that
    # opened it (empty when the booker belongs to the owner).
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("booker's institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    for_cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("for the joint cultivation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    fund = models.ForeignKey(
        "funds.ResearchFund",
        verbose_name=_("fund to charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    cost = models.DecimalField(
        _("cost (CNY)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    charge = models.OneToOneField(
        "funds.Expense",
        verbose_name=_("charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="booking",
    )
    charged_amount = models.DecimalField(
        _("charged (CNY)"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["resource", "start"], name="booking_resource_start"),
            models.Index(fields=["booked_by", "-start"], name="booking_booker_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_end_after_start"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="booking_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(charged_amount__gte=0), name="booking_charged_not_negative"
            ),
            PostgresExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                    ("resource", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["requested", "confirmed"]),
                violation_error_message=_("This time overlaps another booking of the resource."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.resource} {local:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.end - self.start).total_seconds()) / 3600).quantize(Decimal("0.01"))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def new_feed_token() -> str:
    """The default of the old per-booking feed's token, named by migration 0001; the one
    calendar feed of decision 079 replaced that feed."""
    return secrets.token_urlsafe(24)
