"""The work-hours API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.residency import selectors as residency_selectors
from tandem.workhours import permissions, planning, rules, selectors, services
from tandem.workhours.models import LIMIT_FIELDS, Shift
from tandem.workhours.schemas import (
    WorkhoursCohortOut,
    WorkhoursPlannedOut,
    WorkhoursRuleSetIn,
    WorkhoursRuleSetOut,
    WorkhoursShiftIn,
    WorkhoursShiftLoggedOut,
    WorkhoursShiftOut,
    WorkhoursStandingOut,
)
from tandem.workhours.texts import violation_text

router = Router(tags=["workhours"])


def _violation(v: rules.Violation, limits: rules.Limits) -> dict[str, Any]:
    return {
        "rule": v.rule,
        "start": v.start,
        "end": v.end,
        "value": round(v.value, 2),
        "limit": v.limit,
        "text": violation_text(v, limits),
        "shift_ids": list(v.refs),
    }


def _weeks(standing: selectors.Standing) -> list[dict[str, Any]]:
    return [{"monday": m, "hours": round(h, 2)} for m, h in standing.weeks.items()]


@router.get(
    "/shifts",
    response={200: list[WorkhoursShiftOut], **ERRORS},
    operation_id="workhours_shift_mine",
)
@paginate(Pagination)
def shift_mine(request: HttpRequest) -> Any:
    """The caller's own shifts, newest first."""
    return Shift.objects.filter(resident_id=request.user.pk).order_by("-start", "-pk")


@router.post(
    "/shifts", response={201: WorkhoursShiftLoggedOut, **ERRORS}, operation_id="workhours_shift_log"
)
def shift_log(request: HttpRequest, payload: WorkhoursShiftIn) -> Any:
    """Log a shift (aware times; naive ones are read in the rule set's time zone). The answer
    lists the violations the shift brings."""
    shift = services.shift_log(
        actor=request.user,
        start=payload.start,
        end=payload.end,
        kind=payload.kind,
        note=payload.note,
    )
    limits = selectors.ruleset_for_member(shift.member).limits()
    shift.violations = [_violation(v, limits) for v in shift.violations]  # type: ignore[attr-defined]
    return Status(201, shift)


@router.delete(
    "/shifts/{shift_id}", response={204: None, **ERRORS}, operation_id="workhours_shift_delete"
)
def shift_delete(request: HttpRequest, shift_id: int) -> Any:
    shift = selectors.shift_get_for_user_or_404(request.user, shift_id)
    services.shift_delete(actor=request.user, shift=shift)
    return Status(204, None)


@router.get(
    "/residents/{resident_id}",
    response={200: WorkhoursStandingOut, **ERRORS},
    operation_id="workhours_resident_standing",
)
def resident_standing(request: HttpRequest, resident_id: int) -> Any:
    """A resident's last twelve weeks: hours per week and violations."""
    person = selectors.resident_get_for_user_or_404(request.user, resident_id)
    standing = selectors.resident_standing(person)
    limits = standing.ruleset.limits()
    return {
        "resident_id": person.pk,
        "regulator": standing.ruleset.regulator,
        "time_zone": standing.ruleset.time_zone,
        "weeks": _weeks(standing),
        "violations": [_violation(v, limits) for v in standing.violations],
    }


@router.get(
    "/cohorts/{cohort_id}",
    response={200: WorkhoursCohortOut, **ERRORS},
    operation_id="workhours_cohort_summary",
)
def cohort_summary(request: HttpRequest, cohort_id: int) -> Any:
    """Per resident of the cohort: hours of the last four weeks and how many violations."""
    cohort = selectors.cohort_get_for_user_or_404(request.user, cohort_id)
    members = list(selectors.cohort_members(cohort)[:500])
    standings = selectors.cohort_standings(members)
    return {
        "cohort_id": cohort.pk,
        "members": [
            {
                "member_id": m.pk,
                "resident_id": m.resident_id,
                "resident": str(m.resident),
                "weeks": _weeks(standings[m.pk]),
                "violations": len(standings[m.pk].violations),
            }
            for m in members
        ],
    }


@router.get(
    "/rulesets",
    response={200: list[WorkhoursRuleSetOut], **ERRORS},
    operation_id="workhours_ruleset_list",
)
@paginate(Pagination)
def ruleset_list(request: HttpRequest) -> Any:
    return selectors.ruleset_list_visible_to(request.user)


@router.post(
    "/rulesets",
    response={200: WorkhoursRuleSetOut, **ERRORS},
    operation_id="workhours_ruleset_save",
)
def ruleset_save(request: HttpRequest, payload: WorkhoursRuleSetIn) -> Any:
    """Create or change the rule set of a hospital (no program) or of one of its programs;
    limits left out take the regulator's numbers."""
    if not permissions.can_manage_any_rules(request.user):
        raise PermissionDenied(_("Only a training office sets work-hour rules."))
    institution = (
        residency_selectors.institution_list_managed_by(request.user)
        .filter(pk=payload.institution_id)
        .first()
    )
    if institution is None:
        raise PermissionDenied(_("Only the hospital's training office sets work-hour rules."))
    program = None
    if payload.program_id is not None:
        program = (
            residency_selectors.program_list_visible_to(request.user)
            .filter(pk=payload.program_id, institution=institution)
            .first()
        )
        if program is None:
            raise field_error("program_id", _("Choose a program of this hospital."))
    return services.ruleset_save(
        actor=request.user,
        institution=institution,
        program=program,
        regulator=payload.regulator,
        time_zone=payload.time_zone,
        limits={name: getattr(payload, name) for name in LIMIT_FIELDS},
    )


@router.get(
    "/proposals/{proposal_id}/check",
    response={200: list[WorkhoursPlannedOut], **ERRORS},
    operation_id="workhours_proposal_check",
)
def proposal_check(request: HttpRequest, proposal_id: int) -> Any:
    """The violations a planned rota (a schedule proposal) would bring, before publication."""
    proposal = residency_selectors.proposal_get_for_user_or_404(request.user, proposal_id)
    if not permissions.can_check_proposal(request.user, proposal):
        raise PermissionDenied(_("Only the hospital's training office checks a planned rota."))
    if not proposal.solution:
        return []
    return [
        {
            "member_id": f.member.pk,
            "resident_id": f.member.resident_id,
            "violation": _violation(f.violation, f.limits),
        }
        for f in planning.planned_rota_check(proposal)
    ]
