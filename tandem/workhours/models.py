"""Work hours (工作时长): the shifts residents log, the rule sets the training office keeps per
hospital and program, and each department's rota pattern that turns a planned rotation into
planned shifts. Violations are not stored: they are worked out by the rule library
(`tandem/workhours/rules`, decision 107) whenever they are shown.
"""

import datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.workhours import rules


class ShiftKind(models.TextChoices):
    DUTY = "duty", _("Duty")
    ON_CALL = "on_call", _("On call in the hospital")
    HANDOVER = "handover", _("Handover")
    HOME_CALL = "home_call", _("Home call (time worked)")


class ShiftSource(models.TextChoices):
    LOGGED = "logged", _("Logged")
    ROTA = "rota", _("From the rota")


class Regulator(models.TextChoices):
    ACGME = "acgme", _("ACGME")
    CHINA = "china", _("Chinese base (own limits)")
    CUSTOM = "custom", _("Custom")


def _hours(label: Any, default: int, low: int, high: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(low), MaxValueValidator(high)]
    )


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Give a time zone such as Asia/Shanghai or America/New_York."))


LIMIT_FIELDS = (
    "max_weekly_hours",
    "averaging_weeks",
    "free_days_per_week",
    "max_continuous_hours",
    "handover_hours",
    "min_rest_hours",
    "long_duty_hours",
    "rest_after_long_hours",
)


class RuleSet(models.Model):
    """The limits of one hospital (`program` empty: its default) or of one of its programs. A
    program without its own rule set follows the hospital's; a hospital without one, ACGME."""

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("hospital"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    program = models.ForeignKey(
        "residency.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    regulator = models.CharField(
        _("rule set"), max_length=16, choices=Regulator.choices, default=Regulator.ACGME
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
    )
    max_weekly_hours = _hours(_("hours a week at most (averaged)"), 80, 1, 168)
    averaging_weeks = _hours(_("averaged over (weeks)"), 4, 1, 8)
    free_days_per_week = _hours(_("free days a week at least (averaged)"), 1, 0, 7)
    max_continuous_hours = _hours(_("continuous duty at most (hours)"), 24, 1, 36)
    handover_hours = _hours(_("handover allowed after it (hours)"), 4, 0, 12)
    min_rest_hours = _hours(_("rest between shifts at least (hours)"), 8, 0, 24)
    long_duty_hours = _hours(_("a long shift lasts at least (hours)"), 24, 1, 36)
    rest_after_long_hours = _hours(_("rest after a long shift at least (hours)"), 14, 0, 48)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("work-hour rule set")
        verbose_name_plural = _("work-hour rule sets")
        ordering = ["institution__name", "program__name", "pk"]
        constraints = [
            # Two partial constraints instead of `nulls_distinct=False`, which SQLite ignores:
            # one rule set per program, one hospital-wide per institution.
            models.UniqueConstraint(
                fields=["institution", "program"],
                condition=Q(program__isnull=False),
                name="workhours_ruleset_once",
            ),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(program__isnull=True),
                name="workhours_ruleset_once_hospital",
            ),
            models.CheckConstraint(
                condition=Q(averaging_weeks__gte=1, max_weekly_hours__gte=1),
                name="workhours_ruleset_positive",
            ),
        ]

    def __str__(self) -> str:
        scope = self.program.name if self.program is not None else str(self.institution)
        return f"{scope}: {self.get_regulator_display()}"

    def limits(self) -> rules.Limits:
        return rules.Limits(
            code=self.regulator, **{name: getattr(self, name) for name in LIMIT_FIELDS}
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class RotaPattern(models.Model):
    """How a department's residents work: the weekdays of the day shift and its hours, and a
    call every `call_every` days (0: none). Without a pattern: Monday to Friday, 08:00–17:00."""

    department = models.OneToOneField(
        "residency.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="workhours_pattern",
    )
    weekdays = models.JSONField(_("weekdays worked"), default=list)
    day_start = models.TimeField(_("day shift starts"), default=datetime.time(8, 0))
    day_end = models.TimeField(_("day shift ends"), default=datetime.time(17, 0))
    call_every = _hours(_("a call every (days, 0 for none)"), 0, 0, 14)
    call_hours = _hours(_("call length (hours)"), 24, 1, 36)
    handover_hours = _hours(_("handover after a call (hours)"), 0, 0, 12)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rota pattern")
        verbose_name_plural = _("rota patterns")

    def __str__(self) -> str:
        return str(self.department)

    def pattern(self) -> rules.Pattern:
        return rules.Pattern(
            weekdays=frozenset(self.weekdays),
            day_start=self.day_start,
            day_end=self.day_end,
            call_every=self.call_every,
            call_hours=self.call_hours,
            handover_hours=self.handover_hours,
        )


class Shift(models.Model):
    """One stretch of work a resident logged (or confirmed from the rota). `member`: the cohort
    membership it counts under (its program's rule set applies); `department`: where the
    published schedule placed the resident on the shift's first day, if anywhere."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts"
    )
    member = models.ForeignKey(
        "residency.CohortMember", on_delete=models.PROTECT, related_name="shifts"
    )
    department = models.ForeignKey(
        "residency.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=16, choices=ShiftKind.choices)
    source = models.CharField(
        _("source"), max_length=8, choices=ShiftSource.choices, default=ShiftSource.LOGGED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["resident", "start"], name="workhours_shift_resident"),
            models.Index(fields=["member", "start"], name="workhours_shift_member"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="workhours_shift_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start.isoformat()}"

    def as_rule_shift(self) -> rules.Shift:
        return rules.Shift(start=self.start, end=self.end, kind=self.kind, ref=self.pk)
