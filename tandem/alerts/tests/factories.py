"""Test data for early warnings, built on the fixed cast and the debriefing factories."""

import datetime
from decimal import Decimal
from typing import Any

from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EarlyWarning, Rule
from tandem.cultivation.tests.factories import cultivation_in


def active_cultivation(cast: Any, *, start: datetime.date, trainee: Any = None) -> Any:
    """cast.trainee (or `trainee`) active since `start`, tutor_b and tutor_a as the pair."""
    cultivation = cultivation_in(cast, "active", trainee=trainee)
    cultivation.planned_start = start
    cultivation.planned_end = start + datetime.timedelta(days=3 * 365)
    cultivation.save(update_fields=["planned_start", "planned_end"])
    return cultivation


def allocation(cast: Any, cultivation: Any, *, amount: str, spent: str, warn_below: str) -> Any:
    from tandem.funds.models import FundAllocation, ResearchFund

    fund = ResearchFund.objects.create(
        code=f"F{FundAllocation.objects.count() + 1:04d}",
        title="Hypoxia fund",
        source="Province",
        principal_investigator=cast.tutor_b,
        institution=cast.inst_b,
        amount=Decimal("100000"),
        balance=Decimal("100000"),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2029, 12, 31),
    )
    return FundAllocation.objects.create(
        fund=fund,
        cultivation=cultivation,
        amount=Decimal(amount),
        spent=Decimal(spent),
        warn_below=Decimal(warn_below),
        status="approved",
        created_by=cast.coord_b,
    )


def warnings_of(rule: str) -> list[EarlyWarning]:
    return list(EarlyWarning.objects.filter(rule=rule).order_by("id"))


__all__ = ["Rule", "active_cultivation", "allocation", "evaluate", "warnings_of"]


def open_warning(cast: Any) -> EarlyWarning:
    """An open no-report warning on cast.trainee's cultivation (home A, host B), and the
    notification tutor_a got about it; built once per cast."""
    cached = getattr(cast, "_open_warning", None)
    if cached is not None:
        return cached
    from tandem.alerts.models import Notification

    cultivation = cultivation_in(cast, "active")
    warning = EarlyWarning.objects.create(
        rule=Rule.NO_REPORT,
        subject_type="cultivation",
        subject_id=cultivation.pk,
        cause="since:none",
        cultivation=cultivation,
        institution=cast.inst_a,
        trainee=cast.trainee,
        detail={"trainee": str(cast.trainee), "since": None},
    )
    Notification.objects.create(
        user=cast.tutor_a, kind="warning", warning=warning, url=f"/alerts/{warning.pk}/"
    )
    cast._open_warning = warning
    return warning


def tutor_a_notification(cast: Any) -> Any:
    return open_warning(cast).notifications.get(user=cast.tutor_a)
