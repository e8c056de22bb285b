"""In a real Chromium: generate a schedule, pin a cell, solve again, publish; the resident sees
their rotations and calendar address."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.residency import services_schedule
from tandem.residency.models import ProposalStatus, PublishedSchedule, ScheduleProposal
from tandem.residency.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_pin_resolve_publish_and_resident_sees_calendar(
    browser_page, chromium, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world = build_world(build_cast())
    page = browser_page
    sign_in(page, "coord_a", PASSWORD)
    page.goto(f"/residency/cohorts/{world.cohort.pk}/")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/residency/proposals/*/")
    page.get_by_text("Proposed").first.wait_for()
    first = ScheduleProposal.objects.latest("pk")
    assert first.status == ProposalStatus.DONE

    page.locator("#pin-resident").select_option(world.member2.key)
    page.locator("#pin-block").select_option("0")
    page.locator("#pin-department").select_option(f"D{world.a2.pk}")
    page.get_by_role("button", name="Pin", exact=True).click()
    page.get_by_text("The cell is pinned").wait_for()
    page.get_by_role("button", name="Solve again").click()
    page.get_by_text("Compared with proposal").wait_for()
    second = ScheduleProposal.objects.latest("pk")
    assert second.previous_id == first.pk and second.status == ProposalStatus.DONE
    assert second.solution["assignments"][world.member2.key][0] == f"D{world.a2.pk}"
    if second.partner_approvals.exists():
        services_schedule.proposal_approve(actor=world.cast.coord_b, proposal=second)
        page.reload()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/residency/cohorts/{world.cohort.pk}/schedule/")
    assert PublishedSchedule.objects.get(cohort=world.cohort).proposal_id == second.pk

    context = chromium.new_context(base_url=live_server.url)
    resident = context.new_page()
    sign_in(resident, "resident", PASSWORD)
    resident.goto("/residency/my/")
    assert "A1 ward" in resident.content() or "A2 clinic" in resident.content()
    resident.get_by_role("link", name="Your calendar feed").click()
    resident.get_by_role("button", name="Make my calendar address").click()
    url = resident.locator("#feed-url").input_value()
    response = resident.request.get(url)
    assert response.status == 200 and b"BEGIN:VEVENT" in response.body()
    context.close()
