"""Who gets what on every teaching page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): a teaching round in A1 now, by tutor_a, for the cast's
resident and resident2 (rotating there today). It is seen by its teacher, its audience, A's
training office (coord_a, who manages A's base) and the consortium admin; not by B (coord_b,
tutor_b), the trainee or the outsider. The teacher and the base's managers show the code and
correct attendance; the resident signs in. The base page is for the base's managers only.
"""

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.teaching.tests.factories import teachworld_once

READERS = ["resident", "coord_a", "admin", "tutor_a"]
RUNNERS = ["tutor_a", "coord_a", "admin"]
MANAGERS = ["coord_a", "admin"]
SCHEDULERS = ["coord_a", "coord_b", "admin", "tutor_a", "tutor_b"]


def _activity(cast):
    return {"pk": teachworld_once(cast).now.pk}


def _base(cast):
    return {"pk": teachworld_once(cast).world.base_a.pk}


def _world(cast):
    return (teachworld_once(cast), {})[1]


def _runners(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=RUNNERS,
        forbidden=["resident"],
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _managers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS, hidden=everyone_else(MANAGERS), ok_status=ok_status, anonymous=anonymous
    )


def _schedule_body(cast):
    from django.utils import timezone

    tw = teachworld_once(cast)
    return {
        "department_id": tw.world.a1.pk,
        "kind_id": tw.lecture.pk,
        "teacher_id": cast.tutor_a.pk,
        "topic": "Heart failure",
        "place": "A1 seminar room",
        "date": timezone.localdate().isoformat(),
        "start_time": "16:00",
        "duration_minutes": 45,
    }


RULES: dict[str, Rule] = {
    "teaching:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "teaching:activity_new": page(
        kwargs=_world, expect=expect(ok=SCHEDULERS, forbidden=everyone_else(SCHEDULERS))
    ),
    "teaching:activity_detail": page(
        kwargs=_activity, expect=expect(ok=READERS, hidden=everyone_else(READERS))
    ),
    "teaching:activity_edit": page(kwargs=_activity, expect=_runners(OK)),
    "teaching:activity_cancel": page(
        "POST",
        kwargs=_activity,
        data=lambda c: {"reason": "Ward closed"},
        expect=_runners(REDIRECT),
    ),
    "teaching:activity_code": page(kwargs=_activity, expect=_runners(OK)),
    "teaching:sign_in": page(
        kwargs=_activity, expect=expect(ok=READERS, hidden=everyone_else(READERS))
    ),
    "teaching:attendance_correct": page(
        "POST",
        kwargs=_activity,
        data=lambda c: {"resident": c.resident.pk, "status": "excused", "reason": "On call"},
        expect=_runners(REDIRECT),
    ),
    "teaching:base_detail": page(kwargs=_base, expect=_managers()),
    "teaching:kind_add": page(
        "POST",
        kwargs=_base,
        data=lambda c: {"code": "mdt", "name": "Multidisciplinary meeting"},
        expect=_managers(REDIRECT),
    ),
    "teaching:attendance_xlsx": page(kwargs=_base, expect=_managers()),
    # --- API ---
    "teaching_activity_list": api(
        "GET",
        lambda cast: (teachworld_once(cast), "/api/v1/teaching/activities")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "teaching_activity_schedule": api(
        "POST",
        lambda cast: (teachworld_once(cast), "/api/v1/teaching/activities")[1],
        {
            # B's office and teacher schedule at B: A's department is a wrong choice for them.
            **expect(
                ok=["coord_a", "admin", "tutor_a"],
                forbidden=everyone_else(["coord_a", "admin", "tutor_a", "coord_b", "tutor_b"]),
                ok_status=CREATED,
                anonymous=401,
            ),
            "coord_b": 400,
            "tutor_b": 400,
        },
        data=_schedule_body,
    ),
    "teaching_activity_get": api(
        "GET",
        lambda cast: f"/api/v1/teaching/activities/{teachworld_once(cast).now.pk}",
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "teaching_activity_code": api(
        "GET",
        lambda cast: f"/api/v1/teaching/activities/{teachworld_once(cast).now.pk}/code",
        _runners(OK, 401),
    ),
    "teaching_attendance_list": api(
        "GET",
        lambda cast: f"/api/v1/teaching/activities/{teachworld_once(cast).now.pk}/attendance",
        expect(ok=RUNNERS, forbidden=["resident"], hidden=everyone_else(READERS), anonymous=401),
    ),
    "teaching_sign_in": api(
        "POST",
        lambda cast: f"/api/v1/teaching/activities/{teachworld_once(cast).now.pk}/sign-in",
        expect(ok=["resident"], forbidden=RUNNERS, hidden=everyone_else(READERS), anonymous=401),
        data=lambda cast: {"code": _current_code(cast)},
    ),
    "teaching_attendance_correct": api(
        "POST",
        lambda cast: f"/api/v1/teaching/activities/{teachworld_once(cast).now.pk}/attendance",
        _runners(OK, 401),
        data=lambda cast: {
            "resident_id": cast.resident.pk,
            "status": "excused",
            "reason": "On call",
        },
    ),
    "teaching_base_stats": api(
        "GET",
        lambda cast: f"/api/v1/teaching/bases/{teachworld_once(cast).world.base_a.pk}/stats",
        _managers(OK, 401),
    ),
}


def _current_code(cast) -> str:
    from django.utils import timezone

    from tandem.teaching.codes import current_code

    return current_code(teachworld_once(cast).now.secret, timezone.now())
