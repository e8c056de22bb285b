"""In a real Chromium (issue 12, Quality): the training office records a failing component of a
rotation-end assessment on its page, decides it (failed: a remediation opens), plans a repeat
rotation in a block that has not started, pinned in an open proposal of the cohort, and solves
the cohort's schedule again on the residency pages: the new proposal has the resident in that
department in that block, on the page and in the database. Published (after the partner's
approval on its own account when needed), the schedule in force keeps the repeat rotation and
the repeat stint has an assessment of its own.

Set-up through factories and services (the world, the published schedule, the components that
pass); every step the issue names goes through the pages. Real clock: the calendar starts four
weeks before this week (`current_start`), so the resident is in the second of their two A1
blocks and blocks 3 and 4 are still to come."""

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.assessments import services
from tandem.assessments.models import (
    Assessment,
    AssessmentStatus,
    Remediation,
    RemediationKind,
    RemediationStatus,
)
from tandem.assessments.tests.factories import a1_assessment, build_assessworld
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.residency.models import Block, ProposalStatus, PublishedSchedule, ScheduleProposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPEAT_BLOCK = 3  # the fourth block: A1 is in blocks 1–2 and at most two in a row are allowed


def _pass_the_others(aw, assessment):
    """Every component but the attendance passes (set-up, not the steps under test)."""
    cast = aw.world.cast
    services.component_record(actor=cast.tutor_a, assessment=assessment, kind="theory", score=75)
    services.component_record(
        actor=cast.tutor_a,
        assessment=assessment,
        kind="skills",
        stations=[
            {"name": "Chest examination", "score": 8, "max": 10},
            {"name": "ECG reading", "score": 15, "max": 20},
        ],
    )
    services.summary_submit(
        actor=cast.resident,
        assessment=assessment,
        text="Eight weeks on the ward: admissions, rounds and night duty.",
    )
    services.signoff_record(actor=cast.coord_a, assessment=assessment, approve=True)


def test_a_failed_component_leads_to_a_pinned_repeat_block_in_the_re_solved_schedule(
    browser_page, chromium, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cast = build_cast()
    aw = build_assessworld(cast)
    world = aw.world
    assessment = a1_assessment(aw)
    _pass_the_others(aw, assessment)
    a1 = f"D{world.a1.pk}"

    page = browser_page
    sign_in(page, "coord_a", PASSWORD)

    # The office generates a fresh proposal of the cohort on the cohort page.
    page.goto(f"/residency/cohorts/{world.cohort.pk}/")
    page.get_by_label("Time limit (seconds)").fill("3")
    page.get_by_role("button", name="Generate").click()
    page.wait_for_url("**/residency/proposals/*/")
    page.get_by_text("Proposed").first.wait_for()
    open_proposal = ScheduleProposal.objects.latest("pk")
    assert open_proposal.status == ProposalStatus.DONE

    # A failing attendance score on the assessment page, then the decision.
    page.goto(f"/assessments/{assessment.pk}/")
    page.locator("#id_score_attendance").fill("50")
    page.locator("form:has(#id_score_attendance)").get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").first.wait_for()
    attendance = assessment.components.get(kind="attendance")
    assert (attendance.score, attendance.passed) == (50, False)
    page.get_by_role("button", name="Decide the assessment").click()
    assert page.locator("#assessment-status").inner_text().strip() == "Failed"
    assert page.get_by_role("heading", name="Remediation").is_visible()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FAILED
    assert assessment.remediation.status == RemediationStatus.OPEN

    # A repeat rotation, pinned in the open proposal in the fourth block.
    block_values = page.locator("#id_block option").evaluate_all("os => os.map(o => o.value)")
    assert str(REPEAT_BLOCK) in block_values and "0" not in block_values  # started ones are not
    page.get_by_label("Repeat rotation in this department").check()
    page.locator("#id_proposal").select_option(str(open_proposal.pk))
    page.locator("#id_block").select_option(str(REPEAT_BLOCK))
    page.get_by_label("Note", exact=True).fill("Attendance far below the pass mark.")
    page.get_by_role("button", name="Plan the remediation").click()
    page.get_by_text(f"block {REPEAT_BLOCK + 1} pinned for the next solve").wait_for()
    remediation = Remediation.objects.get(assessment=assessment)
    assert (remediation.kind, remediation.status, remediation.block) == (
        RemediationKind.REPEAT,
        RemediationStatus.PLANNED,
        REPEAT_BLOCK,
    )
    open_proposal.refresh_from_db()
    assert open_proposal.pins == {world.member.key: {str(REPEAT_BLOCK): a1}}

    # The cohort's schedule solved again from the proposal's page.
    page.goto(f"/residency/proposals/{open_proposal.pk}/")
    page.get_by_role("button", name="Solve again").click()
    page.get_by_text("Compared with proposal").wait_for()
    page.get_by_text("Proposed").first.wait_for()
    solved = ScheduleProposal.objects.latest("pk")
    assert solved.previous_id == open_proposal.pk and solved.status == ProposalStatus.DONE
    assert solved.pins == open_proposal.pins
    assert solved.solution["assignments"][world.member.key][REPEAT_BLOCK] == a1

    row = page.locator("table.rotation-grid tbody tr").filter(
        has=page.locator("th", has_text=cast.resident.full_name)
    )
    cell = row.locator("td").nth(REPEAT_BLOCK)
    assert cell.get_attribute("title") == "A1 ward"
    assert "📌" in cell.inner_text()

    # Published (the partner approves on its own account first, when a resident goes there):
    # the schedule in force has the repeat rotation, and the repeat stint its own assessment.
    if solved.partner_approvals.exists():
        context = chromium.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(15_000)
        partner = context.new_page()
        sign_in(partner, "coord_b", PASSWORD)
        partner.goto(f"/residency/proposals/{solved.pk}/")
        partner.get_by_role("button", name="Approve the residents coming to us").click()
        partner.get_by_text("approved").first.wait_for()
        context.close()
        page.reload()
    page.get_by_role("button", name="Confirm these changes and publish").click()
    page.wait_for_url(f"**/residency/cohorts/{world.cohort.pk}/schedule/")
    schedule = PublishedSchedule.objects.get(cohort=world.cohort)
    assert schedule.proposal_id == solved.pk
    assert schedule.solution["assignments"][world.member.key][REPEAT_BLOCK] == a1
    block = Block.objects.get(calendar=world.calendar, index=REPEAT_BLOCK)
    repeat = Assessment.objects.get(
        member=world.member, department=world.a1, start=block.start_date
    )
    assert repeat.status == AssessmentStatus.OPEN and repeat.pk != assessment.pk
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FAILED
