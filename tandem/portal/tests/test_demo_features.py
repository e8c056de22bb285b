"""The seeded demo shows every feature (issue 16, item 7): what a newcomer would otherwise never
see is there after `seed_demo`, in each of its states, and a second run adds nothing."""

import datetime
import io
import re
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.demo import demo_pdf
from tandem.accounts.models import CalendarFeed, User
from tandem.agreements.models import AgreementAttachment
from tandem.alerts.models import EarlyWarning, Rule
from tandem.cultivation.demo import demo_cultivation
from tandem.cultivation.models import ResponsibilityTemplateItem, TutorChangeRequest
from tandem.evaluations.selectors import pairs_to_do
from tandem.institutions.models import Unit, UnitKind
from tandem.logbook.selectors import pending_review_count
from tandem.meetings.models import ProgressReport, ReportAttachment
from tandem.portal.views_feed import FEED_SOURCES
from tandem.residency.models import (
    CapacityOverride,
    Department,
    LeaveRequest,
    ProposalStatus,
    ScheduleProposal,
    SwapRequest,
)

pytestmark = pytest.mark.django_db


def _is_valid_pdf(data: bytes) -> bool:
    """A whole PDF: header, an object at every offset its cross-reference table gives, and the
    end marker after `startxref` pointing at that table."""
    if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
        return False
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    if not data[start:].startswith(b"xref"):
        return False
    offsets = [int(m) for m in re.findall(rb"(\d{10}) 00000 n ", data[start:])]
    return bool(offsets) and all(
        re.match(rb"%d 0 obj" % number, data[offset:])
        for number, offset in enumerate(offsets, start=1)
    )


def test_the_demo_pdf_is_a_whole_pdf_whatever_its_title():
    assert _is_valid_pdf(demo_pdf("Progress (week 3) \\ 张晓明 – slides"))
    broken = demo_pdf("x").replace(b"2 0 obj", b"2 0 xbj")
    assert not _is_valid_pdf(broken)


def _counts() -> dict[str, object]:
    return {
        "changes": Counter(TutorChangeRequest.objects.values_list("status", flat=True)),
        "template_items": ResponsibilityTemplateItem.objects.count(),
        "attachments": AgreementAttachment.objects.count(),
        "leave": Counter(LeaveRequest.objects.values_list("status", flat=True)),
        "swaps": Counter(SwapRequest.objects.values_list("status", "consent")),
        "overrides": CapacityOverride.objects.count(),
        "proposals": Counter(ScheduleProposal.objects.values_list("status", flat=True)),
        "departments": Department.objects.count(),
        "feeds": CalendarFeed.objects.count(),
        "report_files": ReportAttachment.objects.count(),
        "warnings": Counter(EarlyWarning.objects.values_list("rule", flat=True)),
    }


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_the_demo_shows_every_feature_once():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()

    # Tutor changes in each state, and the agreements' templates of responsibilities.
    assert first["changes"] == {"requested": 1, "approved": 1, "rejected": 1}
    yang = demo_cultivation("trainee.yang")
    assert yang.tutor_assignments.get(ended_at=None).tutor.username == "tutor.chen"
    templated = set(ResponsibilityTemplateItem.objects.values_list("agreement__title", flat=True))
    assert templated == {
        "WMU–EMU joint cultivation of medical postgraduates",
        "WMU–CIBR research training agreement",
    }
    assert ResponsibilityTemplateItem.objects.filter(key="").exclude(title="").exists()

    # Agreement attachments and report attachments are real PDF files.
    attachments = list(AgreementAttachment.objects.select_related("agreement"))
    assert len(attachments) == 3
    reports = ProgressReport.objects.filter(trainee__username="trainee.zhang")
    assert reports.count() == 3
    files = list(ReportAttachment.objects.filter(report__in=reports))
    assert len(files) == 3
    for stored in [a.file for a in attachments] + [f.file for f in files]:
        with stored.open("rb") as handle:
            assert _is_valid_pdf(handle.read()), stored.name

    # Residency: leave and swaps in each state, overrides, the infeasible proposal and its
    # re-solved successor, a department in every training base.
    assert first["leave"] == {"pending": 1, "approved": 1, "refused": 1}
    assert first["swaps"] == {
        ("pending", "asked"): 1,
        ("pending", "accepted"): 1,
        ("approved", "accepted"): 1,
        ("refused", "accepted"): 1,
        ("refused", "declined"): 1,
    }
    assert set(CapacityOverride.objects.values_list("department__code", flat=True)) == {
        "ro-ward",
        "cardio",
    }
    infeasible = ScheduleProposal.objects.get(status=ProposalStatus.INFEASIBLE)
    assert infeasible.conflict_details and infeasible.solution["conflicts"]
    assert any(c["code"] == "conflict_cap_max" for c in infeasible.conflict_details)
    resolved = ScheduleProposal.objects.get(previous=infeasible)
    assert resolved.status == ProposalStatus.DONE and resolved.solution["assignments"]
    bases = Unit.objects.filter(kind=UnitKind.TRAINING_BASE, institution__code__in=["ech", "wuh"])
    assert bases.count() == 16
    empty = [str(base) for base in bases if not Department.objects.filter(base=base).exists()]
    assert not empty, f"training bases without departments: {empty}"

    # A "no report" early warning, about Zhang, raised by the alerts run.
    zhang = demo_cultivation("trainee.zhang")
    assert EarlyWarning.objects.filter(rule=Rule.NO_REPORT, cultivation=zhang).count() == 1

    # Everyone in the demo with a calendar has a live feed carrying exactly their calendars.
    with_calendar = 0
    for person in User.objects.filter(email__endswith="@demo.tandem.invalid"):
        scopes = [scope for scope, events_of in FEED_SOURCES.items() if events_of(person)]
        feed = CalendarFeed.objects.filter(user=person).first()
        if scopes:
            with_calendar += 1
            assert feed is not None and feed.is_live, person.username
            assert feed.scopes == scopes, person.username
        else:
            assert feed is None, person.username
    assert with_calendar >= 25  # the pair, two trainees and the residents at least
    for username in ("trainee.zhang", "tutor.li", "resident.tang", "resident.deng"):
        assert CalendarFeed.objects.get(user__username=username).is_live

    # The evaluator and the tutors have evaluations to fill in; each teacher has log entries of
    # their department's residents waiting for verification.
    for username in ("evaluator.emu", "tutor.li", "tutor.chen"):
        assert pairs_to_do(User.objects.get(username=username)).exists(), username
    for username in ("teacher.guo", "teacher.lu"):
        assert pending_review_count(User.objects.get(username=username)) > 0, username

    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
