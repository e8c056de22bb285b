"""The residency demo builds on the core demo and publishes schedules with exchanges."""

import pytest

from tandem.portal import demo as portal_demo
from tandem.residency import demo
from tandem.residency.models import Assignment, CohortMember, ProposalStatus, PublishedSchedule


@pytest.mark.django_db
def test_demo_publishes_a_schedule_for_both_hospitals_with_exchanges():
    portal_demo.load_demo()
    demo.load_demo()
    schedules = PublishedSchedule.objects.select_related("cohort__institution", "proposal")
    assert {s.cohort.institution.code for s in schedules} == {"ech", "wuh"}
    assert all(s.proposal.status == ProposalStatus.PUBLISHED for s in schedules)
    assert 20 <= CohortMember.objects.count() <= 30
    ech_at_wuh = Assignment.objects.filter(
        member__cohort__institution__code="ech", department__base__institution__code="wuh"
    )
    wuh_at_ech = Assignment.objects.filter(
        member__cohort__institution__code="wuh", department__base__institution__code="ech"
    )
    assert ech_at_wuh.exists() and wuh_at_ech.exists()
    assert all(
        a.partner_approvals.filter(approved_at__isnull=False).exists()
        for a in [s.proposal for s in schedules]
    )
