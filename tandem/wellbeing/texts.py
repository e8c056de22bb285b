"""The one sentence an officer's notification says (decision 089).

It is the label of `alerts.NotificationKind.WELLBEING_ATTENTION`; marked here so that this
app's catalogue carries its Chinese (`makemessages` run in this app does not read alerts)."""

from django.utils.translation import gettext_noop

ATTENTION = gettext_noop("A wellbeing check-in needs your attention")
