"""Wellbeing fixtures on the fixed cast, made through the services.

cast.trainee has an active joint cultivation (home A, host B, tutors tutor_a and tutor_b)
with a signed training plan. The officers: `officer_a`, a counsellor at A who is no actor of
the cast, and coord_b, named officer of B by themself — so in the authorization matrix the
host's officer reads a check-in the trainee shared with the host, and coord_a (the home's
coordinator, not an officer) reads nothing."""

from typing import Any

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.plans.tests.factories import signed_plan
from tandem.wellbeing import services
from tandem.wellbeing.models import AdjustmentProposal, CheckIn, WellbeingAlert

WORRYING = {"physical": 3, "mental": 1, "workload": 2, "living": 4}
FINE = {"physical": 4, "mental": 4, "workload": 3, "living": 5}


def officer_a(cast: Any) -> Any:
    cached = getattr(cast, "_wellbeing_officer_a", None)
    if cached is None:
        cached = UserFactory(username="counsellor_a", full_name="Carol Counsellor")
        MembershipFactory(user=cached, role=Role.TEACHER, institution=cast.inst_a)
        services.officer_appoint(actor=cast.coord_a, institution=cast.inst_a, user=cached)
        cast._wellbeing_officer_a = cached
    return cached


def officers(cast: Any) -> None:
    if getattr(cast, "_wellbeing_officers", False):
        return
    signed_plan(cast)
    officer_a(cast)
    services.officer_appoint(actor=cast.coord_b, institution=cast.inst_b, user=cast.coord_b)
    cast._wellbeing_officers = True


def checkin(cast: Any, *, scores: dict[str, int] | None = None, **kwargs: Any) -> CheckIn:
    officers(cast)
    values = {"note": "I cannot sleep.", "share_with_host": True} | kwargs
    return services.checkin_submit(actor=cast.trainee, **(scores or WORRYING), **values)


def checkin_once(cast: Any) -> CheckIn:
    cached = getattr(cast, "_wellbeing_checkin", None)
    if cached is None:
        cached = checkin(cast)
        cast._wellbeing_checkin = cached
    return cached


def alert_once(cast: Any, state: str = "open") -> WellbeingAlert:
    alert = WellbeingAlert.objects.get(checkin=checkin_once(cast))
    if state in ("acknowledged", "proposed") and alert.status == "open":
        alert = services.alert_acknowledge(actor=cast.coord_b, alert=alert)
    return alert


def proposal_once(cast: Any) -> AdjustmentProposal:
    alert = alert_once(cast, "acknowledged")
    existing = alert.proposals.filter(status="proposed").first()
    if existing is not None:
        return existing
    return services.adjustment_propose(
        actor=cast.coord_b, alert=alert, note="Reduced laboratory hours for a month."
    )
