"""A page shows a link only to those who may follow it (`{% load may %}`, the views' predicates)."""

import pytest
from django.urls import reverse

from tandem.funds.tests.factories import (
    ExpenseFactory,
    JointFundApplicationFactory,
    ResearchFundFactory,
    funded_cultivation,
)

pytestmark = pytest.mark.django_db


def _links(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_tutor_workspace_is_linked_for_tutors_only(cast, client_for):
    workspace = reverse("portal:workspace")
    assert f'href="{workspace}"' in _links(client_for("tutor_a"), reverse("cultivation:list"))
    for actor in ("coord_a", "trainee"):
        page = _links(client_for(actor), reverse("cultivation:list"))
        assert f'href="{workspace}"' not in page, actor
        assert client_for(actor).get(workspace).status_code == 403


def test_usage_reports_are_linked_for_coordinators_only(cast, client_for):
    report = reverse("bookings:report")
    assert f'href="{report}"' in _links(client_for("coord_a"), reverse("bookings:list"))
    for actor in ("tutor_a", "trainee"):
        assert f'href="{report}"' not in _links(client_for(actor), reverse("bookings:list"))
        assert client_for(actor).get(report).status_code == 403


def test_trainee_sees_reverse_only_on_expenses_of_their_own_allocation(cast, client_for):
    allocation = funded_cultivation(cast)
    own = ExpenseFactory(fund=allocation.fund, allocation=allocation, recorded_by=cast.trainee)
    other = ExpenseFactory(fund=allocation.fund, recorded_by=cast.tutor_b)
    page = _links(client_for("trainee"), reverse("funds:detail", args=[allocation.fund_id]))
    assert reverse("funds:expense_reverse", args=[allocation.fund_id, own.pk]) in page
    other_url = reverse("funds:expense_reverse", args=[allocation.fund_id, other.pk])
    assert other_url not in page
    # An entry not charged to the trainee's allocation is not theirs to see at all.
    assert client_for("trainee").get(other_url).status_code == 404
    # Whoever charges the whole fund may reverse either.
    page = _links(client_for("tutor_b"), reverse("funds:detail", args=[allocation.fund_id]))
    assert other_url in page


def test_resulting_fund_is_named_but_not_linked_for_who_cannot_open_it(cast, client_for):
    allocation = funded_cultivation(cast)
    hidden = ResearchFundFactory(institution=cast.inst_c, principal_investigator=cast.outsider)
    application = JointFundApplicationFactory(
        cultivation=allocation.cultivation,
        first_tutor=cast.tutor_b,
        second_tutor=cast.tutor_a,
        status="granted",
        resulting_fund=hidden,
    )
    page = _links(client_for("tutor_a"), reverse("funds:application_detail", args=[application.pk]))
    fund_url = reverse("funds:detail", args=[hidden.pk])
    assert str(hidden) in page and fund_url not in page
    assert client_for("tutor_a").get(fund_url).status_code == 404


def test_benchmarking_is_linked_for_report_readers_only(cast, client_for):
    report = reverse("portal:benchmark")
    for actor in ("admin", "coord_a"):
        assert f'href="{report}"' in _links(client_for(actor), reverse("dashboard")), actor
    for actor in ("tutor_a", "trainee"):
        assert f'href="{report}"' not in _links(client_for(actor), reverse("dashboard")), actor
        assert client_for(actor).get(report).status_code == 403
