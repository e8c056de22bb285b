"""Pages that edit, end and take people off a series."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.core.tests.cast import ACTORS
from tandem.meetings.models import Meeting, MeetingSeries, MeetingStatus, SeriesParticipant
from tandem.meetings.tests.authz_rules import HIDDEN, RUN, SEE_NOT_RUN
from tandem.meetings.tests.factories import debriefing


def _days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def _edit_data(**overrides) -> dict:
    data = {
        "title": "Oncology debriefing",
        "time_zone": "Asia/Shanghai",
        "start_time": "16:00",
        "duration_minutes": 90,
        "until": _days(59),
        "mode": "onsite",
        "location": "Building 5",
        "online_url": "",
        "description": "",
        "reason": "",
    }
    data.update(overrides)
    return data


def _post_cases():
    posts = {
        "meetings:series_edit": lambda cast, d: ({"pk": d.series.pk}, _edit_data()),
        "meetings:series_end": lambda cast, d: (
            {"pk": d.series.pk},
            {"after": _days(1), "reason": "Graduation"},
        ),
        "meetings:participant_remove": lambda cast, d: (
            {"pk": d.series.pk, "user_pk": cast.trainee.pk},
            {},
        ),
    }
    expected = {
        "anonymous": 302,
        **dict.fromkeys(RUN, 302),
        **dict.fromkeys(SEE_NOT_RUN, 403),
        **dict.fromkeys(HIDDEN, 404),
    }
    return [
        (name, build, actor, expected[actor]) for name, build in posts.items() for actor in ACTORS
    ]


@pytest.mark.parametrize(
    ("name", "build", "actor", "status"),
    _post_cases(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_posting_is_for_those_who_run_the_series(cast, client_for, name, build, actor, status):
    d = debriefing(cast)
    kwargs, data = build(cast, d)
    response = client_for(actor).post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == status
    changed = (
        MeetingSeries.objects.filter(pk=d.series.pk, ended_at__isnull=False).exists()
        or Meeting.objects.filter(series=d.series, location="Building 5").exists()
        or SeriesParticipant.objects.filter(removed_at__isnull=False).exists()
    )
    assert changed is (status == 302 and actor != "anonymous")


def test_outsider_gets_404_and_wrong_role_gets_403(cast, client_for):
    d = debriefing(cast)
    url = reverse("meetings:series_edit", args=[d.series.pk])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("trainee").get(url).status_code == 403
    assert client_for("tutor_b").post(url, _edit_data()).status_code == 403


def test_the_series_page_offers_edit_end_and_remove_to_those_who_may(cast, client_for):
    d = debriefing(cast)
    edit = reverse("meetings:series_edit", args=[d.series.pk])
    remove = reverse("meetings:participant_remove", args=[d.series.pk, cast.trainee.pk])
    page = client_for("tutor_a").get(reverse("meetings:series_detail", args=[d.series.pk]))
    assert edit in page.content.decode() and remove in page.content.decode()
    page = client_for("trainee").get(reverse("meetings:series_detail", args=[d.series.pk]))
    assert edit not in page.content.decode() and remove not in page.content.decode()


def test_editing_moves_the_meetings_ahead(cast, client_for):
    d = debriefing(cast)
    response = client_for("coord_a").post(
        reverse("meetings:series_edit", args=[d.series.pk]), _edit_data(title="Renamed")
    )
    assert response.status_code == 302
    assert Meeting.objects.get(pk=d.upcoming.pk).location == "Building 5"
    assert Meeting.objects.get(pk=d.past.pk).location == "Building 3, room 301"
    page = client_for("trainee").get(reverse("meetings:meeting_detail", args=[d.past.pk]))
    assert "Oncology debriefing" in page.content.decode()


def test_the_edit_form_keeps_the_end_date_in_chinese(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_a")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("meetings:series_edit", args=[d.series.pk])).content.decode()
    assert f'value="{d.series.until.isoformat()}"' in page
    assert "修改只适用于今后已安排的会议" in page


def test_a_bad_edit_is_400_naming_the_field_and_saves_nothing(cast, client_for):
    d = debriefing(cast)
    response = client_for("tutor_a").post(
        reverse("meetings:series_edit", args=[d.series.pk]),
        _edit_data(mode="online", online_url="", title="Changed"),
    )
    assert response.status_code == 400
    assert "Give the link of the online meeting." in response.content.decode()
    assert MeetingSeries.objects.get(pk=d.series.pk).title == "Oncology debriefing"


def test_ending_without_a_reason_is_400_and_ends_nothing(cast, client_for):
    d = debriefing(cast)
    url = reverse("meetings:series_end", args=[d.series.pk])
    assert client_for("tutor_a").get(url).status_code == 200
    response = client_for("tutor_a").post(url, {"after": _days(-3), "reason": "Graduation"})
    assert response.status_code == 400
    assert "choose today or a later date" in response.content.decode()
    assert not MeetingSeries.objects.filter(ended_at__isnull=False).exists()


def test_an_ended_series_shows_its_cancelled_meetings_and_no_more_edit(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_a")
    client.post(
        reverse("meetings:series_end", args=[d.series.pk]),
        {"after": _days(5), "reason": "Graduation"},
    )
    page = client.get(reverse("meetings:series_detail", args=[d.series.pk])).content.decode()
    assert "Ended" in page and "Graduation" in page
    assert reverse("meetings:series_edit", args=[d.series.pk]) not in page
    cancelled = Meeting.objects.filter(series=d.series, status=MeetingStatus.CANCELLED)
    assert cancelled.count() == 4
    meeting_page = client.get(reverse("meetings:meeting_detail", args=[cancelled[0].pk]))
    assert "Cancelled: Graduation" in meeting_page.content.decode()
    response = client.post(reverse("meetings:series_edit", args=[d.series.pk]), _edit_data())
    assert response.status_code == 400


def test_removing_asks_for_confirmation_then_removes(cast, client_for):
    d = debriefing(cast)
    client = client_for("tutor_a")
    url = reverse("meetings:participant_remove", args=[d.series.pk, cast.trainee.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "will no longer be invited" in confirm.content.decode()
    assert not SeriesParticipant.objects.filter(removed_at__isnull=False).exists()
    assert client.post(url).status_code == 302
    page = client.get(reverse("meetings:series_detail", args=[d.series.pk])).content.decode()
    assert "No longer invited" in page
    # Already off the series, and the organizer: nobody to remove there.
    assert client.get(url).status_code == 404
    organizer = reverse("meetings:participant_remove", args=[d.series.pk, cast.tutor_a.pk])
    assert client.post(organizer).status_code == 404
    # The removed trainee still sees the series and their past meeting, but reports no more.
    trainee = client_for("trainee")
    assert trainee.get(reverse("meetings:meeting_detail", args=[d.past.pk])).status_code == 200
    assert trainee.get(reverse("meetings:report_submit", args=[d.upcoming.pk])).status_code == 403
