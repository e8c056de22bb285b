"""Who gets what on every resources page and API operation (see tandem/core/tests/authz.py).

resource_a belongs to A and is opened to B under the active agreement: A's members and B's
members see it, the outsider at C gets 404; only A's coordinator and the admin change it.
"""

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

READERS = ["admin", "coord_a", "tutor_a", "trainee", "resident", "coord_b", "tutor_b"]
WRITERS = ["admin", "coord_a"]
SEE_BUT_CANNOT_WRITE = ["tutor_a", "trainee", "resident", "coord_b", "tutor_b"]


def _writes(ok_status: int, anonymous: int = REDIRECT) -> dict[str, int]:
    return expect(
        ok=WRITERS,
        forbidden=SEE_BUT_CANNOT_WRITE,
        hidden=["outsider"],
        ok_status=ok_status,
        anonymous=anonymous,
    )


def _opening_pk(cast) -> int:
    return cast.resource_a.openings.get().pk


RULES: dict[str, Rule] = {
    "resources:list": page(expect=expect(ok=everyone_else())),
    "resources:detail": page(
        kwargs=lambda cast: {"pk": cast.resource_a.pk},
        expect=expect(ok=READERS, hidden=["outsider"]),
    ),
    "resources:create": page(
        "POST",
        kwargs=lambda cast: {"institution_pk": cast.inst_a.pk},
        data=lambda cast: {"name": "Mass spectrometer", "kind": "instrument"},
        expect=expect(ok=WRITERS, forbidden=everyone_else(WRITERS), ok_status=REDIRECT),
    ),
    "resources:edit": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.resource_a.pk},
        data=lambda cast: {
            "name": "Confocal microscope",
            "kind": "instrument",
            "unit": cast.lab_a.pk,
            "location": "Building 3, room 201",
            "is_active": "on",
        },
        expect=_writes(REDIRECT),
    ),
    "resources:opening_create": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.resource_a.pk},
        data=lambda cast: {"agreement": cast.draft_ab.pk, "partner": cast.inst_b.pk},
        expect=_writes(REDIRECT),
    ),
    "resources:opening_close": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.resource_a.pk, "opening_pk": _opening_pk(cast)},
        data=lambda cast: {},
        expect=_writes(REDIRECT),
    ),
    # API
    "resources_resource_list": api(
        "GET", lambda cast: "/api/v1/resources/", expect(ok=everyone_else(), anonymous=401)
    ),
    "resources_resource_get": api(
        "GET",
        lambda cast: f"/api/v1/resources/{cast.resource_a.pk}",
        expect(ok=READERS, hidden=["outsider"], anonymous=401),
    ),
    "resources_resource_create": api(
        "POST",
        lambda cast: "/api/v1/resources/",
        expect(ok=WRITERS, forbidden=everyone_else(WRITERS), ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "institution_id": cast.inst_a.pk,
            "name": "Mass spectrometer",
            "kind": "instrument",
        },
    ),
    "resources_resource_update": api(
        "PATCH",
        lambda cast: f"/api/v1/resources/{cast.resource_a.pk}",
        _writes(OK, anonymous=401),
        data=lambda cast: {"location": "Building 3, room 201"},
    ),
    "resources_opening_list": api(
        "GET",
        lambda cast: f"/api/v1/resources/{cast.resource_a.pk}/openings",
        expect(ok=READERS, hidden=["outsider"], anonymous=401),
    ),
    "resources_opening_create": api(
        "POST",
        lambda cast: f"/api/v1/resources/{cast.resource_a.pk}/openings",
        _writes(CREATED, anonymous=401),
        data=lambda cast: {"agreement_id": cast.draft_ab.pk, "partner_id": cast.inst_b.pk},
    ),
    "resources_opening_delete": api(
        "DELETE",
        lambda cast: f"/api/v1/resources/{cast.resource_a.pk}/openings/{_opening_pk(cast)}",
        _writes(NO_CONTENT, anonymous=401),
    ),
}
