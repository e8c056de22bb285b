"""The early warning: a log far behind a linear pace over the current stint, raised by the
alerts evaluation once, to the resident, the department's teachers and the coordinators."""

import datetime

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification, Rule
from tandem.alerts.texts import warning_text
from tandem.logbook import pace
from tandem.logbook.models import EntryRole
from tandem.logbook.tests.factories import log

pytestmark = pytest.mark.django_db

# The resident's A1 stint: 31 August – 25 October 2026 (56 days).
EARLY = datetime.datetime(2026, 9, 7, 9, 0, tzinfo=datetime.UTC)  # 8 days: not checked yet
LATE = datetime.datetime(2026, 10, 10, 9, 0, tzinfo=datetime.UTC)  # 41 days: 73 %


@given(
    logged=st.floats(min_value=0, max_value=1),
    days=st.integers(min_value=1, max_value=120),
    gone=st.integers(min_value=0, max_value=130),
)
def test_the_pace_rule_against_a_plain_reference(logged, days, gone):
    start = datetime.date(2026, 1, 1)
    end = start + datetime.timedelta(days=days - 1)
    today = start + datetime.timedelta(days=gone)
    expected = min(1.0, (gone + 1) / days)
    reference = expected >= 0.25 and logged < 0.5 * expected
    assert pace.is_behind(logged, pace.expected_share(start, end, today)) == reference


def test_a_log_far_behind_warns_once_and_closes_when_caught_up(lw, cast):
    with time_machine.travel(EARLY, tick=False):
        evaluate()
        assert not EarlyWarning.objects.filter(rule=Rule.LOGBOOK_BEHIND).exists()
    with time_machine.travel(LATE, tick=False):
        evaluate()
        evaluate()
        [warning] = EarlyWarning.objects.filter(rule=Rule.LOGBOOK_BEHIND)
        told = set(Notification.objects.filter(warning=warning).values_list("user_id", flat=True))
        assert {cast.resident.pk, cast.tutor_a.pk, cast.coord_a.pk} <= told
        assert cast.coord_b.pk not in told
        assert "A1 ward" in warning_text(warning) and "0%" in warning_text(warning)
        # 2 punctures and 3 pneumonias logged (waiting counts): on pace, the warning closes.
        day = datetime.date(2026, 10, 1)
        for n in range(2):
            log(lw, day=day, ref=f"P{n}")
        for n in range(3):
            log(lw, item=lw.pneumonia, role=EntryRole.OBSERVED, day=day, ref=f"Q{n}")
        evaluate()
        warning.refresh_from_db()
        assert warning.status != "open"
