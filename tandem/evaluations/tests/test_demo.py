"""The seeded demo has the evaluation templates of issue 10 and one open round with answers."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tandem.accounts.models import User
from tandem.evaluations.demo import PAST_ROUND_TITLE, ROUND_TITLE
from tandem.evaluations.models import (
    EvaluationDraft,
    EvaluationPair,
    EvaluationResponse,
    EvaluationRound,
    EvaluationTemplate,
    PairStatus,
    Relationship,
)
from tandem.evaluations.results import rounds_with_results_for

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_templates_a_round_responses_and_a_draft(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert set(EvaluationTemplate.objects.values_list("relationship", flat=True)) == set(
        Relationship.values
    )
    assert not EvaluationTemplate.objects.filter(title_zh="").exists()
    kinds = set(EvaluationTemplate.objects.values_list("items__kind", flat=True))
    assert {"rating", "entrustment", "yes_no", "choice", "narrative"} <= kinds
    round_ = EvaluationRound.objects.get(title=ROUND_TITLE)
    assert EvaluationDraft.objects.filter(pair__round=round_).count() == 1
    submitted = EvaluationPair.objects.filter(
        round=round_, relationship=Relationship.TUTOR_TRAINEE, status=PairStatus.SUBMITTED
    )
    assert submitted.count() == 2
    zhang = User.objects.get(username="trainee.zhang")
    pair = submitted.first()
    client.force_login(round_.created_by)
    page = client.get(
        reverse(
            "evaluations:results",
            kwargs={
                "pk": round_.pk,
                "template_pk": pair.template_id,
                "kind": "person",
                "target_pk": zhang.pk,
            },
        )
    )
    assert page.status_code == 200
    assert page.context["result"].shown and page.context["result"].responses == 2
    responses = EvaluationResponse.objects.count()
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing more
    assert EvaluationResponse.objects.count() == responses


def _results_page(client, round_, template, kind, target):
    return client.get(
        reverse(
            "evaluations:results",
            kwargs={
                "pk": round_.pk,
                "template_pk": template.pk,
                "kind": kind,
                "target_pk": target.pk,
            },
        )
    )


def test_the_demo_shows_anonymous_results_above_the_threshold_and_holds_back_one_below(
    client, settings
):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    call_command("seed_demo", stdout=io.StringIO())
    past = EvaluationRound.objects.get(title=PAST_ROUND_TITLE)
    assert past.released_at is not None
    used = {rt.relationship: rt.template for rt in past.round_templates.select_related("template")}
    by_tutor = used[Relationship.TRAINEE_TUTOR]
    by_host = used[Relationship.TRAINEE_HOST]
    assert by_tutor.is_anonymous and by_host.is_anonymous
    li, chen = (User.objects.get(username=name) for name in ("tutor.li", "tutor.chen"))
    emu = EvaluationPair.objects.filter(round=past, template=by_host).first().target_institution
    client.force_login(past.created_by)
    shown = {}
    for kind, target, template in (
        ("institution", emu, by_host),
        ("person", li, by_tutor),
        ("person", chen, by_tutor),
    ):
        page = _results_page(client, past, template, kind, target)
        assert page.status_code == 200
        shown[target.pk] = page.context["result"]
    assert shown[emu.pk].shown and shown[emu.pk].responses >= 3
    assert shown[li.pk].shown and shown[li.pk].responses >= 3
    assert not shown[chen.pk].shown and shown[chen.pk].responses is None
    # Released, so the results reach the tutor evaluated; the open round's do not.
    readable = set(rounds_with_results_for(li).values_list("title", flat=True))
    assert PAST_ROUND_TITLE in readable and ROUND_TITLE not in readable


def test_the_demo_shows_a_copied_template_and_a_second_version():
    call_command("seed_demo", stdout=io.StringIO())
    copy = EvaluationTemplate.objects.get(title="Host institution evaluation (our version)")
    assert copy.institution_id is not None and copy.version == 1
    # The demo's peer template (the supervision form of the quality app is a peer form too).
    peer = EvaluationTemplate.objects.filter(
        relationship=Relationship.PEER, title="Peer evaluation"
    )
    assert sorted(peer.values_list("version", "is_current")) == [(1, False), (2, True)]
    round_ = EvaluationRound.objects.get(title=ROUND_TITLE)
    assert round_.round_templates.get(relationship=Relationship.PEER).template.version == 1


def test_the_demo_gives_the_evaluator_a_panel_round_with_one_submitted(client):
    from tandem.evaluations.demo_panel import PANEL_ROUND_TITLE
    from tandem.evaluations.selectors import pairs_to_do

    call_command("seed_demo", stdout=io.StringIO())
    feng = User.objects.get(username="evaluator.emu")
    round_ = EvaluationRound.objects.get(title=PANEL_ROUND_TITLE)
    mine = round_.pairs.filter(evaluator=feng, relationship=Relationship.EVALUATOR_TRAINEE)
    assert mine.filter(status=PairStatus.SUBMITTED, target_user__username="trainee.zhang").exists()
    assert pairs_to_do(feng).filter(round=round_).count() >= 3
    assert set(round_.pairs.values_list("evaluator", flat=True)) == {feng.pk}
    client.force_login(feng)
    assert client.get(reverse("evaluations:todo")).status_code == 200
    pairs = round_.pairs.count()
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing more
    assert round_.pairs.count() == pairs
    assert EvaluationRound.objects.filter(title=PANEL_ROUND_TITLE).count() == 1
