"""In a real Chromium: a trainee submits a report, a tutor comments and adds an action item,
and the next meeting carries the action item forward."""

import datetime

import pytest
from django.utils import timezone

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.meetings.models import ProgressReport, ReportComment
from tandem.meetings.tests.factories import debriefing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_comment_action_and_carry_forward(browser_page, chromium, live_server):
    cast = build_cast()
    d = debriefing(cast)
    meeting = d.upcoming
    following = d.series.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at")[0]

    page = browser_page
    sign_in(page, "trainee", PASSWORD)
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Submit my report").click()
    page.get_by_label("Experimental progress").fill("Knock-down confirmed by qPCR.")
    page.get_by_label("Dissertation progress").fill("Methods chapter finished.")
    page.get_by_label("Current problems").fill("Cell line contamination suspected.")
    page.get_by_label("Next steps").fill("Mycoplasma test.")
    page.get_by_role("button", name="Submit the report").click()
    assert "Your progress report is submitted." in page.content()
    report = ProgressReport.objects.get(meeting=meeting, trainee=cast.trainee)

    context = chromium.new_context(base_url=live_server.url, locale="en-US")
    tutor = context.new_page()
    sign_in(tutor, "tutor_b", PASSWORD)  # the second tutor, not invited to the series
    tutor.goto(f"/meetings/{meeting.pk}/")
    assert "Knock-down confirmed by qPCR." in tutor.content()
    tutor.locator(f"#comment-{report.pk}").fill("Please run the mycoplasma test first.")
    tutor.get_by_role("button", name="Save the comment").click()
    assert "Your comment is saved." in tutor.content()
    context.close()
    assert ReportComment.objects.get(report=report).tutor == cast.tutor_b

    context = chromium.new_context(base_url=live_server.url, locale="en-US")
    organizer = context.new_page()
    sign_in(organizer, "tutor_a", PASSWORD)
    organizer.goto(f"/meetings/{meeting.pk}/")
    organizer.locator("#id_title").fill("Send the mycoplasma result")
    organizer.locator("#id_owner").select_option(str(cast.trainee.pk))
    due = timezone.localdate() + datetime.timedelta(days=30)
    organizer.locator("#id_due_date").fill(due.isoformat())
    organizer.get_by_role("button", name="Add the action item").click()
    assert "The action item is added." in organizer.content()
    organizer.goto(f"/meetings/{following.pk}/")
    carried = organizer.locator(
        "section", has=organizer.get_by_role("heading", name="Open action items carried forward")
    )
    assert "Send the mycoplasma result" in carried.inner_text()
    context.close()

    page.goto(f"/meetings/{following.pk}/")
    assert "Send the mycoplasma result" in page.content()


def test_series_trainees_are_found_by_typing_a_name(browser_page, live_server):
    from tandem.meetings.models import MeetingSeries

    cast = build_cast()
    page = browser_page
    sign_in(page, "tutor_a", PASSWORD)
    page.goto("/meetings/series/new/")
    first = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Title").fill("Journal club")
    page.locator("#id_institution").select_option(str(cast.inst_a.pk))
    page.locator("#id_first_date").fill(first.isoformat())
    page.locator("#id_start_time").fill("16:00")
    page.locator("#id_until").fill((first + datetime.timedelta(days=28)).isoformat())
    page.locator("#id_location").fill("Seminar room 3")
    page.locator("#id_trainees").fill(cast.trainee.full_name[:4])
    found = page.locator(f'#results-trainees input[value="{cast.trainee.pk}"]')
    found.wait_for()
    found.check()
    page.get_by_role("button", name="Schedule", exact=True).last.click()
    page.wait_for_url("**/meetings/series/*/")
    series = MeetingSeries.objects.get(title="Journal club")
    assert list(series.participants.values_list("user_id", flat=True)) == [cast.trainee.pk]
