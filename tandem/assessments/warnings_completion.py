"""The early warnings of annual assessments and completion (decision 112), read by
`tandem.alerts.rules` once per evaluation run, each in a fixed number of queries:

- an open annual assessment past the day its result was due;
- a resident within AT_RISK_DAYS of the end of training who is not on track for completion:
  something on the checklist that time alone will not mend — a failed rotation or annual
  assessment, an unresolved remediation, case-log minimums or teaching attendance short.
  Rotations and annual assessments still ahead are on track.
"""

import datetime
from typing import Any

from django.db.models import Max

from tandem.assessments import eligibility, selectors_completion
from tandem.assessments.models_completion import AnnualAssessment, AnnualStatus
from tandem.residency.models import Assignment, CohortMember

AT_RISK_DAYS = 183
# The kinds of what is missing, short enough for a warning's cause.
SHORT = {
    "rotation": "rot",
    "caselog": "log",
    "annual": "ann",
    "attendance": "att",
    "remediation": "rem",
}


def _name(user: Any) -> str:
    return user.full_name or user.username


def annual_overdue(today: datetime.date) -> list[dict[str, Any]]:
    rows = AnnualAssessment.objects.filter(
        status=AnnualStatus.OPEN, due_on__lt=today
    ).select_related("resident", "member__cohort")
    return [
        {
            "subject_id": a.pk,
            "cause": f"annual_overdue:{a.due_on.isoformat()}",
            "institution_id": a.member.cohort.institution_id,
            "resident_id": a.resident_id,
            "recipients": (a.resident_id,),
            "detail": {
                "trainee": _name(a.resident),
                "year": a.training_year,
                "due": a.due_on.isoformat(),
            },
        }
        for a in rows
    ]


def off_track(item: eligibility.Missing) -> bool:
    if item.kind in ("rotation", "annual"):
        return item.state == eligibility.FAILED
    return True


def completion_at_risk(today: datetime.date) -> list[dict[str, Any]]:
    horizon = today + datetime.timedelta(days=AT_RISK_DAYS)
    ending = (
        Assignment.objects.order_by()
        .values("member_id")
        .annotate(end=Max("block__end_date"))
        .filter(end__gte=today, end__lte=horizon)
        .values_list("member_id", flat=True)
    )
    members = CohortMember.objects.filter(pk__in=ending).select_related("program")
    rows = []
    for candidate in selectors_completion.candidates_of(members):
        ends = candidate.training_ends
        if ends is None or not today <= ends <= horizon or candidate.result is not None:
            continue
        reasons = [item for item in candidate.verdict.missing if off_track(item)]
        if not reasons:
            continue
        kinds = sorted({SHORT[item.kind] for item in reasons})
        rows.append(
            {
                "subject_id": candidate.member.pk,
                "cause": f"at_risk:{ends.isoformat()}:{','.join(kinds)}",
                "institution_id": candidate.member.cohort.institution_id,
                "resident_id": candidate.resident.pk,
                "recipients": (candidate.resident.pk,),
                "detail": {
                    "trainee": _name(candidate.resident),
                    "end": ends.isoformat(),
                    "missing": len(candidate.verdict.missing),
                },
            }
        )
    return rows
