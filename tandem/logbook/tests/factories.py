"""A logbook world on top of the residency test world (tandem/residency/tests/factories.py).

The cast's `resident` rotates A1 (blocks 1–2), A2 (block 3), B1 at the partner B (block 4);
`resident2` A2, A1, A1, A2. The internal-medicine catalogue of A has two items; A1 asks for
2 lumbar punctures performed (or more) and 3 pneumonia cases observed per rotation, B1 for one
pneumonia case; over the whole training 5 punctures assisted. `tutor_a` teaches A1 and A2,
`tutor_b` teaches B1.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.tests.cast import Cast
from tandem.logbook import services
from tandem.logbook.models import Catalogue, CatalogueItem, EntryRole, LogEntry
from tandem.residency.tests.factories import World, build_world, publish


@dataclass
class LogWorld:
    world: World
    catalogue: Catalogue
    puncture: CatalogueItem
    pneumonia: CatalogueItem


def current_start() -> datetime.date:
    """A calendar start that puts today in the resident's A1 stint (its second block)."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 28)


def build_logworld(cast: Cast, *, start_date: datetime.date | None = None) -> LogWorld:
    world = build_world(cast, start_date=start_date or current_start())
    publish(world)
    world.a1.teachers.add(cast.tutor_a)
    world.a2.teachers.add(cast.tutor_a)
    world.b1.teachers.add(cast.tutor_b)
    catalogue = services.catalogue_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        specialty="internal_medicine",
        name="Internal medicine",
        name_zh="内科",
    )
    puncture = services.item_save(
        actor=cast.coord_a,
        catalogue=catalogue,
        code="P01",
        name="Lumbar puncture",
        name_zh="腰椎穿刺",
        kind="procedure",
    )
    pneumonia = services.item_save(
        actor=cast.coord_a,
        catalogue=catalogue,
        code="D01",
        name="Community-acquired pneumonia",
        name_zh="社区获得性肺炎",
        kind="disease",
    )
    services.minimum_set(
        actor=cast.coord_a, item=puncture, department=world.a1, role=EntryRole.PERFORMED, count=2
    )
    services.minimum_set(
        actor=cast.coord_a, item=pneumonia, department=world.a1, role=EntryRole.OBSERVED, count=3
    )
    services.minimum_set(
        actor=cast.coord_a, item=pneumonia, department=world.b1, role=EntryRole.OBSERVED, count=1
    )
    services.minimum_set(
        actor=cast.coord_a, item=puncture, department=None, role=EntryRole.ASSISTED, count=5
    )
    return LogWorld(world, catalogue, puncture, pneumonia)


def log(lw: LogWorld, *, item=None, role=EntryRole.PERFORMED, day=None, ref="MRN-1", who=None):
    return services.entry_log(
        actor=who or lw.world.cast.resident,
        department=lw.world.a1,
        item=item or lw.puncture,
        role=role,
        date=day or timezone.localdate(),
        patient_ref=ref,
    )


def logworld_once(cast: Cast) -> LogWorld:
    """The world, built once per test (the authorization matrix asks several times)."""
    found = getattr(cast, "_logworld", None)
    if found is None:
        found = build_logworld(cast)
        cast._logworld = found  # type: ignore[attr-defined]
    return found


def entry_once(cast: Cast) -> LogEntry:
    lw = logworld_once(cast)
    found = getattr(cast, "_log_entry", None)
    if found is None or not LogEntry.objects.filter(pk=found.pk).exists():
        found = log(lw)
        cast._log_entry = found  # type: ignore[attr-defined]
    else:
        found.refresh_from_db()
    if found.status != "pending":
        LogEntry.objects.filter(pk=found.pk).update(
            status="pending", reviewed_by=None, review_comment=""
        )
    return found
