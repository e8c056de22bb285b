"""Who gets what on every assessments page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): the cast's resident is in A1 now, then A2, then B1 at the
partner B. The assessment is the resident's A1 stint: read by the resident, A's training office
(coord_a), the consortium admin and A1's teacher (tutor_a); not by B (coord_b, tutor_b host
only the B1 stint), not by anyone else. The WBA is the resident's, in A1 today, observed by
tutor_a: read by the same people; only tutor_a confirms it, only the resident types a code.
"""

from django.utils import timezone

from tandem.assessments import services, services_wba
from tandem.assessments.tests.factories import a1_assessment, assessworld_once, ratings
from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page

READERS = ["resident", "coord_a", "admin", "tutor_a"]
EXAMINERS = ["tutor_a", "coord_a", "admin"]
OFFICE = ["coord_a", "admin"]
TEACHERS = ["tutor_a", "tutor_b"]


def _only(ok, ok_status, anonymous=REDIRECT):
    """`ok` get ok_status, the other readers 403, everyone else 404."""
    return expect(
        ok=ok,
        forbidden=[r for r in READERS if r not in ok],
        hidden=everyone_else(READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _assessment(cast):
    return a1_assessment(assessworld_once(cast))


def _pk(cast):
    return {"pk": _assessment(cast).pk}


def _record_all(cast, theory="75"):
    assessment = _assessment(cast)
    services.component_record(
        actor=cast.tutor_a, assessment=assessment, kind="theory", score=theory
    )
    services.component_record(
        actor=cast.tutor_a,
        assessment=assessment,
        kind="skills",
        stations=[{"name": "ECG", "score": 9, "max": 10}],
    )
    services.component_record(
        actor=cast.tutor_a, assessment=assessment, kind="attendance", score=90
    )
    services.summary_submit(actor=cast.resident, assessment=assessment, text="A" * 40)
    services.signoff_record(actor=cast.coord_a, assessment=assessment, approve=True)
    return assessment


def _failed(cast):
    assessment = _record_all(cast, theory="10")
    services.assessment_decide(actor=cast.coord_a, assessment=assessment)
    return assessment


def _wba(cast):
    aw = assessworld_once(cast)
    found = getattr(cast, "_wba", None)
    if found is None:
        found = services_wba.wba_start(
            actor=cast.resident,
            department=aw.world.a1,
            form=aw.mini_cex,
            teacher=cast.tutor_a,
            date=timezone.localdate(),
            case="Pneumonia, admission",
            ratings=ratings(aw.mini_cex),
        )
        cast._wba = found  # type: ignore[attr-defined]
    return found


def _world(cast):
    return (assessworld_once(cast), {})[1]


RULES: dict[str, Rule] = {
    "assessments:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "assessments:detail": page(
        kwargs=_pk, expect=expect(ok=READERS, hidden=everyone_else(READERS))
    ),
    "assessments:record": page(
        "POST",
        kwargs=_pk,
        data=lambda c: {"kind": "theory", "score": "70"},
        expect=_only(EXAMINERS, REDIRECT),
    ),
    "assessments:summary": page(
        "POST", kwargs=_pk, data=lambda c: {"text": "B" * 30}, expect=_only(["resident"], REDIRECT)
    ),
    "assessments:signoff": page(
        "POST", kwargs=_pk, data=lambda c: {"approve": "1"}, expect=_only(OFFICE, REDIRECT)
    ),
    "assessments:decide": page(
        "POST", kwargs=_pk, data=lambda c: {}, expect=_only(OFFICE, REDIRECT)
    ),
    "assessments:remediate": page(
        "POST",
        kwargs=lambda c: {"pk": _failed(c).pk},
        data=lambda c: {"kind": "reexam"},
        expect=_only(OFFICE, REDIRECT),
    ),
    "assessments:wba_new": page(
        kwargs=_world, expect=expect(ok=["resident"], forbidden=everyone_else(["resident"]))
    ),
    "assessments:wba_detail": page(
        kwargs=lambda c: {"pk": _wba(c).pk},
        expect=expect(ok=READERS, hidden=everyone_else(READERS)),
    ),
    "assessments:wba_confirm": page(
        "POST",
        kwargs=lambda c: {"pk": _wba(c).pk},
        data=lambda c: {"confirm": "1"},
        expect=_only(["tutor_a"], REDIRECT),
    ),
    "assessments:wba_code": page(
        "POST",
        kwargs=lambda c: {"pk": _wba(c).pk},
        data=lambda c: {"code": "123456"},
        expect=_only(["resident"], REDIRECT),
    ),
    "assessments:code_issue": page(
        kwargs=_world, expect=expect(ok=TEACHERS, forbidden=everyone_else(TEACHERS))
    ),
    "assessments:plans": page(
        kwargs=_world, expect=expect(ok=OFFICE, forbidden=everyone_else(OFFICE))
    ),
    # --- API ---
    "assessment_list": api(
        "GET",
        lambda c: (assessworld_once(c), "/api/v1/assessments/assessments")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "assessment_get": api(
        "GET",
        lambda c: f"/api/v1/assessments/assessments/{_assessment(c).pk}",
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "assessment_record": api(
        "POST",
        lambda c: f"/api/v1/assessments/assessments/{_assessment(c).pk}/components",
        _only(EXAMINERS, OK, 401),
        data=lambda c: {"kind": "theory", "score": 71},
    ),
    "assessment_summary": api(
        "POST",
        lambda c: f"/api/v1/assessments/assessments/{_assessment(c).pk}/summary",
        _only(["resident"], OK, 401),
        data=lambda c: {"text": "C" * 30},
    ),
    "assessment_signoff": api(
        "POST",
        lambda c: f"/api/v1/assessments/assessments/{_assessment(c).pk}/signoff",
        _only(OFFICE, OK, 401),
        data=lambda c: {"approve": True},
    ),
    "assessment_decide": api(
        "POST",
        lambda c: f"/api/v1/assessments/assessments/{_record_all(c).pk}/decide",
        _only(OFFICE, OK, 401),
    ),
    "assessment_remediate": api(
        "POST",
        lambda c: f"/api/v1/assessments/assessments/{_failed(c).pk}/remediation",
        _only(OFFICE, OK, 401),
        data=lambda c: {"kind": "reexam"},
    ),
    "wba_list": api(
        "GET",
        lambda c: (assessworld_once(c), "/api/v1/assessments/wbas")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "wba_start": api(
        "POST",
        lambda c: (assessworld_once(c), "/api/v1/assessments/wbas")[1],
        expect(
            ok=["resident"], forbidden=everyone_else(["resident"]), ok_status=CREATED, anonymous=401
        ),
        data=lambda c: {
            "department_id": assessworld_once(c).world.a1.pk,
            "form_id": assessworld_once(c).mini_cex.pk,
            "teacher_id": c.tutor_a.pk,
            "date": timezone.localdate().isoformat(),
            "case": "Lumbar puncture",
            "ratings": ratings(assessworld_once(c).mini_cex),
        },
    ),
    "wba_get": api(
        "GET",
        lambda c: f"/api/v1/assessments/wbas/{_wba(c).pk}",
        expect(ok=READERS, hidden=everyone_else(READERS), anonymous=401),
    ),
    "wba_confirm": api(
        "POST",
        lambda c: f"/api/v1/assessments/wbas/{_wba(c).pk}/confirm",
        _only(["tutor_a"], OK, 401),
        data=lambda c: {"confirm": True},
    ),
    "wba_confirm_code": api(
        "POST",
        lambda c: f"/api/v1/assessments/wbas/{_wba(c).pk}/code",
        _only(["resident"], OK, 401),
        data=lambda c: {"code": services_wba.wba_code_issue(actor=c.tutor_a)[1]},
    ),
    "wba_code_issue": api(
        "POST",
        lambda c: (assessworld_once(c), "/api/v1/assessments/codes")[1],
        expect(ok=TEACHERS, forbidden=everyone_else(TEACHERS), ok_status=CREATED, anonymous=401),
    ),
}


# --- annual assessments, completion and the programs' setup (decision 112) ---
# The completion world adds A's rules for internal medicine, the program's annual plan and the
# cohort's annual exam. A resident's annual assessment and checklist are read by the resident,
# A's training office and the admin, by nobody else (not even the teachers). The lists are
# everyone's (scoped); the office list is for the training offices (coord_b and the outsider
# coordinate hospitals of their own, and see nobody there).
C_READERS = ["resident", "coord_a", "admin"]
OFFICES = ["coord_a", "coord_b", "outsider", "admin"]


def _completion(cast):
    from tandem.assessments.tests.completion_factories import build_completion

    found = getattr(cast, "_completion", None)
    if found is None:
        found = build_completion(assessworld_once(cast))
        cast._completion = found  # type: ignore[attr-defined]
    return found


def _annual(cast):
    from tandem.assessments.tests.completion_factories import annual_of

    return annual_of(_completion(cast))


def _eligible_resident(cast):
    from tandem.assessments.tests.completion_factories import make_eligible

    make_eligible(_completion(cast))
    return {"pk": cast.resident.pk}


def _c_only(ok, ok_status, anonymous=REDIRECT):
    return expect(
        ok=ok,
        forbidden=[r for r in C_READERS if r not in ok],
        hidden=everyone_else(C_READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _c_world(cast):
    return (_completion(cast), {})[1]


def _office_api(method, path, ok_status=OK, data=None):
    return api(
        method,
        lambda c: (_completion(c), f"/api/v1/assessments/{path}")[1],
        expect(ok=OFFICE, forbidden=everyone_else(OFFICE), ok_status=ok_status, anonymous=401),
        data=data,
    )


def _everyone_api(path):
    return api(
        "GET",
        lambda c: (_completion(c), f"/api/v1/assessments/{path}")[1],
        expect(ok=everyone_else(), anonymous=401),
    )


RULES.update(
    {
        "assessments:annual": page(kwargs=_c_world, expect=expect(ok=everyone_else())),
        "assessments:annual_detail": page(
            kwargs=lambda c: {"pk": _annual(c).pk},
            expect=expect(ok=C_READERS, hidden=everyone_else(C_READERS)),
        ),
        "assessments:completion": page(
            kwargs=_c_world, expect=expect(ok=OFFICES, forbidden=everyone_else(OFFICES))
        ),
        "assessments:completion_export": page(
            kwargs=_c_world, expect=expect(ok=OFFICES, forbidden=everyone_else(OFFICES))
        ),
        "assessments:completion_rules": page(
            kwargs=_c_world, expect=expect(ok=OFFICE, forbidden=everyone_else(OFFICE))
        ),
        "assessments:checklist": page(
            kwargs=lambda c: (_completion(c), {"pk": c.resident.pk})[1],
            expect=expect(ok=C_READERS, hidden=everyone_else(C_READERS)),
        ),
        "assessments:completion_record": page(
            "POST",
            kwargs=_eligible_resident,
            data=lambda c: {
                "specialty": "internal_medicine",
                "outcome": "passed",
                "decided_on": timezone.localdate().isoformat(),
                "certificate_number": "GD-1",
            },
            expect=_c_only(OFFICE, REDIRECT),
        ),
        # --- API ---
        "completion_list": api(
            "GET",
            lambda c: (_completion(c), "/api/v1/assessments/completion")[1],
            expect(ok=OFFICES, forbidden=everyone_else(OFFICES), anonymous=401),
        ),
        "completion_get": api(
            "GET",
            lambda c: (_completion(c), f"/api/v1/assessments/completion/{c.resident.pk}")[1],
            expect(ok=C_READERS, hidden=everyone_else(C_READERS), anonymous=401),
        ),
        "completion_result_record": api(
            "POST",
            lambda c: (
                _eligible_resident(c),
                f"/api/v1/assessments/completion/{c.resident.pk}/result",
            )[1],
            _c_only(OFFICE, OK, 401),
            data=lambda c: {
                "specialty": "internal_medicine",
                "outcome": "passed",
                "decided_on": timezone.localdate().isoformat(),
                "certificate_number": "GD-1",
            },
        ),
        "completion_rule_list": _everyone_api("completion-rules"),
        "completion_rule_save": _office_api(
            "PUT",
            "completion-rules",
            data=lambda c: {"program_id": _completion(c).world.program.pk, "training_years": 3},
        ),
        "annual_list": _everyone_api("annual"),
        "annual_schedule": _office_api(
            "POST",
            "annual",
            CREATED,
            data=lambda c: {
                "cohort_id": _completion(c).world.cohort.pk,
                "program_id": _completion(c).world.program.pk,
                "exam_on": "2027-06-01",
                "due_on": "2027-06-15",
            },
        ),
        "annual_get": api(
            "GET",
            lambda c: f"/api/v1/assessments/annual/{_annual(c).pk}",
            expect(ok=C_READERS, hidden=everyone_else(C_READERS), anonymous=401),
        ),
        "annual_record": api(
            "POST",
            lambda c: f"/api/v1/assessments/annual/{_annual(c).pk}/result",
            _c_only(OFFICE, OK, 401),
            data=lambda c: {"theory": 70},
        ),
        "annual_plan_list": _everyone_api("annual-plans"),
        "annual_plan_save": _office_api(
            "PUT",
            "annual-plans",
            data=lambda c: {"program_id": _completion(c).world.program.pk, "theory_pass": 65},
        ),
        "assessment_plan_list": _everyone_api("plans"),
        "assessment_plan_save": _office_api(
            "PUT",
            "plans",
            data=lambda c: {
                "program_id": _completion(c).world.program.pk,
                "department_id": _completion(c).world.a2.pk,
                "theory_pass": 55,
            },
        ),
        "wba_form_list": _everyone_api("wba-forms"),
        "wba_form_create": _office_api(
            "POST",
            "wba-forms",
            CREATED,
            data=lambda c: {
                "program_id": _completion(c).world.program.pk,
                "name": "Handover",
                "domains": [{"code": "clarity", "name": "Clarity"}],
            },
        ),
        "wba_requirement_list": _everyone_api("wba-requirements"),
        "wba_requirement_set": _office_api(
            "PUT",
            "wba-requirements",
            data=lambda c: {
                "program_id": _completion(c).world.program.pk,
                "form_id": _completion(c).mini_cex.pk,
                "count": 2,
            },
        ),
    }
)
