import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.models import AuditEvent
from tandem.evaluations import services, services_respond
from tandem.evaluations.models import (
    EvaluationDraft,
    EvaluationPair,
    EvaluationResponse,
    EvaluationTemplate,
)
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    narrative_item,
    open_round,
    population,
    sections,
)

pytestmark = pytest.mark.django_db


# --- templates ------------------------------------------------------------------------------


def test_template_keeps_sections_items_and_bilingual_titles(cast):
    template = make_template(cast)
    assert template.version == 1 and template.is_current
    assert [s.title for s in template.sections.all()] == ["Supervision", "Comments"]
    assert sorted(template.items.values_list("kind", flat=True)) == sorted(
        ["rating", "entrustment", "yes_no", "choice", "narrative"]
    )
    assert AuditEvent.objects.filter(action="evaluations.template_create").count() == 1


def test_scale_needs_two_labelled_anchors(cast):
    bad = sections()
    bad[0]["items"][0]["options"] = [{"value": 1, "label": "Only one"}]
    with pytest.raises(ValidationError) as exc:
        services.template_create(
            actor=cast.admin, institution=None, title="T", relationship="self", sections=bad
        )
    assert "sections.0.items.0.options" in exc.value.message_dict
    assert not EvaluationTemplate.objects.exists()


def test_tutor_cannot_create_templates(cast):
    with pytest.raises(PermissionDenied):
        make_template(cast, actor=cast.tutor_a, institution=cast.inst_a)


def test_coordinator_cannot_edit_consortium_template(cast):
    template = make_template(cast)
    with pytest.raises(PermissionDenied):
        services.template_edit(
            actor=cast.coord_a,
            template=template,
            title="X",
            relationship="trainee_tutor",
            sections=sections(),
        )


def test_unused_template_is_edited_in_place(cast):
    template = make_template(cast)
    edited = services.template_edit(
        actor=cast.admin,
        template=template,
        title="Renamed",
        relationship="trainee_tutor",
        sections=sections()[:1],
        is_anonymous=True,
    )
    assert edited.pk == template.pk and edited.version == 1
    assert edited.items.count() == 4


def test_template_with_answers_is_never_edited_in_place(cast):
    population(cast)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    pair = EvaluationPair.objects.filter(round=round_).first()
    services_respond.response_submit(
        actor=pair.evaluator, pair=pair, answers=full_answers(template)
    )
    edited = services.template_edit(
        actor=cast.admin,
        template=template,
        title="Autumn v2",
        relationship="trainee_tutor",
        sections=sections()[:1],
        is_anonymous=True,
    )
    template.refresh_from_db()
    assert edited.pk != template.pk and edited.version == 2 and edited.family == template.family
    assert not template.is_current and template.title == "Evaluation trainee_tutor"
    assert template.items.count() == 5  # the old answers keep their items
    response = EvaluationResponse.objects.get()
    assert response.template_id == template.pk
    assert response.answers.filter(item__template=template).count() == 3


# --- rounds ---------------------------------------------------------------------------------

ALL = ["trainee_tutor", "tutor_trainee", "trainee_host", "self", "peer"]


def test_round_generates_every_pair_from_the_population(cast):
    cultivations = population(cast, extra_trainees=2)
    templates = [make_template(cast, rel, anonymous=rel != "self") for rel in ALL]
    round_ = open_round(cast, templates)
    pairs = EvaluationPair.objects.filter(round=round_)
    trainees = {c.trainee_id for c in cultivations}
    tutor_pairs = set(
        pairs.filter(relationship="trainee_tutor").values_list("evaluator", "target_user")
    )
    assert tutor_pairs == {
        (t, tutor.pk) for t in trainees for tutor in (cast.tutor_a, cast.tutor_b)
    }
    assert pairs.filter(relationship="tutor_trainee").count() == 6
    host = pairs.filter(relationship="trainee_host")
    assert set(host.values_list("target_institution", flat=True)) == {cast.inst_b.pk}
    assert set(pairs.filter(relationship="self").values_list("evaluator", "target_user")) == {
        (t, t) for t in trainees
    }
    peers = list(pairs.filter(relationship="peer").values_list("evaluator", "target_user"))
    assert len(peers) == 6 and all(a != b for a, b in peers)
    assert set(pairs.values_list("due_on", flat=True)) == {datetime.date(2026, 12, 31)}
    event = AuditEvent.objects.get(action="evaluations.round_open")
    assert event.changes["pairs"] == pairs.count() == 6 + 6 + 3 + 3 + 6


def test_outsider_cannot_open_a_round_for_another_institution(cast):
    population(cast)
    template = make_template(cast)
    with pytest.raises(PermissionDenied):
        open_round(cast, [template], actor=cast.outsider)


def test_round_template_must_match_its_relationship(cast):
    template = make_template(cast, "self")
    with pytest.raises(ValidationError) as exc:
        services.round_open(
            actor=cast.coord_a,
            institution=cast.inst_a,
            title="R",
            population="institution",
            opens_on=datetime.date(2026, 1, 1),
            due_on=datetime.date(2026, 2, 1),
            templates={"peer": template},
        )
    assert "template_peer" in exc.value.message_dict


def test_due_date_before_opening_is_a_field_error(cast):
    template = make_template(cast)
    with pytest.raises(ValidationError) as exc:
        open_round(cast, [template], due_on=datetime.date(2025, 1, 1))
    assert exc.value.message_dict


@pytest.fixture
def pair(cast):
    population(cast)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    return EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_a).get()


def test_extend_needs_a_reason_and_a_later_date(cast, pair):
    with pytest.raises(ValidationError) as exc:
        services.pair_extend(
            actor=cast.coord_a, pair=pair, due_on=datetime.date(2027, 1, 31), reason=""
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.pair_extend(
            actor=cast.coord_a, pair=pair, due_on=datetime.date(2026, 1, 31), reason="r"
        )
    assert "due_on" in exc.value.message_dict
    services.pair_extend(
        actor=cast.coord_a, pair=pair, due_on=datetime.date(2027, 1, 31), reason="Ill"
    )
    pair.refresh_from_db()
    assert pair.due_on == datetime.date(2027, 1, 31)
    event = AuditEvent.objects.get(action="evaluations.pair_extend")
    assert event.reason == "Ill"


def test_reassign_gives_the_pair_to_someone_else(cast, pair):
    new = services.pair_reassign(
        actor=cast.coord_a, pair=pair, evaluator=cast.resident, reason="Left"
    )
    pair.refresh_from_db()
    assert pair.status == "withdrawn" and pair.withdrawn_reason == "Left"
    assert new.evaluator == cast.resident and new.status == "pending"
    assert new.target_user == cast.tutor_a
    assert AuditEvent.objects.get(action="evaluations.pair_reassign").reason == "Left"


def test_withdraw_is_audited_and_final(cast, pair):
    services.pair_withdraw(actor=cast.coord_a, pair=pair, reason="Duplicate")
    with pytest.raises(ValidationError):
        services.pair_withdraw(actor=cast.coord_a, pair=pair, reason="Again")
    with pytest.raises(PermissionDenied):
        services.pair_extend(
            actor=cast.coord_b, pair=pair, due_on=datetime.date(2027, 1, 1), reason="x"
        )


# --- responding -----------------------------------------------------------------------------


def test_half_filled_form_is_a_draft_never_a_submission(cast, pair):
    rating = pair.template.items.get(kind="rating")
    services_respond.response_save_draft(
        actor=cast.trainee, pair=pair, answers={str(rating.pk): "2"}
    )
    assert EvaluationDraft.objects.get(pair=pair).answers == {str(rating.pk): "2"}
    with pytest.raises(ValidationError) as exc:
        services_respond.response_submit(
            actor=cast.trainee, pair=pair, answers={str(rating.pk): "2"}
        )
    assert f"item_{pair.template.items.get(kind='yes_no').pk}" in exc.value.message_dict
    pair.refresh_from_db()
    assert pair.status == "pending"
    assert not EvaluationResponse.objects.exists()
    assert EvaluationDraft.objects.filter(pair=pair).exists()


def test_not_observed_only_where_allowed(cast, pair):
    answers = full_answers(pair.template)
    rating = pair.template.items.get(kind="rating")
    with pytest.raises(ValidationError):
        services_respond.response_submit(
            actor=cast.trainee, pair=pair, answers={**answers, str(rating.pk): "not_observed"}
        )
    epa = pair.template.items.get(kind="entrustment")
    services_respond.response_submit(
        actor=cast.trainee, pair=pair, answers={**answers, str(epa.pk): "not_observed"}
    )
    assert EvaluationResponse.objects.get().answers.get(item=epa).not_observed


def test_answer_outside_the_scale_is_refused(cast, pair):
    answers = full_answers(pair.template)
    rating = pair.template.items.get(kind="rating")
    with pytest.raises(ValidationError) as exc:
        services_respond.response_submit(
            actor=cast.trainee, pair=pair, answers={**answers, str(rating.pk): "9"}
        )
    assert f"item_{rating.pk}" in exc.value.message_dict


def test_submitted_evaluation_cannot_change(cast, pair):
    services_respond.response_submit(
        actor=cast.trainee, pair=pair, answers=full_answers(pair.template)
    )
    assert not EvaluationDraft.objects.exists()
    for call in (services_respond.response_submit, services_respond.response_save_draft):
        with pytest.raises(ValidationError):
            call(actor=cast.trainee, pair=pair, answers=full_answers(pair.template, rating=1))
    assert EvaluationResponse.objects.count() == 1


def test_only_the_evaluator_answers(cast, pair):
    with pytest.raises(PermissionDenied):
        services_respond.response_submit(
            actor=cast.coord_a, pair=pair, answers=full_answers(pair.template)
        )


def test_round_not_yet_open_cannot_be_answered(cast):
    population(cast)
    template = make_template(cast)
    round_ = open_round(
        cast, [template], opens_on=datetime.date(2099, 1, 1), due_on=datetime.date(2099, 2, 1)
    )
    pair = round_.pairs.first()
    with pytest.raises(ValidationError):
        services_respond.response_submit(
            actor=pair.evaluator, pair=pair, answers=full_answers(template)
        )


def test_anonymous_response_carries_no_author_pair_or_time(cast, pair):
    narrative = narrative_item(pair.template)
    answers = {**full_answers(pair.template), str(narrative.pk): "More lab meetings"}
    services_respond.response_submit(actor=cast.trainee, pair=pair, answers=answers)
    response = EvaluationResponse.objects.get()
    assert response.evaluator_id is None and response.pair_id is None
    assert response.submitted_at is None and response.is_anonymous
    event = AuditEvent.objects.get(action="evaluations.submit")
    assert str(response.pk) not in str(event.changes) and "More lab" not in str(event.changes)


def test_named_response_keeps_its_author(cast):
    population(cast)
    template = make_template(cast, "self", anonymous=False)
    round_ = open_round(cast, [template])
    pair = round_.pairs.get()
    services_respond.response_submit(actor=cast.trainee, pair=pair, answers=full_answers(template))
    response = EvaluationResponse.objects.get()
    assert response.evaluator == cast.trainee and response.pair == pair


def test_stale_second_submission_leaves_one_response(cast, pair):
    stale = EvaluationPair.objects.get(pk=pair.pk)
    services_respond.response_submit(
        actor=cast.trainee, pair=pair, answers=full_answers(pair.template)
    )
    with pytest.raises(ValidationError):
        services_respond.response_submit(
            actor=cast.trainee, pair=stale, answers=full_answers(pair.template)
        )
    assert EvaluationResponse.objects.count() == 1
