"""A teaching world on top of the residency test world (tandem/residency/tests/factories.py).

The calendar starts so that today falls in the second block: the cast's `resident` and
`resident2` both rotate in A1 today (the resident A1, A1, A2, B1; resident2 A2, A1, A1, A2).
`tutor_a` teaches A1 and A2, `tutor_b` B1. The activity `now` is a teaching round in A1 by
tutor_a that began ten minutes ago and lasts an hour and a half (its sign-in window is open).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.tests.cast import Cast
from tandem.residency.tests.factories import World, build_world, publish
from tandem.teaching import services
from tandem.teaching.models import Activity, ActivityKind


@dataclass
class TeachWorld:
    world: World
    rounds: ActivityKind
    lecture: ActivityKind
    now: Activity


def current_start() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 28)


def ensure_built_in_kinds() -> None:
    """A test on a flushed database (`transaction=True`) has lost the migration's kinds."""
    services.built_in_kinds_ensure()


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(base__isnull=True, code=code)


def schedule(tw_or_world, *, starts_at: datetime.datetime, minutes: int = 90, **extra):
    world = getattr(tw_or_world, "world", tw_or_world)
    local = timezone.localtime(starts_at)
    values = {
        "actor": world.cast.coord_a,
        "department": world.a1,
        "kind": kind("teaching_rounds"),
        "teacher": world.cast.tutor_a,
        "topic": "Community-acquired pneumonia",
        "place": "A1 seminar room",
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": minutes,
    }
    values.update(extra)
    return services.activity_schedule(**values)


def build_teachworld(cast: Cast, *, start_date: datetime.date | None = None) -> TeachWorld:
    ensure_built_in_kinds()
    world = build_world(cast, start_date=start_date or current_start())
    publish(world)
    world.a1.teachers.add(cast.tutor_a)
    world.a2.teachers.add(cast.tutor_a)
    world.b1.teachers.add(cast.tutor_b)
    now = timezone.now().replace(second=0, microsecond=0)
    [activity] = schedule(world, starts_at=now - datetime.timedelta(minutes=10))
    return TeachWorld(world, kind("teaching_rounds"), kind("small_lecture"), activity)


def teachworld_once(cast: Cast) -> TeachWorld:
    """The world, built once per test (the authorization matrix asks several times)."""
    found = getattr(cast, "_teachworld", None)
    if found is None:
        found = build_teachworld(cast)
        cast._teachworld = found  # type: ignore[attr-defined]
    return found
