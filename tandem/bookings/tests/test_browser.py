"""In a real Chromium: a trainee of the western university books an instrument of the eastern
one through the week calendar, the owner approves, and the charge appears on the fund."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.bookings.models import Booking, BookingStatus
from tandem.bookings.tests.helpers import fund_for, rules_for
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.resources.tests.factories import ResourceOpeningFactory, SharedResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_western_trainee_books_eastern_instrument_owner_approves_fund_is_charged(
    browser_page, chromium, live_server
):
    cast = build_cast()
    microscope = SharedResourceFactory(
        institution=cast.inst_b, name="Confocal laser scanning microscope", kind="instrument"
    )
    ResourceOpeningFactory(resource=microscope, agreement=cast.agreement_ab, partner=cast.inst_a)
    rules_for(microscope, cost_per_hour=Decimal("150.00"), approval_required=True)
    fund = fund_for(cast.trainee, cast.inst_a, code="WMU-GIF-01")

    page = browser_page
    sign_in(page, "trainee", PASSWORD)
    page.goto("/bookings/resources/")
    page.get_by_role("link", name="Confocal laser scanning microscope").click()
    page.get_by_role("link", name="Next week").click()  # HTMX swaps the week in place
    page.wait_for_url("**week=*")
    today = timezone.localdate()
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    page.get_by_role("link", name=f"Free {next_monday:%Y-%m-%d} 09:00").click()
    assert page.locator("#id_start_time").input_value() == "09:00"
    page.locator("#id_end_time").fill("11:00")
    page.locator("#id_fund").select_option(str(fund.pk))
    page.locator("#id_purpose").fill("Live-cell imaging")
    page.get_by_role("button", name="Book", exact=True).click()
    assert "Requested" in page.get_by_role("heading", level=1).inner_text()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED and booking.cost == Decimal("300.00")

    # The eastern coordinator approves in another session.
    context = chromium.new_context(base_url=live_server.url)
    owner = context.new_page()
    sign_in(owner, "coord_b", PASSWORD)
    owner.goto("/bookings/?awaiting_me=on")
    when = timezone.localtime(booking.start).strftime("%Y-%m-%d %H:%M")
    owner.get_by_role("link", name=when).click()
    owner.get_by_role("button", name="Approve").click()
    assert "Confirmed" in owner.get_by_role("heading", level=1).inner_text()
    context.close()

    # The trainee sees the charge on the fund.
    page.goto(f"/funds/{fund.pk}/")
    body = page.locator("main").inner_text()
    assert f"Booking #{booking.pk}" in body
    fund.refresh_from_db()
    assert fund.balance == Decimal("700.00")
