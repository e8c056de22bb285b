"""Rules of the working-calendar pages: everyone in the consortium reads an institution's
calendar; its own coordinators edit it (a partner's coordinator and the admin get 403)."""

import datetime

from tandem.core.tests.authz import (
    CREATED,
    NO_CONTENT,
    REDIRECT,
    Rule,
    api,
    everyone_else,
    expect,
    page,
)
from tandem.institutions.models import CalendarDay


def _day(cast):
    day, _created = CalendarDay.objects.get_or_create(
        institution=cast.inst_a, date=datetime.date(2026, 10, 1), defaults={"kind": "holiday"}
    )
    return {"pk": cast.inst_a.pk, "day_pk": day.pk}


CALENDAR_RULES: dict[str, Rule] = {
    "institutions:calendar": page(
        kwargs=lambda cast: {"pk": cast.inst_a.pk}, expect=expect(ok=everyone_else())
    ),
    "institutions:calendar_remove": page(
        "POST",
        kwargs=_day,
        data=lambda cast: {},
        expect=expect(ok=["coord_a"], forbidden=everyone_else(["coord_a"]), ok_status=REDIRECT),
    ),
}


CALENDAR_RULES.update(
    {
        "institutions_calendar_list": api(
            "GET",
            lambda cast: f"/api/v1/institutions/{cast.inst_a.pk}/calendar",
            expect(ok=everyone_else(), anonymous=401),
        ),
        "institutions_calendar_add": api(
            "POST",
            lambda cast: f"/api/v1/institutions/{cast.inst_a.pk}/calendar",
            expect(
                ok=["coord_a"],
                forbidden=everyone_else(["coord_a"]),
                ok_status=CREATED,
                anonymous=401,
            ),
            data=lambda cast: {"date": "2026-10-05", "kind": "holiday", "name": "National Day"},
        ),
        "institutions_calendar_remove": api(
            "DELETE",
            lambda cast: f"/api/v1/institutions/{cast.inst_a.pk}/calendar/{_day(cast)['day_pk']}",
            expect(
                ok=["coord_a"],
                forbidden=everyone_else(["coord_a"]),
                ok_status=NO_CONTENT,
                anonymous=401,
            ),
        ),
    }
)
