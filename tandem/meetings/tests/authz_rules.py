"""Who gets what on every debriefing page and API operation (see tandem/core/tests/authz.py).

The series is organized by tutor_a at A; cast.trainee (home A, host B) is invited; tutor_b is
the trainee's second tutor and not invited. Who sees the series: admin, coord_a (organizing
institution), coord_b (the trainee's host), tutor_a, tutor_b (second tutor), the trainee.
Who runs it: admin, coord_a, tutor_a. Who changes or ends it: the same three (the organizer,
the organizing institution's coordinator, the admin).

Editing, ending and taking someone off a series are pages with a GET (the form or the
confirmation, so the Chinese page check sees them) and a POST behind the same check; the POST
for every actor is in test_series_views.py.
"""

import datetime

from django.utils import timezone

from tandem.core.tests.authz import (
    CREATED,
    NO_CONTENT,
    OK,
    REDIRECT,
    Rule,
    api,
    everyone_else,
    expect,
    page,
)
from tandem.meetings.tests.factories import debriefing

SEE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
HIDDEN = ["resident", "outsider"]
RUN = ["admin", "coord_a", "tutor_a"]
SEE_NOT_RUN = ["coord_b", "tutor_b", "trainee"]
COMMENT = ["tutor_a", "tutor_b"]
CLOSE = [*RUN, "trainee"]
LOG = ["tutor_a", "tutor_b", "trainee"]


def _d(cast):
    return debriefing(cast)


def _today() -> str:
    return timezone.localdate().isoformat()


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _run(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=RUN, forbidden=SEE_NOT_RUN, hidden=HIDDEN, ok_status=ok_status, anonymous=anonymous
    )


def _series_data(cast) -> dict:
    first = timezone.localdate() + datetime.timedelta(days=7)
    return {
        "title": "Imaging debriefing",
        "institution": cast.inst_a.pk,
        "time_zone": "Asia/Shanghai",
        "first_date": first.isoformat(),
        "start_time": "15:00",
        "duration_minutes": 60,
        "interval_weeks": 2,
        "until": (first + datetime.timedelta(days=56)).isoformat(),
        "mode": "online",
        "online_url": "https://meet.example.org/x",
        "trainees": [cast.trainee.pk],
    }


def _report_data(cast) -> dict:
    _d(cast)
    return {
        "experimental_progress": "Stable",
        "dissertation_progress": "Chapter 3",
        "problems": "",
        "next_steps": "Write",
    }


RULES: dict[str, Rule] = {
    "meetings:list": page(expect=expect(ok=everyone_else())),
    "meetings:series_create": page(
        "POST",
        data=_series_data,
        expect=expect(ok=RUN, forbidden=everyone_else(RUN), ok_status=REDIRECT),
    ),
    "meetings:person_search": page(
        query="form=series&field=trainees&trainees_q=a",
        # Whoever may schedule a series somewhere searches (only the people within reach).
        expect=expect(
            ok=["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "outsider"],
            forbidden=["trainee", "resident"],
        ),
    ),
    "meetings:series_detail": page(
        kwargs=lambda cast: {"pk": _d(cast).series.pk}, expect=expect(ok=SEE, hidden=HIDDEN)
    ),
    "meetings:participant_add": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).series.pk},
        data=lambda cast: {"person": cast.resident.pk, "role": "trainee"},
        expect=_run(REDIRECT),
    ),
    "meetings:series_edit": page(kwargs=lambda cast: {"pk": _d(cast).series.pk}, expect=_run(OK)),
    "meetings:series_end": page(kwargs=lambda cast: {"pk": _d(cast).series.pk}, expect=_run(OK)),
    "meetings:participant_remove": page(
        kwargs=lambda cast: {"pk": _d(cast).series.pk, "user_pk": cast.trainee.pk},
        expect=_run(OK),
    ),
    "meetings:meeting_detail": page(
        kwargs=lambda cast: {"pk": _d(cast).past.pk}, expect=expect(ok=SEE, hidden=HIDDEN)
    ),
    "meetings:meeting_cancel": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).upcoming.pk},
        data=lambda cast: {"reason": "Conference week"},
        expect=_run(REDIRECT),
    ),
    "meetings:meeting_notes": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).past.pk},
        data=lambda cast: {"notes": "Good progress."},
        expect=_run(REDIRECT),
    ),
    "meetings:report_submit": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).upcoming.pk},
        data=_report_data,
        expect=expect(
            ok=["trainee"],
            forbidden=everyone_else(["trainee"], HIDDEN),
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    "meetings:attendance": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).past.pk},
        data=lambda cast: {
            f"status_{cast.trainee.pk}": "present",
            f"site_{cast.trainee.pk}": cast.inst_b.pk,
        },
        expect=_run(REDIRECT),
    ),
    "meetings:action_create": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).past.pk},
        data=lambda cast: {
            "title": "Send the draft",
            "owner": cast.trainee.pk,
            "due_date": _today(),
        },
        expect=_run(REDIRECT),
    ),
    "meetings:minutes_pdf": page(
        kwargs=lambda cast: {"pk": _d(cast).past.pk},
        query="lang=en",
        expect=_run(OK),
    ),
    "meetings:report_comment": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).report.pk},
        data=lambda cast: {"body": "Check the loading control."},
        expect=expect(
            ok=COMMENT, forbidden=everyone_else(COMMENT, HIDDEN), hidden=HIDDEN, ok_status=REDIRECT
        ),
    ),
    "meetings:attachment_download": page(
        kwargs=lambda cast: {
            "pk": _d(cast).report.pk,
            "file_pk": _d(cast).report.attachments.get().pk,
        },
        expect=expect(ok=SEE, hidden=HIDDEN),
    ),
    "meetings:action_close": page(
        "POST",
        kwargs=lambda cast: {"pk": _d(cast).action.pk},
        data=lambda cast: {"note": "Done"},
        expect=expect(
            ok=CLOSE, forbidden=["coord_b", "tutor_b"], hidden=HIDDEN, ok_status=REDIRECT
        ),
    ),
    "meetings:contact_list": page(expect=expect(ok=everyone_else())),
    "meetings:contact_create": page(
        "POST",
        data=lambda cast: {
            "cultivation": _d(cast).cultivation.pk,
            "kind": "tutor_trainee",
            "date": _today(),
            "channel": "video",
            "topic": "Thesis outline",
        },
        expect=expect(ok=LOG, forbidden=everyone_else(LOG), ok_status=REDIRECT),
    ),
    # API
    "meetings_series_list": api(
        "GET", lambda cast: "/api/v1/meetings/series", expect(ok=everyone_else(), anonymous=401)
    ),
    "meetings_series_create": api(
        "POST",
        lambda cast: "/api/v1/meetings/series",
        expect(ok=RUN, forbidden=everyone_else(RUN, ["outsider"]), ok_status=CREATED, anonymous=401)
        | {"outsider": 400},
        data=lambda cast: {
            **{k: v for k, v in _series_data(cast).items() if k not in ("institution", "trainees")},
            "institution_id": cast.inst_a.pk,
            "trainee_ids": [cast.trainee.pk],
        },
        note="the outsider cannot see the trainee: 'Not found.' on it, as for no one (issue 18)",
    ),
    "meetings_series_get": api(
        "GET",
        lambda cast: f"/api/v1/meetings/series/{_d(cast).series.pk}",
        expect(ok=SEE, hidden=HIDDEN, anonymous=401),
    ),
    "meetings_series_update": api(
        "PATCH",
        lambda cast: f"/api/v1/meetings/series/{_d(cast).series.pk}",
        _run(OK, anonymous=401),
        data=lambda cast: {"location": "Room 9"},
    ),
    "meetings_series_end": api(
        "POST",
        lambda cast: f"/api/v1/meetings/series/{_d(cast).series.pk}/end",
        _run(OK, anonymous=401),
        data=lambda cast: {"after": _tomorrow(), "reason": "The trainees graduate"},
    ),
    "meetings_participant_remove": api(
        "DELETE",
        lambda cast: f"/api/v1/meetings/series/{_d(cast).series.pk}/participants/{cast.trainee.pk}",
        _run(NO_CONTENT, anonymous=401),
    ),
    "meetings_meeting_list": api(
        "GET",
        lambda cast: f"/api/v1/meetings/series/{_d(cast).series.pk}/meetings",
        expect(ok=SEE, hidden=HIDDEN, anonymous=401),
    ),
    "meetings_meeting_get": api(
        "GET",
        lambda cast: f"/api/v1/meetings/meetings/{_d(cast).past.pk}",
        expect(ok=SEE, hidden=HIDDEN, anonymous=401),
    ),
    "meetings_report_list": api(
        "GET",
        lambda cast: f"/api/v1/meetings/meetings/{_d(cast).past.pk}/reports",
        expect(ok=SEE, hidden=HIDDEN, anonymous=401),
    ),
    "meetings_report_submit": api(
        "PUT",
        lambda cast: f"/api/v1/meetings/meetings/{_d(cast).upcoming.pk}/report",
        expect(
            ok=["trainee"],
            forbidden=everyone_else(["trainee"], HIDDEN),
            hidden=HIDDEN,
            anonymous=401,
        ),
        data=_report_data,
    ),
    "meetings_comment_save": api(
        "PUT",
        lambda cast: f"/api/v1/meetings/reports/{_d(cast).report.pk}/comment",
        expect(ok=COMMENT, forbidden=everyone_else(COMMENT, HIDDEN), hidden=HIDDEN, anonymous=401),
        data=lambda cast: {"body": "Good."},
    ),
    "meetings_attendance_record": api(
        "PUT",
        lambda cast: f"/api/v1/meetings/meetings/{_d(cast).past.pk}/attendance",
        _run(OK, anonymous=401),
        data=lambda cast: {"entries": [{"person_id": cast.trainee.pk, "status": "absent"}]},
    ),
    "meetings_action_create": api(
        "POST",
        lambda cast: f"/api/v1/meetings/meetings/{_d(cast).past.pk}/actions",
        _run(CREATED, anonymous=401),
        data=lambda cast: {
            "title": "Send the draft",
            "owner_id": cast.trainee.pk,
            "due_date": _today(),
        },
    ),
    "meetings_action_close": api(
        "POST",
        lambda cast: f"/api/v1/meetings/actions/{_d(cast).action.pk}/close",
        expect(ok=CLOSE, forbidden=["coord_b", "tutor_b"], hidden=HIDDEN, anonymous=401),
        data=lambda cast: {"note": "Done"},
    ),
    "meetings_contact_list": api(
        "GET", lambda cast: "/api/v1/meetings/contacts", expect(ok=everyone_else(), anonymous=401)
    ),
    "meetings_contact_create": api(
        "POST",
        lambda cast: "/api/v1/meetings/contacts",
        expect(
            ok=LOG,
            forbidden=["admin", "coord_a", "coord_b"],
            hidden=HIDDEN,
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {
            "cultivation_id": _d(cast).cultivation.pk,
            "kind": "tutor_trainee",
            "date": _today(),
            "channel": "phone",
            "topic": "Outline",
        },
    ),
}
