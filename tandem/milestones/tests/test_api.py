"""The milestones API: the same services as the pages; a bad level is a 400 naming the field
with nothing saved; the resident's summaries carry no member's rating or note."""

import json

import pytest

from tandem.milestones.models import Rating
from tandem.milestones.tests.factories import rate_all

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_a_level_out_of_range_is_a_400_and_nothing_is_saved(mw, client_for):
    sub = mw.milestone_set.subcompetencies.first()
    response = _post(
        client_for("tutor_a"),
        f"/api/v1/milestones/resident-reviews/{mw.open_rr.pk}/ratings",
        {"subcompetencies": {str(sub.pk): 6}},
    )
    assert response.status_code == 400
    assert "whole number from 1 to 5" in response.content.decode()
    assert not Rating.objects.filter(resident_review=mw.open_rr).exists()


def test_members_rate_and_finalise_through_the_api(mw, cast, client_for):
    client = client_for("tutor_a")
    levels = {str(s.pk): 4 for s in mw.milestone_set.subcompetencies.all()}
    url = f"/api/v1/milestones/resident-reviews/{mw.open_rr.pk}"
    assert _post(client, f"{url}/ratings", {"subcompetencies": levels}).json() == {
        "written": len(levels)
    }
    response = _post(client, f"{url}/finalise", {"decision": "progressing"})
    assert response.status_code == 200
    assert response.json()["summary"]["subcompetencies"]["PC1"] == 4


def test_the_residents_summaries_hold_no_member_notes(mw, cast, client_for):
    sub = mw.milestone_set.subcompetencies.first()
    rate_all(mw.open_rr, mw.two, 3)
    Rating.objects.filter(resident_review=mw.open_rr, subcompetency=sub).update(
        note="Private remark"
    )
    response = client_for("resident").get("/api/v1/milestones/summaries")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Private remark" not in text and "rater" not in text
    assert [row["label"] for row in response.json()["items"]] == ["2026 H1"]


def test_removing_below_three_answers_the_reason(mw, cast, client_for):
    response = client_for("coord_a").delete(
        f"/api/v1/milestones/committees/{mw.committee.pk}/members/{mw.two.pk}"
    )
    assert response.status_code == 400
    assert "at least 3 members" in response.content.decode()
