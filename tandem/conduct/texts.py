"""The one sentence a conduct notification says: the label of
`alerts.NotificationKind.CONDUCT_STEP`, marked here so that this app's catalogue carries its
Chinese (`makemessages` run in this app does not read alerts)."""

from django.utils.translation import gettext_noop

STEP = gettext_noop("A discipline case you take part in has a new step")
