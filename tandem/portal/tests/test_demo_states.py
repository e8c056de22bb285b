"""The seeded demo shows only what the rules allow: every entry of its history is one a service
writes, every status was reached by a recorded change, and every agreement in force carries the
signature of each party, given by a coordinator of that party (decision 076)."""

import ast
import datetime
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from tandem.accounts.models import Membership, Role
from tandem.agreements.models import Agreement, AgreementForm, AgreementStatus
from tandem.core.models import AuditEvent

TANDEM = Path(__file__).resolve().parents[2]
SIGNED_BY_ALL = {
    AgreementStatus.ACTIVE,
    AgreementStatus.SUPERSEDED,
    AgreementStatus.EXPIRED,
}


def _writer_modules() -> list[Path]:
    """The modules that write in life: everything but the demo, the tests and the admin site."""
    return [
        path
        for path in sorted(TANDEM.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name not in {"demo.py", "admin.py"}
    ]


CODE = re.compile(r"[a-z][a-z_]*\.[a-z][a-z_]*")


def _f_string_pattern(value: ast.JoinedStr) -> re.Pattern[str]:
    parts = [
        re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
        for part in value.values
    ]
    return re.compile("".join(parts))


def service_action_patterns() -> list[re.Pattern[str]]:
    """Every code a writer records: the `action=` of a call (a literal, either branch of a
    condition, or an f-string read as a pattern: `f"booking.{outcome}"` → `booking\\.[a-z_]+`),
    and a code passed by position to an audit helper (`_audit_plan(actor, plan, "plan.start")`)."""
    patterns = []
    for path in _writer_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "action":
                if isinstance(node.value, ast.JoinedStr):
                    patterns.append(_f_string_pattern(node.value))
                    continue
                for part in ast.walk(node.value):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        patterns.append(re.compile(re.escape(part.value)))
            elif isinstance(node, ast.Call):
                for arg in node.args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and CODE.fullmatch(arg.value)
                    ):
                        patterns.append(re.compile(re.escape(arg.value)))
    return patterns


def test_the_collected_codes_are_those_the_services_write():
    patterns = service_action_patterns()

    def written(code: str) -> bool:
        return any(p.fullmatch(code) for p in patterns)

    assert written("agreement.sign") and written("agreement.expire")
    assert written("booking.completed")  # f"booking.{outcome}" in booking_mark
    assert written("calendar_feed.rotate")  # one branch of a condition
    assert written("plan.start")  # passed by position to the plans' audit helper
    # What the old demo wrote past the services: no service writes these.
    assert not written("agreement.active") and not written("agreement.signing")


def _events_by_target(model: type) -> dict[str, list[AuditEvent]]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    events: dict[str, list[AuditEvent]] = defaultdict(list)
    for event in AuditEvent.objects.filter(target_type=content_type).order_by("at", "id"):
        events[event.target_id].append(event)
    return events


def _decided_on_parent(row) -> bool:
    """A change of tutor is decided in its cultivation's history (one timeline for the pair):
    approved by the second side's approval, rejected by a rejection, each recorded there."""
    if row._meta.label != "cultivation.TutorChangeRequest":
        return False
    action = {"approved": "tutor_change_approve", "rejected": "tutor_change_reject"}.get(row.status)
    content_type = ContentType.objects.get_for_model(row.cultivation)
    return AuditEvent.objects.filter(
        target_type=content_type,
        target_id=str(row.cultivation_id),
        action=f"cultivation.{action}",
        at__gte=row.requested_at,
    ).exists()


# The records whose status a decision changes, each change audited on the record itself. (Plan
# versions, schedule proposals, meetings and attendance are audited on their plan, cohort or
# series, so their history is checked by their apps' tests.)
LIFECYCLES = (
    "agreements.Agreement",
    "cultivation.JointCultivation",
    "cultivation.TutorChangeRequest",
    "plans.PlanMilestone",
    "residency.LeaveRequest",
    "residency.SwapRequest",
    "funds.FundAllocation",
    "funds.JointFundApplication",
    "bookings.Booking",
    "meetings.ActionItem",
    "alerts.EarlyWarning",
)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_the_seeded_demo_shows_only_states_the_rules_allow():
    call_command("seed_demo", stdout=io.StringIO())

    # 1. Every entry of the demo's history is one that a service writes.
    patterns = service_action_patterns()
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    unwritten = sorted(c for c in codes if not any(p.fullmatch(c) for p in patterns))
    assert not unwritten, f"the demo's history holds codes no service writes: {unwritten}"

    # 2. Every status other than the initial one was reached by a recorded change to it.
    unreached = []
    for model in map(apps.get_model, LIFECYCLES):
        default = model._meta.get_field("status").default
        events = _events_by_target(model)
        for row in model.objects.exclude(status=default):
            reached = [
                e
                for e in events.get(str(row.pk), [])
                if (e.changes.get("status") or [None, None])[-1] == row.status
            ] or _decided_on_parent(row)
            if not reached:
                unreached.append(f"{model.__name__} {row.pk} ({row.status})")
    assert not unreached, f"statuses with no recorded change to them: {unreached}"

    # 3. Agreements: drafted by a coordinator of a party; in force only with every party's
    # signature, each given by a coordinator of that party and recorded as a signature.
    events = _events_by_target(Agreement)
    coordinators = defaultdict(set)
    for user_id, institution_id in Membership.objects.filter(
        role=Role.COORDINATOR, is_active=True
    ).values_list("user_id", "institution_id"):
        coordinators[institution_id].add(user_id)
    for agreement in Agreement.objects.prefetch_related("parties", "signatures"):
        history = events[str(agreement.pk)]
        assert history[0].action in {"agreement.draft", "agreement.amend"}, agreement
        party_ids = {p.institution_id for p in agreement.parties.all()}
        assert history[0].actor_id in set().union(*(coordinators[i] for i in party_ids))
        signatures = {s.institution_id: s.signed_by_id for s in agreement.signatures.all()}
        for institution_id, signer in signatures.items():
            assert signer in coordinators[institution_id], agreement
        signed_events = [e for e in history if e.action == "agreement.sign"]
        assert len(signed_events) == len(signatures), agreement
        if agreement.status in SIGNED_BY_ALL:
            assert set(signatures) == party_ids, f"{agreement} is in force without all parties"
        if agreement.status == AgreementStatus.SIGNING:
            assert signatures and set(signatures) != party_ids, agreement
        if agreement.status == AgreementStatus.DRAFT:
            assert not signatures, agreement

    # 4. The hospitals' exchange is a hospital–hospital agreement made through its form.
    exchange = Agreement.objects.get(title="ECH–WUH residency training exchange")
    assert exchange.form == AgreementForm.HOSPITAL_HOSPITAL
    assert exchange.status == AgreementStatus.ACTIVE and exchange.exchange_rotation_clause
