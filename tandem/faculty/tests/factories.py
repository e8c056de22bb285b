"""A teachers' world on top of the teaching world (tandem/teaching/tests/factories.py).

Today falls in the second block: the cast's `resident` rotates in A1 (blocks 1–2 of 4) and
`resident2` in A1 (blocks 2–3). `tutor_a` has a qualified key-faculty profile at A's base,
`tutor_b` a qualified one at B's; `expired_t`, a teacher of A1, has a profile at A's base whose
certificate expired a month ago. tutor_a has a submitted development plan with one goal.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.cast import Cast
from tandem.faculty import services
from tandem.faculty.models import DevelopmentPlan, TeacherProfile, Tier, Title
from tandem.teaching.tests.factories import TeachWorld, build_teachworld


@dataclass
class FacWorld:
    tw: TeachWorld
    profile_a: TeacherProfile
    profile_b: TeacherProfile
    expired: TeacherProfile
    expired_teacher: User
    plan: DevelopmentPlan

    @property
    def world(self):
        return self.tw.world


def make_teacher(cast: Cast, username: str, institution=None) -> User:
    user = UserFactory(username=username, full_name=username.replace("_", " ").title())
    Membership.objects.create(user=user, role=Role.TEACHER, institution=institution or cast.inst_a)
    return user


def qualified_profile(actor, base, teacher, *, tier=Tier.GENERAL, **extra) -> TeacherProfile:
    today = timezone.localdate()
    values = {
        "title": Title.ATTENDING,
        "attending_since": today.replace(year=today.year - 6),
        "certificate_number": f"TT-{teacher.pk}",
        "certificate_issued_on": today.replace(year=today.year - 1),
        "certificate_expires_on": today.replace(year=today.year + 2),
        "tier": tier,
    }
    values.update(extra)
    return services.profile_create(actor=actor, base=base, teacher=teacher, **values)


def build_facworld(cast: Cast) -> FacWorld:
    tw = build_teachworld(cast)
    world = tw.world
    today = timezone.localdate()
    profile_a = qualified_profile(cast.coord_a, world.base_a, cast.tutor_a, tier=Tier.KEY)
    profile_b = qualified_profile(cast.coord_b, world.base_b, cast.tutor_b)
    expired_teacher = make_teacher(cast, "expired_t")
    world.a1.teachers.add(expired_teacher)
    expired = qualified_profile(
        cast.coord_a,
        world.base_a,
        expired_teacher,
        certificate_issued_on=today - datetime.timedelta(days=800),
        certificate_expires_on=today - datetime.timedelta(days=30),
    )
    plan = services.plan_start(actor=cast.tutor_a, profile=profile_a, year=today.year)
    services.goal_add(actor=cast.tutor_a, plan=plan, text="Give 12 small lectures", target="12")
    services.plan_submit(actor=cast.tutor_a, plan=plan)
    return FacWorld(tw, profile_a, profile_b, expired, expired_teacher, plan)


def facworld_once(cast: Cast) -> FacWorld:
    found = getattr(cast, "_facworld", None)
    if found is None:
        found = build_facworld(cast)
        cast._facworld = found  # type: ignore[attr-defined]
    return found
