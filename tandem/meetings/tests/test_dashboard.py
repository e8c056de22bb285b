from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tandem.cultivation.tests.factories import joint_trainee
from tandem.meetings import services
from tandem.meetings.selectors import meetings_dashboard
from tandem.meetings.tests.factories import debriefing, report_for


def test_trainee_sees_the_next_meeting_and_the_pending_report(cast, rf):
    d = debriefing(cast)
    data = meetings_dashboard(cast.trainee)
    assert data["next_meeting"] == d.upcoming and data["pending_report"] is True
    assert data["open_actions"] == 1
    request = rf.get("/")
    request.user = cast.trainee
    html = render_to_string("meetings/_dashboard.html", {"meetings": data}, request=request)
    assert "Submit my report" in html


def test_second_tutor_sees_reports_to_comment(cast):
    d = debriefing(cast)
    assert [r.pk for r in meetings_dashboard(cast.tutor_b)["to_comment"]] == [d.report.pk]


def test_dashboard_query_count_does_not_grow(cast):
    d = debriefing(cast)

    def add(count, offset):
        for index in range(count):
            trainee = joint_trainee(cast, f"d{offset + index}")
            services.participant_add(
                actor=cast.tutor_a, series=d.series, person=trainee, role="trainee"
            )
            report_for(d.past, trainee)

    add(2, 0)
    with CaptureQueriesContext(connection) as small:
        meetings_dashboard(cast.tutor_a)
    add(10, 2)
    with CaptureQueriesContext(connection) as large:
        meetings_dashboard(cast.tutor_a)
    assert len(small) == len(large)
