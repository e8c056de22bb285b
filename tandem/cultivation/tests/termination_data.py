"""A joint cultivation with something of everything a termination closes (decision 098).

`terminable(cast)`: cast.trainee's active cultivation A → B with
- the pair (tutor_b experimental at B, tutor_a theoretical at A) and an open tutor change request,
- a stay at B running over today and a stay at A ahead,
- a debriefing series with the trainee alone (it ends) and one shared with another trainee (the
  trainee is taken off it), with a report already submitted,
- an approved allocation of 20 000 CNY from tutor_b's fund at B, 500 CNY spent from it, and a
  confirmed booking ahead charged 100 CNY to it; a requested booking ahead with no charge; and a
  proposed allocation from a fund at A.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tandem.bookings import services as booking_services
from tandem.bookings.models import Booking
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import requested_booking, rules_for
from tandem.cultivation.models import JointCultivation, TutorChangeRequest
from tandem.cultivation.tests.factories import StayFactory, cultivation_in, joint_trainee
from tandem.funds import services as fund_services
from tandem.funds.models import FundAllocation
from tandem.funds.tests.factories import (
    FundAllocationFactory,
    ResearchFundFactory,
    funded_cultivation,
)
from tandem.meetings.models import MeetingSeries
from tandem.meetings.tests.factories import make_series, report_for


@dataclass
class Terminable:
    cultivation: JointCultivation
    allocation: FundAllocation
    proposed: FundAllocation
    own_series: MeetingSeries
    shared_series: MeetingSeries
    charged_booking: Booking
    requested_booking: Booking


def terminable(cast) -> Terminable:
    today = timezone.localdate()
    allocation = funded_cultivation(cast)
    cultivation = allocation.cultivation
    StayFactory(
        cultivation=cultivation,
        institution=cast.inst_a,
        start=today + datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=200),
    )
    TutorChangeRequest.objects.create(
        cultivation=cultivation,
        role="theoretical",
        new_tutor=cast.coord_a,
        reason="Sabbatical",
        requested_by=cast.coord_a,
    )
    other = joint_trainee(cast, "other_trainee")
    cultivation_in(cast, "active", trainee=other)
    own_series = make_series(cast)
    shared_series = make_series(cast, title="Journal club", trainees=[cast.trainee, other])
    past = own_series.meetings.filter(starts_at__lt=timezone.now()).first()
    report_for(past, cast.trainee)
    fund_services.expense_record(
        actor=cast.tutor_b,
        fund=allocation.fund,
        amount=Decimal("500.00"),
        date=today,
        category="consumables",
        description="Antibodies",
        allocation=allocation,
    )
    rules_for(cast.resource_a, cost_per_hour=Decimal("100.00"), approval_required=False)
    start, end = slot(5, 10)
    charged = booking_services.booking_request(
        actor=cast.trainee,
        resource=cast.resource_a,
        start=start,
        end=end,
        fund=allocation.fund,
        for_cultivation=cultivation,
    )
    requested = requested_booking(cast)
    proposed = FundAllocationFactory(
        fund=ResearchFundFactory(institution=cast.inst_a, principal_investigator=cast.tutor_a),
        cultivation=cultivation,
        amount=Decimal("3000.00"),
        status="proposed",
        created_by=cast.coord_a,
    )
    allocation.refresh_from_db()
    return Terminable(
        cultivation, allocation, proposed, own_series, shared_series, charged, requested
    )
