"""Case and procedure logs (轮转登记): per specialty a catalogue of diseases, procedures and
operations with the minimum a resident must log per rotation department and over the whole
training, and the residents' entries, verified or returned by the department's teachers.

No patient data is kept: an entry holds a keyed hash of the hospital record number only
(`patient_hash`, see `hashing.py`, decision 101), enough to find a duplicate and nothing more.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import BilingualName
from tandem.institutions.models import Specialty


class ItemKind(models.TextChoices):
    DISEASE = "disease", _("Disease")
    PROCEDURE = "procedure", _("Procedure")
    OPERATION = "operation", _("Operation")


class EntryRole(models.IntegerChoices):
    """Ranked: an entry counts towards the minimums of its role and of every lower one (a
    procedure performed was also assisted and observed)."""

    OBSERVED = 1, _("Observed")
    ASSISTED = 2, _("Assisted")
    PERFORMED = 3, _("Performed")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")


class Catalogue(BilingualName):
    """What residents of one specialty at one hospital log."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialty = models.CharField(_("specialty"), max_length=32)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case and procedure catalogue")
        verbose_name_plural = _("case and procedure catalogues")
        ordering = ["institution__name", "specialty"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "specialty"], name="logbook_catalogue_specialty"
            )
        ]

    @property
    def specialty_label(self) -> str:
        """The specialty in the reader's language (a code outside the known list as stored)."""
        if self.specialty in Specialty.values:
            return str(Specialty(self.specialty).label)
        return self.specialty


class CatalogueItem(BilingualName):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["catalogue", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="logbook_item_code")
        ]


class Minimum(models.Model):
    """At least `count` entries of `item` in `role` (or a higher one): in one rotation through
    `department`, or — without a department — over the resident's whole training."""

    item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="minimums")
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=EntryRole.choices)
    count = models.PositiveSmallIntegerField(
        _("at least"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )

    class Meta:
        verbose_name = _("minimum")
        verbose_name_plural = _("minimums")
        ordering = ["item", "department", "role"]
        constraints = [
            # Two partial constraints instead of `nulls_distinct=False`, which SQLite ignores:
            # one minimum per item and role for the whole specialty, one per department.
            models.UniqueConstraint(
                fields=["item", "department", "role"],
                condition=Q(department__isnull=False),
                name="logbook_minimum_once",
            ),
            models.UniqueConstraint(
                fields=["item", "role"],
                condition=Q(department__isnull=True),
                name="logbook_minimum_once_specialty",
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=1000), name="logbook_minimum_count"
            ),
            models.CheckConstraint(condition=Q(role__in=[1, 2, 3]), name="logbook_minimum_role"),
        ]

    def __str__(self) -> str:
        return f"{self.item} ≥ {self.count}"


class LogEntry(models.Model):
    """One case or procedure a resident took part in, during a rotation (`member`: the cohort
    membership whose published schedule placed them in `department` on `date`)."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="log_entries"
    )
    member = models.ForeignKey(
        "residency.CohortMember", on_delete=models.PROTECT, related_name="log_entries"
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="log_entries",
    )
    item = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("case or procedure"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=EntryRole.choices)
    date = models.DateField(_("date"))
    # HMAC-SHA256 of the hospital and the record number (hex); never the number itself.
    patient_hash = models.CharField(max_length=64, editable=False)
    note = models.CharField(_("note (no patient names or numbers)"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["resident", "department", "date"], name="logbook_entry_stint"),
            models.Index(fields=["department", "status", "date"], name="logbook_entry_review"),
            models.Index(fields=["member", "status"], name="logbook_entry_member"),
            models.Index(fields=["resident", "patient_hash"], name="logbook_entry_patient"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=[1, 2, 3]), name="logbook_entry_role"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_by__isnull=False),
                name="logbook_entry_reviewed_by",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="logbook_entry_return_comment",
            ),
        ]

    def __str__(self) -> str:
        # What the audit trail records as the target: the item and the date, no patient.
        return f"{self.item} — {self.date.isoformat()}"
