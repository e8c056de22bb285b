"""The solver's findings worded for people: every code in English and Chinese, with names,
blocks numbered from 1, links on pages; refusals and infeasible proposals use them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from tandem.residency import rule_text, services_schedule
from tandem.residency.instancing import department_key
from tandem.residency.models import ProposalStatus, SwapRequest
from tandem.residency.scheduling import CODES, Finding, Instance, Resident, Rotation
from tandem.residency.scheduling.tests.test_findings import ENGLISH
from tandem.residency.tests.factories import build_world, make_proposal, publish

IDS = re.compile(r"\b[DRP]\d+\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def world(cast):
    world = build_world(cast)
    world.a1.name_zh = "A1病房"
    world.a1.save()
    return world


def _names(world, **extra):
    instance = Instance(
        name="names",
        blocks=1,
        sites=("H",),
        rotations=tuple(
            Rotation(department_key(d.pk), "H", (0,), (None,))
            for d in (world.a1, world.a2, world.b1)
        ),
        programs=(),
        residents=tuple(Resident(m.key, "P", "H") for m in (world.member, world.member2)),
    )
    return rule_text.names_for(instance, **extra)


def _in_world(world, value):
    """The library's example ids (R1, A, P, H1, ...) replaced by the world's."""
    a1, a2, b1 = (f"D{d.pk}" for d in (world.a1, world.a2, world.b1))
    ids = {
        "R1": world.member.key, "R9": world.member2.key,
        "A": a1, "H1-ICU": a1, "B": a2, "C": b1, "D": a2,
        "P": f"P{world.program.pk}", "H1": world.cast.inst_a.code, "H2": world.cast.inst_b.code,
    }  # fmt: skip
    if isinstance(value, tuple):
        return tuple(ids.get(v, v) if isinstance(v, str) else v for v in value)
    return ids.get(value, value) if isinstance(value, str) else value


def _example(world, code):
    params, _english = ENGLISH[code]
    return Finding(code, {key: _in_world(world, value) for key, value in params.items()})


def test_every_finding_code_has_a_template():
    assert set(rule_text.TEMPLATES) == CODES


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_reads_with_names_and_blocks_from_one(world, code, language):
    finding = _example(world, code)
    with override(language):
        text = rule_text.finding_text(finding, _names(world))
        if finding.params:
            assert text != finding.english()  # the template, not the library's English
        assert not IDS.search(text), text  # names, never instance ids
        params = finding.params
        if params.get("resident") == world.member.key:
            assert "Rui Resident" in text
        if params.get("rotation") == f"D{world.a1.pk}":
            assert ("A1病房" if language == "zh-hans" else "A1 ward") in text
        if "program" in params and code not in ("conflict_pinned", "conflict_pinned_on_leave"):
            assert "IM PGY1" in text
        if "from_site" in params:
            hospital = "西部医科大学" if language == "zh-hans" else "Western Medical University"
            assert hospital in text
        if code == "forbidden_sequence":  # blocks t and t+1
            assert ("第2–3轮转段" if language == "zh-hans" else "blocks 2–3") in text
        elif isinstance(params.get("block"), int):
            number = params["block"] + 1
            assert (f"第{number}轮转段" if language == "zh-hans" else f"block {number}") in text
        if language == "zh-hans":
            assert CJK.search(text), text
            assert "block" not in text


def test_runs_and_lists_of_blocks_are_numbered_from_one(world):
    run = Finding(
        "max_consecutive",
        {
            "resident": world.member.key,
            "first": 0,
            "last": 2,
            "rotations": (f"D{world.a1.pk}",),
            "limit": 2,
        },
    )
    listed = Finding(
        "conflict_must_work", {"resident": world.member.key, "blocks": (0, 2, 3), "program": "P0"}
    )
    names = _names(world)
    with override("en"):
        assert (
            "In blocks 1–3, Rui Resident spends 3 consecutive blocks on A1 ward"
            in rule_text.finding_text(run, names)
        )
        assert "in blocks 1, 3–4 (P0 has no idle blocks)" in rule_text.finding_text(listed, names)
    with override("zh-hans"):
        assert "第1–3轮转段" in rule_text.finding_text(run, names)
        assert "第1、3–4轮转段" in rule_text.finding_text(listed, names)


def test_blocks_carry_their_dates_when_the_calendar_is_known(world):
    block = world.calendar.blocks.get(index=2)
    finding = Finding("cap_max", {"block": 2, "rotation": f"D{world.a1.pk}", "count": 4, "max": 3})
    names = _names(world, calendar_id=world.calendar.pk)
    with override("en"):
        dates = (
            f"{date_format(block.start_date, 'MONTH_DAY_FORMAT')} – "
            f"{date_format(block.end_date, 'MONTH_DAY_FORMAT')}"
        )
        assert rule_text.finding_text(finding, names) == (
            f"In block 3 ({dates}), A1 ward has 4 residents; it takes at most 3."
        )
    with override("zh-hans"):
        text = rule_text.finding_text(finding, names)
        assert text.startswith("第3轮转段（") and "A1病房有 4 名住院医师" in text


def test_plural_follows_the_number(world):
    one = Finding("cap_min", {"block": 0, "rotation": f"D{world.a2.pk}", "count": 1, "min": 2})
    with override("en"):
        assert "A2 clinic has 1 resident;" in rule_text.finding_text(one, _names(world))


def test_pages_get_links_and_escaped_names(world):
    world.a2.name = "<b>A2</b> clinic"
    world.a2.save()
    finding = Finding(
        "conflict_requirement_min",
        {
            "resident": world.member.key,
            "program": f"P{world.program.pk}",
            "rotations": (f"D{world.a1.pk}", f"D{world.a2.pk}"),
            "min": 3,
        },
    )
    with override("en"):
        [html] = rule_text.findings_html([finding], _names(world))
    assert (
        f'<a href="{reverse("residency:department_edit", args=[world.a1.pk])}">A1 ward</a>' in html
    )
    assert reverse("residency:program_detail", args=[world.program.pk]) in html
    assert "<strong>Rui Resident</strong>" in html
    assert "&lt;b&gt;A2&lt;/b&gt; clinic" in html and "<b>A2" not in html


@pytest.mark.parametrize(
    "finding",
    [
        Finding("a_code_from_the_future", {"block": 1}),
        Finding("cap_min", {"block": 1}),  # parameters missing
    ],
)
def test_a_finding_it_cannot_word_never_fails(world, finding):
    assert rule_text.finding_text(finding, _names(world))


def test_stored_findings_are_read_back_or_ignored():
    stored = [Finding("conflict_cap_max", {"block": 1, "rotation": "D1", "max": 2}).to_dict()]
    assert rule_text.stored_findings(stored) == [
        Finding("conflict_cap_max", {"block": 1, "rotation": "D1", "max": 2})
    ]
    assert rule_text.stored_findings(None) is None
    assert rule_text.stored_findings([{"code": "nope", "params": {}}]) is None


def test_a_refused_swap_gives_the_reason_in_chinese_naming_the_department(world):
    publish(world)
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        services_schedule.swap_request(
            actor=world.cast.resident, member=world.member, other=world.member2, block=2
        )
    messages = exc.value.message_dict["block"]
    assert all(m.startswith("此更改会违反规则：") and not IDS.search(m) for m in messages)
    # Rui would be on A1 in blocks 1-3 in a row (2 allowed) and never in A2 clinic.
    assert any("A1病房" in m and "连续" in m and "第1–3轮转段" in m for m in messages)
    assert not SwapRequest.objects.exists()


def test_a_refused_swap_on_the_page_shows_the_chinese_reason(world, client_for):
    publish(world)
    client = client_for("resident")
    client.cookies["django_language"] = "zh-hans"
    response = client.post(
        reverse("residency:swap_create", args=[world.member.pk]),
        {"other": world.member2.pk, "block": 2, "reason": "x"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "此更改会违反规则" in body and "A1病房" in body
    assert not SwapRequest.objects.exists()


def test_publishing_a_schedule_that_breaks_a_rule_says_which_in_chinese(world):
    proposal = make_proposal(world, approved=True)
    rows = proposal.solution["assignments"]
    rows[world.member.key] = [f"D{world.a1.pk}"] * 4  # 4 blocks on A1: at most 3, 2 in a row
    proposal.save()
    with override("zh-hans"), pytest.raises(ValidationError) as exc:
        services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    messages = exc.value.message_dict["status"]
    assert all(m.startswith("该排班违反了规则：") for m in messages)
    assert any("A1病房" in m and "最多允许" in m for m in messages)


def _infeasible(world):
    world.a1.min_per_block = 3  # two residents cannot staff it
    world.a1.save()
    proposal = services_schedule.proposal_generate(
        actor=world.cast.coord_a, cohort=world.cohort, time_limit=5, enqueue=False
    )
    return services_schedule.proposal_solve(proposal_id=proposal.pk)


def test_an_infeasible_proposal_keeps_its_findings_and_english_conflicts(world):
    proposal = _infeasible(world)
    assert proposal.status == ProposalStatus.INFEASIBLE
    findings = rule_text.stored_findings(proposal.conflict_details)
    assert findings
    assert proposal.solution["conflicts"] == [f.english() for f in findings]
    assert any(
        f.code == "conflict_cap_min" and f.params["rotation"] == f"D{world.a1.pk}" for f in findings
    )


def test_an_infeasible_proposal_page_in_chinese_shows_chinese_conflicts(world, client_for):
    proposal = _infeasible(world)
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("residency:proposal_detail", args=[proposal.pk])).content.decode()
    section = body.split('id="conflicts-h"', 1)[1].split("</section>", 1)[0]
    assert "至少需要 3 名住院医师" in section
    link = reverse("residency:department_edit", args=[world.a1.pk])
    assert f'<a href="{link}">A1病房</a>' in section
    assert "needs at least" not in section and not IDS.search(re.sub(r"<[^>]+>", "", section))


def test_a_proposal_solved_before_findings_were_kept_shows_its_english(world, client_for):
    proposal = make_proposal(world, approved=None, status=ProposalStatus.INFEASIBLE)
    proposal.solution = {
        **proposal.solution,
        "assignments": None,
        "conflicts": [f"block 0: D{world.a2.pk} takes at most 0 residents"],
    }
    proposal.conflict_details = None
    proposal.save()
    body = (
        client_for("coord_a")
        .get(reverse("residency:proposal_detail", args=[proposal.pk]))
        .content.decode()
    )
    link = reverse("residency:department_edit", args=[world.a2.pk])
    assert f'block 0: <a href="{link}">A2 clinic</a> takes at most 0 residents' in body


def test_a_partner_hospital_never_reads_the_conflicts_naming_the_home_residents(world, client_for):
    # Partners see a proposal only once it places residents at their hospital (PartnerApproval):
    # an infeasible one, whose conflicts name the home hospital's residents, is not theirs.
    proposal = _infeasible(world)
    response = client_for("coord_b").get(reverse("residency:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 404
