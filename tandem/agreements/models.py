"""Cooperation agreements between institutions, their versions, parties and signatures."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgreementForm(models.TextChoices):
    UNIVERSITY_ENTERPRISE = "university_enterprise", _("University–enterprise")
    UNIVERSITY_INSTITUTE = "university_institute", _("University–institute")
    UNIVERSITY_DOMESTIC = "university_domestic", _("University–university (domestic)")
    UNIVERSITY_FOREIGN = "university_foreign", _("University–university (foreign)")
    TUTOR_INITIATED = "tutor_initiated", _("Tutor-initiated")
    HOSPITAL_HOSPITAL = "hospital_hospital", _("Hospital–hospital (residency training)")


class AgreementStatus(models.TextChoices):
    # With a context: "Active" alone means "enabled" elsewhere in the application.
    DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
    SIGNING = "signing", pgettext_lazy("agreement status", "Awaiting signatures")
    ACTIVE = "active", pgettext_lazy("agreement status", "Active")
    SUPERSEDED = "superseded", pgettext_lazy("agreement status", "Superseded by an amendment")
    EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")
    TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")


class CorrespondingAuthorRule(models.TextChoices):
    FIRST_OR_SECOND_TUTOR = "first_or_second_tutor", _("The first or the second tutor")
    FIRST_TUTOR = "first_tutor", _("The first tutor (experimental tutor)")
    ANY_AUTHOR = "any_author", _("Any author")


class HousingProvider(models.TextChoices):
    """Who provides a trainee's housing during a stay at the host."""

    UNSTATED = "", _("Not stated (see the text)")
    HOME = "home", _("The home institution")
    HOST = "host", _("The host institution")
    TRAINEE = "trainee", _("The trainee arranges their own")
    NONE = "none", _("No housing is provided")


class IpOwner(models.TextChoices):
    """Who owns the intellectual property of a joint trainee's results."""

    UNSTATED = "", _("Not stated (see the text)")
    HOME = "home", _("The home institution")
    HOST = "host", _("The host institution")
    SHARED = "shared", _("Shared, as the agreement says")
    OTHER = "other", _("Other (described)")


class Agreement(models.Model):
    """One version of a cooperation agreement. An amendment is a new row that `amends` the
    version before it; the old version is kept, marked superseded once the new one is active."""

    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference number"), max_length=64, blank=True)
    form = models.CharField(_("form"), max_length=32, choices=AgreementForm.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    amends = models.OneToOneField(
        "self",
        verbose_name=_("amends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendment",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    initiating_tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("initiating tutor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiated_agreements",
    )
    # Clauses.
    funding_clause = models.TextField(_("funding: who funds what"), blank=True)
    corresponding_author_rule = models.CharField(
        _("corresponding author must be"),
        max_length=32,
        choices=CorrespondingAuthorRule.choices,
        default=CorrespondingAuthorRule.FIRST_OR_SECOND_TUTOR,
    )
    trainee_lists_both_institutions = models.BooleanField(
        _("the trainee lists both institutions as affiliations"), default=True
    )
    authorship_clause = models.TextField(
        _("authorship and affiliation: further terms"),
        blank=True,
        help_text=_("Not for hospital–hospital agreements."),
    )
    ip_clause = models.TextField(
        _("intellectual property"),
        blank=True,
        help_text=_("Not for hospital–hospital agreements."),
    )
    # The structured parts of the IP, insurance and housing clauses: what the system checks
    # (decision 093). The text above and below keeps the details.
    ip_owner = models.CharField(
        _("intellectual property of results belongs to"),
        max_length=16,
        choices=IpOwner.choices,
        blank=True,
        default=IpOwner.UNSTATED,
        help_text=_("Not for hospital–hospital agreements."),
    )
    ip_owner_other = models.CharField(
        _("intellectual property: the other arrangement"),
        max_length=300,
        blank=True,
        help_text=_("Only when the owner is “other”: say who owns the results."),
    )
    insurance_clause = models.TextField(_("insurance"), blank=True)
    insurance_required = models.BooleanField(
        _("trainees must be insured during a stay at the host"), default=False
    )
    stay_may_start_uninsured = models.BooleanField(
        _("a stay at the host may start before the insurance is on file"),
        default=False,
        help_text=_("Only matters when insurance is required."),
    )
    housing_clause = models.TextField(_("housing"), blank=True)
    housing_provider = models.CharField(
        _("housing is provided by"),
        max_length=16,
        choices=HousingProvider.choices,
        blank=True,
        default=HousingProvider.UNSTATED,
    )
    # The clauses of the hospital–hospital form (residency training cooperation).
    exchange_rotation_clause = models.TextField(
        _("exchange rotations: which residents rotate where, for how long"),
        blank=True,
        help_text=_("Hospital–hospital agreements only; required there."),
    )
    teacher_exchange_clause = models.TextField(
        _("exchange of clinical teachers"),
        blank=True,
        help_text=_("Hospital–hospital agreements only."),
    )
    visit_clause = models.TextField(
        _("visits and exchange meetings"),
        blank=True,
        help_text=_("Hospital–hospital agreements only."),
    )
    # Lifecycle.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    activated_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "title", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="agreement_term_positive"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="agreement_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(end_reason=""),
                name="agreement_terminated_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["active", "superseded", "expired"])
                | Q(activated_at__isnull=False),
                name="agreement_in_force_has_activation",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["expired", "terminated"]) | Q(ended_at__isnull=False),
                name="agreement_ended_has_end_time",
            ),
            models.CheckConstraint(
                condition=~Q(amends=models.F("pk")), name="agreement_not_own_amendment"
            ),
            models.CheckConstraint(
                condition=Q(ip_owner="other", ip_owner_other__gt="")
                | (~Q(ip_owner="other") & Q(ip_owner_other="")),
                name="agreement_ip_other_described",
            ),
        ]
        indexes = [models.Index(fields=["status", "end_date"])]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})" if self.version > 1 else self.title

    @property
    def is_open(self) -> bool:
        """Still being drafted or signed: not yet in force and not ended."""
        return self.status in (AgreementStatus.DRAFT, AgreementStatus.SIGNING)

    @property
    def requires_insurance_before_stay(self) -> bool:
        """A stay at the host may not start until the trainee's insurance is on file."""
        return self.insurance_required and not self.stay_may_start_uninsured

    def ip_owner_text(self) -> str:
        if self.ip_owner == IpOwner.OTHER:
            return self.ip_owner_other
        return str(IpOwner(self.ip_owner).label) if self.ip_owner else ""

    def insurance_policy_text(self) -> str:
        """The insurance rule in plain words, for people to read."""
        if not self.insurance_required:
            return str(_("The agreement does not require trainees to be insured."))
        if self.stay_may_start_uninsured:
            return str(
                _(
                    "Trainees must be insured during a stay at the host; a stay may start before "
                    "the insurance is on file."
                )
            )
        return str(
            _(
                "Trainees must be insured during a stay at the host; a stay cannot start until "
                "insurance valid on its first day is on file."
            )
        )

    def authorship_policy_text(self) -> str:
        """The authorship and affiliation rules in plain words, for people to read."""
        rule = {
            CorrespondingAuthorRule.FIRST_OR_SECOND_TUTOR: _(
                "The corresponding author of a joint trainee's paper must be the trainee's "
                "first (experimental) or second (theoretical) tutor."
            ),
            CorrespondingAuthorRule.FIRST_TUTOR: _(
                "The corresponding author of a joint trainee's paper must be the trainee's "
                "first (experimental) tutor."
            ),
            CorrespondingAuthorRule.ANY_AUTHOR: _(
                "Any author of a joint trainee's paper may be the corresponding author."
            ),
        }[CorrespondingAuthorRule(self.corresponding_author_rule)]
        if self.trainee_lists_both_institutions:
            affiliation = _("The trainee lists both institutions (home and host) as affiliations.")
        else:
            affiliation = _("The trainee need not list both institutions as affiliations.")
        return f"{rule} {affiliation}"


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    funding_share = models.DecimalField(
        _("funding share (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    responsibilities = models.TextField(_("this party provides"), blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"], name="agreement_party_unique"
            ),
            models.CheckConstraint(
                condition=Q(funding_share__gte=0) & Q(funding_share__lte=100),
                name="agreement_party_share_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.institution)


class AgreementQuota(models.Model):
    """How many new joint trainees the agreement admits in one year."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="quotas")
    year = models.PositiveSmallIntegerField(_("year"))
    max_trainees = models.PositiveSmallIntegerField(_("joint trainees"))

    class Meta:
        verbose_name = _("yearly quota")
        verbose_name_plural = _("yearly quotas")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="agreement_quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.max_trainees}"


class AgreementSignature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution"], name="agreement_signature_once_per_party"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.signed_by}"


def attachment_path(instance: "AgreementAttachment", filename: str) -> str:
    return f"agreements/{instance.agreement_id}/{filename}"


class AgreementAttachment(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title
