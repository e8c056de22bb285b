import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.institutions.tests.factories import InstitutionFactory, UnitFactory
from tandem.resources.models import ResourceOpening, SharedResource
from tandem.resources.tests.factories import ResourceOpeningFactory, SharedResourceFactory
from tandem.resources.tests.helpers import end_agreement

pytestmark = pytest.mark.django_db


def test_outsider_gets_404_for_a_resource_of_a(cast, client_for):
    client = client_for("outsider")
    for name in ("resources:detail", "resources:edit", "resources:opening_create"):
        assert client.get(reverse(name, args=[cast.resource_a.pk])).status_code == 404


def test_outsider_does_not_find_a_resource_in_the_list(cast, client_for):
    body = client_for("outsider").get(reverse("resources:list")).content.decode()
    assert "Sequencing platform" in body and "Confocal microscope" not in body


def test_wrong_role_gets_403_on_edit(cast, client_for):
    assert (
        client_for("trainee").get(reverse("resources:edit", args=[cast.resource_a.pk])).status_code
        == 403
    )
    assert (
        client_for("coord_b")
        .get(reverse("resources:opening_create", args=[cast.resource_a.pk]))
        .status_code
        == 403
    )


def test_partner_detail_shows_only_their_opening_and_no_opening_history(cast, client_for):
    other = InstitutionFactory(name="Southern Hospital")
    ResourceOpeningFactory(resource=cast.resource_a, agreement=cast.agreement_ab, partner=other)
    client_for("coord_a").post(
        reverse("resources:opening_create", args=[cast.resource_a.pk]),
        {"agreement": cast.draft_ab.pk, "partner": cast.inst_b.pk},
    )
    body = (
        client_for("coord_b")
        .get(reverse("resources:detail", args=[cast.resource_a.pk]))
        .content.decode()
    )
    assert "Eastern Medical University" in body
    assert "Southern Hospital" not in body
    assert "opened the resource to a partner" not in body
    owner_body = (
        client_for("coord_a")
        .get(reverse("resources:detail", args=[cast.resource_a.pk]))
        .content.decode()
    )
    assert "Southern Hospital" in owner_body and "opened the resource to a partner" in owner_body


def test_partner_gets_404_once_the_agreement_is_terminated(cast, client_for):
    end_agreement(cast.agreement_ab)
    response = client_for("coord_b").get(reverse("resources:detail", args=[cast.resource_a.pk]))
    assert response.status_code == 404


def test_list_filters_opened_to_me_kind_institution_and_search(cast, client_for):
    client = client_for("coord_b")
    url = reverse("resources:list")
    body = client.get(url, {"opened_to_me": "on"}).content.decode()
    assert "Confocal microscope" in body and "Flow cytometer" not in body
    body = client.get(url, {"institution": cast.inst_b.pk}).content.decode()
    assert "Flow cytometer" in body and "Confocal microscope" not in body
    body = client.get(url, {"q": "confocal", "kind": "instrument"}).content.decode()
    assert "Confocal microscope" in body and "Flow cytometer" not in body


def test_institution_filter_does_not_offer_institutions_the_user_cannot_see_resources_of(
    cast, client_for
):
    form = client_for("outsider").get(reverse("resources:list")).context["filters"]
    assert list(form.fields["institution"].queryset) == [cast.inst_c]


def test_htmx_filter_returns_the_results_partial(cast, client_for):
    response = client_for("coord_a").get(reverse("resources:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Confocal microscope" in body


@pytest.mark.parametrize("actor", ["coord_a", "coord_b", "admin"])
def test_list_query_count_does_not_grow_with_rows(cast, client_for, actor):
    client = client_for(actor)
    unit = UnitFactory(institution=cast.inst_a)

    def add(n):
        for _ in range(n):
            resource = SharedResourceFactory(institution=cast.inst_a, unit=unit)
            ResourceOpeningFactory(
                resource=resource, agreement=cast.agreement_ab, partner=cast.inst_b
            )

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("resources:list")).status_code == 200
    add(27)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("resources:list")).status_code == 200
    assert len(small) == len(large)


def test_coordinator_lists_a_resource(cast, client_for):
    response = client_for("coord_a").post(
        reverse("resources:create", args=[cast.inst_a.pk]),
        {"name": "Mass spectrometer", "kind": "instrument", "unit": cast.lab_a.pk},
    )
    resource = SharedResource.objects.get(name="Mass spectrometer")
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:detail", args=[resource.pk])


def test_unit_of_another_institution_is_refused_on_the_unit_field(cast, client_for):
    response = client_for("coord_b").post(
        reverse("resources:create", args=[cast.inst_b.pk]),
        {"name": "Centrifuge", "kind": "instrument", "unit": cast.lab_a.pk},
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not SharedResource.objects.filter(name="Centrifuge").exists()


def test_partner_outside_the_agreement_is_refused_on_the_partner_field(cast, client_for):
    response = client_for("coord_a").post(
        reverse("resources:opening_create", args=[cast.resource_a.pk]),
        {"agreement": cast.agreement_ab.pk, "partner": cast.inst_b.pk},  # already opened
    )
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors


def test_open_form_offers_only_valid_agreements_and_partners(cast, client_for):
    form = (
        client_for("coord_a")
        .get(reverse("resources:opening_create", args=[cast.resource_a.pk]))
        .context["form"]
    )
    assert set(form.fields["agreement"].queryset) == {cast.agreement_ab, cast.draft_ab}
    assert list(form.fields["partner"].queryset) == [cast.inst_b]


def test_coordinator_closes_an_opening(cast, client_for):
    opening = cast.resource_a.openings.get()
    response = client_for("coord_a").post(
        reverse("resources:opening_close", args=[cast.resource_a.pk, opening.pk])
    )
    assert response.status_code == 302
    assert not ResourceOpening.objects.filter(pk=opening.pk).exists()


def test_close_is_post_only(cast, client_for):
    opening = cast.resource_a.openings.get()
    response = client_for("coord_a").get(
        reverse("resources:opening_close", args=[cast.resource_a.pk, opening.pk])
    )
    assert response.status_code == 405


def test_detail_renders_in_chinese(cast, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("resources:detail", args=[cast.resource_a.pk])).content.decode()
    assert "已向合作方开放" in body and "大型仪器" in body
