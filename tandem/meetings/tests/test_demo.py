"""The demo builds a biweekly series with reports, comments, action items (one carried
forward), a mentoring log, and an evaluation that raises warnings."""

import datetime

from tandem.alerts import demo as alerts_demo
from tandem.alerts.models import EarlyWarning, Rule
from tandem.meetings import demo as meetings_demo
from tandem.meetings.models import (
    ActionItem,
    MeetingSeries,
    MentoringContact,
    ProgressReport,
    ReportComment,
)
from tandem.meetings.selectors import agenda_actions
from tandem.portal import demo as portal_demo


def _load(django_user_model):
    portal_demo.load_demo()
    try:
        from tandem.cultivation import demo as cultivation_demo

        cultivation_demo.load_demo()
    except ImportError:  # pragma: no cover — the cultivation demo is built alongside
        pass
    from tandem.cultivation.models import JointCultivation

    assert JointCultivation.objects.filter(
        trainee__username="trainee.zhang", status="active"
    ).exists()
    meetings_demo.load_demo()
    alerts_demo.load_demo()


def test_demo_builds_debriefings_and_raises_warnings(db, django_user_model):
    _load(django_user_model)
    series = MeetingSeries.objects.get()
    assert series.interval_weeks == 2
    assert ProgressReport.objects.count() == 3
    # Handed in the day before each meeting, through the service (no write past it).
    for report in ProgressReport.objects.select_related("meeting"):
        assert report.submitted_at == report.meeting.starts_at - datetime.timedelta(days=1)
    assert ReportComment.objects.values("tutor").distinct().count() == 2
    held = list(series.meetings.filter(status="held").order_by("starts_at"))
    assert len(held) >= 3
    carried = list(agenda_actions(held[-1]))
    assert any(a.title == "Draft the methods chapter" for a in carried)
    assert ActionItem.objects.filter(status="closed").count() == 1
    assert MentoringContact.objects.filter(kind="tutor_tutor").exists()
    rules = set(EarlyWarning.objects.values_list("rule", flat=True))
    assert {Rule.ACTION_OVERDUE, Rule.TUTORS_SILENT} <= rules
    # Idempotent: running the demo again adds nothing.
    meetings_demo.load_demo()
    alerts_demo.load_demo()
    assert MeetingSeries.objects.count() == 1
    assert series.first_date <= datetime.date.today()
