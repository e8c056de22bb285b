"""An assessments world on top of the residency test world (tandem/residency/tests/factories.py).

The cast's `resident` rotates A1 (blocks 1–2), A2 (block 3), B1 at the partner B (block 4);
`resident2` A2, A1, A1, A2. `tutor_a` teaches A1 and A2, `tutor_b` B1. The program's default
plan: theory exam (pass 60), summary and sign-off, due 14 days after the rotation; A1 has its
own plan adding a skills exam (pass 70 percent), attendance (pass 80) and the case-log
completion (50 percent), due in 7 days. One
mini-CEX per rotation is required. Optionally the engine's forms (global evaluation, and the
residents' anonymous evaluations of departments and teachers).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.assessments import services
from tandem.assessments.models import Assessment, WbaForm
from tandem.assessments.services_wba import standard_forms, wba_requirement_set
from tandem.core.tests.cast import Cast
from tandem.evaluations.tests.factories import make_template
from tandem.residency.tests.factories import World, build_world, publish


@dataclass
class AssessWorld:
    world: World
    mini_cex: WbaForm


def current_start() -> datetime.date:
    """A calendar start that puts today in the resident's A1 stint (its second block)."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 28)


def build_assessworld(
    cast: Cast, *, start_date: datetime.date | None = None, engine: bool = False
) -> AssessWorld:
    world = build_world(cast, start_date=start_date or current_start())
    world.a1.teachers.add(cast.tutor_a)
    world.a2.teachers.add(cast.tutor_a)
    world.b1.teachers.add(cast.tutor_b)
    forms = {}
    if engine:
        forms = {
            "global_template": make_template(
                cast, "tutor_trainee", anonymous=False, actor=cast.coord_a, institution=cast.inst_a
            ),
            "department_template": make_template(
                cast, "trainee_host", actor=cast.coord_a, institution=cast.inst_a
            ),
            "teacher_template": make_template(
                cast, "trainee_tutor", actor=cast.coord_a, institution=cast.inst_a
            ),
        }
    services.plan_save(
        actor=cast.coord_a,
        program=world.program,
        theory_pass=60,
        due_days=14,
        **({"global_pass": 3, **forms} if engine else {}),
    )
    services.plan_save(
        actor=cast.coord_a,
        program=world.program,
        department=world.a1,
        theory_pass=60,
        skills_pass=70,
        attendance_pass=80,
        caselog_pass=50,
        due_days=7,
        **({"global_pass": 3, **forms} if engine else {}),
    )
    mini_cex = standard_forms()["mini_cex"]
    wba_requirement_set(actor=cast.coord_a, program=world.program, form=mini_cex, count=1)
    publish(world)
    return AssessWorld(world, mini_cex)


def assessworld_once(cast: Cast) -> AssessWorld:
    found = getattr(cast, "_assessworld", None)
    if found is None:
        found = build_assessworld(cast)
        cast._assessworld = found  # type: ignore[attr-defined]
    return found


def a1_assessment(aw: AssessWorld) -> Assessment:
    return Assessment.objects.get(member=aw.world.member, department=aw.world.a1)


def ratings(form: WbaForm, value: int = 6) -> dict[str, int]:
    return {code: value for code, _label in form.domain_labels()}
