"""The pages that run rounds and the target's own results: page flows, bad input on each form
(a message, nothing half-saved), hiding a comment, nothing for the target before the release or
below the threshold, Chinese, constant query counts."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.evaluations import services_respond
from tandem.evaluations.exports import round_results_workbook
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationPair,
    EvaluationRound,
    PairStatus,
)
from tandem.evaluations.tests.factories import (
    full_answers,
    make_template,
    narrative_item,
    open_round,
    population,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        yield


@pytest.fixture(autouse=True)
def _threshold(settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3


@pytest.fixture
def world(cast):
    population(cast, extra_trainees=3)  # four trainees evaluate tutor_a (and tutor_b)
    template = make_template(cast)
    round_ = open_round(cast, [template])
    return round_, template


def _tutor_a_pairs(round_):
    return list(
        EvaluationPair.objects.filter(round=round_, target_user__username="tutor_a").order_by("id")
    )


def _submit(template, pairs, comments=()):
    for index, pair in enumerate(pairs):
        answers = full_answers(template)
        if index < len(comments):
            answers[str(narrative_item(template).pk)] = comments[index]
        services_respond.response_submit(actor=pair.evaluator, pair=pair, answers=answers)


def _open_data(cast, template, **overrides):
    data = {
        "title": "Spring 2026",
        "title_zh": "2026年春季",
        "institution": cast.inst_a.pk,
        "population": "agreement",
        "agreement": cast.agreement_ab.pk,
        "opens_on": "2026-06-01",
        "due_on": "2026-06-30",
        f"template_{template.relationship}": template.pk,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- opening a round ------------------------------------------------------------------------


def test_open_previews_the_pairs_then_opens_on_confirmation(cast, client_for):
    population(cast, extra_trainees=2)
    template = make_template(cast)
    client = client_for("coord_a")
    url = reverse("evaluations:round_open")
    assert client.get(url).status_code == 200
    response = client.post(url, {**_open_data(cast, template), "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="round-preview"' in page
    # three trainees, each with two tutors: six evaluations, and nothing saved yet
    assert "<th>6</th>" in page
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()
    assert not AuditEvent.objects.filter(action="evaluations.round_open").exists()
    response = client.post(url, {**_open_data(cast, template), "confirm": "1"})
    round_ = EvaluationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:round_detail", args=[round_.pk])
    assert round_.pairs.count() == 6 and round_.title_zh == "2026年春季"
    assert AuditEvent.objects.filter(action="evaluations.round_open").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"due_on": "2026-05-01"}, "The due date cannot be before the opening date."),
        ({"agreement": None}, "Choose the agreement whose trainees are evaluated."),
        ({"population": "cohort"}, "Give the cohort (year of entry)."),
        ({"population": "consortium"}, "Only a consortium admin can evaluate the whole"),
        ({"title": ""}, "This field is required."),
        ({"opens_on": "someday"}, "Enter a valid date."),
        ({"template_trainee_tutor": None}, "Choose a template for at least one relationship."),
        ({"template_trainee_tutor": 999999}, "Select a valid choice."),
        ({"institution": "__inst_b__"}, "Select a valid choice."),
    ],
)
def test_open_with_bad_input_says_what_and_saves_nothing(
    cast, client_for, overrides, field_message
):
    population(cast)
    template = make_template(cast)
    if overrides.get("institution") == "__inst_b__":
        overrides = {"institution": cast.inst_b.pk}  # coord_a does not coordinate B
    data = _open_data(cast, template, **overrides)
    for button in ("preview", "confirm"):
        response = client_for("coord_a").post(
            reverse("evaluations:round_open"), {**data, button: "1"}
        )
        assert response.status_code == 400
        assert field_message in response.content.decode()
    assert not EvaluationRound.objects.exists() and not EvaluationPair.objects.exists()


def test_a_template_of_another_institution_is_not_a_choice(cast, client_for):
    population(cast)
    theirs = make_template(cast, actor=cast.coord_b, institution=cast.inst_b)
    response = client_for("coord_a").post(
        reverse("evaluations:round_open"), {**_open_data(cast, theirs), "preview": "1"}
    )
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()


def test_only_coordinators_open_rounds(client_for):
    assert client_for("tutor_a").get(reverse("evaluations:round_open")).status_code == 403
    assert client_for("trainee").post(reverse("evaluations:round_open"), {}).status_code == 403


# --- extend, reassign, withdraw ----------------------------------------------------------------


def test_extend_flow_and_bad_input(cast, client_for, world):
    round_, _template = world
    pair = _tutor_a_pairs(round_)[0]
    client = client_for("coord_a")
    url = reverse("evaluations:pair_extend", args=[pair.pk])
    listing = client.get(reverse("evaluations:manage_pairs", args=[round_.pk])).content.decode()
    assert url in listing
    assert client.get(url).status_code == 200
    earlier = client.post(url, {"due_on": "2026-12-01", "reason": "Ill"})
    assert earlier.status_code == 400
    assert "The new due date must be later than the current one." in earlier.content.decode()
    no_reason = client.post(url, {"due_on": "2027-01-31", "reason": ""})
    assert no_reason.status_code == 400 and "This field is required." in no_reason.content.decode()
    pair.refresh_from_db()
    assert pair.due_on == datetime.date(2026, 12, 31)
    assert client.post(url, {"due_on": "2027-01-31", "reason": "Ill"}).status_code == 302
    pair.refresh_from_db()
    assert pair.due_on == datetime.date(2027, 1, 31)
    assert AuditEvent.objects.filter(action="evaluations.pair_extend", reason="Ill").exists()


def test_reassign_offers_people_of_the_round_and_rejects_others(cast, client_for, world):
    round_, _template = world
    pair = _tutor_a_pairs(round_)[0]
    client = client_for("coord_a")
    url = reverse("evaluations:pair_reassign", args=[pair.pk])
    page = client.get(url).content.decode()
    assert f'value="{cast.resident.pk}"' in page or f'value="{cast.coord_b.pk}"' in page
    assert f'value="{pair.evaluator_id}"' not in page  # not to the same person
    outsider = client.post(url, {"evaluator": cast.outsider.pk, "reason": "Left"})
    assert outsider.status_code == 400
    assert "Select a valid choice." in outsider.content.decode()
    herself = client.post(url, {"evaluator": cast.tutor_a.pk, "reason": "Left"})
    assert herself.status_code == 400
    assert "A person cannot evaluate themselves here." in herself.content.decode()
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING  # nothing half-done
    new = cast.coord_b
    assert client.post(url, {"evaluator": new.pk, "reason": "Left"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN
    assert EvaluationPair.objects.filter(round=round_, evaluator=new, status="pending").exists()


def test_withdraw_flow_then_no_more_changes(cast, client_for, world):
    round_, _template = world
    pair = _tutor_a_pairs(round_)[0]
    client = client_for("coord_a")
    url = reverse("evaluations:pair_withdraw", args=[pair.pk])
    assert client.post(url, {"reason": "   "}).status_code == 400
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING
    assert client.post(url, {"reason": "Left the programme"}).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN and pair.withdrawn_reason == "Left the programme"
    again = client.post(
        reverse("evaluations:pair_extend", args=[pair.pk]),
        {"due_on": "2027-01-31", "reason": "x"},
    )
    assert again.status_code == 400
    assert "Only an evaluation still to do can be changed." in again.content.decode()


def test_pair_pages_are_404_for_other_coordinators(cast, client_for, world):
    round_, _template = world
    pair = _tutor_a_pairs(round_)[0]
    for name in ("pair_extend", "pair_reassign", "pair_withdraw"):
        url = reverse(f"evaluations:{name}", args=[pair.pk])
        assert client_for("coord_b").post(url, {"reason": "x"}).status_code == 404
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


# --- release and hiding a comment ------------------------------------------------------------


def test_release_explains_then_releases_once(cast, client_for, world):
    round_, _template = world
    client = client_for("coord_a")
    detail = client.get(reverse("evaluations:round_detail", args=[round_.pk])).content.decode()
    url = reverse("evaluations:round_release", args=[round_.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "My results" in page and "cannot be undone" in page
    assert client.post(url).status_code == 302
    round_.refresh_from_db()
    assert round_.released_at is not None
    again = client.post(url)
    assert again.status_code == 400
    assert "The results are already released." in again.content.decode()


def test_hiding_a_comment_removes_it_for_the_target_and_the_export(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:3], comments=["Rude words", "Very helpful"])
    args = [round_.pk, template.pk, "person", cast.tutor_a.pk]
    client = client_for("coord_a")
    results_page = client.get(reverse("evaluations:results", args=args)).content.decode()
    url = reverse("evaluations:comment_hide", args=args)
    assert url in results_page
    answer = EvaluationAnswer.objects.get(text="Rude words")
    blank = client.post(url, {"answer": str(answer.pk), "reason": ""})
    assert blank.status_code == 400 and "This field is required." in blank.content.decode()
    answer.refresh_from_db()
    assert answer.hidden_reason == ""
    assert client.post(url, {"answer": str(answer.pk), "reason": "Abusive"}).status_code == 302
    page = client.get(url).content.decode()
    assert "hidden by Coordinator A: Abusive" in page or "hidden by" in page
    assert "Abusive" in page and "Rude words" in page  # the coordinator still sees it, marked
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    mine = client_for("tutor_a").get(reverse("evaluations:my_result", args=args))
    assert mine.status_code == 200
    text = mine.content.decode()
    assert "Very helpful" in text and "Rude words" not in text and "Abusive" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(round_results_workbook(round_))).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    assert "Rude words" not in cells
    # hiding it twice, or an id not of the round, is refused
    assert client.post(url, {"answer": str(answer.pk), "reason": "Again"}).status_code == 400
    assert client.post(url, {"answer": "not-a-uuid", "reason": "x"}).status_code == 400


def test_no_comment_to_hide_below_the_threshold(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:2], comments=["Secret", "Other"])
    url = reverse(
        "evaluations:comment_hide", args=[round_.pk, template.pk, "person", cast.tutor_a.pk]
    )
    page = client_for("coord_a").get(url).content.decode()
    assert "Not enough responses to show." in page and "Secret" not in page


# --- the target's own results -----------------------------------------------------------------


def test_the_target_sees_nothing_before_the_release(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:3], comments=["Great"])
    client = client_for("tutor_a")
    listing = client.get(reverse("evaluations:my_results")).content.decode()
    assert "No results have been released to you yet." in listing
    args = [round_.pk, template.pk, "person", cast.tutor_a.pk]
    assert client.get(reverse("evaluations:my_result", args=args)).status_code == 404
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    listing = client.get(reverse("evaluations:my_results")).content.decode()
    assert reverse("evaluations:my_result", args=args) in listing
    page = client.get(reverse("evaluations:my_result", args=args)).content.decode()
    assert "3 responses." in page and "Great" in page
    # someone else's results are the same 404, released or not
    other = [round_.pk, template.pk, "person", cast.tutor_b.pk]
    assert client.get(reverse("evaluations:my_result", args=other)).status_code == 404


def test_below_the_threshold_the_target_gets_no_number(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:2], comments=["Secret one"])
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    client = client_for("tutor_a")
    args = [round_.pk, template.pk, "person", cast.tutor_a.pk]
    page = client.get(reverse("evaluations:my_result", args=args)).content.decode()
    assert "Not enough responses to show." in page
    assert "Secret one" not in page and "2 responses" not in page and "Very good" not in page
    listing = client.get(reverse("evaluations:my_results")).content.decode()
    assert "Over the rounds" not in listing  # the trend leaves the round out too


def test_the_trend_over_two_released_rounds(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:3])
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    later = open_round(cast, [template], opens_on=datetime.date(2026, 3, 1))
    later.title = "Later round"
    later.save()
    _submit(template, _tutor_a_pairs(later)[:3])
    services_respond.round_release(actor=cast.coord_a, round_=later)
    page = client_for("tutor_a").get(reverse("evaluations:my_results")).content.decode()
    trend = page[page.index("Over the rounds") :]
    assert trend.index("Autumn term 2026") < trend.index("Later round")
    assert "width:70%" in page  # rating 4 and entrustment 3: a mean of 3.5 of 5


def test_my_results_in_chinese(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:3])
    services_respond.round_release(actor=cast.coord_a, round_=round_)
    client = client_for("tutor_a")
    client.cookies["django_language"] = "zh-hans"
    text = client.get(reverse("evaluations:my_results")).content.decode()
    assert "我的评价结果" in text and "2026年秋季学期" in text and "历轮趋势" in text
    coordinator = client_for("coord_a")
    coordinator.cookies["django_language"] = "zh-hans"
    opening = coordinator.get(reverse("evaluations:round_open")).content.decode()
    assert "开启评价轮次" in opening and "每种评价关系一个模板" in opening
    bad = coordinator.post(
        reverse("evaluations:round_open"),
        {**_open_data(cast, template, due_on="2026-05-01"), "preview": "1"},
    )
    assert "截止日期不能早于开始日期。" in bad.content.decode()


def test_my_results_and_round_detail_take_constant_queries(cast, client_for, world):
    round_, template = world
    _submit(template, _tutor_a_pairs(round_)[:3])
    services_respond.round_release(actor=cast.coord_a, round_=round_)

    def count(client, url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    tutor, coord = client_for("tutor_a"), client_for("coord_a")
    mine, detail = (
        reverse("evaluations:my_results"),
        reverse("evaluations:round_detail", args=[round_.pk]),
    )
    before = (count(tutor, mine), count(coord, detail))
    # more answers in the round, and three more released rounds
    _submit(template, _tutor_a_pairs(round_)[3:])
    _submit(template, EvaluationPair.objects.filter(round=round_, target_user=cast.tutor_b))
    for index in range(3):
        later = open_round(cast, [template], opens_on=datetime.date(2026, 2, 1 + index))
        _submit(template, _tutor_a_pairs(later)[:3])
        services_respond.round_release(actor=cast.coord_a, round_=later)
    assert count(tutor, mine) == before[0]
    assert count(coord, detail) == before[1]
