"""A trainee leaves the debriefings when their joint cultivation is terminated (decision 098).

A series where they are the only trainee still invited ends after the last day (its scheduled
meetings after it are cancelled, as `series_end` does); a series shared with other trainees goes
on without them (they are taken off it, as `participant_remove` does). Meetings that took place,
their reports and attendance stay.

`withdrawal_preview` and `trainee_withdraw` choose the series with the same function, so what a
coordinator is shown is what happens. The caller (`cultivation_terminate`) has checked its own
authority and holds the transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from tandem.accounts.models import User
from tandem.meetings.models import (
    MeetingSeries,
    MeetingStatus,
    ParticipantRole,
    SeriesParticipant,
)
from tandem.meetings.recurrence import slot_date
from tandem.meetings.services_series import end_locked_series, remove_locked_participant


@dataclass(frozen=True)
class SeriesChange:
    series_id: int
    title: str
    ends: bool  # True: the series ends; False: the trainee is taken off it
    # The scheduled meetings after the last day: cancelled when the series ends, no longer
    # the trainee's when they are taken off.
    meetings_after: tuple[datetime.date, ...]


def _series_of(trainee: User) -> list[MeetingSeries]:
    return list(
        MeetingSeries.objects.filter(
            ended_at__isnull=True,
            participants__user=trainee,
            participants__removed_at__isnull=True,
        )
        .prefetch_related("participants", "meetings")
        .order_by("id")
        .distinct()
    )


def _change(series: MeetingSeries, trainee: User, after: datetime.date) -> SeriesChange:
    others = [
        p
        for p in series.participants.all()
        if p.removed_at is None and p.role == ParticipantRole.TRAINEE and p.user_id != trainee.pk
    ]
    ahead = sorted(
        slot_date(m, series)
        for m in series.meetings.all()
        if m.status == MeetingStatus.SCHEDULED and slot_date(m, series) > after
    )
    return SeriesChange(
        series_id=series.pk, title=series.title, ends=not others, meetings_after=tuple(ahead)
    )


def withdrawal_preview(*, trainee: User, after: datetime.date) -> list[SeriesChange]:
    """What `trainee_withdraw` would do, changing nothing."""
    return [_change(series, trainee, after) for series in _series_of(trainee)]


@transaction.atomic
def trainee_withdraw(
    *, actor: User, trainee: User, after: datetime.date, reason: str
) -> list[SeriesChange]:
    """Take the trainee out of every debriefing series they are still invited to."""
    done: list[SeriesChange] = []
    for series in _series_of(trainee):
        series = (
            MeetingSeries.objects.select_for_update()
            .prefetch_related("participants", "meetings")
            .get(pk=series.pk)
        )
        change = _change(series, trainee, after)
        if change.ends:
            end_locked_series(actor=actor, series=series, after=after, reason=reason)
        else:
            participant = SeriesParticipant.objects.select_for_update().get(
                series=series, user=trainee, removed_at__isnull=True
            )
            remove_locked_participant(
                actor=actor, series=series, participant=participant, reason=reason
            )
        done.append(change)
    return done
