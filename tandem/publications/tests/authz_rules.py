"""Who gets what on every publications page and API operation (see tandem/core/tests/authz.py).

The scene: the trainee's joint cultivation A→B (tutor_b first tutor, tutor_a second tutor).
Publications are visible to whoever may open the cultivation: the admin, both coordinators,
both tutors and the trainee; the resident and the outsider get 404. All of them may record and
correct; only the two coordinators waive; only the two current tutors confirm.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.core.tests.authz import CREATED, REDIRECT, api, expect, page
from tandem.cultivation.tests.factories import cultivation_in
from tandem.publications.tests.factories import compliant_authors, record

VISIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
HIDDEN = ["resident", "outsider"]
COORDINATORS = ["coord_a", "coord_b"]
TUTORS = ["tutor_a", "tutor_b"]
API = "/api/v1/publications"
BIBTEX = "@article{k, author = {Li, Wei}, title = {Hypoxia}, journal = {J}, year = {2026}}"


def _cultivation(cast):
    return cultivation_in(cast, "active")


def _publication(cast):
    return record(cast)


def _violating(cast):
    authors = compliant_authors(cast)
    authors[2]["credit_roles"] = []
    return record(cast, authors=authors)


def _form(cast):
    data = {
        "title": "Plateau hypoxia",
        "journal": "J",
        "year": "2026",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-0-name": "Tina Trainee",
        "authors-0-user": cast.trainee.pk,
        "authors-0-institutions": [cast.inst_a.pk, cast.inst_b.pk],
        "authors-0-credit_roles": ["investigation"],
        "authors-1-name": "Tess Tutor",
        "authors-1-user": cast.tutor_b.pk,
        "authors-1-is_corresponding": "on",
        "authors-1-credit_roles": ["supervision"],
    }
    return data


def _json(cast, with_cultivation=True):
    from tandem.cultivation.models import JointCultivation

    data = {
        "title": "Plateau hypoxia",
        "year": 2026,
        "authors": [
            {
                "name": "Tina Trainee",
                "user_id": cast.trainee.pk,
                "institution_ids": [cast.inst_a.pk, cast.inst_b.pk],
                "credit_roles": ["investigation"],
            },
            {
                "name": "Tess Tutor",
                "user_id": cast.tutor_b.pk,
                "is_corresponding": True,
                "credit_roles": ["supervision"],
            },
        ],
    }
    if with_cultivation:
        data["cultivation_id"] = JointCultivation.objects.get(trainee=cast.trainee).pk
    return data


def _import_form(cast):
    return {"kind": "bibtex", "file": SimpleUploadedFile("refs.bib", BIBTEX.encode())}


RECORDERS = expect(ok=VISIBLE, hidden=HIDDEN, ok_status=REDIRECT)

RULES = {
    "publications:list": page(expect=expect(ok=[*VISIBLE, *HIDDEN])),
    "publications:export": page(expect=expect(ok=[*VISIBLE, *HIDDEN])),
    "publications:create": page(
        "POST",
        kwargs=lambda cast: {"pk": _cultivation(cast).pk},
        data=_form,
        expect=RECORDERS,
    ),
    "publications:import": page(
        "POST",
        kwargs=lambda cast: {"pk": _cultivation(cast).pk},
        data=_import_form,
        expect=RECORDERS,
    ),
    "publications:detail": page(
        kwargs=lambda cast: {"pk": _publication(cast).pk},
        expect=expect(ok=VISIBLE, hidden=HIDDEN),
    ),
    "publications:edit": page(
        "POST",
        kwargs=lambda cast: {"pk": _publication(cast).pk},
        data=_form,
        expect=RECORDERS,
    ),
    "publications:waive": page(
        "POST",
        kwargs=lambda cast: {"pk": _violating(cast).pk},
        data=lambda cast: {"reason": "Roles agreed by e-mail"},
        expect=expect(
            ok=COORDINATORS,
            forbidden=["admin", *TUTORS, "trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    "publications:confirm": page(
        "POST",
        kwargs=lambda cast: {"pk": _publication(cast).pk},
        data=lambda cast: {},
        expect=expect(
            ok=TUTORS,
            forbidden=["admin", *COORDINATORS, "trainee"],
            hidden=HIDDEN,
            ok_status=REDIRECT,
        ),
    ),
    # API
    "publications_publication_list": api(
        "GET", lambda cast: f"{API}/", expect(ok=[*VISIBLE, *HIDDEN], anonymous=401)
    ),
    "publications_publication_create": api(
        "POST",
        lambda cast: (_cultivation(cast), f"{API}/")[1],
        expect(ok=VISIBLE, hidden=HIDDEN, ok_status=CREATED, anonymous=401),
        data=_json,
    ),
    "publications_publication_import": api(
        "POST",
        lambda cast: (_cultivation(cast), f"{API}/import")[1],
        expect(ok=VISIBLE, hidden=HIDDEN, ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "cultivation_id": _json(cast)["cultivation_id"],
            "kind": "bibtex",
            "content": BIBTEX,
        },
    ),
    "publications_publication_get": api(
        "GET",
        lambda cast: f"{API}/{_publication(cast).pk}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "publications_publication_update": api(
        "PUT",
        lambda cast: f"{API}/{_publication(cast).pk}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
        data=lambda cast: _json(cast, with_cultivation=False),
    ),
    "publications_publication_waive": api(
        "POST",
        lambda cast: f"{API}/{_violating(cast).pk}/waive",
        expect(
            ok=COORDINATORS, forbidden=["admin", *TUTORS, "trainee"], hidden=HIDDEN, anonymous=401
        ),
        data=lambda cast: {"reason": "Roles agreed by e-mail"},
    ),
    "publications_publication_confirm": api(
        "POST",
        lambda cast: f"{API}/{_publication(cast).pk}/confirm",
        expect(
            ok=TUTORS, forbidden=["admin", *COORDINATORS, "trainee"], hidden=HIDDEN, anonymous=401
        ),
        data=lambda cast: {},
    ),
}
