"""Institutions of the consortium and the units inside them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import BilingualName


class InstitutionKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    MEDICAL_COLLEGE = "medical_college", _("Medical college")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    HOSPITAL = "hospital", _("Hospital")


class Region(models.TextChoices):
    EASTERN = "eastern", _("Eastern China")
    CENTRAL = "central", _("Central China")
    WESTERN = "western", _("Western China")
    NORTHEASTERN = "northeastern", _("Northeastern China")
    ABROAD = "abroad", _("Outside China")


class KnownTier(models.TextChoices):
    """Tier labels that are common to the field: stored as people type them (in English or
    Chinese), shown in the reader's language (see Institution.tier_label_texts)."""

    DOUBLE_FIRST_CLASS = "double_first_class", _("Double First-Class")
    PROJECT_985 = "985", _("985 Project")
    PROJECT_211 = "211", _("211 Project")
    GRADE_3A = "grade_3a", _("Grade 3A")


# The wordings of each known tier, in either language, lower-cased.
TIER_WORDINGS = {
    "double first-class": KnownTier.DOUBLE_FIRST_CLASS,
    "双一流": KnownTier.DOUBLE_FIRST_CLASS,
    "985": KnownTier.PROJECT_985,
    "985 project": KnownTier.PROJECT_985,
    "985工程": KnownTier.PROJECT_985,
    "211": KnownTier.PROJECT_211,
    "211 project": KnownTier.PROJECT_211,
    "211工程": KnownTier.PROJECT_211,
    "grade 3a": KnownTier.GRADE_3A,
    "三级甲等": KnownTier.GRADE_3A,
    "三甲": KnownTier.GRADE_3A,
}


def tier_label_text(label: str) -> str:
    """One stored tier label as the reader reads it: a known tier in their language, any other
    label as it was typed."""
    known = TIER_WORDINGS.get(" ".join(str(label).split()).lower())
    return str(known.label) if known is not None else str(label)


class Institution(BilingualName):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=InstitutionKind.choices)
    country = models.CharField(_("country (ISO code)"), max_length=2, default="CN")
    region = models.CharField(_("region"), max_length=16, choices=Region.choices)
    tier_labels = models.JSONField(_("tier labels"), default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("affiliated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliates",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="institution_not_own_parent"
            ),
            models.UniqueConstraint(fields=["name"], name="institution_name_unique"),
        ]

    @property
    def tier_label_texts(self) -> list[str]:
        return [tier_label_text(label) for label in self.tier_labels or []]


class UnitKind(models.TextChoices):
    SCHOOL = "school", _("School")
    DEPARTMENT = "department", _("Department")
    KEY_LABORATORY = "key_laboratory", _("Key laboratory")
    TRAINING_BASE = "training_base", _("Training base")


class Specialty(models.TextChoices):
    INTERNAL_MEDICINE = "internal_medicine", _("Internal medicine")
    SURGERY = "surgery", _("Surgery")
    RADIATION_ONCOLOGY = "radiation_oncology", _("Radiation oncology")
    CLINICAL_PATHOLOGY = "clinical_pathology", _("Clinical pathology")
    RADIOLOGY = "radiology", _("Radiology")
    ULTRASOUND = "ultrasound_medicine", _("Ultrasound medicine")
    NUCLEAR_MEDICINE = "nuclear_medicine", _("Nuclear medicine")
    ANESTHESIA = "anesthesia", _("Anesthesia")
    PEDIATRICS = "pediatrics", _("Pediatrics")
    OBSTETRICS = "obstetrics_gynecology", _("Obstetrics and gynecology")
    EMERGENCY = "emergency_medicine", _("Emergency medicine")
    GENERAL_PRACTICE = "general_practice", _("General practice")


class Unit(BilingualName):
    """A school, department, key laboratory or training base inside one institution."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="units"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    specialty = models.CharField(
        _("specialty"), max_length=32, choices=Specialty.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["institution__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="unit_name_unique"),
            models.CheckConstraint(
                condition=Q(kind="training_base", specialty__gt="") | ~Q(kind="training_base"),
                name="training_base_has_specialty",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKING_DAY = "working_day", _("Make-up working day (a weekend day worked)")


class CalendarDay(models.Model):
    """A date on which an institution's calendar departs from "Monday to Friday": a public
    holiday on a weekday, or a weekend day worked in exchange (调休). Deadlines counted in
    working days (responses, objection periods, appeals) read these; see `workdays.py`."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="calendar_days",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["institution", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "date"], name="calendar_day_once_per_institution"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"
