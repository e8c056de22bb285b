import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.institutions.models import Institution, Unit
from tandem.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_outsider_sees_a_facts_but_not_its_units(cast, client_for):
    response = client_for("outsider").get(reverse("institutions:detail", args=[cast.inst_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Western Medical University" in body
    assert "Key Laboratory of Oncology" not in body


def test_partner_sees_a_units_on_the_detail_page(cast, client_for):
    response = client_for("coord_b").get(reverse("institutions:detail", args=[cast.inst_a.pk]))
    assert "Key Laboratory of Oncology" in response.content.decode()


def test_outsider_gets_404_for_a_unit_of_a(cast, client_for):
    response = client_for("outsider").get(reverse("institutions:unit_detail", args=[cast.lab_a.pk]))
    assert response.status_code == 404


def test_wrong_role_gets_403_on_unit_edit(cast, client_for):
    response = client_for("tutor_a").get(reverse("institutions:unit_edit", args=[cast.lab_a.pk]))
    assert response.status_code == 403


def test_coordinator_cannot_open_the_institution_form(cast, client_for):
    assert client_for("coord_a").get(reverse("institutions:create")).status_code == 403


def test_list_filters_by_kind_region_and_search(cast, client_for):
    client = client_for("trainee")
    url = reverse("institutions:list")
    body = client.get(url, {"kind": "research_institute"}).content.decode()
    assert "Northern Institute of Biology" in body and "Eastern Medical University" not in body
    body = client.get(url, {"region": "eastern"}).content.decode()
    assert "Eastern Medical University" in body and "Western Medical University" not in body
    body = client.get(url, {"q": "西部"}).content.decode()
    assert "Western Medical University" in body and "Eastern Medical University" not in body


def test_list_hides_deactivated_institutions_unless_asked(cast, client_for):
    Institution.objects.filter(pk=cast.inst_c.pk).update(is_active=False)
    client = client_for("coord_a")
    url = reverse("institutions:list")
    assert "Northern Institute" not in client.get(url).content.decode()
    assert "Northern Institute" in client.get(url, {"inactive": "on"}).content.decode()


def test_htmx_filter_returns_the_results_partial(cast, client_for):
    response = client_for("coord_a").get(
        reverse("institutions:list"), {"q": "Eastern"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and "Eastern Medical University" in body


@pytest.mark.parametrize("page", ["institutions:list"])
def test_list_query_count_does_not_grow_with_rows(cast, client_for, page):
    client = client_for("coord_a")
    InstitutionFactory.create_batch(3, parent=cast.inst_a, tier_labels=["211"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(page)).status_code == 200
    InstitutionFactory.create_batch(27, parent=cast.inst_b, tier_labels=["985"])
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(page)).status_code == 200
    assert len(small) == len(large)


def test_admin_registers_an_institution_with_tier_labels(cast, client_for):
    response = client_for("admin").post(
        reverse("institutions:create"),
        {
            "name": "Central Hospital",
            "code": "ch",
            "kind": "hospital",
            "country": "CN",
            "region": "central",
            "tier_labels": "Grade 3A, Teaching hospital",
            "parent": cast.inst_a.pk,
        },
    )
    hospital = Institution.objects.get(code="ch")
    assert response.status_code == 302
    assert response["Location"] == reverse("institutions:detail", args=[hospital.pk])
    assert hospital.tier_labels == ["Grade 3A", "Teaching hospital"]
    assert hospital.parent == cast.inst_a
    detail = client_for("coord_b").get(reverse("institutions:detail", args=[cast.inst_a.pk]))
    assert "Central Hospital" in detail.content.decode()  # listed as an affiliate


def test_duplicate_code_re_renders_the_form_with_the_error_on_code(cast, client_for):
    response = client_for("admin").post(
        reverse("institutions:create"),
        {
            "name": "Another",
            "code": "wmu",
            "kind": "hospital",
            "country": "CN",
            "region": "central",
        },
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert not Institution.objects.filter(name="Another").exists()


def test_edit_that_makes_a_cycle_shows_the_error_on_parent(cast, client_for):
    Institution.objects.filter(pk=cast.inst_b.pk).update(parent=cast.inst_a)
    response = client_for("admin").post(
        reverse("institutions:edit", args=[cast.inst_a.pk]),
        {
            "name": cast.inst_a.name,
            "code": "wmu",
            "kind": "university",
            "country": "CN",
            "region": "western",
            "parent": cast.inst_b.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors


def test_training_base_without_specialty_shows_the_error_on_specialty(cast, client_for):
    response = client_for("coord_a").post(
        reverse("institutions:unit_create", args=[cast.inst_a.pk]),
        {"name": "Surgery base", "kind": "training_base"},
    )
    assert response.status_code == 400
    assert "specialty" in response.context["form"].errors
    assert not Unit.objects.filter(name="Surgery base").exists()


def test_coordinator_adds_a_unit_and_sees_its_history(cast, client_for):
    client = client_for("coord_a")
    response = client.post(
        reverse("institutions:unit_create", args=[cast.inst_a.pk]),
        {
            "name": "Surgery base",
            "kind": "training_base",
            "specialty": "surgery",
            "parent": cast.lab_a.pk,
        },
    )
    unit = Unit.objects.get(name="Surgery base")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="unit.create", target_id=str(unit.pk)).exists()
    detail = client.get(reverse("institutions:unit_detail", args=[unit.pk])).content.decode()
    assert "created the unit" in detail


def test_detail_renders_in_chinese(cast, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("institutions:detail", args=[cast.inst_a.pk])).content.decode()
    assert "西部医科大学" in body and "单位" in body
