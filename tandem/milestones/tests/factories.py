"""A milestones world on top of the residency test world (tandem/residency/tests/factories.py).

The program "IM PGY1" of A (internal medicine; the cast's `resident` and `resident2`) has a
committee of three faculty of A: `tutor_a` (the chair) and two teachers, `ccc_two` and
`ccc_three`. The built-in internal-medicine set is used; A also has a set of its own. Review
"2026 H1" is finalised for the cast's resident (progressing); review "2026 H2" is open.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Membership, Role
from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.cast import Cast
from tandem.milestones import services
from tandem.milestones.models import Committee, MilestoneSet, ResidentReview, Review
from tandem.residency.tests.factories import World, build_world, publish


@dataclass
class MilestoneWorld:
    world: World
    milestone_set: MilestoneSet
    own_set: MilestoneSet  # A's own set (the outsider cannot see it)
    committee: Committee
    two: object
    three: object
    done: Review
    open: Review
    done_rr: ResidentReview  # the cast's resident, finalised
    open_rr: ResidentReview  # the cast's resident, open


def faculty(cast: Cast, username: str) -> object:
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    Membership.objects.create(user=user, role=Role.TEACHER, institution=cast.inst_a)
    return user


def rate_all(rr: ResidentReview, user: object, level: int | None = 3) -> None:
    milestone_set = rr.review.milestone_set
    services.ratings_save(
        actor=user,
        resident_review=rr,
        subcompetencies={s.pk: level for s in milestone_set.subcompetencies.all()},
        epas={e.pk: level for e in milestone_set.epas.all()},
    )


def build_milestone_world(cast: Cast, *, start_date: datetime.date | None = None) -> MilestoneWorld:
    today = timezone.localdate()
    world = build_world(cast, start_date=start_date or today - datetime.timedelta(days=7))
    publish(world)
    milestone_set = services.builtin_set_ensure("internal_medicine")
    own_set = services.set_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        specialty="internal_medicine",
        version="A-1",
        name="IM milestones of A",
        name_zh="A院内科里程碑",
    )
    services.epa_save(actor=cast.coord_a, milestone_set=own_set, code="EPA1", name="Admit")
    two, three = faculty(cast, "ccc_two"), faculty(cast, "ccc_three")
    committee = services.committee_create(
        actor=cast.coord_a,
        program=world.program,
        members=[cast.tutor_a, two, three],
        chair=cast.tutor_a,
    )
    done = services.review_open(
        actor=cast.tutor_a,
        committee=committee,
        milestone_set=milestone_set,
        label="2026 H1",
        period_start=today - datetime.timedelta(days=300),
        period_end=today - datetime.timedelta(days=120),
        due_on=today - datetime.timedelta(days=100),
    )
    done_rr = done.residents.get(resident=cast.resident)
    rate_all(done_rr, cast.tutor_a, 2)
    services.resident_review_finalise(
        actor=cast.tutor_a, resident_review=done_rr, decision="progressing"
    )
    opened = services.review_open(
        actor=cast.tutor_a,
        committee=committee,
        milestone_set=milestone_set,
        label="2026 H2",
        period_start=today - datetime.timedelta(days=119),
        period_end=today + datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=45),
    )
    open_rr = opened.residents.get(resident=cast.resident)
    done_rr.refresh_from_db()
    return MilestoneWorld(
        world, milestone_set, own_set, committee, two, three, done, opened, done_rr, open_rr
    )


def milestone_world_once(cast: Cast) -> MilestoneWorld:
    """The world, built once per test (the authorization matrix asks several times)."""
    found = getattr(cast, "_milestone_world", None)
    if found is None:
        found = build_milestone_world(cast)
        cast._milestone_world = found  # type: ignore[attr-defined]
    return found
