"""The page "Capacity by block" of a department, its links, and the load row of the grid."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.institutions.models import Unit, UnitKind
from tandem.portal.tests.test_pages_in_chinese import ENGLISH, _visible_text
from tandem.residency import capacity, services
from tandem.residency.models import BlockCalendar, CapacityOverride
from tandem.residency.tests.factories import build_world, make_base_director, publish


@pytest.fixture
def world(cast):
    return build_world(cast)


def _url(world, calendar=None):
    url = reverse("residency:department_capacity", args=[world.a1.pk])
    return f"{url}?calendar={(calendar or world.calendar).pk}"


def _text(response) -> str:
    return " ".join(_visible_text(response.content.decode()).split())


def _form(**values):
    data = {f"{side}_{t}": "" for side in ("min", "max") for t in range(4)}
    data.update({key: str(value) for key, value in values.items()})
    return data


# --------------------------------------------------------------------------- access


def test_outsider_gets_404_and_saves_nothing(world, client_for):
    client = client_for("outsider")
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), _form(max_1=1)).status_code == 404
    assert not CapacityOverride.objects.exists()


@pytest.mark.parametrize("actor", ["coord_b", "tutor_a", "resident"])
def test_who_sees_the_department_but_may_not_edit_it_gets_403(world, client_for, actor):
    client = client_for(actor)
    assert client.get(_url(world)).status_code == 403
    assert client.post(_url(world), _form(max_1=1)).status_code == 403
    assert not CapacityOverride.objects.exists()


def test_director_of_another_base_gets_403_and_their_own_base_director_gets_the_page(
    world, client, cast
):
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
    client.force_login(other)
    assert client.get(_url(world)).status_code == 403
    client.force_login(make_base_director(world))
    assert client.get(_url(world)).status_code == 200


def test_a_calendar_of_another_hospital_or_a_bad_one_is_404(world, client_for, cast):
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
    assert client.get(_url(world, b_only)).status_code == 404
    url = reverse("residency:department_capacity", args=[world.a1.pk])
    assert client.get(f"{url}?calendar=x").status_code == 404


# --------------------------------------------------------------------------- the page


def test_page_lists_the_blocks_with_the_departments_numbers_as_placeholders(
    world, client_for, cast
):
    services.calendar_create(
        actor=cast.coord_a,
        name="A 2027",
        training_year=2027,
        kind="months",
        block_count=3,
        institution=cast.inst_a,
        start_date=datetime.date(2027, 9, 1),
    )
    services.calendar_create(
        actor=cast.coord_b,
        name="B 2027",
        training_year=2027,
        kind="months",
        block_count=3,
        institution=cast.inst_b,
        start_date=datetime.date(2027, 9, 1),
    )
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={2: (None, 1)}
    )
    response = client_for("coord_a").get(_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('placeholder="3"') == 4 and body.count('placeholder="0"') == 4
    assert 'name="max_2" value="1"' in body
    assert '<label for="id_max_2" class="visually-hidden">Block 3: residents at most' in body
    start = body.index('name="calendar"')
    choice = body[start : body.index("</select>", start)]
    assert "A 2027" in choice and "2026/27" in choice and "B 2027" not in choice


def test_saving_sets_some_blocks_and_blank_ones_go_back_to_the_department(world, client_for, cast):
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={0: (1, 2)}
    )
    response = client_for("coord_a").post(_url(world), _form(max_1=1, min_3=2, max_3=2))
    assert response.status_code == 302 and response["Location"] == _url(world)
    stored = {
        o.block.index: (o.min_per_block, o.max_per_block)
        for o in capacity.override_list(world.a1, world.calendar)
    }
    assert stored == {1: (None, 1), 3: (2, 2)}


def test_a_bad_row_names_its_block_and_saves_nothing(world, client_for):
    response = client_for("coord_a").post(_url(world), _form(max_0=1, min_2=3, max_2=1))
    assert response.status_code == 400
    text = _text(response)
    assert "Block 3: the least (3) is more than the most (1)." in text
    assert not CapacityOverride.objects.exists()
    response = client_for("coord_a").post(_url(world), _form(max_0=-1))
    assert response.status_code == 400 and not CapacityOverride.objects.exists()


def test_without_a_calendar_the_page_says_so(cast, client_for):
    base = Unit.objects.create(
        institution=cast.inst_a,
        name="IM base A",
        kind=UnitKind.TRAINING_BASE,
        specialty="internal_medicine",
    )
    ward = services.department_create(actor=cast.coord_a, base=base, name="Ward", code="w")
    assert not BlockCalendar.objects.exists()
    response = client_for("coord_a").get(reverse("residency:department_capacity", args=[ward.pk]))
    assert response.status_code == 200
    assert "There is no block calendar" in _text(response)


def test_links_to_the_page_are_shown_only_to_those_who_may_edit(world, client_for):
    link = reverse("residency:department_capacity", args=[world.a1.pk])
    listing = reverse("residency:department_list")
    assert link in client_for("coord_a").get(listing).content.decode()
    assert (
        link
        in client_for("coord_a")
        .get(reverse("residency:department_edit", args=[world.a1.pk]))
        .content.decode()
    )
    for actor in ("coord_b", "tutor_a"):
        assert link not in client_for(actor).get(listing).content.decode()


def test_page_is_in_chinese(world, client_for, cast):
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={2: (None, 1)}
    )
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    response = client.post(_url(world), _form(min_1=3, max_1=1))
    text = _text(response)
    assert "按轮转段设置容量" in text and "第 2 轮转段" in text
    assert not [msgid for msgid in ENGLISH if msgid in text]


# --------------------------------------------------------------------------- the grid


def test_grid_load_row_shows_each_blocks_load_against_its_capacity(world, client_for, cast):
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={1: (None, 2)}
    )
    publish(world)  # both residents are on A1 in block 2
    client = client_for("coord_a")
    body = client.get(reverse("residency:schedule_detail", args=[world.cohort.pk])).content.decode()
    row = body[body.index("A1 ward <span") :]
    row = row[: row.index("</tr>")]
    assert "<td>1/3</td><td>2/2</td><td>1/3</td><td>0/3</td>" in row
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("residency:schedule_xlsx", args=[world.cohort.pk])).content)
    )["Load"]
    rows = {row[0].value: [c.value for c in row[1:]] for row in sheet.iter_rows(min_row=2)}
    assert rows["A1 ward"] == [1, 2, 1, 0]


def test_page_queries_do_not_grow_with_the_blocks(world, client_for, cast):
    client = client_for("coord_a")
    long_year = services.calendar_create(
        actor=cast.coord_a,
        name="A months",
        kind="months",
        training_year=2027,
        block_count=24,
        institution=cast.inst_a,
        start_date=datetime.date(2027, 9, 1),
    )
    capacity.capacity_set(
        actor=cast.coord_a, department=world.a1, calendar=world.calendar, rows={0: (None, 1)}
    )
    capacity.capacity_set(
        actor=cast.coord_a,
        department=world.a1,
        calendar=long_year,
        rows=dict.fromkeys(range(0, 24, 2), (None, 1)),
    )
    client.get(_url(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(world)).status_code == 200
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(world, long_year)).status_code == 200
    assert len(small) == len(large)
