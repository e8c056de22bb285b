"""Who gets what on every teachers' page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): tutor_a's profile at A's base with a submitted plan for this
year. A profile is seen by its teacher, A's training office (coord_a, who manages A's base)
and the consortium admin; not by B, the residents, the trainee or the outsider. The base's
pages are its managers'. The teacher writes their plan; the base's managers review it, keep
the profiles and assign responsible teachers.
"""

from django.utils import timezone

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.faculty import services
from tandem.faculty.tests.factories import facworld_once, make_teacher

READERS = ["tutor_a", "coord_a", "admin"]
MANAGERS = ["coord_a", "admin"]


def _world(cast):
    return (facworld_once(cast), {})[1]


def _base(cast):
    return {"pk": facworld_once(cast).world.base_a.pk}


def _profile(cast):
    return {"pk": facworld_once(cast).profile_a.pk}


def _certified(cast):
    """The profile with a scan of its certificate kept (written to the media folder)."""
    from django.core.files.base import ContentFile

    profile = facworld_once(cast).profile_a
    if not profile.certificate_file:
        profile.certificate_file.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"))
    return {"pk": profile.pk}


def _plan(cast):
    return {"pk": facworld_once(cast).plan.pk}


def _goal(cast):
    return {"pk": facworld_once(cast).plan.goals.get().pk}


def _draft(cast):
    fw = facworld_once(cast)
    plan = services.plan_start(
        actor=cast.tutor_a, profile=fw.profile_a, year=timezone.localdate().year + 1
    )
    services.goal_add(actor=cast.tutor_a, plan=plan, text="Lead a journal club")
    return {"pk": plan.pk}


def _assignment(cast):
    fw = facworld_once(cast)
    found = services.responsible_assign(
        actor=cast.coord_a, member=fw.world.member, department=fw.world.a1, teacher=cast.tutor_a
    )
    return {"pk": found.pk}


def _managers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS, hidden=everyone_else(MANAGERS), ok_status=ok_status, anonymous=anonymous
    )


def _readers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=READERS, hidden=everyone_else(READERS), ok_status=ok_status, anonymous=anonymous
    )


def _teacher_writes(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=["tutor_a"],
        forbidden=MANAGERS,
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _managers_review(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        forbidden=["tutor_a"],
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _profile_body(cast):
    fw = facworld_once(cast)
    teacher = make_teacher(cast, f"new_t{fw.world.base_a.pk}_{timezone.now().microsecond}")
    return {"teacher": teacher.pk, "title": "attending", "tier": "general", "is_active": "on"}


def _training_body(cast):
    return {
        "course": "Hospital teacher training",
        "hours": "8",
        "level": "hospital",
        "date": timezone.localdate().isoformat(),
    }


def _assign_body(cast):
    fw = facworld_once(cast)
    return {"member": fw.world.member.pk, "department": fw.world.a1.pk, "teacher": cast.tutor_a.pk}


def _api_path(template):
    return lambda cast: template.format(fw=facworld_once(cast))


RULES: dict[str, Rule] = {
    "faculty:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "faculty:base_detail": page(kwargs=_base, expect=_managers()),
    "faculty:workload_xlsx": page(kwargs=_base, expect=_managers()),
    "faculty:policy_set": page(
        "POST",
        kwargs=_base,
        data=lambda c: {
            "min_attending_years": 3,
            "certificate_required": "on",
            "max_residents_general": 3,
            "max_residents_key": 4,
        },
        expect=_managers(REDIRECT),
    ),
    "faculty:profile_add": page(
        "POST", kwargs=_base, data=_profile_body, expect=_managers(REDIRECT)
    ),
    "faculty:assignments": page(kwargs=_base, expect=_managers()),
    "faculty:assign": page("POST", kwargs=_base, data=_assign_body, expect=_managers(REDIRECT)),
    "faculty:assignment_end": page(
        "POST",
        kwargs=_assignment,
        data=lambda c: {"reason": "Wrong teacher"},
        expect={
            **expect(
                ok=MANAGERS,
                forbidden=["tutor_a", "resident"],
                hidden=everyone_else(READERS + ["resident"]),
                ok_status=REDIRECT,
            )
        },
    ),
    "faculty:profile_detail": page(kwargs=_profile, expect=_readers()),
    "faculty:profile_edit": page(
        kwargs=_profile,
        expect=expect(ok=MANAGERS, forbidden=["tutor_a"], hidden=everyone_else(READERS)),
    ),
    # With no file sent: managers are sent back to the profile with the message naming it.
    "faculty:certificate_upload": page(
        "POST",
        kwargs=_profile,
        data=lambda cast: {},
        expect=expect(
            ok=MANAGERS, ok_status=REDIRECT, forbidden=["tutor_a"], hidden=everyone_else(READERS)
        ),
    ),
    "faculty:certificate_download": page(kwargs=_certified, expect=_readers()),
    "faculty:training_add": page(
        "POST", kwargs=_profile, data=_training_body, expect=_readers(REDIRECT)
    ),
    "faculty:plan_start": page(
        "POST",
        kwargs=_profile,
        data=lambda c: {"year": timezone.localdate().year + 1},
        expect=_teacher_writes(REDIRECT),
    ),
    "faculty:plan_detail": page(kwargs=_plan, expect=_readers()),
    "faculty:goal_add": page(
        "POST",
        kwargs=_plan,
        data=lambda c: {"text": "Teach ultrasound basics", "target": "4 sessions"},
        expect=_teacher_writes(REDIRECT),
    ),
    "faculty:goal_edit": page(
        "POST",
        kwargs=_goal,
        data=lambda c: {
            f"g{_goal(c)['pk']}-text": "Give 10 small lectures",
            f"g{_goal(c)['pk']}-status": "in_progress",
        },
        expect=_teacher_writes(REDIRECT),
    ),
    "faculty:plan_submit": page("POST", kwargs=_draft, expect=_teacher_writes(REDIRECT)),
    "faculty:plan_review": page(
        "POST",
        kwargs=_plan,
        data=lambda c: {"note": "A clear plan."},
        expect=_managers_review(REDIRECT),
    ),
    # --- API ---
    "faculty_profile_list": api(
        "GET",
        lambda cast: (facworld_once(cast), "/api/v1/faculty/profiles")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "faculty_profile_get": api(
        "GET", _api_path("/api/v1/faculty/profiles/{fw.profile_a.pk}"), _readers(anonymous=401)
    ),
    "faculty_profile_create": api(
        "POST",
        _api_path("/api/v1/faculty/bases/{fw.world.base_a.pk}/profiles"),
        _managers(CREATED, anonymous=401),
        data=lambda c: {
            "teacher_id": _profile_body(c)["teacher"],
            "title": "attending",
            "tier": "key",
        },
    ),
    "faculty_training_record": api(
        "POST",
        _api_path("/api/v1/faculty/profiles/{fw.profile_a.pk}/trainings"),
        _readers(CREATED, anonymous=401),
        data=_training_body,
    ),
    "faculty_workload_get": api(
        "GET",
        _api_path("/api/v1/faculty/profiles/{fw.profile_a.pk}/workload"),
        _readers(anonymous=401),
    ),
    "faculty_base_workload": api(
        "GET",
        _api_path("/api/v1/faculty/bases/{fw.world.base_a.pk}/workload"),
        _managers(anonymous=401),
    ),
    "faculty_assignment_list": api(
        "GET",
        lambda cast: (facworld_once(cast), "/api/v1/faculty/assignments")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "faculty_assignment_create": api(
        "POST",
        lambda cast: (facworld_once(cast), "/api/v1/faculty/assignments")[1],
        {
            # B's office manages B's base only: A's department is a wrong choice for it.
            **expect(
                ok=MANAGERS,
                forbidden=everyone_else(MANAGERS + ["coord_b"]),
                ok_status=CREATED,
                anonymous=401,
            ),
            "coord_b": 400,
        },
        data=lambda c: {
            "member_id": facworld_once(c).world.member.pk,
            "department_id": facworld_once(c).world.a1.pk,
            "teacher_id": c.tutor_a.pk,
        },
    ),
    "faculty_plan_get": api(
        "GET", _api_path("/api/v1/faculty/plans/{fw.plan.pk}"), _readers(anonymous=401)
    ),
    "faculty_goal_add": api(
        "POST",
        _api_path("/api/v1/faculty/plans/{fw.plan.pk}/goals"),
        _teacher_writes(CREATED, anonymous=401),
        data=lambda c: {"text": "Supervise two residents' case reports"},
    ),
    "faculty_plan_review": api(
        "POST",
        _api_path("/api/v1/faculty/plans/{fw.plan.pk}/review"),
        _managers_review(OK, anonymous=401),
        data=lambda c: {
            "note": "Good.",
            "goals": [{"goal_id": _goal(c)["pk"], "status": "in_progress", "note": ""}],
        },
    ),
}
