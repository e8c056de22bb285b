"""The early warnings of annual assessments and completion (decision 112), on frozen days: an
annual assessment whose result is overdue; a resident near the end of training who is not on
track for completion."""

import datetime

import pytest
import time_machine

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Rule
from tandem.alerts.texts import warning_text
from tandem.assessments import services_completion
from tandem.assessments.tests.completion_factories import (
    annual_of,
    build_completion,
    pass_rotations,
)

pytestmark = pytest.mark.django_db


def _at(day):
    return time_machine.travel(datetime.datetime(*day, 9, tzinfo=datetime.UTC), tick=False)


def test_an_annual_assessment_warns_the_day_after_its_result_was_due(aw):
    build_completion(aw)  # due on 15 December
    with _at((2026, 12, 15)):
        evaluate()
        assert not EarlyWarning.objects.filter(rule=Rule.ANNUAL_OVERDUE).exists()
    with _at((2026, 12, 16)):
        evaluate()
        overdue = EarlyWarning.objects.filter(rule=Rule.ANNUAL_OVERDUE, status="open")
        assert overdue.count() == 2  # both residents of the cohort
        warning = overdue.get(trainee=aw.world.cast.resident)
        assert "2026-12-15" in warning_text(warning) and "training year 1" in warning_text(warning)
        services_completion.annual_record(
            actor=aw.world.cast.coord_a, assessment=annual_of(aw), theory="80"
        )
        evaluate()
        assert not overdue.filter(trainee=aw.world.cast.resident).exists()


def test_a_resident_near_the_end_of_training_who_failed_is_not_on_track(aw):
    build_completion(aw)
    cast = aw.world.cast
    evaluate()  # rotations and the annual exam still to come: on track
    assert not EarlyWarning.objects.filter(rule=Rule.COMPLETION_AT_RISK).exists()
    pass_rotations(aw)
    services_completion.annual_record(actor=cast.coord_a, assessment=annual_of(aw), theory="30")
    evaluate()
    warning = EarlyWarning.objects.get(rule=Rule.COMPLETION_AT_RISK)
    assert warning.trainee == cast.resident
    assert "2026-12-20" in warning_text(warning)
    services_completion.annual_record(actor=cast.coord_a, assessment=annual_of(aw), theory="70")
    evaluate()
    assert not EarlyWarning.objects.filter(rule=Rule.COMPLETION_AT_RISK, status="open").exists()


def test_a_resident_far_from_the_end_of_training_is_not_warned(aw):
    build_completion(aw)
    pass_rotations(aw)
    services_completion.annual_record(
        actor=aw.world.cast.coord_a, assessment=annual_of(aw), theory="30"
    )
    with _at((2026, 1, 5)):  # the training ends more than six months later
        evaluate()
    assert not EarlyWarning.objects.filter(rule=Rule.COMPLETION_AT_RISK).exists()
