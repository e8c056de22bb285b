"""Every read of wellbeing data, scoped to the reader.

Who reads a check-in: the trainee who wrote it, and the active wellbeing officers of its home
institution — and of its host only when the trainee shared it with the host. Nobody else:
not the tutors (they read scores only, through `shared_checkins_for_tutor`, when consent
covers them), not the coordinators, not the consortium admin (decision 089).
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.core import tenancy
from tandem.cultivation.models import CultivationStatus, JointCultivation
from tandem.institutions.models import Institution
from tandem.wellbeing.models import (
    AdjustmentProposal,
    AlertStatus,
    CheckIn,
    ProposalStatus,
    TutorConsent,
    WellbeingAlert,
    WellbeingOfficer,
    WellbeingSettings,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def min_group() -> int:
    """Below this many distinct trainees an aggregate is not shown."""
    return int(getattr(settings, "WELLBEING_MIN_GROUP", settings.EVALUATIONS_MIN_RESPONSES))


def officer_institution_ids(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_wellbeing_officer_ids", None)
    if cached is None:
        cached = set(
            WellbeingOfficer.objects.filter(user=user, ended_at__isnull=True).values_list(
                "institution_id", flat=True
            )
        )
        user._wellbeing_officer_ids = cached
    return cached


def forget(user: Any) -> None:
    if hasattr(user, "_wellbeing_officer_ids"):
        del user._wellbeing_officer_ids


def officer_ids_of(institution_ids: set[int]) -> set[int]:
    return set(
        WellbeingOfficer.objects.filter(
            institution_id__in=institution_ids, ended_at__isnull=True
        ).values_list("user_id", flat=True)
    )


def officer_list_of(institution: Institution) -> QuerySet[WellbeingOfficer]:
    return WellbeingOfficer.objects.filter(
        institution=institution, ended_at__isnull=True
    ).select_related("user")


def officer_candidates(institution: Institution) -> QuerySet[User]:
    """People with an active staff membership at the institution (not its trainees)."""
    staff = (
        Membership.objects.filter(institution=institution, is_active=True)
        .exclude(role=Role.TRAINEE)
        .values("user_id")
    )
    return User.objects.filter(pk__in=staff, is_active=True).order_by("full_name", "username")


def settings_for(institution_id: int) -> WellbeingSettings:
    found = WellbeingSettings.objects.filter(institution_id=institution_id).first()
    return found or WellbeingSettings(institution_id=institution_id)


def active_cultivation_of(user: Any) -> JointCultivation | None:
    return (
        JointCultivation.objects.filter(trainee=user, status=CultivationStatus.ACTIVE)
        .order_by("-id")
        .first()
    )


def home_and_host_of(user: Any) -> tuple[int | None, int | None]:
    """A joint trainee's home and host; otherwise the institution where they are a trainee."""
    cultivation = active_cultivation_of(user)
    if cultivation is not None:
        return cultivation.home_id, cultivation.host_id
    membership = (
        Membership.objects.filter(
            user=user, role=Role.TRAINEE, is_active=True, institution__isnull=False
        )
        .order_by("id")
        .first()
    )
    return (membership.institution_id if membership else None), None


def _officer_scope(user: Any) -> Q:
    ids = officer_institution_ids(user)
    return Q(home_id__in=ids) | Q(host_id__in=ids, share_with_host=True)


def checkin_list_visible_to(user: Any) -> QuerySet[CheckIn]:
    if not _signed_in(user):
        return CheckIn.objects.none()
    return CheckIn.objects.filter(Q(trainee=user) | _officer_scope(user))


def checkin_get_for_user_or_404(user: Any, pk: int) -> CheckIn:
    found = checkin_list_visible_to(user).select_related("trainee", "home", "host").filter(pk=pk)
    checkin = found.first()
    if checkin is None:
        raise Http404
    return checkin


def checkin_list_of_trainee(user: Any) -> QuerySet[CheckIn]:
    if not _signed_in(user):
        return CheckIn.objects.none()
    return CheckIn.objects.filter(trainee=user).select_related("alert")


def checkin_list_for_officer(user: Any) -> QuerySet[CheckIn]:
    if not officer_institution_ids(user):
        return CheckIn.objects.none()
    return CheckIn.objects.filter(_officer_scope(user)).select_related("trainee", "home")


def next_due(user: Any, today: datetime.date | None = None) -> datetime.date | None:
    """The day the trainee's next check-in is due (today when never checked in), or None for
    someone who does not check in."""
    if not _signed_in(user) or Role.TRAINEE not in tenancy.roles(user):
        return None
    home_id, _host = home_and_host_of(user)
    if home_id is None:
        return None
    today = today or timezone.localdate()
    last = CheckIn.objects.filter(trainee=user).order_by("-submitted_at").first()
    if last is None:
        return today
    period = settings_for(home_id).period_weeks
    return timezone.localdate(last.submitted_at) + datetime.timedelta(weeks=period)


def standing_consent_of(user: Any) -> TutorConsent | None:
    if not _signed_in(user):
        return None
    return TutorConsent.objects.filter(trainee=user, withdrawn_at__isnull=True).first()


def alert_list_for_officer(user: Any) -> QuerySet[WellbeingAlert]:
    ids = officer_institution_ids(user)
    if not ids:
        return WellbeingAlert.objects.none()
    return WellbeingAlert.objects.filter(
        Q(checkin__home_id__in=ids) | Q(checkin__host_id__in=ids, checkin__share_with_host=True)
    ).select_related("checkin", "checkin__trainee", "checkin__home")


def alert_get_for_user_or_404(user: Any, pk: int) -> WellbeingAlert:
    alert = alert_list_for_officer(user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


def proposal_list_for_trainee(user: Any) -> QuerySet[AdjustmentProposal]:
    if not _signed_in(user):
        return AdjustmentProposal.objects.none()
    return AdjustmentProposal.objects.filter(alert__checkin__trainee=user).select_related("plan")


def proposal_get_for_user_or_404(user: Any, pk: int) -> AdjustmentProposal:
    """Reached by the trainee it is for, or by the officers who see its alert."""
    proposal = (
        AdjustmentProposal.objects.filter(
            Q(alert__checkin__trainee=user) | Q(alert__in=alert_list_for_officer(user))
        )
        .filter(pk=pk)
        .select_related("alert__checkin", "plan")
        .first()
        if _signed_in(user)
        else None
    )
    if proposal is None:
        raise Http404
    return proposal


def tutored_trainee_ids(user: Any) -> set[int]:
    """Trainees whose active joint cultivation has `user` as a current tutor."""
    if not _signed_in(user):
        return set()
    return set(
        JointCultivation.objects.filter(
            status=CultivationStatus.ACTIVE,
            tutor_assignments__tutor=user,
            tutor_assignments__ended_at__isnull=True,
        ).values_list("trainee_id", flat=True)
    )


def tutored_trainee_get_or_404(user: Any, pk: int) -> User:
    if pk not in tutored_trainee_ids(user):
        raise Http404
    return User.objects.get(pk=pk)


def tutored_trainees(user: Any) -> QuerySet[User]:
    return User.objects.filter(pk__in=tutored_trainee_ids(user)).order_by("full_name")


def shared_checkins_for_tutor(tutor: Any, trainee: User) -> QuerySet[CheckIn]:
    """What consent covers: check-ins the trainee shared one by one, and, while a standing
    consent is in force, every check-in submitted since it was given. Callers show only the
    date and the four scores."""
    if trainee.pk not in tutored_trainee_ids(tutor):
        return CheckIn.objects.none()
    covered = Q(share_with_tutors=True)
    consent = TutorConsent.objects.filter(trainee=trainee, withdrawn_at__isnull=True).first()
    if consent is not None:
        covered |= Q(submitted_at__gte=consent.given_at)
    return (
        CheckIn.objects.filter(trainee=trainee)
        .filter(covered)
        .only("id", "trainee_id", "submitted_at", "physical", "mental", "workload", "living")
    )


def stats_for(user: Any, institution_ids: set[int]) -> list[dict[str, Any]]:
    """Per home institution and calendar month, the mean of each score over check-ins, for
    months that have ended only (a live month would move with each new check-in) and only
    where at least `min_group()` distinct trainees checked in; the others are dropped (their
    number of trainees is not given either)."""
    if not institution_ids:
        return []
    this_month = timezone.localdate().replace(day=1)
    rows = (
        CheckIn.objects.filter(home_id__in=institution_ids, submitted_at__date__lt=this_month)
        .annotate(month=TruncMonth("submitted_at"))
        .values("home_id", "month")
        .annotate(
            trainees=Count("trainee", distinct=True),
            physical_mean=Avg("physical"),
            mental_mean=Avg("mental"),
            workload_mean=Avg("workload"),
            living_mean=Avg("living"),
        )
        .order_by("home_id", "-month")
    )
    names = Institution.objects.in_bulk(institution_ids)
    threshold = min_group()
    result = []
    for found in rows:
        row: dict[str, Any] = dict(found)
        if row["trainees"] < threshold:
            continue
        month = row["month"]
        result.append(
            {
                "institution_id": row["home_id"],
                "institution": names.get(row["home_id"]),
                "month": month.date() if isinstance(month, datetime.datetime) else month,
                "trainees": row["trainees"],
                **{
                    key: round(float(row[f"{key}_mean"]), 1)
                    for key in ("physical", "mental", "workload", "living")
                },
            }
        )
    return result


def wellbeing_dashboard(user: Any) -> dict[str, Any]:
    """The dashboard panel: a trainee's due check-in and open proposals; an officer's alerts
    needing attention. No score, no name."""
    if not _signed_in(user):
        return {}
    due = next_due(user)
    today = timezone.localdate()
    panel: dict[str, Any] = {}
    if due is not None:
        panel["due"] = due
        panel["is_due"] = due <= today
        panel["proposals"] = (
            proposal_list_for_trainee(user).filter(status=ProposalStatus.PROPOSED).count()
        )
    if officer_institution_ids(user):
        panel["open_alerts"] = alert_list_for_officer(user).filter(status=AlertStatus.OPEN).count()
        panel["is_officer"] = True
    return panel
