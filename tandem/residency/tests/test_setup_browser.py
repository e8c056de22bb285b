"""In a real Chromium: a training office sets up a new year from the pages alone — a program
and its requirement, a cohort, residents found by typing in the search, one resident's leave."""

import os

import pytest

from tandem.accounts.tests.factories import PASSWORD
from tandem.core.tests.browser import sign_in
from tandem.core.tests.cast import build_cast
from tandem.residency.models import CohortMember, Program
from tandem.residency.tests.factories import build_world, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("TANDEM_SCREENSHOTS")  # a folder, to look at the pages


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_training_office_sets_up_a_year_from_the_pages(browser_page, live_server):
    cast = build_cast()
    build_world(cast)
    make_resident(cast, "zhang.wei")
    make_resident(cast, "li.na")
    page = browser_page
    sign_in(page, "coord_a", PASSWORD)

    page.goto("/residency/")
    page.get_by_role("link", name="New program").first.click()
    page.get_by_label("Hospital").select_option(label=cast.inst_a.name)
    page.get_by_label("Code").fill("im2")
    page.get_by_label("Name").fill("IM PGY2")
    page.get_by_label("Specialty").select_option("internal_medicine")
    page.get_by_label("Training year (PGY)").fill("2")
    page.get_by_role("button", name="Create the program").click()
    page.get_by_text("The program is created").wait_for()
    page.get_by_label("Departments").select_option(label="A1 ward")
    page.get_by_label("Blocks at least").fill("2")
    page.get_by_role("button", name="Add the requirement").click()
    page.get_by_text("The requirement is added.").wait_for()
    _shot(page, "program")
    program = Program.objects.get(code="im2")
    assert program.requirements.count() == 1

    page.goto("/residency/")
    page.get_by_role("link", name="New cohort").first.click()
    page.get_by_label("Hospital").select_option(label=cast.inst_a.name)
    page.get_by_label("Block calendar").select_option(label="2026/27")
    page.get_by_label("Name").fill("A residents PGY2")
    page.get_by_role("button", name="Create the cohort").click()
    page.get_by_text("add its residents").wait_for()

    page.get_by_label("Search residents").fill("zhang")
    page.get_by_label("Li Na").wait_for(state="detached")  # HTMX narrowed the list
    page.get_by_label("Zhang Wei").check()
    page.get_by_label("Program").select_option(label="IM PGY2")
    _shot(page, "member_add")
    page.get_by_role("button", name="Add the chosen residents").click()
    page.get_by_text("1 resident is added to the cohort.").wait_for()
    member = CohortMember.objects.get(resident__username="zhang.wei")
    assert member.program == program

    page.get_by_role("link", name="Edit Zhang Wei").click()
    page.get_by_label("Block 2:").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The resident's plan is saved.").wait_for()
    _shot(page, "member_edit")
    member.refresh_from_db()
    assert member.leave_blocks == [1]
