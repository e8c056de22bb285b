"""The residents of a cohort on its pages: add (search, several at once), edit program, leave
and preferences, remove — and block numbers from 1 wherever people read them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.portal.tests.test_pages_in_chinese import ENGLISH, _visible_text
from tandem.residency import selectors, services
from tandem.residency.models import CohortMember, ProposalStatus
from tandem.residency.tests.factories import (
    build_world,
    make_base_director,
    make_proposal,
    make_resident,
    publish,
)


@pytest.fixture
def world(cast):
    return build_world(cast)


def _text(response) -> str:
    return " ".join(_visible_text(response.content.decode()).split())


def _member_data(world, **extra):
    data = {
        "program": world.program.pk,
        "preferences-TOTAL_FORMS": 3,
        "preferences-INITIAL_FORMS": 0,
    }
    data.update(extra)
    return data


# --------------------------------------------------------------------------- access


def test_outsider_gets_404_on_member_pages(world, client_for):
    client = client_for("outsider")
    assert client.get(reverse("residency:member_add", args=[world.cohort.pk])).status_code == 404
    assert client.get(reverse("residency:member_edit", args=[world.member.pk])).status_code == 404
    assert (
        client.post(reverse("residency:member_remove", args=[world.member2.pk])).status_code == 404
    )
    assert CohortMember.objects.filter(pk=world.member2.pk).exists()


def test_partner_coordinator_gets_403_on_adding_and_404_on_members(world, client_for):
    make_proposal(world, approved=False)  # B now sees the cohort, as a partner
    client = client_for("coord_b")
    assert client.get(reverse("residency:cohort_detail", args=[world.cohort.pk])).status_code == 200
    assert client.get(reverse("residency:member_add", args=[world.cohort.pk])).status_code == 403
    assert client.get(reverse("residency:member_edit", args=[world.member.pk])).status_code == 404


def test_base_director_gets_403_on_member_pages(world, client):
    client.force_login(make_base_director(world))
    assert client.get(reverse("residency:member_add", args=[world.cohort.pk])).status_code == 403
    assert client.get(reverse("residency:member_edit", args=[world.member.pk])).status_code == 403
    assert (
        client.post(reverse("residency:member_remove", args=[world.member2.pk])).status_code == 403
    )
    assert CohortMember.objects.filter(pk=world.member2.pk).exists()


def test_the_resident_cannot_edit_their_own_membership(world, client_for):
    assert (
        client_for("resident")
        .get(reverse("residency:member_edit", args=[world.member.pk]))
        .status_code
        == 404
    )


# --------------------------------------------------------------------------- adding


def test_member_add_searches_the_hospitals_residents(world, client_for, cast):
    make_resident(cast, "zhang.wei")
    make_resident(cast, "li.na")
    make_resident(cast, "at.b", institution=cast.inst_b)
    client = client_for("coord_a")
    url = reverse("residency:member_add", args=[world.cohort.pk])
    page = _text(client.get(url))
    assert "Zhang Wei" in page and "Li Na" in page
    assert "At B" not in page and "Rui Resident" not in page  # other hospital; already in
    found = client.get(url, {"q": "zhang"}, headers={"HX-Request": "true"})
    assert "<html" not in found.content.decode()  # the candidate list only
    assert "Zhang Wei" in _text(found) and "Li Na" not in _text(found)


def test_member_add_adds_the_ticked_residents_with_their_program(world, client_for, cast):
    first, second = make_resident(cast, "zhang.wei"), make_resident(cast, "li.na")
    response = client_for("coord_a").post(
        reverse("residency:member_add", args=[world.cohort.pk]),
        {"residents": [first.pk, second.pk], "program": world.program.pk},
    )
    assert response["Location"] == reverse("residency:cohort_detail", args=[world.cohort.pk])
    assert set(world.cohort.members.values_list("resident__username", flat=True)) == {
        "resident",
        "resident2",
        "zhang.wei",
        "li.na",
    }


def test_member_add_errors_keep_the_search_and_the_ticks(world, client_for, cast):
    first = make_resident(cast, "zhang.wei")
    response = client_for("coord_a").post(
        reverse("residency:member_add", args=[world.cohort.pk]),
        {"residents": [first.pk], "program": "", "q": "zhang"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["program"]
    body = response.content.decode()
    assert f'value="{first.pk}" id="resident-{first.pk}" checked' in body
    assert 'name="q" value="zhang"' in body
    response = client_for("coord_a").post(
        reverse("residency:member_add", args=[world.cohort.pk]),
        {"residents": [world.cast.trainee.pk], "program": world.program.pk},
    )
    assert response.status_code == 400  # not a resident: not a valid choice
    assert not CohortMember.objects.filter(resident=world.cast.trainee).exists()


def test_member_add_shows_a_bounded_list_with_a_fixed_number_of_queries(world, client_for, cast):
    client = client_for("coord_a")
    url = reverse("residency:member_add", args=[world.cohort.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for n in range(3):
        make_resident(cast, f"small{n}")
    small = count()
    for n in range(60):
        make_resident(cast, f"many{n:02d}")
    assert count() == small
    response = client.get(url)
    assert len(response.context["candidates"]) == 50
    assert "Showing 50 of 63 residents" in _text(response)


# --------------------------------------------------------------------------- editing


def test_member_edit_shows_blocks_from_1_with_dates(world, client_for):
    response = client_for("coord_a").get(reverse("residency:member_edit", args=[world.member.pk]))
    labels = [label for _value, label in response.context["form"].fields["leave_blocks"].choices]
    assert labels[0].startswith("Block 1: ") and labels[-1].startswith("Block 4: ")
    assert "2026-08-31" in labels[0]  # ISO: one date format per locale (config/formats)


def test_member_edit_saves_leave_and_preferences(world, client_for):
    client = client_for("coord_a")
    response = client.post(
        reverse("residency:member_edit", args=[world.member.pk]),
        _member_data(
            world,
            leave_blocks=[0, 2],
            **{
                "preferences-0-department": world.a2.pk,
                "preferences-0-points": 3,
                "preferences-1-department": world.b1.pk,
                "preferences-1-points": -1,
            },
        ),
    )
    assert response.status_code == 302
    member = CohortMember.objects.get(pk=world.member.pk)
    assert member.leave_blocks == [0, 2]
    assert member.preferences == [
        {"department": world.a2.pk, "points": 3},
        {"department": world.b1.pk, "points": -1},
    ]
    page = client.get(reverse("residency:member_edit", args=[member.pk]))
    assert "Rui Resident — Leave blocks: 1, 3" in _text(page)
    cohort_page = _text(client.get(reverse("residency:cohort_detail", args=[world.cohort.pk])))
    assert "Block 1, Block 3" in cohort_page and "2 departments" in cohort_page
    # Clearing a row drops that preference.
    client.post(
        reverse("residency:member_edit", args=[member.pk]),
        {
            "program": world.program.pk,
            "leave_blocks": [0],
            "preferences-TOTAL_FORMS": 2,
            "preferences-INITIAL_FORMS": 2,
            "preferences-0-department": world.a2.pk,
            "preferences-0-points": 3,
            "preferences-1-department": "",
            "preferences-1-points": "",
        },
    )
    assert CohortMember.objects.get(pk=member.pk).preferences == [
        {"department": world.a2.pk, "points": 3}
    ]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ({"preferences-0-department": "A2", "preferences-0-points": 3}, "Select a valid choice"),
        ({"preferences-0-points": 3}, "Choose the department these points are for."),
        ({"preferences-0-department": "{a2}"}, "Give the points for this department."),
        ({"preferences-0-department": "{a2}", "preferences-0-points": 500}, "less than or equal"),
        (
            {
                "preferences-0-department": "{a2}",
                "preferences-0-points": 1,
                "preferences-1-department": "{a2}",
                "preferences-1-points": 2,
            },
            "Name each department once.",
        ),
    ],
)
def test_member_edit_explains_bad_preferences_and_saves_nothing(world, client_for, rows, words):
    rows = {k: (str(world.a2.pk) if v == "{a2}" else v) for k, v in rows.items()}
    response = client_for("coord_a").post(
        reverse("residency:member_edit", args=[world.member.pk]),
        _member_data(world, leave_blocks=[1], **rows),
    )
    assert response.status_code == 400
    assert words in _text(response)
    assert CohortMember.objects.get(pk=world.member.pk).leave_blocks == []


def test_member_edit_refuses_leave_outside_the_calendar(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:member_edit", args=[world.member.pk]),
        _member_data(world, leave_blocks=[7]),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["leave_blocks"]


def test_member_edit_on_a_published_cohort_says_the_schedule_stays(world, client_for):
    publish(world)
    page = _text(
        client_for("coord_a").get(reverse("residency:member_edit", args=[world.member.pk]))
    )
    assert "the published one stays as it is" in page
    assert "they cannot be removed" in page


# --------------------------------------------------------------------------- removing


def test_member_remove_removes_and_returns_to_the_cohort(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:member_remove", args=[world.member2.pk])
    )
    assert response["Location"] == reverse("residency:cohort_detail", args=[world.cohort.pk])
    assert not CohortMember.objects.filter(pk=world.member2.pk).exists()


def test_removing_someone_on_the_published_schedule_is_refused_with_the_reason(world, client_for):
    publish(world)
    response = client_for("coord_a").post(
        reverse("residency:member_remove", args=[world.member.pk]), follow=True
    )
    assert "Rui Resident is on this cohort's published schedule" in _text(response)
    assert selectors.member_on_schedule(CohortMember.objects.get(pk=world.member.pk))


def test_a_removed_resident_is_left_out_when_an_older_proposal_is_published(world):
    from tandem.residency import services, services_schedule

    proposal = make_proposal(world, approved=True, status=ProposalStatus.DONE)
    services.member_remove(actor=world.cast.coord_a, member=world.member2)
    schedule = services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    assert set(schedule.assignments.values_list("member_id", flat=True)) == {world.member.pk}


# --------------------------------------------------------------------------- in Chinese


@pytest.mark.parametrize("page", ["member_add", "member_edit"])
def test_member_pages_are_in_chinese(world, client_for, page):
    pk = world.cohort.pk if page == "member_add" else world.member.pk
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse(f"residency:{page}", args=[pk]))
    assert response.status_code == 200
    text = _text(response)
    assert not [msgid for msgid in ENGLISH if msgid in text]
    if page == "member_edit":
        assert "第 1 轮转段" in text


def test_the_cohort_page_offers_removal_only_for_residents_off_the_published_schedule(
    world, client_for, cast
):
    url = reverse("residency:cohort_detail", args=[world.cohort.pk])
    remove = reverse("residency:member_remove", args=[world.member.pk])
    assert remove in client_for("coord_a").get(url).content.decode()
    publish(world)
    newcomer = make_resident(cast, "newcomer")
    added = services.member_add(
        actor=cast.coord_a, cohort=world.cohort, resident=newcomer, program=world.program
    )
    body = client_for("coord_a").get(url).content.decode()
    assert remove not in body and "On the published schedule" in body
    assert reverse("residency:member_remove", args=[added.pk]) in body
