"""Writes for the mentoring log."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.errors import field_error
from tandem.cultivation.models import JointCultivation
from tandem.meetings import permissions
from tandem.meetings.models import ContactKind, MentoringContact
from tandem.meetings.selectors import current_pair_tutor_ids

CONTACT_FIELDS = ("kind", "date", "channel", "topic", "outcome")


@transaction.atomic
def contact_log(
    *,
    actor: User,
    cultivation: JointCultivation,
    kind: str,
    date: datetime.date,
    channel: str,
    topic: str,
    outcome: str = "",
) -> MentoringContact:
    """A tutor (or, for tutor–trainee contacts, the trainee) records a contact."""
    if kind not in ContactKind.values:
        raise field_error("kind", _("Choose who was in contact."))
    if not permissions.can_log_contact(
        actor, kind, current_pair_tutor_ids(cultivation), cultivation.trainee_id
    ):
        raise PermissionDenied(
            _(
                "Only the tutors of the pair (or the trainee, for their own "
                "contacts) can log this contact."
            )
        )
    if date and date > timezone.localdate():
        raise field_error("date", _("A contact cannot be in the future."))
    contact = MentoringContact(
        cultivation=cultivation,
        kind=kind,
        date=date,
        channel=channel,
        topic=(topic or "").strip(),
        outcome=(outcome or "").strip(),
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        action="mentoring_contact.log",
        target=contact,
        changes=diff({}, snapshot(contact, CONTACT_FIELDS)),
    )
    return contact
