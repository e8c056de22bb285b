"""The shared-resource catalogue: what an institution opens to its partners' trainees."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.institutions.models import BilingualName


class ResourceKind(models.TextChoices):
    KEY_LABORATORY = "key_laboratory", _("Key laboratory")
    INSTRUMENT = "instrument", _("Advanced instrument")
    PLATFORM = "platform", _("Platform")
    COURSE = "course", _("Course")


class SharedResource(BilingualName):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    is_active = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        ordering = ["institution__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="resource_name_unique")
        ]


class ResourceOpening(models.Model):
    """Opens a resource to a partner institution under an agreement both are parties to."""

    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="openings")
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="resource_openings",
    )
    partner = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("opened to"),
        on_delete=models.PROTECT,
        related_name="opened_resources",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "agreement", "partner"], name="resource_opening_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.partner}"
