"""The early warnings: a base missing standards, an overdue rectification; the texts in both
languages; evaluated by the alerts run into warnings for the right people."""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Rule
from tandem.alerts.texts import warning_text
from tandem.quality import warnings
from tandem.quality.models import Rectification, RectificationStatus

pytestmark = pytest.mark.django_db


def _late_in_next_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=28)


def test_a_base_with_weeks_without_rounds_is_warned_with_its_directors(qw):
    rows = warnings.standards_missed(_late_in_next_month())
    [row] = rows
    assert row["subject_id"] == qw.tw.world.base_a.pk
    assert row["institution_id"] == qw.tw.world.cast.inst_a.pk
    assert str(qw.rounds_standard.pk) in row["cause"]


def test_an_overdue_rectification_is_warned_to_owner_and_supervisor(qw):
    assert warnings.rectifications_overdue(timezone.localdate()) == []
    later = qw.item.deadline + datetime.timedelta(days=1)
    [row] = warnings.rectifications_overdue(later)
    assert set(row["recipients"]) == {qw.tw.world.cast.tutor_a.pk, qw.tw.world.cast.coord_a.pk}
    Rectification.objects.filter(pk=qw.item.pk).update(
        status=RectificationStatus.RESPONDED, response="Done"
    )
    assert warnings.rectifications_overdue(later) == []


def test_the_alerts_run_raises_the_overdue_item_in_both_languages(qw):
    Rectification.objects.filter(pk=qw.item.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=2)
    )
    evaluate()
    warning = EarlyWarning.objects.get(rule=Rule.RECTIFICATION_OVERDUE)
    assert "was due on" in warning_text(warning)
    with override("zh-hans"):
        assert "已于" in warning_text(warning)
