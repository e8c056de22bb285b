"""What the notifications of joint cultivations say, built when shown (the reader's language)."""

from typing import Any

from django.utils.translation import gettext as _


def termination_text(params: dict[str, Any]) -> str:
    return _(
        "The joint cultivation of %(trainee)s (%(home)s → %(host)s) is terminated as of "
        "%(on)s: the tutor pair, stays, debriefings, bookings and fund allocations are "
        "closed; the enrolment at %(home)s stays."
    ) % {key: params.get(key, "") for key in ("trainee", "home", "host", "on")}
