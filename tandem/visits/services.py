"""Every write of exchange visits: planning (the visit, agenda, people, sessions), the minutes,
the practices shared, invitations, and the improvement actions through to their acceptance.

Each service checks its predicate, validates the whole input before writing anything (every
error at once, keyed by field), and records its audit event in the same transaction.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, User
from tandem.agreements.models import Agreement
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.institutions.models import Institution, Specialty, Unit, UnitKind
from tandem.visits import permissions
from tandem.visits.models import (
    PRACTICE_TOPICS,
    Action,
    ActionStatus,
    AgendaItem,
    Delegate,
    DelegateRole,
    Practice,
    PresentationTopic,
    Session,
    SessionParticipant,
    SessionTopic,
    Visit,
    VisitStatus,
)

VISIT_FIELDS = ("host", "visiting", "agreement", "title", "title_zh", "starts_on", "ends_on")
ACTION_FIELDS = ("institution", "owner", "title", "deadline", "status")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: Any, field: str, errors: dict[str, list[str]], what: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        errors.setdefault(field, []).append(_("Give %(what)s.") % {"what": what})
    elif len(text) > limit:
        errors.setdefault(field, []).append(
            _("%(what)s has at most %(n)s characters.") % {"what": what.capitalize(), "n": limit}
        )
    return text


def is_member_of(person: User, institution_id: int) -> bool:
    return Membership.objects.filter(
        user=person, institution_id=institution_id, is_active=True
    ).exists()


def _check_side(visit: Visit, institution: Institution | None, field: str) -> list[str]:
    if institution is None or institution.pk not in visit.side_ids:
        return [_("Choose the host or the visiting institution of this visit.")]
    return []


def _agreement_errors(agreement: Agreement | None, host: Institution, visiting: Institution):
    if agreement is None:
        return []
    parties = set(agreement.parties.values_list("institution_id", flat=True))
    if not {host.pk, visiting.pk} <= parties:
        return [_("The agreement linked must be one between the two institutions.")]
    return []


def _check_visit(
    *,
    host: Institution,
    visiting: Institution,
    agreement: Agreement | None,
    title: Any,
    starts_on: Any,
    ends_on: Any,
) -> tuple[dict[str, list[str]], str]:
    errors: dict[str, list[str]] = {}
    if host.pk == visiting.pk:
        errors["visiting_id"] = [_("The host and the visiting institution must be two.")]
    cleaned = _text(title, "title", errors, _("a title"), 200)
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = [_("Give the first day of the visit.")]
    if not isinstance(ends_on, datetime.date):
        errors["ends_on"] = [_("Give the last day of the visit.")]
    elif isinstance(starts_on, datetime.date) and ends_on < starts_on:
        errors["ends_on"] = [_("The last day cannot be before the first.")]
    agreement_errors = _agreement_errors(agreement, host, visiting)
    if agreement_errors:
        errors["agreement_id"] = agreement_errors
    return errors, cleaned


@transaction.atomic
def visit_create(
    *,
    actor: User,
    host: Institution,
    visiting: Institution,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    title_zh: str = "",
    place: str = "",
    purpose: str = "",
    agreement: Agreement | None = None,
) -> Visit:
    """Plan a visit. Either side's training office may plan it."""
    if not permissions.can_create_visit(actor, host.pk, visiting.pk):
        raise PermissionDenied(_("Only the coordinators of the two institutions plan a visit."))
    errors, cleaned = _check_visit(
        host=host,
        visiting=visiting,
        agreement=agreement,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _raise_if(errors)
    visit = Visit(
        host=host,
        visiting=visiting,
        agreement=agreement,
        title=cleaned,
        title_zh=(title_zh or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        place=(place or "").strip(),
        purpose=(purpose or "").strip(),
        created_by=actor,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        action="visits_visit.create",
        target=visit,
        changes={k: [None, v] for k, v in snapshot(visit, VISIT_FIELDS).items()},
    )
    return visit


def _manageable(actor: User, visit: Visit) -> Visit:
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if not permissions.can_manage_visit(actor, visit):
        raise PermissionDenied(_("Only the coordinators of the two institutions run the visit."))
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled: it cannot be changed."))
    return visit


@transaction.atomic
def visit_set_status(*, actor: User, visit: Visit, status: str, reason: str = "") -> Visit:
    """Planned → held (once its first day has come) or cancelled (with a reason)."""
    visit = _manageable(actor, visit)
    if status not in (VisitStatus.HELD, VisitStatus.CANCELLED):
        raise field_error("status", _("Choose held or cancelled."))
    if visit.status != VisitStatus.PLANNED:
        raise field_error("status", _("Only a planned visit is marked held or cancelled."))
    if status == VisitStatus.HELD and visit.starts_on > timezone.localdate():
        raise field_error("status", _("A visit is marked held from its first day on."))
    reason = (reason or "").strip()
    if status == VisitStatus.CANCELLED and not reason:
        raise field_error("reason", _("Say why the visit is cancelled."))
    before = snapshot(visit, ["status"])
    visit.status = status
    visit.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="visits_visit.status",
        target=visit,
        changes=diff(before, snapshot(visit, ["status"])),
        reason=reason,
    )
    return visit


@transaction.atomic
def visit_notes_save(*, actor: User, visit: Visit, notes: str) -> Visit:
    """A side's internal notes: written by its own coordinators, never shown to the other side.
    The audit row says they changed, not what they say (the history is read by both sides)."""
    visit = _manageable(actor, visit)
    side = permissions.notes_side(actor, visit)
    text = (notes or "").strip()
    if len(text) > 10_000:
        raise field_error("notes", _("Internal notes have at most 10,000 characters."))
    if side == "host":
        visit.host_notes = text
        visit.save(update_fields=["host_notes"])
        audit_record(actor=actor, action="visits_visit.notes_host", target=visit)
    else:
        visit.visiting_notes = text
        visit.save(update_fields=["visiting_notes"])
        audit_record(actor=actor, action="visits_visit.notes_visiting", target=visit)
    return visit


@transaction.atomic
def agenda_add(
    *,
    actor: User,
    visit: Visit,
    topic: str,
    title: str,
    institution: Institution | None,
    presenter: User | None = None,
) -> AgendaItem:
    """A presentation: one of the fixed topics (or other) and its own title."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    if topic not in PresentationTopic.values:
        errors["topic"] = [_("Choose a topic of the list.")]
    cleaned = _text(title, "title", errors, _("a title"), 200)
    side = _check_side(visit, institution, "institution_id")
    if side:
        errors["institution_id"] = side
    elif presenter is not None and institution and not is_member_of(presenter, institution.pk):
        errors["presenter_id"] = [
            _("The presenter must belong to the institution presenting: %(inst)s.")
            % {"inst": institution}
        ]
    _raise_if(errors)
    assert institution is not None
    item = AgendaItem(
        visit=visit,
        topic=topic,
        title=cleaned,
        institution=institution,
        presenter=presenter,
        position=visit.agenda.count() + 1,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="visits_agenda.add",
        target=visit,
        changes={"agenda": [None, cleaned], "topic": [None, topic]},
    )
    return item


@transaction.atomic
def delegate_add(
    *, actor: User, visit: Visit, person: User | None, institution: Institution | None, role: str
) -> Delegate:
    """Someone taking part for one side (the visiting side's delegation or the host's people)."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    if role not in DelegateRole.values:
        errors["role"] = [_("Choose a role of the list.")]
    side = _check_side(visit, institution, "institution_id")
    if side:
        errors["institution_id"] = side
    elif person is None or not is_member_of(person, institution.pk):  # type: ignore[union-attr]
        errors["person_id"] = [
            _("Choose a person of %(inst)s.") % {"inst": institution},
        ]
    elif visit.delegates.filter(person=person).exists():
        errors["person_id"] = [_("%(name)s takes part already.") % {"name": person}]
    _raise_if(errors)
    assert person is not None and institution is not None
    delegate = Delegate(visit=visit, person=person, institution=institution, role=role)
    delegate.full_clean()
    delegate.save()
    audit_record(
        actor=actor,
        action="visits_delegate.add",
        target=visit,
        changes={
            "person": [None, person],
            "role": [None, role],
            "institution": [None, institution],
        },
    )
    return delegate


def _base_errors(base: Unit | None, institution_id: int, side: str) -> list[str]:
    if base is None:
        return []
    if base.kind != UnitKind.TRAINING_BASE:
        return [_("Choose a training base.")]
    if base.institution_id != institution_id:
        if side == "host":
            return [_("%(base)s is not a training base of the host.") % {"base": base}]
        return [_("%(base)s is not a training base of the visiting institution.") % {"base": base}]
    return []


def _topics(topics: Iterable[str] | None) -> tuple[list[str], list[str]]:
    chosen = list(dict.fromkeys(topics or []))
    unknown = [t for t in chosen if t not in SessionTopic.values]
    return chosen, ([_("Choose topics of the list.")] if unknown else [])


def _participant_errors(visit: Visit, people: list[User]) -> list[str]:
    members = set(
        Membership.objects.filter(
            user__in=people, institution_id__in=visit.side_ids, is_active=True
        ).values_list("user_id", flat=True)
    )
    outside = [str(p) for p in people if p.pk not in members]
    if outside:
        return [
            _("Participants must belong to one of the two institutions: %(names)s.")
            % {"names": ", ".join(outside)}
        ]
    return []


@transaction.atomic
def session_add(
    *,
    actor: User,
    visit: Visit,
    host_base: Unit | None = None,
    visiting_base: Unit | None = None,
    topics: Iterable[str] | None = None,
    other_topic: str = "",
    starts_at: datetime.datetime | None = None,
    place: str = "",
    participants: Iterable[User] = (),
) -> Session:
    """The discussion of one professional base: the host's base, the visiting side's base of
    the same specialty, or both. One session per specialty and visit."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    host_errors = _base_errors(host_base, visit.host_id, "host")
    visiting_errors = _base_errors(visiting_base, visit.visiting_id, "visiting")
    if host_errors:
        errors["host_base_id"] = host_errors
    if visiting_errors:
        errors["visiting_base_id"] = visiting_errors
    if host_base is None and visiting_base is None:
        errors["host_base_id"] = [_("Choose the base of at least one side.")]
    either = host_base or visiting_base
    specialty = either.specialty if either is not None else ""
    if (
        not errors
        and host_base is not None
        and visiting_base is not None
        and host_base.specialty != visiting_base.specialty
    ):
        errors["visiting_base_id"] = [_("The two bases of a session are of one specialty.")]
    if not errors and visit.sessions.filter(specialty=specialty).exists():
        errors["host_base_id"] = [
            _("The visit has a session of %(specialty)s already.")
            % {"specialty": Specialty(specialty).label if specialty in Specialty.values else ""}
        ]
    chosen, topic_errors = _topics(topics)
    if topic_errors:
        errors["topics"] = topic_errors
    people = list(participants)
    people_errors = _participant_errors(visit, people)
    if people_errors:
        errors["participant_ids"] = people_errors
    if starts_at is not None and not (
        visit.starts_on <= timezone.localtime(starts_at).date() <= visit.ends_on
    ):
        errors["starts_at"] = [_("A session takes place during the visit.")]
    _raise_if(errors)
    session = Session(
        visit=visit,
        specialty=specialty,
        host_base=host_base,
        visiting_base=visiting_base,
        topics=chosen,
        other_topic=(other_topic or "").strip()[:200],
        starts_at=starts_at,
        place=(place or "").strip()[:200],
    )
    session.full_clean()
    session.save()
    session.participants.set(people)
    audit_record(
        actor=actor,
        action="visits_session.add",
        target=session,
        changes={
            "specialty": [None, specialty],
            "host_base": [None, host_base],
            "visiting_base": [None, visiting_base],
            "topics": [None, chosen],
        },
    )
    return session


@transaction.atomic
def session_minutes_save(
    *, actor: User, session: Session, minutes: str, topics: Iterable[str] | None = None
) -> Session:
    """The minutes of a session (and, when given, its topics as they were discussed)."""
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("visit").get(pk=session.pk)
    )
    if not permissions.can_record_minutes(actor, session):
        if session.visit.status == VisitStatus.CANCELLED:
            raise ValidationError(_("This visit was cancelled: it cannot be changed."))
        raise PermissionDenied(
            _("The minutes are written by the training offices and the base's directors.")
        )
    errors: dict[str, list[str]] = {}
    text = (minutes or "").strip()
    if len(text) > 20_000:
        errors["minutes"] = [_("Minutes have at most 20,000 characters.")]
    chosen = session.topics
    if topics is not None:
        chosen, topic_errors = _topics(topics)
        if topic_errors:
            errors["topics"] = topic_errors
    _raise_if(errors)
    before = snapshot(session, ["topics"])
    session.minutes, session.topics = text, chosen
    session.save(update_fields=["minutes", "topics"])
    audit_record(
        actor=actor,
        action="visits_session.minutes",
        target=session,
        changes=diff(before, snapshot(session, ["topics"])),
    )
    return session


@transaction.atomic
def visit_invite(*, actor: User, visit: Visit) -> int:
    """Invite everyone taking part (the delegates and the sessions' participants) who has not
    been invited yet. Returns how many were invited."""
    visit = _manageable(actor, visit)
    now = timezone.now()
    delegates = visit.delegates.filter(invited_at__isnull=True)
    participants = SessionParticipant.objects.filter(session__visit=visit, invited_at__isnull=True)
    already = set(
        visit.delegates.filter(invited_at__isnull=False).values_list("person_id", flat=True)
    ) | set(
        SessionParticipant.objects.filter(
            session__visit=visit, invited_at__isnull=False
        ).values_list("person_id", flat=True)
    )
    people = (
        set(delegates.values_list("person_id", flat=True))
        | set(participants.values_list("person_id", flat=True))
    ) - already
    people.discard(actor.pk)
    delegates.update(invited_at=now)
    participants.update(invited_at=now)
    if people:
        notification_send(
            users=people,
            kind=NotificationKind.VISIT_INVITED,
            params={
                "visit": visit.title,
                "visit_zh": visit.title_zh,
                "start": visit.starts_on.isoformat(),
                "end": visit.ends_on.isoformat(),
            },
            url=reverse("visits:visit_detail", kwargs={"pk": visit.pk}),
        )
    audit_record(
        actor=actor,
        action="visits_visit.invite",
        target=visit,
        changes={"invited": [None, len(people)]},
    )
    return len(people)


@transaction.atomic
def practice_share(
    *,
    actor: User,
    visit: Visit,
    institution: Institution | None,
    topic: str,
    title: str,
    summary: str,
    specialty: str = "",
    title_zh: str = "",
    summary_zh: str = "",
) -> Practice:
    """A practice one side shared at the visit, into the consortium's library."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    side = _check_side(visit, institution, "institution_id")
    if side:
        errors["institution_id"] = side
    if topic not in dict(PRACTICE_TOPICS):
        errors["topic"] = [_("Choose a topic of the list.")]
    if specialty and specialty not in Specialty.values:
        errors["specialty"] = [_("Choose a specialty of the list.")]
    cleaned_title = _text(title, "title", errors, _("a title"), 200)
    cleaned_summary = _text(summary, "summary", errors, _("a summary"), 5000)
    _raise_if(errors)
    practice = Practice(
        visit=visit,
        institution=institution,
        specialty=specialty,
        topic=topic,
        title=cleaned_title,
        title_zh=(title_zh or "").strip()[:200],
        summary=cleaned_summary,
        summary_zh=(summary_zh or "").strip()[:5000],
        shared_by=actor,
    )
    practice.full_clean()
    practice.save()
    audit_record(
        actor=actor,
        action="visits_practice.share",
        target=practice,
        changes={"title": [None, cleaned_title], "topic": [None, topic]},
    )
    return practice


def _notify_owner(action: Action, event: str) -> None:
    notification_send(
        users=[action.owner_id],
        kind=NotificationKind.VISIT_ACTION,
        params={
            "event": event,
            "title": action.title,
            "deadline": action.deadline.isoformat(),
            "visit": action.visit.title,
            "visit_zh": action.visit.title_zh,
        },
        url=reverse("visits:action_detail", kwargs={"pk": action.pk}),
    )


@transaction.atomic
def action_add(
    *,
    actor: User,
    visit: Visit,
    institution: Institution | None,
    owner: User | None,
    title: str,
    deadline: Any,
    detail: str = "",
    session: Session | None = None,
) -> Action:
    """An improvement action owned by a person of one side, due on or after the visit's first
    day. The owner is told."""
    visit = _manageable(actor, visit)
    errors: dict[str, list[str]] = {}
    side = _check_side(visit, institution, "institution_id")
    if side:
        errors["institution_id"] = side
    elif not permissions.can_add_action(actor, visit, institution.pk):  # type: ignore[union-attr]
        raise PermissionDenied(_("Each side adds the actions it owns; the host adds any."))
    elif owner is None or not is_member_of(owner, institution.pk):  # type: ignore[union-attr]
        errors["owner_id"] = [
            _("The owner must be a person of %(inst)s, the institution owning the action.")
            % {"inst": institution}
        ]
    cleaned = _text(title, "title", errors, _("the action"), 200)
    if not isinstance(deadline, datetime.date):
        errors["deadline"] = [_("Give the deadline.")]
    elif deadline < visit.starts_on:
        errors["deadline"] = [
            _("The deadline cannot be before the visit (it began on %(day)s).")
            % {"day": visit.starts_on.isoformat()}
        ]
    if session is not None and session.visit_id != visit.pk:
        errors["session_id"] = [_("Choose a session of this visit.")]
    _raise_if(errors)
    assert institution is not None and owner is not None
    action = Action(
        visit=visit,
        session=session,
        institution=institution,
        owner=owner,
        title=cleaned,
        detail=(detail or "").strip()[:5000],
        deadline=deadline,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="visits_action.add",
        target=action,
        changes={k: [None, v] for k, v in snapshot(action, ACTION_FIELDS).items()},
    )
    if owner.pk != actor.pk:
        _notify_owner(action, "assigned")
    return action


# Where an action may go, and from where.
STEPS = {
    ActionStatus.IN_PROGRESS: (ActionStatus.OPEN, ActionStatus.DONE),  # from done: returned
    ActionStatus.DONE: (ActionStatus.OPEN, ActionStatus.IN_PROGRESS),
    ActionStatus.ACCEPTED: (ActionStatus.DONE,),
}


@transaction.atomic
def action_step(*, actor: User, action: Action, status: str, note: str = "") -> Action:
    """Move an action on: open → in progress → done (its owner or its institution's office),
    done → accepted or back to in progress with a reason (the host's office, not the owner)."""
    action = (
        Action.objects.select_for_update(of=("self",)).select_related("visit").get(pk=action.pk)
    )
    if not permissions.can_step_action_at_all(actor, action):
        raise PermissionDenied(_("Only the owner and the training offices follow an action up."))
    note = (note or "").strip()
    if status not in STEPS:
        raise field_error("status", _("Choose in progress, done or accepted."))
    if action.visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("This visit was cancelled: it cannot be changed."))
    if action.status not in STEPS[ActionStatus(status)]:
        raise field_error(
            "status",
            _("An action that is “%(now)s” cannot become “%(to)s”.")
            % {"now": action.get_status_display(), "to": ActionStatus(status).label},
        )
    returning = action.status == ActionStatus.DONE
    if returning or status == ActionStatus.ACCEPTED:
        if not permissions.can_accept_action(actor, action):
            raise PermissionDenied(
                _("A done action is accepted or returned by the host's training office.")
            )
        if returning and status == ActionStatus.IN_PROGRESS and not note:
            raise field_error("note", _("Say what is missing when returning an action."))
    elif not permissions.can_progress_action(actor, action):
        raise PermissionDenied(_("The owner or the owning institution's office reports progress."))
    if status == ActionStatus.DONE and not (note or action.progress_note):
        raise field_error("note", _("Say what was done."))
    before = snapshot(action, ["status"])
    action.status = status
    if note and not returning:
        action.progress_note = note
    now = timezone.now()
    if status == ActionStatus.DONE:
        action.done_at = now
    if status == ActionStatus.ACCEPTED:
        action.accepted_by, action.accepted_at = actor, now
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="visits_action.step",
        target=action,
        changes=diff(before, snapshot(action, ["status"])),
        reason=note,
    )
    if returning and action.owner_id != actor.pk:
        _notify_owner(action, "accepted" if status == ActionStatus.ACCEPTED else "returned")
    return action
