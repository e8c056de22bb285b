"""A trainee leaves the debriefings when their joint cultivation is terminated (decision 098):
a series of their own ends, a shared one goes on without them."""

import pytest
from django.utils import timezone

from tandem.cultivation.tests.factories import cultivation_in, joint_trainee
from tandem.meetings.models import MeetingStatus
from tandem.meetings.services_withdrawal import trainee_withdraw, withdrawal_preview
from tandem.meetings.tests.factories import make_series

pytestmark = pytest.mark.django_db


def test_own_series_ends_and_shared_series_goes_on(cast):
    cultivation_in(cast, "active")
    other = joint_trainee(cast, "other")
    cultivation_in(cast, "active", trainee=other)
    own = make_series(cast)
    shared = make_series(cast, title="Journal club", trainees=[cast.trainee, other])
    today = timezone.localdate()
    preview = withdrawal_preview(trainee=cast.trainee, after=today)
    assert {(c.series_id, c.ends) for c in preview} == {(own.pk, True), (shared.pk, False)}
    done = trainee_withdraw(actor=cast.coord_a, trainee=cast.trainee, after=today, reason="End")
    assert done == preview
    own.refresh_from_db()
    assert own.ended_at is not None and own.end_reason == "End"
    ahead = [m for m in own.meetings.all() if m.starts_at.date() > today]
    assert ahead and all(m.status == MeetingStatus.CANCELLED for m in ahead)
    shared.refresh_from_db()
    assert shared.ended_at is None
    assert shared.participants.get(user=cast.trainee).removed_at is not None
    assert shared.participants.get(user=other).removed_at is None
    # Nothing left to withdraw from.
    assert withdrawal_preview(trainee=cast.trainee, after=today) == []
