import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.agreements.tests.factories import AgreementFactory, AgreementPartyFactory
from tandem.resources.tests.factories import SharedResourceFactory


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["admin", "coord_a", "tutor_a", "trainee", "outsider"])
def test_dashboard_queries_do_not_grow_with_data(actor, cast, client_for):
    client = client_for(actor)
    before = _queries(client)
    for i in range(15):
        agreement = AgreementFactory(created_by=cast.coord_a)
        AgreementPartyFactory(agreement=agreement, institution=cast.inst_a)
        AgreementPartyFactory(agreement=agreement, institution=cast.inst_b)
        SharedResourceFactory(institution=cast.inst_a, name=f"Instrument {i}")
    assert _queries(client) == before


@pytest.mark.django_db
def test_coordinator_sees_what_awaits_their_signature(cast, client_for):
    html = client_for("coord_b").get("/").content.decode()
    assert "Agreements awaiting your signature" in html
    assert cast.draft_ab.title in html


@pytest.mark.django_db
def test_outsider_dashboard_shows_nothing_of_a_and_b(cast, client_for):
    html = client_for("outsider").get("/").content.decode()
    assert cast.agreement_ab.title not in html
    assert cast.draft_ab.title not in html
    assert "Western Medical University" not in html


@pytest.mark.django_db
def test_trainee_sees_their_training_not_coordination(cast, client_for):
    html = client_for("trainee").get("/").content.decode()
    assert "Your training" in html
    assert "Agreements awaiting your signature" not in html


@pytest.mark.django_db
def test_dashboard_in_chinese(cast, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/").content.decode()
    assert "欢迎" in html
