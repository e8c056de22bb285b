"""When a resident may sign in to an activity: from a quarter of an hour before it starts
until it ends (decision 108)."""

import datetime

OPENS_BEFORE = datetime.timedelta(minutes=15)


def opens_at(starts_at: datetime.datetime) -> datetime.datetime:
    return starts_at - OPENS_BEFORE


def is_open(
    starts_at: datetime.datetime, ends_at: datetime.datetime, moment: datetime.datetime
) -> bool:
    return opens_at(starts_at) <= moment <= ends_at
