"""How far the coordinators of a trainee's institutions reach into the trainee's own records
(the records kept by trainee, not by cultivation: progress reports, debriefing series).

The home keeps the trainee: its coordinators reach all of their records. The host reaches them
while the joint cultivation lasts; once it is terminated (`ended_on`, decision 098) the host
reaches only what was created until that day — what both shared stays readable, nothing after
it is shown to the host side.
"""

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from tandem.cultivation.models import JointCultivation, TutorAssignment


def trainee_records_reached(
    model: type[models.Model], coordinated: set[int], *, trainee_field: str, created_field: str
) -> Q:
    """Rows of `model` whose `trainee_field` is a trainee of the `coordinated` institutions,
    as home or host, limited for an ended host to those whose `created_field` (a date-time)
    falls on or before the last day.

    Two indexed branches (decision 081): the trainees reached whole, by id; and the rows of the
    few trainees of ended host cultivations, checked against the end of each."""
    home_or_open_host = JointCultivation.objects.filter(
        Q(home_id__in=coordinated) | Q(host_id__in=coordinated, ended_on__isnull=True)
    ).values("trainee_id")
    ended_host = JointCultivation.objects.filter(
        host_id__in=coordinated, ended_on__isnull=False
    ).values("trainee_id")
    ended_until = JointCultivation.objects.filter(
        host_id__in=coordinated,
        trainee_id=OuterRef(trainee_field),
        ended_on__gte=OuterRef("reach_day"),
    )
    manager: Any = model._default_manager
    bounded = (
        manager.filter(**{f"{trainee_field}__in": ended_host})
        .annotate(reach_day=TruncDate(created_field))
        .filter(Exists(ended_until))
    )
    return Q(**{f"{trainee_field}__in": home_or_open_host}) | Q(pk__in=bounded.values("pk"))


def former_tutor_records_reached(
    model: type[models.Model], user: Any, *, trainee_field: str, created_field: str
) -> Q:
    """Rows of `model` a tutor of a terminated cultivation saw as its tutor: their trainee's
    records created while they were in the pair (and not after the last day)."""
    terminated_pairs = TutorAssignment.objects.filter(
        tutor=user, cultivation__ended_on__isnull=False
    )
    in_their_time = terminated_pairs.filter(
        cultivation__trainee_id=OuterRef(trainee_field),
        started_at__lte=OuterRef(created_field),
        ended_at__gte=OuterRef(created_field),
        cultivation__ended_on__gte=OuterRef("reach_day"),
    )
    manager: Any = model._default_manager
    bounded = (
        manager.filter(
            **{f"{trainee_field}__in": terminated_pairs.values("cultivation__trainee_id")}
        )
        .annotate(reach_day=TruncDate(created_field))
        .filter(Exists(in_their_time))
    )
    return Q(pk__in=bounded.values("pk"))
