"""Bookings as units of the consortium's benchmarking (see cultivation.selectors_benchmark):
resource sharing, the hours partners used."""

from django.db.models import DurationField, ExpressionWrapper, F, IntegerField, QuerySet, Value
from django.db.models.functions import ExtractYear

from tandem.bookings.models import Booking, BookingStatus


def bookings_by_partners() -> QuerySet[Booking]:
    """Completed bookings made through another institution than the owner's, by the owner and
    the year they started; the value is the booking's length (summed as hours)."""
    return (
        Booking.objects.filter(status=BookingStatus.COMPLETED)
        .exclude(institution_id=F("resource__institution_id"))
        .order_by()
        .annotate(
            b_row=F("resource__institution_id"),
            b_col=ExtractYear("start"),
            b_person=F("booked_by_id"),
            b_hit=Value(0, output_field=IntegerField()),
            b_value=ExpressionWrapper(F("end") - F("start"), output_field=DurationField()),
        )
    )
