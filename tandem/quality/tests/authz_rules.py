"""Who gets what on every quality page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): base A managed by coord_a (and the consortium admin), who is
also its designated supervisor; coord_a observed `now` (tutor_a's round) and recorded a
finding owned by tutor_a. The base's pages are for its managers only (404 for the rest, the
same as for a missing base); an observation and its items are seen by the supervisor, the
teacher or owner and the base's managers; only the supervisor records findings and decides,
only the owner reports the action taken (403 for the others who see them).
"""

from django.core.files.base import ContentFile

from tandem.core.tests.authz import OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.quality.tests.factories import qualityworld_once

MANAGERS = ["coord_a", "admin"]
SEERS = ["coord_a", "tutor_a", "admin"]  # of the observation and its item


def _base(cast):
    return {"pk": qualityworld_once(cast).tw.world.base_a.pk}


def _world(cast):
    return (qualityworld_once(cast), {})[1]


def _managers(ok_status: int = OK, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS, hidden=everyone_else(MANAGERS), ok_status=ok_status, anonymous=anonymous
    )


def _seers(ok: list[str], ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=ok,
        forbidden=[a for a in SEERS if a not in ok],
        hidden=everyone_else(SEERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _evidence(cast):
    from tandem.quality.models import Evidence

    qw = qualityworld_once(cast)
    found = Evidence.objects.filter(assessment=qw.assessment).first()
    if found is None:
        indicator = qw.assessment.indicator_list.indicators.first()
        found = Evidence(
            assessment=qw.assessment, indicator=indicator, title="Census", uploaded_by=cast.coord_a
        )
        found.file.save("census.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": found.pk}


RULES: dict[str, Rule] = {
    "quality:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "quality:base_detail": page(kwargs=_base, expect=_managers()),
    "quality:compliance": page(kwargs=_base, expect=_managers()),
    "quality:standard_add": page(
        "POST",
        kwargs=_base,
        data=lambda c: {
            "kind": "teacher_load",
            "count": 3,
            "period": 1,
            "unit": "week",
            "within_days": 3,
        },
        expect=_managers(REDIRECT),
    ),
    "quality:standard_retire": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).rounds_standard.pk},
        expect=_managers(REDIRECT),
    ),
    "quality:supervisor_add": page(
        "POST",
        kwargs=_base,
        data=lambda c: {"user": c.tutor_a.pk},
        expect=_managers(REDIRECT),
    ),
    "quality:observation_start": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).tw.now.pk},
        # Those who see the activity but supervise nothing get 403; coord_a (already observing)
        # is sent back with the message.
        expect=expect(
            ok=["coord_a"],
            forbidden=["admin", "tutor_a", "resident"],
            hidden=everyone_else(["coord_a", "admin", "tutor_a", "resident"]),
            ok_status=REDIRECT,
        ),
    ),
    "quality:observation_detail": page(
        kwargs=lambda c: {"pk": qualityworld_once(c).observation.pk}, expect=_seers(SEERS, OK)
    ),
    "quality:finding_add": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).observation.pk},
        data=lambda c: {"finding": "Late", "owner": c.tutor_a.pk, "deadline": "2099-01-01"},
        expect=_seers(["coord_a"], REDIRECT),
    ),
    "quality:item_detail": page(
        kwargs=lambda c: {"pk": qualityworld_once(c).item.pk}, expect=_seers(SEERS, OK)
    ),
    "quality:item_respond": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).item.pk},
        data=lambda c: {"response": "Presentations added."},
        expect=_seers(["tutor_a"], REDIRECT),
    ),
    "quality:item_decide": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).item.pk},
        data=lambda c: {"decision": "accept"},
        expect=_seers(["coord_a"], REDIRECT),
    ),
    "quality:assessment_new": page(
        "POST", kwargs=_base, data=lambda c: {"title": "2027"}, expect=_managers(REDIRECT)
    ),
    "quality:assessment_detail": page(
        kwargs=lambda c: {"pk": qualityworld_once(c).assessment.pk}, expect=_managers()
    ),
    "quality:evidence_add": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).assessment.pk},
        data=lambda c: {"title": "Nothing attached"},
        expect=_managers(REDIRECT),
    ),
    "quality:assessment_submit": page(
        "POST",
        kwargs=lambda c: {"pk": qualityworld_once(c).assessment.pk},
        expect=_managers(REDIRECT),
    ),
    "quality:assessment_xlsx": page(
        kwargs=lambda c: {"pk": qualityworld_once(c).assessment.pk}, expect=_managers()
    ),
    "quality:evidence_download": page(kwargs=_evidence, expect=_managers()),
    # --- API ---
    "quality_standard_list": api(
        "GET",
        lambda c: f"/api/v1/quality/bases/{qualityworld_once(c).tw.world.base_a.pk}/standards",
        _managers(OK, 401),
    ),
    "quality_compliance_get": api(
        "GET",
        lambda c: f"/api/v1/quality/bases/{qualityworld_once(c).tw.world.base_a.pk}/compliance",
        _managers(OK, 401),
    ),
    "quality_rectification_list": api(
        "GET",
        lambda c: (qualityworld_once(c), "/api/v1/quality/rectifications")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "quality_rectification_respond": api(
        "POST",
        lambda c: f"/api/v1/quality/rectifications/{qualityworld_once(c).item.pk}/respond",
        _seers(["tutor_a"], OK, 401),
        data=lambda c: {"response": "Presentations added."},
    ),
    "quality_rectification_decide": api(
        "POST",
        lambda c: f"/api/v1/quality/rectifications/{qualityworld_once(c).item.pk}/decide",
        # The supervisor may decide, but not yet: the owner has reported nothing (400).
        {**_seers(["coord_a"], OK, 401), "coord_a": 400},
        data=lambda c: {"accept": True},
    ),
    "quality_self_assessment_get": api(
        "GET",
        lambda c: f"/api/v1/quality/self-assessments/{qualityworld_once(c).assessment.pk}",
        _managers(OK, 401),
    ),
}
