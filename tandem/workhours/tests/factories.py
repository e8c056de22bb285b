"""A work-hours world on top of the residency test world (tandem/residency/tests/factories.py):
its schedule published, the calendar starting so that today is in the resident's second block
(A1). A's training office keeps the ACGME rule set for the hospital, in Asia/Shanghai."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.tests.cast import Cast
from tandem.residency.models import ScheduleProposal
from tandem.residency.tests.factories import World, build_world, make_proposal, publish
from tandem.workhours import services
from tandem.workhours.models import RuleSet, Shift


@dataclass
class WorkWorld:
    world: World
    ruleset: RuleSet


def current_start() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 28)


def build_workworld(cast: Cast, *, start_date: datetime.date | None = None) -> WorkWorld:
    world = build_world(cast, start_date=start_date or current_start())
    publish(world)
    ruleset = services.ruleset_save(
        actor=cast.coord_a, institution=cast.inst_a, regulator="acgme", time_zone="Asia/Shanghai"
    )
    return WorkWorld(world, ruleset)


def workworld_once(cast: Cast) -> WorkWorld:
    found = getattr(cast, "_workworld", None)
    if found is None:
        found = build_workworld(cast)
        cast._workworld = found  # type: ignore[attr-defined]
    return found


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def shift_once(cast: Cast) -> Shift:
    """The resident's day shift of yesterday."""
    workworld_once(cast)
    found = getattr(cast, "_workshift", None)
    if found is None or not Shift.objects.filter(pk=found.pk).exists():
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        found = services.shift_log(
            actor=cast.resident, start=local(yesterday, 8), end=local(yesterday, 17), kind="duty"
        )
        cast._workshift = found  # type: ignore[attr-defined]
    return found


def proposal_once(cast: Cast) -> ScheduleProposal:
    world = workworld_once(cast).world
    found = getattr(cast, "_workproposal", None)
    if found is None:
        found = make_proposal(world, approved=True)
        cast._workproposal = found  # type: ignore[attr-defined]
    return found
