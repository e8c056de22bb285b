"""The capacity-by-block API: GET and PUT /departments/{pk}/capacity/?calendar_id=."""

import datetime
import json

import pytest
from django.test import Client

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.core.models import AuditEvent
from tandem.institutions.models import Unit, UnitKind
from tandem.residency import capacity, services
from tandem.residency.models import CapacityOverride
from tandem.residency.tests.factories import build_world, make_base_director

API = "/api/v1/residency"


@pytest.fixture
def world(cast):
    return build_world(cast)


def _url(world, calendar_id=None, department=None):
    pk = (department or world.a1).pk
    return f"{API}/departments/{pk}/capacity/?calendar_id={calendar_id or world.calendar.pk}"


def _put(client, url, rows):
    return client.put(url, data=json.dumps({"rows": rows}), content_type="application/json")


def _stored(world):
    return {
        o.block.index: (o.min_per_block, o.max_per_block)
        for o in capacity.override_list(world.a1, world.calendar)
    }


# --------------------------------------------------------------------------- access


def test_outsider_gets_404(world, client_for):
    client = client_for("outsider")
    assert client.get(_url(world)).status_code == 404
    assert _put(client, _url(world), [{"block": 0, "max_per_block": 1}]).status_code == 404
    assert not CapacityOverride.objects.exists()


@pytest.mark.parametrize("actor", ["coord_b", "tutor_a", "resident"])
def test_wrong_role_reads_but_gets_403_on_writing(world, client_for, actor):
    client = client_for(actor)
    assert client.get(_url(world)).status_code == 200
    response = _put(client, _url(world), [{"block": 0, "max_per_block": 1}])
    assert response.status_code == 403
    assert not CapacityOverride.objects.exists()


def test_director_of_another_base_gets_403(world, cast):
    surgery = Unit.objects.create(
        institution=cast.inst_a,
        name="Surgery base A",
        kind=UnitKind.TRAINING_BASE,
        specialty="surgery",
    )
    other = UserFactory(username="director_surgery")
    Membership.objects.create(
        user=other, role=Role.BASE_DIRECTOR, institution=cast.inst_a, unit=surgery
    )
    client = Client()
    client.force_login(other)
    assert _put(client, _url(world), [{"block": 0, "max_per_block": 1}]).status_code == 403
    client.force_login(make_base_director(world))
    assert _put(client, _url(world), [{"block": 0, "max_per_block": 1}]).status_code == 200


# --------------------------------------------------------------------------- reading and writing


def test_put_replaces_the_blocks_numbers_and_get_reads_them_back(world, client_for, cast):
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={3: (1, 1)}
    )
    client = client_for("coord_a")
    response = _put(
        client,
        _url(world),
        [
            {"block": 0, "min_per_block": None, "max_per_block": 1},
            {"block": 2, "min_per_block": 2, "max_per_block": 2},
        ],
    )
    assert response.status_code == 200, response.content
    assert _stored(world) == {0: (None, 1), 2: (2, 2)}  # block 4 went back to the department's
    body = client.get(_url(world)).json()
    assert body == response.json()
    assert body["default_min_per_block"] == 0 and body["default_max_per_block"] == 3
    assert [
        (
            r["number"],
            r["min_per_block"],
            r["max_per_block"],
            r["effective_min_per_block"],
            r["effective_max_per_block"],
        )
        for r in body["rows"]
    ] == [(1, None, 1, 0, 1), (2, None, None, 0, 3), (3, 2, 2, 2, 2), (4, None, None, 0, 3)]
    assert body["rows"][0]["start_date"] == "2026-08-31"
    assert AuditEvent.objects.filter(action="department.capacity_set").count() == 2


def test_a_bad_row_is_400_naming_its_block_and_saves_nothing(world, client_for):
    client = client_for("coord_a")
    response = _put(
        client,
        _url(world),
        [{"block": 0, "max_per_block": 1}, {"block": 1, "min_per_block": 3, "max_per_block": 1}],
    )
    assert response.status_code == 400
    assert response.json()["errors"]["rows"] == [
        "Block 2: the least (3) is more than the most (1)."
    ]
    assert not CapacityOverride.objects.exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"block": 5, "max_per_block": 1}], "Block 6 is not in this calendar."),
        (
            [{"block": 1, "max_per_block": 1}, {"block": 1, "max_per_block": 2}],
            "Block 2 is given twice.",
        ),
        (
            [{"block": 3, "min_per_block": 4}],
            "Block 4: at least 4 is more than the department takes at most (3).",
        ),
    ],
)
def test_rows_that_cannot_hold_are_400_naming_the_block(world, client_for, rows, message):
    response = _put(client_for("coord_a"), _url(world), rows)
    assert response.status_code == 400
    assert message in response.json()["errors"]["rows"]
    assert not CapacityOverride.objects.exists()


def test_a_calendar_of_another_hospital_is_400_naming_it(world, client_for, cast):
    b_only = services.calendar_create(
        actor=cast.coord_b,
        name="B only",
        training_year=2026,
        kind="four_weeks",
        block_count=4,
        institution=cast.inst_b,
        start_date=datetime.date(2026, 8, 31),
    )
    client = client_for("coord_a")
    response = client.get(_url(world, b_only.pk))
    assert response.status_code == 400 and "calendar_id" in response.json()["errors"]
    response = _put(client, _url(world, b_only.pk), [])
    assert response.status_code == 400 and "calendar_id" in response.json()["errors"]


def test_malformed_input_is_422_naming_the_field(world, client_for):
    client = client_for("coord_a")
    no_calendar = f"{API}/departments/{world.a1.pk}/capacity/"
    assert client.get(no_calendar).status_code == 422
    response = _put(client, _url(world), [{"block": 0, "max_per_block": -1}])
    assert response.status_code == 422
    assert any("max_per_block" in key for key in response.json()["errors"])


def test_errors_are_in_chinese_when_asked(world, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    response = _put(client, _url(world), [{"block": 1, "min_per_block": 3, "max_per_block": 1}])
    assert response.status_code == 400
    assert response.json()["detail"] == "第 2 轮转段：最少人数（3）大于最多人数（1）。"
