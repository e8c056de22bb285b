"""`make demo` again after people used the demo: the seed finds its own objects by their keys,
never "the latest", so it neither fails on what people added nor changes the demo's objects."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from tandem.accounts.models import User
from tandem.agreements.models import Agreement, AgreementStatus
from tandem.bookings.models import Booking
from tandem.cultivation import services as cultivation_services
from tandem.cultivation.demo import demo_cultivation
from tandem.cultivation.models import JointCultivation
from tandem.funds.models import Expense, FundAllocation, JointFundApplication
from tandem.institutions.models import Institution
from tandem.meetings import services as meeting_services
from tandem.meetings.models import MeetingSeries
from tandem.plans.models import PlanMilestone, TrainingPlan
from tandem.publications.models import Publication

D = datetime.date


def _demo_state() -> dict[str, object]:
    return {
        "plans": sorted(TrainingPlan.objects.values_list("pk", "cultivation_id")),
        "milestones": sorted(PlanMilestone.objects.values_list("pk", "status", "latest")),
        "allocations": sorted(FundAllocation.objects.values_list("pk", "status", "spent")),
        "expenses": Expense.objects.count(),
        "applications": JointFundApplication.objects.count(),
        "publications": sorted(Publication.objects.values_list("pk", "cultivation_id")),
        "bookings": Booking.objects.count(),
        "series": sorted(MeetingSeries.objects.values_list("pk", "title")),
    }


def _use_the_demo() -> JointCultivation:
    """What a coordinator and a tutor do in their first minutes: propose a new cultivation for
    Song Jia (whose demo cultivation has completed) and schedule another debriefing series."""
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["coord.wmu", "trainee.song", "trainee.zhang", "tutor.li", "tutor.chen"]
        )
    }
    wmu, emu = Institution.objects.get(code="wmu"), Institution.objects.get(code="emu")
    agreement = Agreement.objects.get(
        title="WMU–EMU joint cultivation of medical postgraduates", status=AgreementStatus.ACTIVE
    )
    proposed = cultivation_services.cultivation_propose(
        actor=people["coord.wmu"],
        trainee=people["trainee.song"],
        agreement=agreement,
        home=wmu,
        host=emu,
        planned_start=D(2027, 3, 1),
        planned_end=D(2028, 2, 28),
        research_topic="A second stay",
        stays=[
            {"institution": emu, "start": D(2027, 3, 1), "end": D(2028, 2, 28), "purpose": "Lab"}
        ],
    )
    meeting_services.series_create(
        actor=people["tutor.li"],
        institution=emu,
        title="Journal club",
        time_zone="Asia/Shanghai",
        first_date=D(2026, 12, 7),
        start_time=datetime.time(16, 0),
        until=D(2027, 3, 1),
        location="Seminar room 3",
        tutors=[people["tutor.chen"]],
        trainees=[people["trainee.zhang"]],
    )
    return proposed


@pytest.mark.django_db(transaction=False)
@time_machine.travel(datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_second_seed_after_use_neither_fails_nor_changes_the_demo(capsys):
    call_command("seed_demo")
    song = demo_cultivation("trainee.song")
    assert song is not None and song.status == "completed"
    proposed = _use_the_demo()
    before = _demo_state()

    call_command("seed_demo")

    assert _demo_state() == before
    assert demo_cultivation("trainee.song") == song
    assert not TrainingPlan.objects.filter(cultivation=proposed).exists()
