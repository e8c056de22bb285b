"""Who gets what on every logbook page and API operation (see tandem/core/tests/authz.py).

The world (tests/factories.py): the cast's resident is in A1 now, then A2, then B1 at the
partner B. The entry is the resident's, in A1 today. It is read by the resident, A's training
office (coord_a), the consortium admin and A1's teacher (tutor_a); not by B (coord_b, tutor_b:
they host only the B1 stint), not by anyone else. Only tutor_a verifies it. The resident's
progress page is also open to B's office and teacher (for the hosted stint only).
"""

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page
from tandem.logbook.tests.factories import entry_once, logworld_once

ENTRY_READERS = ["resident", "coord_a", "admin", "tutor_a"]
TEACHERS = ["tutor_a", "tutor_b"]
RESIDENT_READERS = ["resident", "coord_a", "admin", "tutor_a", "tutor_b", "coord_b"]
MANAGERS = ["coord_a", "admin"]
CATALOGUE_READERS = everyone_else(["outsider"])


def _world(cast):
    return (logworld_once(cast), {})[1]


def _entry(cast):
    return {"pk": entry_once(cast).pk}


def _catalogue(cast):
    return {"pk": logworld_once(cast).catalogue.pk}


def _entry_ok(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=ENTRY_READERS,
        hidden=everyone_else(ENTRY_READERS),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _teacher_only(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    others = ["resident", "coord_a", "admin"]
    return expect(
        ok=["tutor_a"],
        forbidden=others,
        hidden=everyone_else(["tutor_a", *others]),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _managers(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=MANAGERS,
        hidden=["outsider"],
        forbidden=everyone_else([*MANAGERS, "outsider"]),
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _today(cast):
    from django.utils import timezone

    return timezone.localdate().isoformat()


RULES: dict[str, Rule] = {
    "logbook:home": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "logbook:entry_new": page(
        kwargs=_world, expect=expect(ok=["resident"], forbidden=everyone_else(["resident"]))
    ),
    "logbook:entry_detail": page(kwargs=_entry, expect=_entry_ok(OK)),
    "logbook:entry_review": page(
        "POST", kwargs=_entry, data=lambda c: {"verify": "1"}, expect=_teacher_only(REDIRECT)
    ),
    "logbook:entry_edit": page(
        kwargs=_entry,
        expect=expect(
            ok=["resident"],
            forbidden=["coord_a", "admin", "tutor_a"],
            hidden=everyone_else(ENTRY_READERS),
        ),
    ),
    "logbook:entry_withdraw": page(
        "POST",
        kwargs=_entry,
        data=lambda c: {},
        expect=expect(
            ok=["resident"],
            forbidden=["coord_a", "admin", "tutor_a"],
            hidden=everyone_else(ENTRY_READERS),
            ok_status=REDIRECT,
        ),
    ),
    "logbook:review": page(
        kwargs=_world, expect=expect(ok=TEACHERS, forbidden=everyone_else(TEACHERS))
    ),
    "logbook:resident": page(
        kwargs=lambda cast: (logworld_once(cast), {"pk": cast.resident.pk})[1],
        expect=expect(ok=RESIDENT_READERS, hidden=everyone_else(RESIDENT_READERS)),
    ),
    "logbook:cohort": page(
        kwargs=lambda cast: {"pk": logworld_once(cast).world.cohort.pk},
        expect=expect(ok=MANAGERS, hidden=everyone_else(MANAGERS)),
    ),
    "logbook:department": page(
        kwargs=lambda cast: {"pk": logworld_once(cast).world.a1.pk},
        expect=expect(ok=[*MANAGERS, "tutor_a"], hidden=everyone_else([*MANAGERS, "tutor_a"])),
    ),
    "logbook:catalogue_list": page(kwargs=_world, expect=expect(ok=everyone_else())),
    "logbook:catalogue_detail": page(
        kwargs=_catalogue,
        expect=expect(ok=CATALOGUE_READERS, hidden=["outsider"]),
    ),
    "logbook:item_add": page(
        "POST",
        kwargs=_catalogue,
        data=lambda c: {"code": "X9", "name": "Thoracentesis", "kind": "procedure"},
        expect=_managers(REDIRECT),
    ),
    "logbook:minimum_set": page(
        "POST",
        kwargs=_catalogue,
        data=lambda c: {"item": logworld_once(c).pneumonia.pk, "role": "1", "count": "4"},
        expect=_managers(REDIRECT),
    ),
    "logbook:catalogue_import": page(
        "POST", kwargs=_catalogue, data=lambda c: {}, expect=_managers(REDIRECT)
    ),
    # --- API ---
    "logbook_entry_mine": api(
        "GET",
        lambda cast: (logworld_once(cast), "/api/v1/logbook/entries")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "logbook_entry_log": api(
        "POST",
        lambda cast: (logworld_once(cast), "/api/v1/logbook/entries")[1],
        expect(
            ok=["resident"],
            forbidden=everyone_else(["resident"]),
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {
            "department_id": logworld_once(cast).world.a1.pk,
            "item_id": logworld_once(cast).puncture.pk,
            "role": 3,
            "date": _today(cast),
            "patient_ref": "MRN-77",
        },
    ),
    "logbook_entry_get": api(
        "GET",
        lambda cast: f"/api/v1/logbook/entries/{entry_once(cast).pk}",
        _entry_ok(OK, 401),
    ),
    "logbook_entry_review": api(
        "POST",
        lambda cast: f"/api/v1/logbook/entries/{entry_once(cast).pk}/review",
        _teacher_only(OK, 401),
        data=lambda cast: {"verify": True},
    ),
    "logbook_review_bulk": api(
        "POST",
        lambda cast: "/api/v1/logbook/review",
        expect(ok=TEACHERS, forbidden=everyone_else(TEACHERS), anonymous=401),
        data=lambda cast: {"verify": True, "entry_ids": [entry_once(cast).pk]},
    ),
    "logbook_review_queue": api(
        "GET",
        lambda cast: (logworld_once(cast), "/api/v1/logbook/review")[1],
        expect(ok=TEACHERS, forbidden=everyone_else(TEACHERS), anonymous=401),
    ),
    "logbook_resident_stints": api(
        "GET",
        lambda cast: (logworld_once(cast), f"/api/v1/logbook/residents/{cast.resident.pk}/stints")[
            1
        ],
        expect(ok=RESIDENT_READERS, hidden=everyone_else(RESIDENT_READERS), anonymous=401),
    ),
    "logbook_catalogue_list": api(
        "GET",
        lambda cast: (logworld_once(cast), "/api/v1/logbook/catalogues")[1],
        expect(ok=everyone_else(), anonymous=401),
    ),
    "logbook_catalogue_get": api(
        "GET",
        lambda cast: f"/api/v1/logbook/catalogues/{logworld_once(cast).catalogue.pk}",
        expect(ok=CATALOGUE_READERS, hidden=["outsider"], anonymous=401),
    ),
}
