"""Strings this app adds to other apps' models, here so that its catalogue translates them."""

from django.utils.translation import gettext_lazy as _

# tandem.alerts.models.NotificationKind.REWARD_STEP
REWARD_STEP = _("A reward nomination you take part in has a new step")
