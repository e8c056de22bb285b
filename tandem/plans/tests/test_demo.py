import datetime

import pytest

from tandem.cultivation import demo as cultivation_demo
from tandem.plans import demo, selectors
from tandem.plans.models import ConfidentialNote, MilestoneStatus, TrainingPlan
from tandem.portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_demo_plans_have_versions_a_confidential_note_and_an_overdue_milestone():
    portal_demo.load_demo()
    cultivation_demo.load_demo()
    demo.load_demo()
    zhang = TrainingPlan.objects.get(cultivation__trainee__username="trainee.zhang")
    assert zhang.current_version.number == 2
    assert [v.status for v in zhang.versions.order_by("number")] == ["signed", "signed"]
    note = ConfidentialNote.objects.get(version__plan=zhang)
    assert "pneumonia" in note.text and note.version.change_reason == ""
    statuses = set(zhang.milestones.values_list("status", flat=True))
    assert {MilestoneStatus.PASSED, MilestoneStatus.SUBMITTED, MilestoneStatus.PLANNED} <= statuses
    overdue = selectors.overdue_milestones_visible_to(
        zhang.cultivation.trainee, on=datetime.date(2026, 11, 22)
    )
    assert [m.kind for m in overdue] == ["thesis_submission"]
    song = TrainingPlan.objects.get(cultivation__trainee__username="trainee.song")
    assert set(song.milestones.values_list("status", flat=True)) == {"passed"}
    demo.load_demo()  # a second run changes nothing
    assert TrainingPlan.objects.count() == 2


def test_demo_skips_cultivations_that_do_not_exist_yet():
    portal_demo.load_demo()
    demo.load_demo()
    assert not TrainingPlan.objects.exists()
