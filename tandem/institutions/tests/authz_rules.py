"""Who gets what on every institutions page and API operation (see tandem/core/tests/authz.py)."""

from tandem.core.tests.authz import CREATED, OK, REDIRECT, Rule, api, everyone_else, expect, page

A_MEMBERS = ["coord_a", "tutor_a", "trainee", "resident"]
B_MEMBERS = ["coord_b", "tutor_b"]
UNIT_READERS = ["admin", *A_MEMBERS, *B_MEMBERS]  # A's members and its active partner B
UNIT_WRITERS = ["admin", "coord_a"]
CANNOT_WRITE_UNIT = ["tutor_a", "trainee", "resident", *B_MEMBERS]

NEW_INSTITUTION = {
    "name": "Central Children's Hospital",
    "name_zh": "中部儿童医院",
    "code": "cch",
    "kind": "hospital",
    "country": "CN",
    "region": "central",
    "tier_labels": "Grade 3A",
}

RULES: dict[str, Rule] = {
    "institutions:list": page(expect=expect(ok=everyone_else())),
    "institutions:detail": page(
        kwargs=lambda cast: {"pk": cast.inst_a.pk}, expect=expect(ok=everyone_else())
    ),
    "institutions:create": page(
        "POST",
        data=lambda cast: dict(NEW_INSTITUTION),
        expect=expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=REDIRECT),
    ),
    "institutions:edit": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.inst_a.pk},
        data=lambda cast: {
            "name": "Western Medical University",
            "name_zh": "西部医科大学",
            "code": "wmu",
            "kind": "university",
            "country": "CN",
            "region": "western",
            "tier_labels": "Double First-Class, 211",
            "is_active": "on",
        },
        expect=expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=REDIRECT),
    ),
    "institutions:unit_create": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.inst_a.pk},
        data=lambda cast: {"name": "Department of Surgery", "kind": "department"},
        expect=expect(ok=UNIT_WRITERS, forbidden=everyone_else(UNIT_WRITERS), ok_status=REDIRECT),
    ),
    "institutions:unit_detail": page(
        kwargs=lambda cast: {"pk": cast.lab_a.pk},
        expect=expect(ok=UNIT_READERS, hidden=["outsider"]),
    ),
    "institutions:unit_edit": page(
        "POST",
        kwargs=lambda cast: {"pk": cast.lab_a.pk},
        data=lambda cast: {
            "name": "Key Laboratory of Oncology",
            "name_zh": "肿瘤学重点实验室",
            "kind": "key_laboratory",
            "is_active": "on",
        },
        expect=expect(
            ok=UNIT_WRITERS, forbidden=CANNOT_WRITE_UNIT, hidden=["outsider"], ok_status=REDIRECT
        ),
    ),
    # API
    "institutions_institution_list": api(
        "GET",
        lambda cast: "/api/v1/institutions/",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "institutions_institution_get": api(
        "GET",
        lambda cast: f"/api/v1/institutions/{cast.inst_a.pk}",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "institutions_institution_create": api(
        "POST",
        lambda cast: "/api/v1/institutions/",
        expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=CREATED, anonymous=401),
        data=lambda cast: {**NEW_INSTITUTION, "tier_labels": ["Grade 3A"]},
    ),
    "institutions_institution_update": api(
        "PATCH",
        lambda cast: f"/api/v1/institutions/{cast.inst_a.pk}",
        expect(ok=["admin"], forbidden=everyone_else(["admin"]), ok_status=OK, anonymous=401),
        data=lambda cast: {"tier_labels": ["Double First-Class"]},
    ),
    "institutions_unit_list": api(
        "GET",
        lambda cast: "/api/v1/institutions/units",
        expect(ok=everyone_else(), anonymous=401),
    ),
    "institutions_unit_get": api(
        "GET",
        lambda cast: f"/api/v1/institutions/units/{cast.lab_a.pk}",
        expect(ok=UNIT_READERS, hidden=["outsider"], anonymous=401),
    ),
    "institutions_unit_create": api(
        "POST",
        lambda cast: "/api/v1/institutions/units",
        expect(
            ok=UNIT_WRITERS, forbidden=everyone_else(UNIT_WRITERS), ok_status=CREATED, anonymous=401
        ),
        data=lambda cast: {
            "institution_id": cast.inst_a.pk,
            "name": "Surgery training base",
            "kind": "training_base",
            "specialty": "surgery",
        },
    ),
    "institutions_unit_update": api(
        "PATCH",
        lambda cast: f"/api/v1/institutions/units/{cast.lab_a.pk}",
        expect(ok=UNIT_WRITERS, forbidden=CANNOT_WRITE_UNIT, hidden=["outsider"], anonymous=401),
        data=lambda cast: {"name_zh": "肿瘤学重点实验室"},
    ),
}

# The working-calendar pages (kept in their own file).
from tandem.institutions.tests.authz_rules_calendar import CALENDAR_RULES  # noqa: E402

RULES.update(CALENDAR_RULES)
