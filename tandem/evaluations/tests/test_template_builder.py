"""The template builder's pages and API: a round trip through the page (create, edit in place
while unused, used by a round, edit makes version 2 and the round keeps version 1), the
messages that name what is wrong with nothing half-saved, copying and retiring, the API, the
Chinese page, and a list page whose queries do not grow with the templates."""

from copy import deepcopy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.evaluations import selectors
from tandem.evaluations.forms_templates import parse_options
from tandem.evaluations.models import EvaluationTemplate, RoundTemplate, TemplateItem
from tandem.evaluations.tests.factories import make_template, open_round, population, sections

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluations/templates"


def builder_data(
    *,
    title="Tutor feedback",
    title_zh="导师反馈",
    relationship="trainee_tutor",
    institution=None,
    anonymous=True,
    rows=None,
    extra=None,
):
    """The builder's POST: `rows` is [(section title, [item dict, …]), …]."""
    rows = (
        rows
        if rows is not None
        else [
            (
                "Supervision",
                [
                    {
                        "kind": "rating",
                        "prompt": "Availability",
                        "options": "1 | Poor | 差\n2 | Fair\n3 | Good",
                    },
                    {"kind": "narrative", "prompt": "What could improve?", "is_required": False},
                ],
            )
        ]
    )
    data = {
        "title": title,
        "title_zh": title_zh,
        "instructions": "Be frank.",
        "instructions_zh": "",
        "relationship": relationship,
        "sections-TOTAL_FORMS": str(len(rows)),
        "sections-INITIAL_FORMS": "0",
        "save": "1",
    }
    if anonymous:
        data["is_anonymous"] = "on"
    if institution is not None:
        data["institution"] = str(institution)
    index = 0
    for number, (section_title, items) in enumerate(rows, start=1):
        data[f"sections-{number - 1}-title"] = section_title
        for item in items:
            prefix = f"items-{index}-"
            data[prefix + "section"] = str(item.get("section", number))
            data[prefix + "kind"] = item["kind"]
            data[prefix + "prompt"] = item["prompt"]
            data[prefix + "code"] = item.get("code", "")
            data[prefix + "options"] = item.get("options", "")
            if item.get("is_required", True):
                data[prefix + "is_required"] = "on"
            if item.get("allows_not_observed"):
                data[prefix + "allows_not_observed"] = "on"
            index += 1
    data["items-TOTAL_FORMS"] = str(index)
    data["items-INITIAL_FORMS"] = "0"
    data.update(extra or {})
    return data


def _create(client, cast, **kwargs):
    kwargs.setdefault("institution", cast.inst_a.pk)
    return client.post(reverse("evaluations:template_create"), builder_data(**kwargs))


# --- the round trip -------------------------------------------------------------------------


def test_builder_round_trip_makes_a_new_version_once_a_round_uses_it(cast, client_for):
    client = client_for("coord_a")
    response = _create(client, cast)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = EvaluationTemplate.objects.get(title="Tutor feedback")
    assert template.institution == cast.inst_a and template.is_anonymous
    items = list(template.items.order_by("position"))
    assert [i.kind for i in items] == ["rating", "narrative"]
    assert items[0].options[0] == {"value": 1, "label": "Poor", "label_zh": "差"}
    assert [o["value"] for o in items[0].options] == [1, 2, 3]
    assert not items[1].is_required

    # The edit page shows what was saved, and no version warning while unused.
    url = reverse("evaluations:template_edit", args=[template.pk])
    page = client.get(url).content.decode()
    assert "Availability" in page and "1 | Poor | 差" in page
    assert "saving creates version" not in page

    # Unused: edited in place.
    data = builder_data(title="Tutor feedback, revised", anonymous=True)
    assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.title == "Tutor feedback, revised" and template.version == 1
    assert EvaluationTemplate.objects.filter(family=template.family).count() == 1

    # Used by a round: the page says so, and saving makes version 2.
    population(cast)
    round_ = open_round(cast, [template])
    page = client.get(url).content.decode()
    assert "saving creates version 2" in page and "keep version 1" in page
    data = builder_data(title="Tutor feedback v2")
    response = client.post(url, data)
    assert response.status_code == 302
    second = EvaluationTemplate.objects.get(family=template.family, version=2)
    assert response["Location"] == reverse("evaluations:template_detail", args=[second.pk])
    template.refresh_from_db()
    assert not template.is_current and template.title == "Tutor feedback, revised"
    assert RoundTemplate.objects.get(round=round_).template_id == template.pk
    assert set(round_.pairs.values_list("template_id", flat=True)) == {template.pk}

    # The old version is read-only: its page offers no edit, its edit page is refused.
    old_page = client.get(reverse("evaluations:template_detail", args=[template.pk]))
    assert "earlier version" in old_page.content.decode()
    assert client.get(url).status_code == 403
    detail = client.get(reverse("evaluations:template_detail", args=[second.pk])).content.decode()
    versions = list(selectors.template_versions(second).values_list("version", "rounds_using"))
    assert versions == [(2, 0), (1, 1)]
    assert "Rounds using it" in detail


def test_add_buttons_keep_what_was_typed_and_save_nothing(cast, client_for):
    client = client_for("coord_a")
    data = builder_data(institution=cast.inst_a.pk, extra={"add_section": "1"})
    del data["save"]
    response = client.post(reverse("evaluations:template_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tutor feedback"' in page and "Availability" in page
    assert 'name="sections-1-title"' in page and 'name="items-2-prompt"' in page
    assert not EvaluationTemplate.objects.exists()

    data = builder_data(institution=cast.inst_a.pk, extra={"add_item": "1"})
    del data["save"]
    page = client.post(reverse("evaluations:template_create"), data).content.decode()
    assert 'name="items-2-prompt"' in page and 'name="sections-1-title"' not in page
    assert not EvaluationTemplate.objects.exists()


def test_items_go_to_the_section_they_name_and_removed_rows_are_dropped(cast, client_for):
    client = client_for("coord_a")
    rows = [
        ("First", [{"kind": "yes_no", "prompt": "Weekly meeting"}]),
        (
            "Second",
            [
                {"kind": "yes_no", "prompt": "Moved to the first", "section": 1},
                {"kind": "narrative", "prompt": "Stays here"},
                {"kind": "narrative", "prompt": "Removed"},
            ],
        ),
    ]
    data = builder_data(institution=cast.inst_a.pk, rows=rows, extra={"items-3-remove": "on"})
    assert client.post(reverse("evaluations:template_create"), data).status_code == 302
    template = EvaluationTemplate.objects.get()
    layout = [
        (s.title, [i.prompt for i in s.items.order_by("position")])
        for s in template.sections.order_by("position")
    ]
    assert layout == [
        ("First", ["Weekly meeting", "Moved to the first"]),
        ("Second", ["Stays here"]),
    ]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "Title in English</a>: This field cannot be blank."),
        ({"items-0-options": ""}, "Section 1, item 1: A scale or choice needs at least two"),
        ({"items-0-kind": "choice", "items-0-options": "Only one"}, "Section 1, item 1: A scale"),
        (
            {"items-0-options": "1 | a | b | c"},
            "Section 1, item 1: Anchors or choices — Line 1: write number",
        ),
        ({"items-0-code": "q1", "items-1-code": "q1"}, "Section 1, item 2: The code “q1”"),
        ({"items-0-section": "7"}, "There is no section 7"),
        ({"sections-1-title": "Empty"}, "Section 2: Every section needs at least one item."),
        ({"relationship": ""}, "Who evaluates whom</a>: This field cannot be blank."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(cast, client_for, change, message):
    data = builder_data(institution=cast.inst_a.pk)
    if "sections-1-title" in change:
        data["sections-TOTAL_FORMS"] = "2"
    data.update(change)
    response = client_for("coord_a").post(reverse("evaluations:template_create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page, page[page.find("error-summary") - 100 :][:1500]
    assert "Nothing was saved" in page
    assert 'value="Tutor feedback"' in page or change.get("title") == ""
    assert not EvaluationTemplate.objects.exists()
    assert not TemplateItem.objects.exists()


def test_section_without_english_title_is_named(cast, client_for):
    data = builder_data(
        institution=cast.inst_a.pk, rows=[("", [{"kind": "yes_no", "prompt": "Q"}])]
    )
    response = client_for("coord_a").post(reverse("evaluations:template_create"), data)
    assert response.status_code == 400
    assert "Section 1: This field cannot be blank." in response.content.decode()


def test_coordinator_cannot_keep_a_template_for_another_institution(cast, client_for):
    response = _create(client_for("coord_a"), cast, institution=cast.inst_b.pk)
    assert response.status_code == 400
    assert not EvaluationTemplate.objects.exists()


def test_options_lines_without_numbers_are_numbered():
    assert parse_options("In person | 面谈\n\nOnline") == [
        {"value": 1, "label": "In person", "label_zh": "面谈"},
        {"value": 2, "label": "Online", "label_zh": ""},
    ]


# --- copy and retire ------------------------------------------------------------------------


def test_copy_starts_a_new_family_from_a_seeded_template(cast, client_for):
    seeded = make_template(cast)  # consortium-wide, kept by the admin
    client = client_for("coord_a")
    url = reverse("evaluations:template_duplicate", args=[seeded.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"institution": cast.inst_a.pk, "title": ""})
    copy = EvaluationTemplate.objects.exclude(pk=seeded.pk).get()
    assert response["Location"] == reverse("evaluations:template_edit", args=[copy.pk])
    assert copy.family != seeded.family and copy.version == 1
    assert copy.institution == cast.inst_a and copy.title == f"{seeded.title} (copy)"
    assert selectors.template_sections(copy) != []
    strip = [
        [{k: v for k, v in i.items() if k != "id"} for i in s["items"]]
        for s in selectors.template_sections(copy)
    ]
    assert strip == [
        [{k: v for k, v in i.items() if k != "id"} for i in s["items"]]
        for s in selectors.template_sections(seeded)
    ]
    assert AuditEvent.objects.filter(action="evaluations.template_duplicate").count() == 1


def test_retired_template_is_not_offered_for_new_rounds(cast, client_for):
    template = make_template(cast, actor=cast.coord_a, institution=cast.inst_a)
    client = client_for("coord_a")
    url = reverse("evaluations:template_retire", args=[template.pk])
    assert client.post(url, {"action": "retire"}).status_code == 302
    template.refresh_from_db()
    assert template.retired_at is not None
    assert not selectors.template_choices_for(cast.coord_a, "trainee_tutor").exists()
    population(cast)
    with pytest.raises(Exception, match="current template"):
        open_round(cast, [template])
    assert "retired" in client.get(reverse("evaluations:template_list")).content.decode()
    assert client.post(url, {"action": "restore"}).status_code == 302
    template.refresh_from_db()
    assert template.retired_at is None
    assert open_round(cast, [template]).pk


# --- the list ---------------------------------------------------------------------------------


def test_list_filters_by_relationship_and_shows_use(cast, client_for):
    used = make_template(cast, "trainee_tutor")
    make_template(cast, "tutor_trainee", anonymous=False)
    population(cast)
    open_round(cast, [used])
    client = client_for("coord_a")
    page = client.get(reverse("evaluations:template_list")).content.decode()
    assert "Evaluation trainee_tutor" in page and "Evaluation tutor_trainee" in page
    assert "in use" in page and "not yet used" in page and "the whole consortium" in page
    page = client.get(reverse("evaluations:template_list"), {"relationship": "tutor_trainee"})
    assert "Evaluation trainee_tutor" not in page.content.decode()


def test_list_queries_do_not_grow_with_templates(cast, client_for):
    client = client_for("coord_a")
    url = reverse("evaluations:template_list")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_template(cast)
    small = count()
    for relationship in ("tutor_trainee", "trainee_host", "self", "peer"):
        make_template(cast, relationship, actor=cast.coord_a, institution=cast.inst_a)
    assert count() == small


def test_pages_in_chinese(cast, client_for):
    template = make_template(cast)
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    for url in (
        reverse("evaluations:template_list"),
        reverse("evaluations:template_detail", args=[template.pk]),
        reverse("evaluations:template_create"),
    ):
        page = client.get(url).content.decode()
        assert "评价模板" in page, url
    page = client.get(reverse("evaluations:template_create")).content.decode()
    assert "添加一个部分" in page and "谁评价谁" in page
    data = builder_data(institution=cast.inst_a.pk, extra={"items-0-options": ""})
    page = client.post(reverse("evaluations:template_create"), data).content.decode()
    assert "第 1 部分第 1 题：量表或选择题至少需要两个不同的锚点。" in page


# --- who may ------------------------------------------------------------------------------


def test_outsider_gets_404_and_tutor_403(cast, client_for):
    template = make_template(cast, actor=cast.coord_a, institution=cast.inst_a)
    detail = reverse("evaluations:template_detail", args=[template.pk])
    assert client_for("outsider").get(detail).status_code == 404
    assert client_for("coord_b").get(detail).status_code == 404
    assert client_for("tutor_a").get(detail).status_code == 403
    assert client_for("trainee").get(reverse("evaluations:template_list")).status_code == 403


def test_coordinator_sees_but_cannot_edit_a_consortium_template(cast, client_for):
    template = make_template(cast)
    client = client_for("coord_a")
    page = client.get(reverse("evaluations:template_detail", args=[template.pk])).content.decode()
    assert reverse("evaluations:template_edit", args=[template.pk]) not in page
    assert client.get(reverse("evaluations:template_edit", args=[template.pk])).status_code == 403


# --- the API ----------------------------------------------------------------------------------


def _json(title="API template", **extra):
    body = {
        "title": title,
        "title_zh": "接口模板",
        "relationship": "tutor_trainee",
        "is_anonymous": False,
        "sections": deepcopy(sections()),  # the factory's scales are shared dicts
    }
    body.update(extra)
    return body


def _send(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_api_create_edit_in_place_then_new_version(cast, client_for):
    client = client_for("coord_a")
    response = _send(client, "post", API, _json(institution_id=cast.inst_a.pk))
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["version"] == 1 and created["in_use"] is False
    assert [s["title"] for s in created["sections"]] == ["Supervision", "Comments"]
    assert created["sections"][0]["items"][0]["options"][0]["label_zh"] == "差"

    url = f"{API}/{created['id']}"
    edited = _send(client, "put", url, _json("Renamed")).json()
    assert edited["id"] == created["id"] and edited["version"] == 1

    template = EvaluationTemplate.objects.get(pk=created["id"])
    population(cast)
    open_round(cast, [template])
    assert client.get(url).json()["in_use"] is True
    response = _send(client, "put", url, _json("Second"))
    assert response.status_code == 200
    second = response.json()
    assert second["version"] == 2 and second["id"] != created["id"]
    assert second["family"] == created["family"]
    versions = client.get(f"{url}/versions").json()
    assert [(v["version"], v["rounds_using"]) for v in versions] == [(2, 0), (1, 1)]
    # The old version is read-only.
    assert _send(client, "put", url, _json("Again")).status_code == 403
    listed = client.get(API, {"relationship": "tutor_trainee"}).json()["items"]
    assert [row["id"] for row in listed] == [second["id"]]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.update(title=""), "title"),
        (lambda b: b["sections"][0]["items"][3].update(options=[]), "sections.0.items.3.options"),
        (lambda b: b["sections"][0]["items"][0].update(options=[]), "sections.0.items.0.options"),
        (lambda b: b["sections"][1].update(items=[]), "sections.1.items"),
        (lambda b: b["sections"][0]["items"][1].update(kind="stars"), "sections.0.items.1.kind"),
        (
            lambda b: [i.update(code="same") for i in b["sections"][0]["items"][:2]],
            "sections.0.items.1.code",
        ),
        (lambda b: b.update(sections=[]), "sections"),
    ],
)
def test_api_bad_input_names_the_field_and_saves_nothing(cast, client_for, mutate, field):
    body = _json(institution_id=cast.inst_a.pk)
    mutate(body)
    response = _send(client_for("coord_a"), "post", API, body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not EvaluationTemplate.objects.exists()


def test_api_body_that_does_not_fit_is_422_naming_the_field(cast, client_for):
    body = _json(institution_id=cast.inst_a.pk)
    body["sections"][0]["items"][0]["options"][0]["value"] = "high"
    response = _send(client_for("coord_a"), "post", API, body)
    assert response.status_code == 422
    assert any(key.startswith("sections.0.items.0.options.0") for key in response.json()["errors"])


def test_api_coordinator_cannot_create_consortium_wide_or_for_another(cast, client_for):
    client = client_for("coord_a")
    response = _send(client, "post", API, _json())
    assert response.status_code == 400 and "institution_id" in response.json()["errors"]
    response = _send(client, "post", API, _json(institution_id=cast.inst_b.pk))
    assert response.status_code == 400 and "institution_id" in response.json()["errors"]


def test_api_copy_retire_restore(cast, client_for):
    seeded = make_template(cast)
    client = client_for("coord_a")
    response = _send(client, "post", f"{API}/{seeded.pk}/copy", {"institution_id": cast.inst_a.pk})
    assert response.status_code == 201
    copy_id = response.json()["id"]
    assert _send(client, "post", f"{API}/{seeded.pk}/retire", {}).status_code == 403
    retired = _send(client, "post", f"{API}/{copy_id}/retire", {})
    assert retired.status_code == 200 and retired.json()["retired_at"]
    again = _send(client, "post", f"{API}/{copy_id}/retire", {})
    assert again.status_code == 400 and "retired" in again.json()["errors"]
    assert _send(client, "post", f"{API}/{copy_id}/restore", {}).json()["retired_at"] is None


def test_api_outsider_404_tutor_403(cast, client_for):
    template = make_template(cast, actor=cast.coord_a, institution=cast.inst_a)
    assert client_for("outsider").get(f"{API}/{template.pk}").status_code == 404
    assert client_for("tutor_a").get(f"{API}/{template.pk}").status_code == 403
    assert client_for("trainee").get(API).status_code == 403


def test_api_nul_bytes_are_a_named_error_not_a_crash(cast, client_for):
    """PostgreSQL cannot store NUL: the service refuses it with a message (was a 500)."""
    client = client_for("coord_a")
    body = _json(institution_id=cast.inst_a.pk, title="a\u0000b")
    response = _send(client, "post", API, body)
    assert response.status_code == 400 and "title" in response.json()["errors"]
    body = _json(institution_id=cast.inst_a.pk)
    body["sections"][0]["items"][0]["options"][0]["label"] = "a\u0000b"
    response = _send(client, "post", API, body)
    assert response.status_code == 400 and "sections.0" in response.json()["errors"]
    assert not EvaluationTemplate.objects.exists()
