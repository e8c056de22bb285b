"""Publications of joint trainees: authors in order with affiliations, the corresponding
author(s), CRediT roles, the agreement's authorship policy, waivers and tutor confirmations."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublicationSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    CSL_JSON = "csl_json", _("DOI metadata (CSL-JSON)")
    BIBTEX = "bibtex", _("BibTeX")
    RIS = "ris", _("RIS")


class CreditRole(models.TextChoices):
    """The 14 contributor roles of the CRediT taxonomy (ANSI/NISO Z39.104-2022)."""

    CONCEPTUALIZATION = "conceptualization", _("Conceptualization")
    DATA_CURATION = "data_curation", _("Data curation")
    FORMAL_ANALYSIS = "formal_analysis", _("Formal analysis")
    FUNDING_ACQUISITION = "funding_acquisition", _("Funding acquisition")
    INVESTIGATION = "investigation", _("Investigation")
    METHODOLOGY = "methodology", _("Methodology")
    PROJECT_ADMINISTRATION = "project_administration", _("Project administration")
    RESOURCES = "resources", _("Resources")
    SOFTWARE = "software", _("Software")
    SUPERVISION = "supervision", _("Supervision")
    VALIDATION = "validation", _("Validation")
    VISUALIZATION = "visualization", _("Visualization")
    WRITING_ORIGINAL_DRAFT = "writing_original_draft", _("Writing – original draft")
    WRITING_REVIEW_EDITING = "writing_review_editing", _("Writing – review & editing")


class PolicyStatus(models.TextChoices):
    COMPLIANT = "compliant", _("Meets the policy")
    WAIVED = "waived", _("Waived")
    VIOLATIONS = "violations", _("Breaks the policy")


class Publication(models.Model):
    cultivation = models.ForeignKey(
        "cultivation.JointCultivation",
        verbose_name=_("joint cultivation"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title = models.CharField(_("title"), max_length=500)
    journal = models.CharField(_("journal"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    volume = models.CharField(_("volume"), max_length=40, blank=True)
    issue = models.CharField(_("issue"), max_length=40, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    # The authorship rule is judged by the tutor pair in force on this day (the work's period),
    # not by today's pair; empty means the day it was recorded.
    submitted_on = models.DateField(
        _("submitted on"),
        null=True,
        blank=True,
        help_text=_("The tutors in charge on this day answer for the corresponding author."),
    )
    source = models.CharField(
        _("recorded from"),
        max_length=16,
        choices=PublicationSource.choices,
        default=PublicationSource.MANUAL,
    )
    # The codes of the authorship-policy violations found at the last change (see policy.py).
    violations = models.JSONField(_("policy violations"), default=list, blank=True)
    # No violations, or every one waived by both coordinators ("acceptable"); kept by the
    # services for filters and the confirmation. Readers see `policy_status`, which tells a
    # waived paper from one that meets the policy.
    compliant = models.BooleanField(_("acceptable under the authorship policy"), default=False)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)
    waived_codes = models.JSONField(default=list, blank=True)
    waiver_home_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived for the home institution by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waiver_home_at = models.DateTimeField(null=True, blank=True)
    waiver_host_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived for the host institution by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waiver_host_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cultivation", "doi"],
                condition=~Q(doi=""),
                name="publication_doi_once_per_cultivation",
            ),
            models.CheckConstraint(
                condition=(Q(waiver_home_by__isnull=True) & Q(waiver_host_by__isnull=True))
                | ~Q(waiver_reason=""),
                name="publication_waiver_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["cultivation", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_waived(self) -> bool:
        return bool(
            self.violations
            and self.waiver_home_by_id
            and self.waiver_host_by_id
            and set(self.violations) <= set(self.waived_codes)
        )

    @property
    def policy_status(self) -> str:
        """ "compliant" only with no violation at all; "waived" when both sides waived them."""
        if not self.violations:
            return PolicyStatus.COMPLIANT
        return PolicyStatus.WAIVED if self.is_waived else PolicyStatus.VIOLATIONS

    def get_policy_status_display(self) -> str:
        return str(PolicyStatus(self.policy_status).label)

    @property
    def judged_on(self) -> "datetime.date":
        """The day whose tutor pair the authorship rule is judged by."""
        return self.submitted_on or timezone.localdate(self.created_at)


class PublicationAuthor(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Tandem user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorships",
    )
    institutions = models.ManyToManyField(
        "institutions.Institution",
        verbose_name=_("affiliated institutions"),
        blank=True,
        related_name="+",
    )
    affiliation_text = models.TextField(_("affiliations as printed"), blank=True)
    is_corresponding = models.BooleanField(_("corresponding author"), default=False)
    credit_roles = models.JSONField(_("CRediT roles"), default=list, blank=True)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "position"], name="publication_author_position_once"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="author_position_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def credit_role_labels(self) -> list[str]:
        return [
            str(CreditRole(role).label) for role in self.credit_roles if role in CreditRole.values
        ]


class TutorConfirmation(models.Model):
    """A current tutor of the trainee confirms the publication as recorded."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="confirmations"
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=16)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("tutor confirmation")
        verbose_name_plural = _("tutor confirmations")
        ordering = ["confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "tutor"], name="publication_confirmed_once_per_tutor"
            ),
            models.UniqueConstraint(
                fields=["publication", "role"], name="publication_confirmed_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} ({self.role})"
