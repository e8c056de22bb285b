"""The set-up of residency training: departments of training bases and their capacity per
block, block calendars, programs and their requirements, cohorts and exchange quotas."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import BilingualName
from tandem.residency.instancing import member_key


class Department(BilingualName):
    """A rotation site inside a training base: residents spend whole blocks here."""

    base = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("training base"),
        on_delete=models.PROTECT,
        related_name="rotation_departments",
    )
    code = models.SlugField(_("code"), max_length=24, help_text=_("Short code used in schedules."))
    min_per_block = models.PositiveSmallIntegerField(_("residents per block at least"), default=0)
    max_per_block = models.PositiveSmallIntegerField(_("residents per block at most"), default=4)
    duration = models.PositiveSmallIntegerField(
        _("stint length in blocks"),
        default=1,
        help_text=_("Taken in stints of exactly this many blocks."),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("teachers"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("rotation department")
        verbose_name_plural = _("rotation departments")
        ordering = ["base__institution__name", "base__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "code"], name="residency_department_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_per_block__lte=F("max_per_block")),
                name="residency_department_capacity_order",
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=1), name="residency_department_duration"
            ),
        ]


class CalendarKind(models.TextChoices):
    FOUR_WEEKS = "four_weeks", _("Blocks of four weeks")
    MONTHS = "months", _("Calendar months")


class BlockCalendar(models.Model):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a calendar shared by the whole consortium."),
    )
    name = models.CharField(_("name"), max_length=120)
    training_year = models.PositiveSmallIntegerField(_("training year starting in"))
    kind = models.CharField(_("blocks"), max_length=16, choices=CalendarKind.choices)
    start_date = models.DateField(_("first day"))
    block_count = models.PositiveSmallIntegerField(_("number of blocks"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("block calendar")
        verbose_name_plural = _("block calendars")
        ordering = ["-training_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(block_count__gte=1) & Q(block_count__lte=26),
                name="residency_calendar_block_count",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    calendar = models.ForeignKey(BlockCalendar, on_delete=models.CASCADE, related_name="blocks")
    index = models.PositiveSmallIntegerField(_("block"))
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["calendar", "index"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "index"], name="residency_block_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="residency_block_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index + 1}"


class Program(models.Model):
    """What residents of one specialty and training year must rotate through."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=160)
    specialty = models.CharField(_("specialty"), max_length=32)
    training_year = models.PositiveSmallIntegerField(_("training year (PGY)"), default=1)
    may_idle = models.BooleanField(_("residents may have blocks without a rotation"), default=False)
    # Sequence rules in the instance format, with department ids ("ech-ro-ward"):
    # {"precedences": [...], "forbidden_sequences": [...], "max_consecutive": [...],
    #  "min_stint": [...]}
    rules = models.JSONField(_("sequence rules"), default=dict, blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["institution__name", "specialty", "training_year"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="residency_program_code"),
            models.CheckConstraint(
                condition=Q(training_year__gte=1) & Q(training_year__lte=5),
                name="residency_program_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Requirement(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements")
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), related_name="+"
    )
    min_blocks = models.PositiveSmallIntegerField(_("blocks at least"), default=0)
    max_blocks = models.PositiveSmallIntegerField(_("blocks at most"), null=True, blank=True)
    is_elective = models.BooleanField(_("elective"), default=False)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["program", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_blocks__isnull=True) | Q(max_blocks__gte=F("min_blocks")),
                name="residency_requirement_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.min_blocks}–{self.max_blocks}"


class Cohort(models.Model):
    """The residents of one hospital scheduled together on one calendar."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    calendar = models.ForeignKey(
        BlockCalendar,
        verbose_name=_("block calendar"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    name = models.CharField(_("name"), max_length=160)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-created_at", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="residency_cohort_name"),
        ]

    def __str__(self) -> str:
        return self.name


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="residency_memberships",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="+"
    )
    leave_blocks = models.JSONField(_("leave blocks"), default=list, blank=True)
    # [{"department": <id>, "points": 3}]
    preferences = models.JSONField(_("preferences"), default=list, blank=True)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["cohort", "resident__full_name", "resident__username"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "resident"], name="residency_member_once"),
        ]

    def __str__(self) -> str:
        return str(self.resident)

    @property
    def key(self) -> str:
        """The resident's id in the instance format."""
        return member_key(self.pk)


class ExchangeQuota(models.Model):
    """Under an agreement: at most this many residents of one hospital at the other per block."""

    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="residency_quotas",
    )
    from_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("residents from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("rotating at"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    max_per_block = models.PositiveSmallIntegerField(_("residents per block at most"))

    class Meta:
        verbose_name = _("exchange quota")
        verbose_name_plural = _("exchange quotas")
        ordering = ["agreement", "from_institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "from_institution", "to_institution"],
                name="residency_exchange_quota_unique",
            ),
            models.CheckConstraint(
                condition=~Q(from_institution=F("to_institution")),
                name="residency_exchange_two_hospitals",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_institution} → {self.to_institution}: {self.max_per_block}"


class CapacityOverride(models.Model):
    """A department's capacity in one block of one calendar, where it differs from the
    department's own: fewer residents around the Spring Festival, more when a teaching ward
    opens, none while a ward is renovated. An empty side keeps the department's number."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="capacity_overrides",
    )
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.CASCADE, related_name="+"
    )
    min_per_block = models.PositiveSmallIntegerField(
        _("residents per block at least"), null=True, blank=True
    )
    max_per_block = models.PositiveSmallIntegerField(
        _("residents per block at most"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("capacity in a block")
        verbose_name_plural = _("capacities in blocks")
        ordering = ["department", "block__calendar", "block__index"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "block"], name="residency_capacity_override_once"
            ),
            models.CheckConstraint(
                condition=Q(min_per_block__isnull=True)
                | Q(max_per_block__isnull=True)
                | Q(min_per_block__lte=F("max_per_block")),
                name="residency_capacity_override_order",
            ),
            models.CheckConstraint(
                condition=Q(min_per_block__isnull=False) | Q(max_per_block__isnull=False),
                name="residency_capacity_override_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} — {self.block}"
