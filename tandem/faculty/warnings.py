"""The early warnings of teachers, read by `tandem.alerts.rules` once per evaluation run for
the whole consortium, each in one query:

- a teacher-training certificate that expires within EXPIRING_DAYS (to the teacher and the
  coordinators of the base's hospital);
- a teacher whose certificate has expired and who is still responsible for a resident today
  or later (urgent).
"""

import datetime
from typing import Any

from django.db.models import Exists, OuterRef

from tandem.faculty.models import ResponsibleTeacher, TeacherProfile

EXPIRING_DAYS = 60


def _detail(profile: TeacherProfile, expired: bool) -> dict[str, Any]:
    return {
        "teacher": profile.teacher.full_name or profile.teacher.username,
        "expires": profile.certificate_expires_on.isoformat()
        if profile.certificate_expires_on
        else "",
        "expired": expired,
        "profile_id": profile.pk,
    }


def _assigned(today: datetime.date) -> Exists:
    return Exists(
        ResponsibleTeacher.objects.filter(
            teacher_id=OuterRef("teacher_id"),
            department__base_id=OuterRef("base_id"),
            cancelled_at__isnull=True,
            ends_on__gte=today,
        )
    )


def certificates_expiring(today: datetime.date) -> list[dict[str, Any]]:
    rows = TeacherProfile.objects.filter(
        is_active=True,
        certificate_expires_on__gte=today,
        certificate_expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
    ).select_related("teacher", "base")
    return [
        {
            "subject_id": p.pk,
            "cause": f"expires:{p.certificate_expires_on.isoformat()}",
            "institution_id": p.base.institution_id,
            "resident_id": None,
            "recipients": (p.teacher_id,),
            "detail": _detail(p, expired=False),
        }
        for p in rows
        if p.certificate_expires_on
    ]


def expired_still_assigned(today: datetime.date) -> list[dict[str, Any]]:
    rows = (
        TeacherProfile.objects.filter(certificate_expires_on__lt=today)
        .filter(_assigned(today))
        .select_related("teacher", "base")
    )
    return [
        {
            "subject_id": p.pk,
            "cause": f"expired:{p.certificate_expires_on.isoformat()}",
            "institution_id": p.base.institution_id,
            "resident_id": None,
            "recipients": (p.teacher_id,),
            "detail": _detail(p, expired=True),
        }
        for p in rows
        if p.certificate_expires_on
    ]
