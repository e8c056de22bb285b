"""A visit world on top of the fixed cast: A hosts B today and tomorrow under their active
agreement. Each has an internal-medicine base (A also surgery); C, the outsider's institution,
has a base too (for the refusals). The delegation of B: `coord_b` (head) and `tutor_b`
(teacher); `tutor_a` takes part in the internal-medicine session. Two open actions: one owned
by `tutor_a` for A, one owned by `tutor_b` for B; a third of B's, done, waits for acceptance.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tandem.core.tests.cast import Cast
from tandem.institutions.models import Unit, UnitKind
from tandem.visits import services
from tandem.visits.models import Action, Session, Visit


@dataclass
class VisitWorld:
    cast: Cast
    base_a: Unit
    surgery_a: Unit
    base_b: Unit
    base_c: Unit
    visit: Visit
    session: Session
    action_a: Action
    action_b: Action
    done_b: Action


def base(institution, specialty: str, name: str) -> Unit:
    return Unit.objects.create(
        institution=institution, name=name, kind=UnitKind.TRAINING_BASE, specialty=specialty
    )


def build_visitworld(cast: Cast, *, starts_on: datetime.date | None = None) -> VisitWorld:
    day = starts_on or timezone.localdate()
    base_a = base(cast.inst_a, "internal_medicine", "Internal medicine base A")
    surgery_a = base(cast.inst_a, "surgery", "Surgery base A")
    base_b = base(cast.inst_b, "internal_medicine", "Internal medicine base B")
    base_c = base(cast.inst_c, "internal_medicine", "Internal medicine base C")
    visit = services.visit_create(
        actor=cast.coord_a,
        host=cast.inst_a,
        visiting=cast.inst_b,
        agreement=cast.agreement_ab,
        title="EMU visits WMU",
        title_zh="东部医科大学来访",
        starts_on=day,
        ends_on=day + datetime.timedelta(days=1),
        place="Teaching building",
    )
    services.delegate_add(
        actor=cast.coord_a, visit=visit, person=cast.coord_b, institution=cast.inst_b, role="leader"
    )
    services.delegate_add(
        actor=cast.coord_b,
        visit=visit,
        person=cast.tutor_b,
        institution=cast.inst_b,
        role="teacher",
    )
    services.agenda_add(
        actor=cast.coord_a,
        visit=visit,
        topic="training_management",
        title="WMU programme overview",
        institution=cast.inst_a,
        presenter=cast.coord_a,
    )
    session = services.session_add(
        actor=cast.coord_a,
        visit=visit,
        host_base=base_a,
        visiting_base=base_b,
        topics=["rotation_management", "teaching_methods"],
        participants=[cast.tutor_a],
    )
    action_a = services.action_add(
        actor=cast.coord_a,
        visit=visit,
        institution=cast.inst_a,
        owner=cast.tutor_a,
        title="Weekly teaching rounds in every ward",
        deadline=day + datetime.timedelta(days=60),
        session=session,
    )
    action_b = services.action_add(
        actor=cast.coord_b,
        visit=visit,
        institution=cast.inst_b,
        owner=cast.tutor_b,
        title="Pilot an OSCE station for residents leaving the ward",
        deadline=day + datetime.timedelta(days=90),
    )
    done_b = services.action_add(
        actor=cast.coord_b,
        visit=visit,
        institution=cast.inst_b,
        owner=cast.tutor_b,
        title="Orientation checklist for new residents",
        deadline=day + datetime.timedelta(days=30),
    )
    services.action_step(actor=cast.tutor_b, action=done_b, status="done", note="Checklist in use")
    done_b.refresh_from_db()
    return VisitWorld(
        cast, base_a, surgery_a, base_b, base_c, visit, session, action_a, action_b, done_b
    )


def visitworld_once(cast: Cast) -> VisitWorld:
    """The world, built once per test (the authorization matrix asks several times)."""
    found = getattr(cast, "_visitworld", None)
    if found is None:
        found = build_visitworld(cast)
        cast._visitworld = found  # type: ignore[attr-defined]
    return found
