"""The demo's annual assessments and completion: rules and plans, annual exams passed, failed
and open, every demo resident with a checklist; nothing added twice."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from tandem.assessments import selectors_completion
from tandem.assessments.models_completion import AnnualAssessment, CompletionRule
from tandem.residency.models import CohortMember


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_demo_has_annual_assessments_in_each_state_and_checklists():
    call_command("seed_demo", stdout=io.StringIO())
    assert CompletionRule.objects.exists()
    statuses = set(AnnualAssessment.objects.values_list("status", flat=True))
    assert statuses == {"open", "passed", "failed"}
    candidates = selectors_completion.candidates_of(CohortMember.objects.select_related("program"))
    assert candidates and all(c.missing_texts or c.verdict.eligible for c in candidates)
    count = AnnualAssessment.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert AnnualAssessment.objects.count() == count
