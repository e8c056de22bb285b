"""Who gets what on every plans page and API operation (see tandem/core/tests/authz.py).

The cast's trainee is in a joint cultivation home A → host B with tutor_a and tutor_b. Visible
to: admin, the coordinators of A and B, both tutors and the trainee; the resident (a trainee at
A, not staff) and the outsider get 404. Writing: the trainee and the two tutors. Signing: the
two tutors. Reviewing: the tutors and the coordinators of home and host. Import: admins only.
"""

import base64
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.tests.authz import CREATED, REDIRECT, api, everyone_else, expect, page
from tandem.plans import services_milestone
from tandem.plans.record import joint_record_build
from tandem.plans.tests.factories import (
    cast_cultivation,
    draft_plan,
    evidence_file,
    signed_plan,
)

VISIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
HIDDEN = ["resident", "outsider"]
WRITERS = ["tutor_a", "tutor_b", "trainee"]
NOT_WRITERS = ["admin", "coord_a", "coord_b"]
SIGNERS = ["tutor_a", "tutor_b"]
REVIEWERS = ["tutor_a", "tutor_b", "coord_a", "coord_b"]


def _c(cast):
    return {"cultivation_pk": cast_cultivation(cast).pk}


def _draft(cast):
    return {"cultivation_pk": draft_plan(cast).cultivation_id}


def _signed(cast):
    return {"cultivation_pk": signed_plan(cast).cultivation_id}


def _milestone(cast):
    plan = signed_plan(cast)
    return {
        "cultivation_pk": plan.cultivation_id,
        "milestone_pk": plan.milestones.get(kind="proposal").pk,
    }


def _submitted(cast):
    plan = signed_plan(cast)
    milestone = plan.milestones.get(kind="proposal")
    if milestone.status == "planned":
        services_milestone.milestone_submit(
            actor=cast.trainee, milestone=milestone, files=[evidence_file()]
        )
    return {"cultivation_pk": plan.cultivation_id, "milestone_pk": milestone.pk}


def _evidence(cast):
    kwargs = _submitted(cast)
    milestone = signed_plan(cast).milestones.get(pk=kwargs["milestone_pk"])
    evidence = milestone.submissions.get().evidence.get()
    return {**kwargs, "evidence_pk": evidence.pk}


def _course(cast):
    plan = draft_plan(cast)
    return {
        "cultivation_pk": plan.cultivation_id,
        "course_pk": plan.versions.get().courses.first().pk,
    }


def _draft_milestone(cast):
    plan = draft_plan(cast)
    return {
        "cultivation_pk": plan.cultivation_id,
        "milestone_pk": plan.milestones.get(kind="proposal").pk,
    }


def _record_file(cast):
    """An exported record whose cultivation is then removed, so the import has room."""
    cultivation = signed_plan(cast).cultivation
    data = joint_record_build(cultivation, reveal_confidential=True)
    cultivation.delete()
    return {"file": SimpleUploadedFile("record.json", json.dumps(data).encode())}


def _record_json(cast):
    cultivation = signed_plan(cast).cultivation
    data = joint_record_build(cultivation, reveal_confidential=True)
    cultivation.delete()
    return data


COURSE = {"title": "Biostatistics", "credits": "2", "kind": "elective", "term": "2027 spring"}
MILESTONE = {
    "kind": "other",
    "title": "Lab rotation",
    "earliest": "2027-01-10",
    "latest": "2027-02-10",
}
WINDOW = {"earliest": "2026-10-15", "latest": "2026-12-20"}
REVISE = {"reason_kind": "ordinary", "reason": "The proposal moves by a month."}
REVIEW = {
    "outcome": "needs_revision",
    "comments": "Sharpen the hypothesis.",
    "examiners": "Prof. X",
}

SEEN = {"ok": VISIBLE, "hidden": HIDDEN}
WRITE = {"ok": WRITERS, "forbidden": NOT_WRITERS, "hidden": HIDDEN}
P = "/api/v1/plans"


def _p(suffix: str = "", kwargs=_c):
    return lambda cast: f"{P}/{kwargs(cast)['cultivation_pk']}{suffix}"


RULES = {
    "plans:home": page(expect=expect(ok=everyone_else())),
    "plans:overdue": page(expect=expect(ok=everyone_else())),
    "plans:record_import": page(
        "POST",
        data=_record_file,
        expect=expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=REDIRECT),
    ),
    "plans:plan": page(kwargs=_signed, expect=expect(**SEEN)),
    "plans:start": page(
        "POST", kwargs=_c, data=lambda cast: {}, expect=expect(**WRITE, ok_status=REDIRECT)
    ),
    "plans:draft_edit": page(
        "POST",
        kwargs=_draft,
        data=lambda cast: {"research_topic": "T cells"},
        expect=expect(**WRITE, ok_status=REDIRECT),
    ),
    "plans:course_add": page(
        "POST",
        kwargs=_draft,
        data=lambda cast: {**COURSE, "institution": cast.inst_b.pk},
        expect=expect(**WRITE, ok_status=REDIRECT),
    ),
    "plans:course_remove": page(
        "POST", kwargs=_course, data=lambda cast: {}, expect=expect(**WRITE, ok_status=REDIRECT)
    ),
    "plans:milestone_add": page(
        "POST",
        kwargs=_draft,
        data=lambda cast: MILESTONE,
        expect=expect(**WRITE, ok_status=REDIRECT),
    ),
    "plans:milestone_window": page(
        "POST",
        kwargs=_draft_milestone,
        data=lambda cast: WINDOW,
        expect=expect(**WRITE, ok_status=REDIRECT),
    ),
    "plans:sign": page(
        "POST",
        kwargs=_draft,
        data=lambda cast: {},
        expect=expect(
            ok=SIGNERS, forbidden=[*NOT_WRITERS, "trainee"], hidden=HIDDEN, ok_status=REDIRECT
        ),
    ),
    "plans:revise": page(
        "POST", kwargs=_signed, data=lambda cast: REVISE, expect=expect(**WRITE, ok_status=REDIRECT)
    ),
    "plans:version": page(
        kwargs=lambda cast: {**_signed(cast), "number": 1}, expect=expect(**SEEN)
    ),
    "plans:milestone": page(kwargs=_milestone, expect=expect(**SEEN)),
    "plans:milestone_submit": page(
        "POST",
        kwargs=_milestone,
        data=lambda cast: {"files": evidence_file(), "note": "Done"},
        expect=expect(**WRITE, ok_status=REDIRECT),
    ),
    "plans:milestone_review": page(
        "POST",
        kwargs=_submitted,
        data=lambda cast: REVIEW,
        expect=expect(
            ok=REVIEWERS, forbidden=["admin", "trainee"], hidden=HIDDEN, ok_status=REDIRECT
        ),
    ),
    "plans:evidence_download": page(kwargs=_evidence, expect=expect(**SEEN)),
    "plans:record": page(kwargs=_signed, expect=expect(**SEEN)),
    "plans:record_json": page(kwargs=_signed, expect=expect(**SEEN)),
    "plans:record_pdf": page(kwargs=_signed, expect=expect(**SEEN)),
    # API
    "plans_cultivation_list": api(
        "GET", lambda cast: f"{P}/", expect(ok=everyone_else(), anonymous=401)
    ),
    "plans_milestone_overdue_list": api(
        "GET", lambda cast: f"{P}/overdue", expect(ok=everyone_else(), anonymous=401)
    ),
    "plans_record_import": api(
        "POST",
        lambda cast: f"{P}/records/import",
        expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=CREATED, anonymous=401),
        data=_record_json,
    ),
    "plans_plan_get": api("GET", _p("", _signed), expect(**SEEN, anonymous=401)),
    "plans_plan_start": api(
        "POST", _p(), expect(**WRITE, ok_status=CREATED, anonymous=401), data=lambda cast: {}
    ),
    "plans_draft_update": api(
        "PUT",
        _p("/draft", _draft),
        expect(**WRITE, anonymous=401),
        data=lambda cast: {"research_topic": "T cells"},
    ),
    "plans_course_add": api(
        "POST",
        _p("/draft/courses", _draft),
        expect(**WRITE, ok_status=CREATED, anonymous=401),
        data=lambda cast: {**COURSE, "institution": "emu"},
    ),
    "plans_course_remove": api(
        "DELETE",
        lambda cast: (
            f"{P}/{_course(cast)['cultivation_pk']}/draft/courses/{_course(cast)['course_pk']}"
        ),
        expect(**WRITE, anonymous=401),
    ),
    "plans_milestone_add": api(
        "POST",
        _p("/draft/milestones", _draft),
        expect(**WRITE, ok_status=CREATED, anonymous=401),
        data=lambda cast: MILESTONE,
    ),
    "plans_milestone_window_set": api(
        "PUT",
        lambda cast: (
            f"{P}/{_draft_milestone(cast)['cultivation_pk']}/draft/milestones/"
            f"{_draft_milestone(cast)['milestone_pk']}"
        ),
        expect(**WRITE, anonymous=401),
        data=lambda cast: WINDOW,
    ),
    "plans_plan_sign": api(
        "POST",
        _p("/sign", _draft),
        expect(ok=SIGNERS, forbidden=[*NOT_WRITERS, "trainee"], hidden=HIDDEN, anonymous=401),
    ),
    "plans_plan_revise": api(
        "POST",
        _p("/revise", _signed),
        expect(**WRITE, ok_status=CREATED, anonymous=401),
        data=lambda cast: REVISE,
    ),
    "plans_version_get": api("GET", _p("/versions/1", _signed), expect(**SEEN, anonymous=401)),
    "plans_milestone_get": api(
        "GET",
        lambda cast: (
            f"{P}/{_milestone(cast)['cultivation_pk']}/milestones/"
            f"{_milestone(cast)['milestone_pk']}"
        ),
        expect(**SEEN, anonymous=401),
    ),
    "plans_milestone_submit": api(
        "POST",
        lambda cast: (
            f"{P}/{_milestone(cast)['cultivation_pk']}/milestones/"
            f"{_milestone(cast)['milestone_pk']}/submit"
        ),
        expect(**WRITE, ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "files": [
                {"name": "proposal.pdf", "content_base64": base64.b64encode(b"%PDF-1.4 x").decode()}
            ]
        },
    ),
    "plans_milestone_review": api(
        "POST",
        lambda cast: (
            f"{P}/{_submitted(cast)['cultivation_pk']}/milestones/"
            f"{_submitted(cast)['milestone_pk']}/review"
        ),
        expect(ok=REVIEWERS, forbidden=["admin", "trainee"], hidden=HIDDEN, anonymous=401),
        data=lambda cast: REVIEW,
    ),
    "plans_record_export": api("GET", _p("/record", _signed), expect(**SEEN, anonymous=401)),
    "plans_record_pdf": api("GET", _p("/record.pdf", _signed), expect(**SEEN, anonymous=401)),
}
