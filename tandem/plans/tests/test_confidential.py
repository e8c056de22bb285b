"""The reason of a health-related change: who reads it, on every page and in the API."""

import pytest
from django.urls import reverse

from tandem.plans.tests.factories import health_revision

SECRET = "Recovering from heart surgery"
READERS = ["coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
OTHERS = ["admin"]  # sees the cultivation, but is not a coordinator of home or host


@pytest.fixture
def revision(cast):
    return health_revision(cast, SECRET)


def _pages(version):
    cultivation_pk = version.plan.cultivation_id
    return [
        reverse("plans:plan", args=[cultivation_pk]),
        reverse("plans:version", args=[cultivation_pk, version.number]),
        reverse("plans:record", args=[cultivation_pk]),
        reverse("plans:record_json", args=[cultivation_pk]),
    ]


@pytest.mark.parametrize("actor", READERS)
def test_coordinators_tutors_and_trainee_read_the_note_on_every_page(revision, client_for, actor):
    client = client_for(actor)
    for url in _pages(revision):
        body = client.get(url).content.decode()
        assert SECRET in body, url


@pytest.mark.parametrize("actor", OTHERS)
def test_everyone_else_reads_adjusted_for_personal_reasons(revision, client_for, actor):
    client = client_for(actor)
    for url in _pages(revision):
        body = client.get(url).content.decode()
        assert SECRET not in body, url
        if not url.endswith(".json"):  # the export marks it `"confidential": true` instead
            assert "Adjusted for personal reasons." in body, url


def test_the_note_is_translated_for_chinese_readers(revision, client_for):
    client = client_for("admin")
    client.cookies["django_language"] = "zh-hans"
    url = reverse("plans:version", args=[revision.plan.cultivation_id, revision.number])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "因个人原因调整" in body


@pytest.mark.parametrize("actor", [*READERS, *OTHERS])
def test_api_returns_the_note_only_to_those_allowed(revision, client_for, actor):
    client = client_for(actor)
    base = f"/api/v1/plans/{revision.plan.cultivation_id}"
    version = client.get(f"{base}/versions/{revision.number}").json()
    plan = client.get(f"{base}").json()
    record = client.get(f"{base}/record").json()
    exported = record["plan"]["versions"][1]
    for row in (version, plan["versions"][1]):
        assert row["confidential"] is True
        assert row["change_reason"] == "Adjusted for personal reasons."
        assert row["confidential_note"] == (SECRET if actor in READERS else None)
    assert exported["confidential"] is True
    if actor in READERS:
        assert exported["confidential_note"]["text"] == SECRET
    else:
        assert exported["confidential_note"] is None


def test_the_history_on_the_plan_page_does_not_leak_the_note(revision, client_for):
    body = client_for("admin").get(reverse("plans:plan", args=[revision.plan.cultivation_id]))
    assert SECRET not in body.content.decode()
