"""A quality world on top of the teaching world (tandem/teaching/tests/factories.py).

coord_a (A's training office, managing base A) is also designated its supervisor; it observes
`now` (a teaching round in A1 by tutor_a) and records one finding owned by tutor_a. Base A
has two standards (a teaching round every week, an orientation within three days) and a
self-assessment in progress.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.tests.cast import Cast
from tandem.quality import services
from tandem.quality.models import Observation, Rectification, SelfAssessment, Standard
from tandem.teaching.tests.factories import TeachWorld, build_teachworld


@dataclass
class QualityWorld:
    tw: TeachWorld
    rounds_standard: Standard
    orientation_standard: Standard
    observation: Observation
    item: Rectification
    assessment: SelfAssessment


def build_qualityworld(cast: Cast) -> QualityWorld:
    tw = build_teachworld(cast)
    base = tw.world.base_a
    coord = cast.coord_a
    rounds = services.standard_add(
        actor=coord,
        base=base,
        kind="frequency",
        activity_kind=tw.rounds,
        count=1,
        period=1,
        unit="week",
    )
    orientation = services.standard_add(actor=coord, base=base, kind="orientation", within_days=3)
    services.supervisor_designate(actor=coord, base=base, user=coord)
    observation = services.observation_start(actor=coord, activity=tw.now)
    item = services.rectification_add(
        actor=coord,
        observation=observation,
        finding="The residents were not asked to present the case.",
        owner=cast.tutor_a,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
    )
    assessment = services.self_assessment_create(actor=coord, base=base, title="2026 review")
    return QualityWorld(tw, rounds, orientation, observation, item, assessment)


def qualityworld_once(cast: Cast) -> QualityWorld:
    found = getattr(cast, "_qualityworld", None)
    if found is None:
        found = build_qualityworld(cast)
        cast._qualityworld = found  # type: ignore[attr-defined]
    return found
