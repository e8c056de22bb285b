"""The change history in words: every recorded code has a label, values read like a person
wrote them, and a real history page in Chinese shows no raw code."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tandem.agreements import services as agreement_services
from tandem.agreements.models import AgreementForm
from tandem.bookings.services import OUTCOMES
from tandem.core.audit import audit_history, audit_record
from tandem.core.models import AuditEvent
from tandem.cultivation.permissions import TRANSITIONS
from tandem.meetings.tests.factories import make_series
from tandem.plans.models import TrainingPlan
from tandem.portal.history import ACTION_LABELS, EMPTY, describe, humanise, names_in
from tandem.residency import services_schedule
from tandem.residency.models import ProposalStatus, RequestStatus, ScheduleProposal
from tandem.residency.tests.factories import build_world

SOURCE = Path(__file__).resolve().parents[2]  # the tandem package

# Every action code built with an f-string, and the values its placeholder takes. A new
# f-string fails `test_every_recorded_action_code_has_a_label` until it is listed here, and
# the assertions in `test_f_string_expansions_follow_the_code` fail when a status is added.
F_STRING_ACTIONS = {
    "cultivation.{action}": ["activate", "suspend", "resume", "complete", "terminate"],
    "proposal.{status}": ["done", "infeasible", "failed"],
    "leave.{request_obj.status}": ["approved", "refused"],
    "swap.{request_obj.status}": ["approved", "refused"],
    "booking.{outcome}": ["completed", "no_show"],
}
# Helpers that pass an action code through to audit_record: (file, parameter name).
PASS_THROUGH = {("plans/services.py", "action"), ("agreements/services.py", "action")}
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):  # "a.create" if created else "a.revoke"
        return _literals(node.body) + _literals(node.orelse)
    return []


def _scan() -> tuple[set[str], set[str], set[tuple[str, str]]]:
    """(literal codes, f-string templates, pass-through variables) of every audit call in the
    application's source."""
    literals: set[str] = set()
    templates: set[str] = set()
    variables: set[tuple[str, str]] = set()
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or _name(node.func) == "add_argument":
                continue
            name = _name(node.func)
            values = [k.value for k in node.keywords if k.arg == "action"]
            if "audit" in name:  # a helper such as _audit_plan(actor, plan, "plan.sign", ...)
                values += node.args
            for value in values:
                literals |= {code for code in _literals(value) if CODE.match(code)}
                if name != "audit_record":
                    continue
                if isinstance(value, ast.JoinedStr):
                    templates.add(ast.unparse(value)[2:-1])
                elif isinstance(value, ast.Name):
                    variables.add((relative, value.id))
    return literals, templates, variables


def test_every_recorded_action_code_has_a_label():
    literals, templates, variables = _scan()
    assert "proposal.publish" in literals and "plan.sign" in literals  # the scan works
    assert templates == set(F_STRING_ACTIONS), "list the new f-string's values above"
    assert variables <= PASS_THROUGH, "a new helper passes codes through: scan its callers"
    expanded = {
        template.split(".")[0] + "." + value
        for template, values in F_STRING_ACTIONS.items()
        for value in values
    }
    missing = sorted((literals | expanded) - set(ACTION_LABELS))
    assert not missing, f"action codes without a label in their app's history.py: {missing}"


def test_f_string_expansions_follow_the_code():
    assert set(F_STRING_ACTIONS["cultivation.{action}"]) == set(TRANSITIONS)
    # "interrupted" is recorded by the lost-solve sweep as a literal code, not by `_finish`.
    finished = set(ProposalStatus.values) - {"queued", "solving", "published", "interrupted"}
    assert set(F_STRING_ACTIONS["proposal.{status}"]) == finished
    decided = set(RequestStatus.values) - {RequestStatus.PENDING}
    assert set(F_STRING_ACTIONS["leave.{request_obj.status}"]) == decided
    assert set(F_STRING_ACTIONS["swap.{request_obj.status}"]) == decided
    assert set(F_STRING_ACTIONS["booking.{outcome}"]) == set(OUTCOMES)


def _event(model, action, changes, **extra) -> AuditEvent:
    return AuditEvent(
        at=timezone.now(),
        action=action,
        changes=changes,
        target_type=ContentType.objects.get_for_model(model),
        target_id="1",
        **extra,
    )


def test_empty_booleans_lists_and_dicts_read_as_words():
    assert humanise(None) == humanise("") == humanise([]) == EMPTY
    assert (humanise(True), humanise(False)) == ("yes", "no")
    assert humanise(["Western University Hospital", "Eastern Cancer Hospital"]) == (
        "Western University Hospital, Eastern Cancer Hospital"
    )
    assert humanise({"rescheduled": ["x"], "unknown_key": 2}) == "Rescheduled: x, unknown_key: 2"
    with translation.override("zh-hans"):
        assert (humanise(True), humanise(False)) == ("是", "否")
        assert humanise(["甲", "乙"]) == "甲、乙"


def test_iso_dates_and_times_use_the_locale_format():
    # One date format per locale, the pages' own (config/formats): ISO in both languages.
    assert humanise("2026-11-22") == "2026-11-22"
    assert humanise("2026-11-22T07:37:00+00:00") == "2026-11-22 15:37"  # Asia/Shanghai
    with translation.override("zh-hans"):
        assert humanise("2026-11-22") == "2026-11-22"
        assert humanise("2026-11-22T07:37:00+00:00") == "2026-11-22 15:37"
    assert humanise("2026-13-45") == "2026-13-45"  # looks like a date, is not one
    assert humanise("Version 2026-11") == "Version 2026-11"


@pytest.mark.django_db
def test_fields_are_named_by_their_verbose_name_and_choices_by_their_label():
    event = _event(
        ScheduleProposal,
        "proposal.done",
        {
            "status": ["solving", "done"],
            "time_limit": [None, 8],
            "objective": [None, None],
            "approved for": [None, ["B"]],
            "x_y": [1, 2],
        },
    )
    text = describe(event)
    assert text.action == "finished solving the schedule proposal"
    assert text.actor == "System"
    changes = {c.field: (c.old, c.new) for c in text.changes}
    assert changes == {
        "Status": ("Solving", "Proposed"),
        "Time limit (seconds)": (None, "8"),  # nothing before: the value alone
        "Approved for": (None, "B"),  # a key the services write, from the table
        "x_y": ("1", "2"),  # unknown: the key itself
    }  # "objective" was empty before and after: not a change
    with translation.override("zh-hans"):
        changes = {c.field: (c.old, c.new) for c in describe(event).changes}
        assert changes["状态"] == ("求解中", "已提出")
        assert "时间限制（秒）" in changes and "审批单位" in changes
        assert describe(event).action == "完成了排班方案求解"


@pytest.mark.django_db
def test_a_plan_history_names_its_versions_fields():
    event = _event(
        TrainingPlan,
        "plan.sign",
        {"status": ["awaiting_signoff", "signed"], "signed_at": [None, "2026-03-01T02:00:00Z"]},
    )
    changes = {c.field: (c.old, c.new) for c in describe(event).changes}
    assert changes == {
        "Status": ("Awaiting sign-off", "Signed"),
        "Signed at": (None, "2026-03-01 10:00"),
    }


@pytest.mark.django_db
def test_unknown_codes_and_single_values_are_shown_as_they_are():
    from tandem.accounts.models import Membership

    event = _event(Membership, "membership.someday", {"role": "coordinator", "is_active": True})
    text = describe(event)
    assert text.action == "membership.someday"
    assert [(c.field, c.old, c.new) for c in text.changes] == [
        ("Role", None, "Institution coordinator"),
        ("Active", None, "yes"),
    ]


@pytest.mark.django_db
def test_attendance_names_the_people_in_one_query(cast):
    meeting = make_series(cast).meetings.first()
    event = audit_record(
        actor=cast.tutor_a,
        action="meeting.attendance",
        target=meeting,
        changes={
            str(cast.trainee.pk): [None, "present"],
            str(cast.tutor_b.pk): ["present", "absent"],
        },
    )
    with CaptureQueriesContext(connection) as queries:
        names = names_in([event, event])
    assert len(queries) == 1
    changes = {c.field: (c.old, c.new) for c in describe(event, names).changes}
    assert changes == {
        str(cast.trainee): (None, "Present"),
        str(cast.tutor_b): ("Present", "Absent"),
    }


def _history(body: str) -> str:
    section = body.split('aria-labelledby="history-h"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


RAW = [
    re.compile(r"\b[a-z]+(_[a-z]+)*\.[a-z]+(_[a-z]+)*\b"),  # an action code
    re.compile(r"\b[a-z]+_[a-z_]+\b"),  # a field name
    re.compile(r"\b(None|True|False)\b|\['|\[\]|\{'"),  # Python's own spelling
    re.compile(r"\b[RD]\d+\b"),  # an id of the rotation instance format
]


def _assert_no_raw_code(history: str) -> None:
    for pattern in RAW:
        assert not pattern.search(history), f"{pattern.pattern} in: {history}"


def test_agreement_history_reads_as_chinese_sentences(cast, client_for):
    agreement = agreement_services.agreement_update(
        actor=cast.coord_a,
        agreement=cast.draft_ab,
        title="WMU–EMU teaching exchange, revised",
        form=AgreementForm.UNIVERSITY_DOMESTIC,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2031, 12, 31),
        parties=[
            {"institution": cast.inst_a, "funding_share": 70, "responsibilities": ""},
            {"institution": cast.inst_b, "funding_share": 30, "responsibilities": ""},
        ],
        quotas=[{"year": 2026, "max_trainees": 4}],
        ip_clause="Shared by both.",
    )
    agreement_services.agreement_sign(actor=cast.coord_a, agreement=agreement)
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    history = _history(body)
    assert f"{cast.coord_a} 修改了协议" in history and "2031-12-31" in history
    assert "签署了协议" in history and "草稿 → 改为 待签署" in history
    _assert_no_raw_code(history)


@pytest.fixture
def solved(cast):
    world = build_world(cast)
    proposal = services_schedule.proposal_generate(
        actor=cast.coord_a, cohort=world.cohort, time_limit=5, enqueue=False
    )
    services_schedule.proposal_solve(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE
    services_schedule.proposal_pin(
        actor=cast.coord_a,
        proposal=proposal,
        resident=world.member.key,
        block=1,
        department=f"D{world.a2.pk}",
    )
    return world, proposal


def test_proposal_history_reads_as_chinese_sentences(solved, client_for):
    world, proposal = solved
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("residency:proposal_detail", args=[proposal.pk])).content.decode()
    history = _history(body)
    assert "开始求解排班方案" in history
    assert f"{world.cast.coord_a} 完成了排班方案求解" in history  # the person who asked
    assert "求解中 → 改为 已提出" in history
    assert f"{world.cast.resident} / 2" in history and "A2 clinic" in history  # the pinned cell
    _assert_no_raw_code(history)
    body = client.get(reverse("residency:program_detail", args=[world.program.pk])).content
    _assert_no_raw_code(_history(body.decode()))


def test_history_queries_do_not_grow_with_events(solved, client_for):
    world, proposal = solved
    client = client_for("coord_a")
    url = reverse("residency:proposal_detail", args=[proposal.pk])
    client.get(url)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for block in range(3):
        services_schedule.proposal_pin(
            actor=world.cast.coord_a,
            proposal=proposal,
            resident=world.member2.key,
            block=block,
            department=f"D{world.a1.pk}",
        )
        audit_record(
            actor=None,
            action="proposal.done",
            target=proposal,
            changes={"status": ["solving", "done"]},
        )
    assert audit_history(proposal).count() >= 9
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large)
