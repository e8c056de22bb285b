"""Set-up pages: programs, requirements, new cohorts and exchange quotas (members are in
test_setup_members.py) — access, forms with clear errors, and the links on the residency home."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.core.models import AuditEvent
from tandem.institutions.models import Unit
from tandem.portal.tests.test_pages_in_chinese import ENGLISH, _visible_text
from tandem.residency import services
from tandem.residency.forms import DepartmentForm
from tandem.residency.models import Cohort, ExchangeQuota, Program, Requirement
from tandem.residency.tests.factories import build_world, make_base_director


@pytest.fixture
def world(cast):
    return build_world(cast)


def _requirement(world, code):
    return world.program.requirements.get(departments__code=code)


def _text(response) -> str:
    return " ".join(_visible_text(response.content.decode()).split())


# --------------------------------------------------------------------------- access


def test_outsider_gets_404_on_a_programs_pages(world, client_for):
    client = client_for("outsider")
    req = _requirement(world, "a2")
    for url in (
        reverse("residency:program_edit", args=[world.program.pk]),
        reverse("residency:requirement_edit", args=[req.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("residency:requirement_remove", args=[req.pk])).status_code == 404
    assert Requirement.objects.filter(pk=req.pk).exists()


def test_base_director_sees_the_program_but_gets_403_on_editing_it(world, client):
    client.force_login(make_base_director(world))
    req = _requirement(world, "a2")
    assert (
        client.get(reverse("residency:program_detail", args=[world.program.pk])).status_code == 200
    )
    assert client.get(reverse("residency:program_edit", args=[world.program.pk])).status_code == 403
    assert client.get(reverse("residency:requirement_edit", args=[req.pk])).status_code == 403
    assert client.post(reverse("residency:requirement_remove", args=[req.pk])).status_code == 403
    assert Requirement.objects.filter(pk=req.pk).exists()


@pytest.mark.parametrize(
    "name", ["residency:program_create", "residency:cohort_create", "residency:quota_list"]
)
def test_wrong_role_gets_403_on_the_training_office_pages(world, client_for, name):
    assert client_for("tutor_a").get(reverse(name)).status_code == 403
    assert client_for("resident").get(reverse(name)).status_code == 403


def test_home_links_the_set_up_pages_only_for_training_offices(world, client_for):
    links = [
        reverse(n)
        for n in ("residency:program_create", "residency:cohort_create", "residency:quota_list")
    ]
    office = client_for("coord_a").get(reverse("residency:home")).content.decode()
    tutor = client_for("tutor_a").get(reverse("residency:home")).content.decode()
    for link in links:
        assert f'href="{link}"' in office
        assert f'href="{link}"' not in tutor


# --------------------------------------------------------------------------- programs


def test_program_create_offers_only_managed_hospitals_and_opens_the_new_program(world, client_for):
    client = client_for("coord_a")
    page = client.get(reverse("residency:program_create")).content.decode()
    assert world.cast.inst_a.name in page and world.cast.inst_b.name not in page
    response = client.post(
        reverse("residency:program_create"),
        {
            "institution": world.cast.inst_a.pk,
            "code": "surg1",
            "name": "Surgery PGY1",
            "specialty": "surgery",
            "training_year": 1,
        },
    )
    program = Program.objects.get(code="surg1")
    assert response["Location"] == reverse("residency:program_detail", args=[program.pk])
    assert AuditEvent.objects.filter(action="program.create", target_id=str(program.pk)).exists()


def test_program_form_errors_are_shown_on_their_fields(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:program_edit", args=[world.program.pk]),
        {"code": "im1", "name": "IM", "specialty": "internal_medicine", "training_year": 9},
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 5." in _text(response)
    services.program_create(
        actor=world.cast.coord_a,
        institution=world.cast.inst_a,
        code="im2",
        name="IM PGY2",
        specialty="internal_medicine",
    )
    response = client_for("coord_a").post(
        reverse("residency:program_edit", args=[world.program.pk]),
        {"code": "im2", "name": "IM", "specialty": "internal_medicine", "training_year": 1},
    )
    assert response.status_code == 400
    assert "Another program of this hospital already has this code." in _text(response)
    assert response.context["form"].errors["code"]
    world.program.refresh_from_db()
    assert world.program.code == "im1"


def test_program_edit_keeps_the_hospital(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:program_edit", args=[world.program.pk]),
        {
            "institution": world.cast.inst_b.pk,
            "code": "im1",
            "name": "IM PGY1",
            "specialty": "internal_medicine",
            "training_year": 1,
            "may_idle": "on",
        },
    )
    assert response.status_code == 302
    world.program.refresh_from_db()
    assert world.program.institution == world.cast.inst_a and world.program.may_idle


def test_program_page_shows_electives_and_links_edit_and_remove(world, client_for):
    response = client_for("coord_a").get(
        reverse("residency:program_detail", args=[world.program.pk])
    )
    body = response.content.decode()
    b1_row = body.split(f'id="requirement-{_requirement(world, "b1").pk}"')[1].split("</tr>")[0]
    a1_row = body.split(f'id="requirement-{_requirement(world, "a1").pk}"')[1].split("</tr>")[0]
    assert "Elective" in b1_row and "Elective" not in a1_row and "Required" in a1_row
    assert reverse("residency:requirement_edit", args=[_requirement(world, "a1").pk]) in a1_row
    assert reverse("residency:program_edit", args=[world.program.pk]) in body


# --------------------------------------------------------------------------- requirements


def test_requirement_edit_saves_and_goes_back_to_the_program(world, client_for):
    req = _requirement(world, "a2")
    response = client_for("coord_a").post(
        reverse("residency:requirement_edit", args=[req.pk]),
        {
            "departments": [world.a2.pk, world.a1.pk],
            "min_blocks": 2,
            "max_blocks": "",
            "is_elective": "on",
        },
    )
    assert response["Location"] == reverse("residency:program_detail", args=[world.program.pk])
    req.refresh_from_db()
    assert (req.min_blocks, req.max_blocks, req.is_elective) == (2, None, True)
    assert {d.code for d in req.departments.all()} == {"a1", "a2"}


def test_requirement_edit_shows_the_services_reason(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:requirement_edit", args=[_requirement(world, "a1").pk]),
        {"departments": [world.a2.pk], "min_blocks": 1, "max_blocks": 3},
    )
    assert response.status_code == 400
    assert "sequence rules name a department" in _text(response)
    assert response.context["form"].errors["departments"]


def test_requirement_remove_refused_is_explained_on_the_program_page(world, client_for):
    client = client_for("coord_a")
    req = _requirement(world, "a1")
    response = client.post(reverse("residency:requirement_remove", args=[req.pk]), follow=True)
    assert "change the rules first" in _text(response)
    assert Requirement.objects.filter(pk=req.pk).exists()
    ok = _requirement(world, "b1")
    client.post(reverse("residency:requirement_remove", args=[ok.pk]))
    assert not Requirement.objects.filter(pk=ok.pk).exists()


# --------------------------------------------------------------------------- cohorts


def test_cohort_create_goes_on_to_adding_residents(world, client_for):
    client = client_for("coord_a")
    response = client.post(
        reverse("residency:cohort_create"),
        {
            "institution": world.cast.inst_a.pk,
            "calendar": world.calendar.pk,
            "name": "A residents 2027",
        },
    )
    cohort = Cohort.objects.get(name="A residents 2027")
    assert response["Location"] == reverse("residency:member_add", args=[cohort.pk])
    response = client.post(
        reverse("residency:cohort_create"),
        {
            "institution": world.cast.inst_a.pk,
            "calendar": world.calendar.pk,
            "name": "A residents 2027",
        },
    )
    assert response.status_code == 400
    assert "already has a cohort with this name" in _text(response)


def test_cohort_create_offers_only_this_hospitals_and_shared_calendars(world, client_for):
    own_b = services.calendar_create(
        actor=world.cast.coord_b,
        institution=world.cast.inst_b,
        name="B only",
        training_year=2026,
        kind="months",
        start_date=world.calendar.start_date.replace(day=1),
        block_count=12,
    )
    response = client_for("coord_a").post(
        reverse("residency:cohort_create"),
        {"institution": world.cast.inst_a.pk, "calendar": own_b.pk, "name": "X"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["calendar"]


# --------------------------------------------------------------------------- quotas


def test_quota_page_sets_updates_and_removes_with_history(world, client_for):
    client = client_for("coord_b")
    data = {
        "agreement": world.cast.agreement_ab.pk,
        "from_institution": world.cast.inst_b.pk,
        "to_institution": world.cast.inst_a.pk,
        "max_per_block": 2,
    }
    assert client.post(reverse("residency:quota_set"), data).status_code == 302
    assert (
        client.post(reverse("residency:quota_set"), {**data, "max_per_block": 3}).status_code == 302
    )
    quota = ExchangeQuota.objects.get(from_institution=world.cast.inst_b)
    assert quota.max_per_block == 3
    page = client.get(reverse("residency:quota_list"))
    text = _text(page)
    assert "set an exchange quota" in text
    assert reverse("residency:quota_remove", args=[quota.pk]) in page.content.decode()
    client.post(reverse("residency:quota_remove", args=[quota.pk]))
    assert not ExchangeQuota.objects.filter(pk=quota.pk).exists()
    assert "removed an exchange quota" in _text(client.get(reverse("residency:quota_list")))


def test_quota_form_names_the_bad_field(world, client_for):
    response = client_for("coord_a").post(
        reverse("residency:quota_set"),
        {
            "agreement": world.cast.agreement_ab.pk,
            "from_institution": world.cast.inst_a.pk,
            "to_institution": world.cast.inst_a.pk,
            "max_per_block": 1,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["to_institution"] == ["Choose two different hospitals."]
    response = client_for("coord_a").post(
        reverse("residency:quota_set"),
        {
            "agreement": world.cast.agreement_ab.pk,
            "from_institution": world.cast.inst_a.pk,
            "to_institution": world.cast.inst_b.pk,
            "max_per_block": -1,
        },
    )
    assert response.status_code == 400 and response.context["form"].errors["max_per_block"]


def test_quota_remove_refused_is_explained(world, client_for):
    services.requirement_update(
        actor=world.cast.coord_a, requirement=_requirement(world, "b1"), min_blocks=1
    )
    quota = ExchangeQuota.objects.get()
    response = client_for("coord_a").post(
        reverse("residency:quota_remove", args=[quota.pk]), follow=True
    )
    assert "change that requirement first" in _text(response)
    assert ExchangeQuota.objects.filter(pk=quota.pk).exists()


def test_quota_list_query_count_does_not_grow(world, client_for, cast):
    from tandem.institutions.tests.factories import InstitutionFactory

    client = client_for("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("residency:quota_list")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(5):
        other = InstitutionFactory(code=f"h{n}")
        cast.agreement_ab.parties.create(institution=other, funding_share=0)
        ExchangeQuota.objects.create(
            agreement=cast.agreement_ab,
            from_institution=other,
            to_institution=cast.inst_a,
            max_per_block=1,
        )
    assert count() == small


# --------------------------------------------------------------------------- in Chinese


@pytest.mark.parametrize(
    "page", ["program_create", "program_edit", "requirement_edit", "cohort_create", "quota_list"]
)
def test_set_up_pages_are_in_chinese(world, client_for, page):
    kwargs = {
        "program_edit": {"pk": world.program.pk},
        "requirement_edit": {"pk": _requirement(world, "a2").pk},
    }.get(page, {})
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse(f"residency:{page}", kwargs=kwargs))
    assert response.status_code == 200
    text = _text(response)
    assert not [msgid for msgid in ENGLISH if msgid in text]


def test_the_department_form_offers_only_active_teachers_of_the_hospital(world, cast):
    bases = Unit.objects.filter(pk=world.base_a.pk)
    offered = DepartmentForm(bases=bases).fields["teachers"].queryset
    assert cast.tutor_a in offered and cast.tutor_b not in offered
    Membership.objects.filter(user=cast.tutor_a, role=Role.TUTOR).update(is_active=False)
    assert cast.tutor_a not in DepartmentForm(bases=bases).fields["teachers"].queryset
