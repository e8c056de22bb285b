"""The early-warning API: the same selectors, permissions and services as the pages."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from tandem.alerts import permissions, selectors, services
from tandem.alerts.models import EarlyWarning, Notification
from tandem.alerts.texts import notification_text, warning_text
from tandem.core.api import ERRORS, Pagination

router = Router(tags=["alerts"])


class AlertsWarningOut(Schema):
    id: int
    rule: str
    subject_type: str
    subject_id: int
    cause: str
    text: str
    institution_id: int
    cultivation_id: int | None
    is_urgent: bool
    status: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    note: str

    @staticmethod
    def resolve_text(obj: EarlyWarning) -> str:
        return warning_text(obj)


class AlertsNoteIn(Schema):
    note: str = ""


class AlertsThresholdsOut(Schema):
    institution_id: int
    no_report_weeks: int
    milestone_days: int
    tutor_silence_weeks: int
    action_overdue_days: int
    absences_in_row: int


class AlertsThresholdsIn(Schema):
    no_report_weeks: int | None = None
    milestone_days: int | None = None
    tutor_silence_weeks: int | None = None
    action_overdue_days: int | None = None
    absences_in_row: int | None = None


class AlertsNotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    is_urgent: bool
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return notification_text(obj)


class AlertsPreferenceIO(Schema):
    email_mode: str


@router.get(
    "/warnings",
    response={200: list[AlertsWarningOut], **ERRORS},
    operation_id="alerts_warning_list",
)
@paginate(Pagination)
def warning_list(
    request: HttpRequest, state: str = "active", rule: str = "", institution_id: int | None = None
) -> Any:
    return selectors.warning_list_for_page(
        request.user, state=state, rule=rule, institution_id=institution_id
    )


@router.get(
    "/warnings/{warning_id}",
    response={200: AlertsWarningOut, **ERRORS},
    operation_id="alerts_warning_get",
)
def warning_get(request: HttpRequest, warning_id: int) -> Any:
    return selectors.warning_get_for_user_or_404(request.user, warning_id)


def _handled(request: HttpRequest, warning_id: int) -> EarlyWarning:
    warning = selectors.warning_get_for_user_or_404(request.user, warning_id)
    if not permissions.is_responsible_for(request.user, warning):
        raise PermissionDenied(_("Only the people responsible can act on this warning."))
    return warning


@router.post(
    "/warnings/{warning_id}/acknowledge",
    response={200: AlertsWarningOut, **ERRORS},
    operation_id="alerts_warning_acknowledge",
)
def warning_acknowledge(request: HttpRequest, warning_id: int, payload: AlertsNoteIn) -> Any:
    return services.warning_acknowledge(
        actor=request.user, warning=_handled(request, warning_id), note=payload.note
    )


@router.post(
    "/warnings/{warning_id}/resolve",
    response={200: AlertsWarningOut, **ERRORS},
    operation_id="alerts_warning_resolve",
)
def warning_resolve(request: HttpRequest, warning_id: int, payload: AlertsNoteIn) -> Any:
    return services.warning_resolve(
        actor=request.user, warning=_handled(request, warning_id), note=payload.note
    )


@router.get(
    "/thresholds/{institution_id}",
    response={200: AlertsThresholdsOut, **ERRORS},
    operation_id="alerts_thresholds_get",
)
def thresholds_get(request: HttpRequest, institution_id: int) -> Any:
    institution = selectors.institution_get_for_thresholds_or_404(request.user, institution_id)
    return selectors.thresholds_for(institution)


@router.patch(
    "/thresholds/{institution_id}",
    response={200: AlertsThresholdsOut, **ERRORS},
    operation_id="alerts_thresholds_update",
)
def thresholds_update(
    request: HttpRequest, institution_id: int, payload: AlertsThresholdsIn
) -> Any:
    institution = selectors.institution_get_for_thresholds_or_404(request.user, institution_id)
    if not permissions.can_edit_thresholds(request.user, institution):
        raise PermissionDenied(
            _("Only a coordinator of the institution can change its thresholds.")
        )
    values = payload.dict(exclude_unset=True)
    return services.thresholds_update(actor=request.user, institution=institution, **values)


@router.get(
    "/notifications",
    response={200: list[AlertsNotificationOut], **ERRORS},
    operation_id="alerts_notification_list",
)
@paginate(Pagination)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    return selectors.notification_list_for(request.user, unread_only=unread)


@router.post(
    "/notifications/{notification_id}/read",
    response={200: AlertsNotificationOut, **ERRORS},
    operation_id="alerts_notification_read",
)
def notification_read(request: HttpRequest, notification_id: int) -> Any:
    notification = selectors.notification_get_for_user_or_404(request.user, notification_id)
    return services.notification_mark_read(actor=request.user, notification=notification)


@router.get(
    "/preferences",
    response={200: AlertsPreferenceIO, **ERRORS},
    operation_id="alerts_preferences_get",
)
def preferences_get(request: HttpRequest) -> Any:
    return selectors.preference_for(request.user)


@router.put(
    "/preferences",
    response={200: AlertsPreferenceIO, **ERRORS},
    operation_id="alerts_preferences_update",
)
def preferences_update(request: HttpRequest, payload: AlertsPreferenceIO) -> Any:
    return services.preference_update(actor=request.user, email_mode=payload.email_mode)
