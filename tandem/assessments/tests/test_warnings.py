"""The early warnings of assessments: overdue, a failed component, too few WBAs near the end
of a rotation; raised once per cause, told to the resident, the teacher and the office."""

import datetime

import pytest
import time_machine

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Notification, Rule
from tandem.alerts.texts import warning_text
from tandem.assessments import services, services_wba
from tandem.assessments.tests.factories import a1_assessment, ratings

pytestmark = pytest.mark.django_db


def test_an_overdue_assessment_warns_the_resident_teacher_and_office(aw):
    evaluate()
    overdue = EarlyWarning.objects.filter(rule=Rule.ASSESSMENT_OVERDUE)
    # Due by 10 December: A1 (1 November) and A2 (6 December) of each resident.
    assert overdue.count() == 4
    a1 = a1_assessment(aw)
    warning = overdue.get(subject_id=a1.pk)
    assert "A1 ward" in warning_text(warning) and "2026-11-01" in warning_text(warning)
    told = set(
        Notification.objects.filter(warning=warning).values_list("user__username", flat=True)
    )
    assert {"resident", "tutor_a", "coord_a"} <= told
    evaluate()
    assert EarlyWarning.objects.filter(rule=Rule.ASSESSMENT_OVERDUE).count() == 4


def test_a_failed_component_warns_until_it_is_remedied(aw):
    cast = aw.world.cast
    assessment = a1_assessment(aw)
    services.component_record(actor=cast.tutor_a, assessment=assessment, kind="theory", score=20)
    evaluate()
    warning = EarlyWarning.objects.get(rule=Rule.COMPONENT_FAILED)
    assert "Theory exam" in warning_text(warning)
    services.component_record(actor=cast.tutor_a, assessment=assessment, kind="theory", score=80)
    evaluate()
    assert not EarlyWarning.objects.filter(rule=Rule.COMPONENT_FAILED, status="open").exists()


def test_too_few_wbas_a_week_before_the_rotation_ends(aw):
    cast = aw.world.cast
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, tzinfo=datetime.UTC)):
        evaluate()
        warning = EarlyWarning.objects.get(rule=Rule.WBA_SHORT, trainee=cast.resident)
        assert "B1 ward" in warning_text(warning)
        wba = services_wba.wba_start(
            actor=cast.resident,
            department=aw.world.b1,
            form=aw.mini_cex,
            teacher=cast.tutor_b,
            date=datetime.date(2026, 12, 14),
            case="Sepsis",
            ratings=ratings(aw.mini_cex),
        )
        services_wba.wba_confirm(actor=cast.tutor_b, wba=wba)
        evaluate()
        assert not EarlyWarning.objects.filter(
            rule=Rule.WBA_SHORT, trainee=cast.resident, status="open"
        ).exists()
