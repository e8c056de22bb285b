"""The wellbeing API: the same selectors, permissions and services as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core import tenancy
from tandem.core.api import ERRORS, Pagination
from tandem.institutions.selectors import institution_list_in_reach_of
from tandem.wellbeing import permissions, selectors, services
from tandem.wellbeing.models import WellbeingOfficer
from tandem.wellbeing.schemas import (
    WellbeingAlertOut,
    WellbeingCheckInIn,
    WellbeingCheckInOut,
    WellbeingConsentIn,
    WellbeingConsentOut,
    WellbeingNoteIn,
    WellbeingNoteOut,
    WellbeingOfficerIn,
    WellbeingOfficerOut,
    WellbeingSharedScoresOut,
    WellbeingStatsOut,
)

router = Router(tags=["wellbeing"])


@router.get(
    "/checkins",
    response={200: list[WellbeingCheckInOut], **ERRORS},
    operation_id="wellbeing_checkin_mine",
)
@paginate(Pagination)
def checkin_mine(request: HttpRequest) -> Any:
    """The caller's own check-ins, newest first."""
    return selectors.checkin_list_of_trainee(request.user)


@router.post(
    "/checkins",
    response={201: WellbeingCheckInOut, **ERRORS},
    operation_id="wellbeing_checkin_submit",
)
def checkin_submit(request: HttpRequest, payload: WellbeingCheckInIn) -> Any:
    checkin = services.checkin_submit(actor=request.user, **payload.dict())
    return Status(201, checkin)


@router.get(
    "/checkins/{checkin_id}",
    response={200: WellbeingCheckInOut, **ERRORS},
    operation_id="wellbeing_checkin_get",
)
def checkin_get(request: HttpRequest, checkin_id: int) -> Any:
    return selectors.checkin_get_for_user_or_404(request.user, checkin_id)


@router.post(
    "/consent",
    response={200: WellbeingConsentOut, **ERRORS},
    operation_id="wellbeing_consent_set",
)
def consent_set(request: HttpRequest, payload: WellbeingConsentIn) -> Any:
    """Give (given=true) or withdraw (given=false) the standing consent for the tutors."""
    if not permissions.can_check_in(request.user):
        raise PermissionDenied(_("Only trainees check in."))
    if payload.given:
        consent = services.consent_give(actor=request.user)
        return {"given": True, "since": consent.given_at}
    services.consent_withdraw(actor=request.user)
    return {"given": False, "since": None}


def _institution_managed(request: HttpRequest, institution_id: int) -> Any:
    institution = get_object_or_404(institution_list_in_reach_of(request.user), pk=institution_id)
    if not permissions.can_manage_officers(request.user, institution):
        raise PermissionDenied(
            _("Only the institution's coordinators name its wellbeing officers.")
        )
    return institution


def _officer_out(officer: WellbeingOfficer) -> dict[str, Any]:
    return {
        "id": officer.pk,
        "institution_id": officer.institution_id,
        "user_id": officer.user_id,
        "name": str(officer.user),
        "appointed_at": officer.appointed_at,
    }


@router.get(
    "/institutions/{institution_id}/officers",
    response={200: list[WellbeingOfficerOut], **ERRORS},
    operation_id="wellbeing_officer_list",
)
def officer_list(request: HttpRequest, institution_id: int) -> Any:
    institution = _institution_managed(request, institution_id)
    return [_officer_out(o) for o in selectors.officer_list_of(institution)]


@router.post(
    "/institutions/{institution_id}/officers",
    response={201: WellbeingOfficerOut, **ERRORS},
    operation_id="wellbeing_officer_appoint",
)
def officer_appoint(request: HttpRequest, institution_id: int, payload: WellbeingOfficerIn) -> Any:
    institution = _institution_managed(request, institution_id)
    user = get_object_or_404(selectors.officer_candidates(institution), pk=payload.user_id)
    officer = services.officer_appoint(actor=request.user, institution=institution, user=user)
    return Status(201, _officer_out(officer))


@router.post(
    "/institutions/{institution_id}/officers/{officer_id}/end",
    response={200: WellbeingOfficerOut, **ERRORS},
    operation_id="wellbeing_officer_end",
)
def officer_end(request: HttpRequest, institution_id: int, officer_id: int) -> Any:
    institution = _institution_managed(request, institution_id)
    officer = get_object_or_404(selectors.officer_list_of(institution), pk=officer_id)
    return _officer_out(services.officer_end(actor=request.user, officer=officer))


@router.get(
    "/alerts",
    response={200: list[WellbeingAlertOut], **ERRORS},
    operation_id="wellbeing_alert_list",
)
@paginate(Pagination)
def alert_list(request: HttpRequest) -> Any:
    if not permissions.is_officer(request.user):
        raise PermissionDenied(_("Only wellbeing officers see this page."))
    return selectors.alert_list_for_officer(request.user)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: WellbeingAlertOut, **ERRORS},
    operation_id="wellbeing_alert_acknowledge",
)
def alert_acknowledge(request: HttpRequest, alert_id: int) -> Any:
    alert = selectors.alert_get_for_user_or_404(request.user, alert_id)
    return services.alert_acknowledge(actor=request.user, alert=alert)


@router.post(
    "/alerts/{alert_id}/notes",
    response={201: WellbeingNoteOut, **ERRORS},
    operation_id="wellbeing_alert_note",
)
def alert_note(request: HttpRequest, alert_id: int, payload: WellbeingNoteIn) -> Any:
    alert = selectors.alert_get_for_user_or_404(request.user, alert_id)
    note = services.alert_note_add(
        actor=request.user, alert=alert, kind=payload.kind, text=payload.text
    )
    return Status(201, note)


@router.get(
    "/trainees/{trainee_id}/shared",
    response={200: list[WellbeingSharedScoresOut], **ERRORS},
    operation_id="wellbeing_shared_scores",
)
def shared_scores(request: HttpRequest, trainee_id: int) -> Any:
    """For a current tutor: the scores the trainee's consent covers, nothing else."""
    trainee = selectors.tutored_trainee_get_or_404(request.user, trainee_id)
    return list(selectors.shared_checkins_for_tutor(request.user, trainee)[:100])


@router.get(
    "/stats",
    response={200: list[WellbeingStatsOut], **ERRORS},
    operation_id="wellbeing_stats",
)
def stats(request: HttpRequest) -> Any:
    if not permissions.can_view_stats(request.user):
        raise PermissionDenied(_("Only coordinators see wellbeing statistics."))
    return selectors.stats_for(request.user, tenancy.coordinated_institution_ids(request.user))
