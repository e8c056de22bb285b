"""How the change history reads the audit events of bookings of shared resources. Imported by name
by the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.bookings.models import BookingRules
from tandem.core.audit_labels import HistoryWording
from tandem.resources.models import SharedResource

WORDING = HistoryWording(
    actions={
        "booking_rules.set": _("changed the booking rules"),
        "booking.request": _("requested the booking"),
        "booking.approve": _("confirmed the booking"),
        "booking.reject": _("rejected the booking"),
        "booking.cancel": _("cancelled the booking"),
        "booking.completed": _("recorded the booking as completed"),
        "booking.no_show": _("recorded the booking as a no-show"),
        "booking_feed.create": _("created a calendar feed"),
        "booking_feed.revoke": _("revoked the calendar feed"),
    },
    # A resource's booking rules are recorded on the resource.
    fields_recorded_from={SharedResource: (BookingRules,)},
)
