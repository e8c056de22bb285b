"""The reward pages: bad input refused with a message naming what is wrong (nothing saved),
the vote answered with its section alone to HTMX and as a redirect without it, a fixed number
of queries on the round page at two sizes, and the pages in Chinese."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.rewards import services
from tandem.rewards.models import RewardRound, Vote
from tandem.rewards.tests.factories import make_round, nomination_in

pytestmark = pytest.mark.django_db


def test_round_form_names_what_is_wrong_and_saves_nothing(cast, client_for):
    response = client_for("coord_a").post(
        reverse("rewards:round_new"),
        {
            "institution": cast.inst_a.pk,
            "kind": "scholarship",
            "nominee_kind": "tutor_pair",
            "title": "Scholarship",
            "title_zh": "奖学金",
            "criteria": "Research.",
            "criteria_zh": "科研。",
            "nominations_open": "2026-01-05",
            "nominations_close": "2099-01-30",
            "objection_days": "5",
        },
    )
    assert response.status_code == 400
    assert "A tutor pair is nominated for an honour title only." in response.content.decode()
    assert RewardRound.objects.count() == 0


def test_vote_by_htmx_returns_the_votes_section_and_plain_post_redirects(cast, client_for):
    nomination = nomination_in(cast, "open")
    url = reverse("rewards:nomination_vote", kwargs={"pk": nomination.pk})
    client = client_for("coord_a")
    partial = client.post(url, {"choice": "for", "comment": "Yes."}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    text = partial.content.decode()
    assert text.lstrip().startswith('<section id="votes"')
    assert "1 of 3 eligible members have voted; 1 for." in text
    plain = client.post(url, {"choice": "against"})
    assert plain.status_code == 302
    assert Vote.objects.get().choice == "against"


def test_recused_member_is_told_why_on_the_page(cast, client_for):
    nomination = nomination_in(cast, "open")
    client = client_for("tutor_a")
    response = client.post(
        reverse("rewards:nomination_vote", kwargs={"pk": nomination.pk}),
        {"choice": "for"},
        follow=True,
    )
    assert "You are recused from this nomination" in response.content.decode()
    assert Vote.objects.count() == 0


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_round_page_queries_do_not_grow_with_nominations(cast, client_for):
    round_ = make_round(cast, nominee_kind="either")
    services.nomination_create(
        actor=cast.coord_a, round_=round_, nominees=[cast.trainee], statement="One."
    )
    client = client_for("coord_a")
    url = reverse("rewards:round_detail", kwargs={"pk": round_.pk})
    small = _count(client, url)
    for person in (cast.resident, cast.tutor_a, cast.tutor_b):
        services.nomination_create(
            actor=cast.coord_a, round_=round_, nominees=[person], statement="More."
        )
    assert _count(client, url) == small


def test_pages_in_chinese(cast, client_for, settings):
    nomination = nomination_in(cast, "announced")
    client = client_for("trainee")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("rewards:round_detail", kwargs={"pk": nomination.round_id}))
    text = page.content.decode()
    assert "优秀联合培养研究生" in text and "联合培养期间科研与品行优秀。" in text
    assert "评选委员会" in text
    announcement = client.get(reverse("rewards:announcement", kwargs={"pk": nomination.round_id}))
    assert "公示" in announcement.content.decode()
