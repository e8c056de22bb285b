"""The visits API: the same selectors, permissions and services as the pages. A service's
ValidationError answers 400 with the field in `errors`; a body that does not fit 422.

Ids in a body are looked up within the visit (its two institutions, their people, their
bases): an id outside it and an id naming nothing get the same answer."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.accounts.models import User
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.core.api import ERRORS, Pagination
from tandem.core.errors import field_error
from tandem.institutions.models import Institution, Unit
from tandem.institutions.selectors import institution_choices_for
from tandem.visits import permissions, selectors, services, services_changes
from tandem.visits.models import Visit
from tandem.visits.schemas import (
    VisitsActionIn,
    VisitsActionOut,
    VisitsDelegateIn,
    VisitsDelegateOut,
    VisitsMinutesIn,
    VisitsPracticeIn,
    VisitsPracticeOut,
    VisitsReasonIn,
    VisitsSessionIn,
    VisitsSessionOut,
    VisitsStepIn,
    VisitsVisitDetailOut,
    VisitsVisitIn,
    VisitsVisitOut,
    VisitsVisitUpdateIn,
)

router = Router(tags=["visits"])


def _managed(request: HttpRequest, visit_id: int) -> Visit:
    visit = selectors.visit_get_for_user_or_404(request.user, visit_id)
    if not permissions.can_manage_visit(request.user, visit):
        raise PermissionDenied(_("Only the coordinators of the two institutions run the visit."))
    return visit


def _side(visit: Visit, pk: int | None) -> Institution | None:
    return selectors.side_or_none(visit, pk)


def _person(visit: Visit, pk: int | None) -> User | None:
    return selectors.person_of_visit_or_none(visit, pk)


def _base(pk: int | None, field: str) -> Unit | None:
    """Units are in the consortium's directory; the service says when one is not the side's
    training base."""
    if pk is None:
        return None
    unit = selectors.unit_or_none(pk)
    if unit is None:
        raise field_error(field, _("Choose a training base."))
    return unit


@router.get(
    "/visits", response={200: list[VisitsVisitOut], **ERRORS}, operation_id="visits_visit_list"
)
@paginate(Pagination)
def visit_list(request: HttpRequest) -> Any:
    """The visits the caller may read, newest first."""
    return selectors.visit_list_visible_to(request.user)


@router.post(
    "/visits", response={201: VisitsVisitOut, **ERRORS}, operation_id="visits_visit_create"
)
def visit_create(request: HttpRequest, payload: VisitsVisitIn) -> Any:
    if not permissions.can_create_visit(request.user, payload.host_id, payload.visiting_id):
        raise PermissionDenied(_("Only the coordinators of the two institutions plan a visit."))
    directory = institution_choices_for(request.user)
    host = directory.filter(pk=payload.host_id).first()
    visiting = directory.filter(pk=payload.visiting_id).first()
    if host is None or visiting is None:
        raise PermissionDenied(_("Only the coordinators of the two institutions plan a visit."))
    agreement = None
    if payload.agreement_id is not None:
        agreement = agreement_list_visible_to(request.user).filter(pk=payload.agreement_id).first()
        if agreement is None:
            raise field_error(
                "agreement_id", _("The agreement linked must be one between the two institutions.")
            )
    visit = services.visit_create(
        actor=request.user,
        host=host,
        visiting=visiting,
        agreement=agreement,
        title=payload.title,
        title_zh=payload.title_zh,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        place=payload.place,
        purpose=payload.purpose,
    )
    return Status(201, visit)


@router.get(
    "/visits/{visit_id}",
    response={200: VisitsVisitDetailOut, **ERRORS},
    operation_id="visits_visit_get",
)
def visit_get(request: HttpRequest, visit_id: int) -> Any:
    """The visit's shared parts as the caller may see them (a base director: their sessions)."""
    visit = selectors.visit_get_for_user_or_404(request.user, visit_id)
    return {
        **{f: getattr(visit, f) for f in VisitsVisitOut.model_fields},
        "agenda": list(visit.agenda.all())
        if selectors.takes_part_fully(request.user, visit)
        else [],
        "delegates": list(selectors.delegate_list_in(request.user, visit)),
        "sessions": list(selectors.session_list_in(request.user, visit)),
    }


@router.patch(
    "/visits/{visit_id}",
    response={200: VisitsVisitOut, **ERRORS},
    operation_id="visits_visit_update",
)
def visit_update(request: HttpRequest, visit_id: int, payload: VisitsVisitUpdateIn) -> Any:
    """Change the details (the days only while the visit is planned)."""
    visit = _managed(request, visit_id)
    return services_changes.visit_update(
        actor=request.user, visit=visit, **payload.dict(exclude_none=True)
    )


@router.post(
    "/visits/{visit_id}/delegates/{delegate_id}/remove",
    response={200: VisitsVisitOut, **ERRORS},
    operation_id="visits_delegate_remove",
)
def delegate_remove(
    request: HttpRequest, visit_id: int, delegate_id: int, payload: VisitsReasonIn
) -> Any:
    """A person no longer takes part, with a reason, while the visit is planned."""
    visit = _managed(request, visit_id)
    delegate = visit.delegates.filter(pk=delegate_id).first()
    return services_changes.delegate_remove(
        actor=request.user, visit=visit, delegate=delegate, reason=payload.reason
    )


@router.post(
    "/sessions/{session_id}/remove",
    response={200: VisitsVisitOut, **ERRORS},
    operation_id="visits_session_remove",
)
def session_remove(request: HttpRequest, session_id: int, payload: VisitsReasonIn) -> Any:
    """Remove a session with a reason, while the visit is planned and no minutes or actions
    come from it."""
    session = selectors.session_get_for_user_or_404(request.user, session_id)
    if not permissions.can_manage_visit(request.user, session.visit):
        raise PermissionDenied(_("Only the coordinators of the two institutions run the visit."))
    return services_changes.session_remove(
        actor=request.user, session=session, reason=payload.reason
    )


@router.post(
    "/visits/{visit_id}/delegates",
    response={201: VisitsDelegateOut, **ERRORS},
    operation_id="visits_delegate_add",
)
def delegate_add(request: HttpRequest, visit_id: int, payload: VisitsDelegateIn) -> Any:
    visit = _managed(request, visit_id)
    delegate = services.delegate_add(
        actor=request.user,
        visit=visit,
        person=_person(visit, payload.person_id),
        institution=_side(visit, payload.institution_id),
        role=payload.role,
    )
    return Status(201, delegate)


@router.post(
    "/visits/{visit_id}/sessions",
    response={201: VisitsSessionOut, **ERRORS},
    operation_id="visits_session_add",
)
def session_add(request: HttpRequest, visit_id: int, payload: VisitsSessionIn) -> Any:
    visit = _managed(request, visit_id)
    people = [_person(visit, pk) for pk in payload.participant_ids]
    if any(p is None for p in people):
        raise field_error(
            "participant_ids", _("Participants must belong to one of the two institutions.")
        )
    session = services.session_add(
        actor=request.user,
        visit=visit,
        host_base=_base(payload.host_base_id, "host_base_id"),
        visiting_base=_base(payload.visiting_base_id, "visiting_base_id"),
        topics=payload.topics,
        other_topic=payload.other_topic,
        starts_at=payload.starts_at,
        place=payload.place,
        participants=[p for p in people if p is not None],
    )
    return Status(201, session)


@router.post(
    "/sessions/{session_id}/minutes",
    response={200: VisitsSessionOut, **ERRORS},
    operation_id="visits_session_minutes",
)
def session_minutes(request: HttpRequest, session_id: int, payload: VisitsMinutesIn) -> Any:
    session = selectors.session_get_for_user_or_404(request.user, session_id)
    return services.session_minutes_save(
        actor=request.user, session=session, minutes=payload.minutes, topics=payload.topics
    )


@router.get(
    "/visits/{visit_id}/actions",
    response={200: list[VisitsActionOut], **ERRORS},
    operation_id="visits_action_list",
)
@paginate(Pagination)
def action_list(request: HttpRequest, visit_id: int) -> Any:
    """The visit's actions the caller may see (the host's office: all; a side: its own)."""
    visit = selectors.visit_get_for_user_or_404(request.user, visit_id)
    return selectors.action_list_in(request.user, visit)


@router.post(
    "/visits/{visit_id}/actions",
    response={201: VisitsActionOut, **ERRORS},
    operation_id="visits_action_add",
)
def action_add(request: HttpRequest, visit_id: int, payload: VisitsActionIn) -> Any:
    visit = selectors.visit_get_for_user_or_404(request.user, visit_id)
    if not permissions.can_add_action(request.user, visit):
        raise PermissionDenied(_("Each side adds the actions it owns; the host adds any."))
    session = visit.sessions.filter(pk=payload.session_id).first() if payload.session_id else None
    if payload.session_id and session is None:
        raise field_error("session_id", _("Choose a session of this visit."))
    action = services.action_add(
        actor=request.user,
        visit=visit,
        institution=_side(visit, payload.institution_id),
        owner=_person(visit, payload.owner_id),
        title=payload.title,
        deadline=payload.deadline,
        detail=payload.detail,
        session=session,
    )
    return Status(201, action)


@router.post(
    "/actions/{action_id}/step",
    response={200: VisitsActionOut, **ERRORS},
    operation_id="visits_action_step",
)
def action_step(request: HttpRequest, action_id: int, payload: VisitsStepIn) -> Any:
    """in_progress, done (with what was done), accepted, or back to in_progress (returned)."""
    action = selectors.action_get_for_user_or_404(request.user, action_id)
    return services.action_step(
        actor=request.user, action=action, status=payload.status, note=payload.note
    )


@router.get(
    "/practices",
    response={200: list[VisitsPracticeOut], **ERRORS},
    operation_id="visits_practice_list",
)
@paginate(Pagination)
def practice_list(
    request: HttpRequest,
    q: str = "",
    specialty: str = "",
    topic: str = "",
    institution_id: int | None = None,
) -> Any:
    """The consortium's practice library, searched in both languages."""
    if not permissions.can_read_library(request.user):
        raise PermissionDenied(_("The practice library is for the consortium's members."))
    return selectors.practice_search(
        request.user, text=q, specialty=specialty, topic=topic, institution_id=institution_id
    )


@router.post(
    "/visits/{visit_id}/practices",
    response={201: VisitsPracticeOut, **ERRORS},
    operation_id="visits_practice_share",
)
def practice_share(request: HttpRequest, visit_id: int, payload: VisitsPracticeIn) -> Any:
    visit = _managed(request, visit_id)
    practice = services.practice_share(
        actor=request.user,
        visit=visit,
        institution=_side(visit, payload.institution_id),
        topic=payload.topic,
        title=payload.title,
        summary=payload.summary,
        specialty=payload.specialty,
        title_zh=payload.title_zh,
        summary_zh=payload.summary_zh,
    )
    return Status(201, practice)
