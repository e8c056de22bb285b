"""Demo bookings on top of the core demo: EMU's confocal microscope, opened to WMU, booked by
WMU's doctoral trainee Zhang Xiaoming: requested, confirmed, rejected and cancelled, all through
the services (dates relative to today). Completed and no-show need a booking that has started,
and no service books in the past, so those two states appear once the seeded bookings have
passed and EMU's coordinator marks them (decision 076)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.bookings import services
from tandem.bookings.models import Booking
from tandem.funds.selectors import fund_list_chargeable_by
from tandem.funds.services import fund_register
from tandem.resources.models import SharedResource

MICROSCOPE = "Confocal laser scanning microscope"
WEEKDAY_HOURS = {str(day): ["08:30", "17:30"] for day in (1, 2, 3, 4, 5)}


def _workday(offset: int) -> datetime.date:
    """The `offset`-th working day from today (negative: in the past)."""
    day, step, left = timezone.localdate(), (1 if offset > 0 else -1), abs(offset)
    while left:
        day += datetime.timedelta(days=step)
        if day.isoweekday() <= 5:
            left -= 1
    return day


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _fund_for(trainee: User, coordinator: User) -> object:
    fund = fund_list_chargeable_by(trainee).first()
    if fund is not None:
        return fund
    today = timezone.localdate()
    return fund_register(
        actor=coordinator,
        code="WMU-GIF-2026-017",
        title="Graduate innovation fund: hypoxia signalling in tumour cells",
        source="WMU Graduate School",
        principal_investigator=trainee,
        institution=trainee.memberships.get().institution,
        amount=Decimal("20000.00"),
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31) + datetime.timedelta(days=365),
    )


@transaction.atomic
def load_demo() -> None:
    """Book the demo microscope. Does nothing when it has bookings already."""
    microscope = SharedResource.objects.filter(name=MICROSCOPE, institution__code="emu").first()
    if microscope is None or Booking.objects.filter(resource=microscope).exists():
        return
    coord_emu = User.objects.get(username="coord.emu")
    zhang = User.objects.get(username="trainee.zhang")
    services.booking_rules_set(
        actor=coord_emu,
        resource=microscope,
        opening_hours=WEEKDAY_HOURS,
        slot_minutes=30,
        max_booking_minutes=240,
        min_notice_hours=24,
        max_advance_days=60,
        approval_required=True,
        cost_per_hour=Decimal("150.00"),
        charge_no_show=True,
    )
    fund = _fund_for(zhang, User.objects.get(username="coord.wmu"))

    def book(day: datetime.date, hour: int, hours: int, purpose: str) -> Booking:
        return services.booking_request(
            actor=zhang,
            resource=microscope,
            start=_at(day, hour),
            end=_at(day, hour + hours),
            fund=fund,
            purpose=purpose,
        )

    book(_workday(3), 9, 2, "Live-cell imaging of HIF-1α reporter lines")  # stays requested
    confirmed = book(_workday(4), 14, 2, "Co-localisation of LC3 and LAMP1")
    services.booking_approve(
        actor=coord_emu, booking=confirmed, note="Please bring your own immersion oil."
    )
    rejected = book(_workday(5), 9, 4, "Z-stacks of spheroids")
    services.booking_reject(
        actor=coord_emu, booking=rejected, note="The instrument is serviced that morning."
    )
    cancelled = book(_workday(6), 10, 1, "Pilot imaging")
    services.booking_approve(actor=coord_emu, booking=cancelled)
    services.booking_cancel(actor=zhang, booking=cancelled, reason="Samples not ready.")
