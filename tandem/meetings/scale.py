"""Benchmark data on top of `manage.py seed_scale`: joint cultivations with tutor pairs,
biweekly debriefings, ~25 progress reports per trainee (500,000 for 20,000 trainees),
attendance, action items, the mentoring log and plan milestones. Bulk inserts only.

Some trainees are made to trip each early-warning rule: about 8 % stopped reporting six weeks
ago, 5 % were absent three times in a row, 10 % of pairs have not talked for months, some
action items and milestones are overdue.
"""

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import Membership, Role, User
from tandem.agreements.models import Agreement
from tandem.cultivation.models import JointCultivation, TutorAssignment
from tandem.institutions.models import Institution
from tandem.meetings.models import (
    ActionItem,
    Attendance,
    Meeting,
    MeetingSeries,
    MentoringContact,
    ProgressReport,
    SeriesParticipant,
)
from tandem.plans.models import PlanMilestone, TrainingPlan

BATCH = 5000
MEETINGS_PER_SERIES = 25
SERIES_PREFIX = "scale-"


def _scale_people(role: str) -> dict[int, list[int]]:
    """institution id -> user ids of scale people holding `role` there."""
    result: dict[int, list[int]] = defaultdict(list)
    for user_id, institution_id in (
        Membership.objects.filter(role=role, user__username__startswith="scale-")
        .order_by("user_id")
        .values_list("user_id", "institution_id")
    ):
        result[institution_id].append(user_id)
    return result


def _cultivations(rng: random.Random, now: datetime.datetime) -> list[dict[str, Any]]:
    """Create an active joint cultivation for every scale trainee without an open one."""
    insts = list(Institution.objects.filter(code__startswith="scale-").order_by("code"))
    index = {inst.pk: i for i, inst in enumerate(insts)}
    agreements = {}
    for agreement_id, title in Agreement.objects.filter(
        title__startswith="Scale agreement "
    ).values_list("id", "title"):
        home_code, host_code = title.removeprefix("Scale agreement ").split("–")
        agreements[(home_code, host_code)] = agreement_id
    coordinator = User.objects.get(username="scale-coord-000")
    busy = set(
        JointCultivation.objects.filter(
            status__in=["proposed", "approved", "active", "suspended"]
        ).values_list("trainee_id", flat=True)
    )
    trainees = _scale_people(Role.TRAINEE)
    today = timezone.localdate(now)
    rows = []
    for home_id, user_ids in trainees.items():
        home = insts[index[home_id]]
        host = insts[(index[home_id] + 1) % len(insts)]
        agreement_id = agreements.get((home.code, host.code))
        if agreement_id is None:
            continue
        for user_id in user_ids:
            if user_id in busy:
                continue
            start = today - datetime.timedelta(days=rng.randint(120, 900))
            rows.append(
                JointCultivation(
                    trainee_id=user_id,
                    agreement_id=agreement_id,
                    home_id=home.pk,
                    host_id=host.pk,
                    status="active",
                    quota_year=start.year,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=3 * 365),
                    proposed_by=coordinator,
                    research_topic="Scale research topic",
                )
            )
    JointCultivation.objects.bulk_create(rows, batch_size=BATCH)
    return list(
        JointCultivation.objects.filter(status="active", trainee__username__startswith="scale-")
        .values("id", "trainee_id", "home_id", "host_id", "planned_start")
        .order_by("id")
    )


def _pairs(rng: random.Random, cultivations: list[dict[str, Any]]) -> dict[int, int]:
    """Tutor pairs: experimental at the host, theoretical at home. Returns cultivation ->
    experimental tutor."""
    tutors = _scale_people(Role.TUTOR)
    paired = set(
        TutorAssignment.objects.filter(
            cultivation_id__in=[c["id"] for c in cultivations], ended_at__isnull=True
        ).values_list("cultivation_id", flat=True)
    )
    experimental: dict[int, int] = {}
    rows = []
    taken: dict[int, int] = defaultdict(int)  # round robin over the host's tutors
    for c in cultivations:
        host_tutors, home_tutors = tutors.get(c["host_id"]), tutors.get(c["home_id"])
        if not host_tutors or not home_tutors:
            continue
        lead = host_tutors[taken[c["host_id"]] % len(host_tutors)]
        taken[c["host_id"]] += 1
        experimental[c["id"]] = lead
        if c["id"] in paired:
            continue
        rows.append(
            TutorAssignment(
                cultivation_id=c["id"],
                tutor_id=lead,
                role="experimental",
                institution_id=c["host_id"],
                is_first_in_charge=True,
                quota_year=c["planned_start"].year,
            )
        )
        rows.append(
            TutorAssignment(
                cultivation_id=c["id"],
                tutor_id=rng.choice(home_tutors),
                role="theoretical",
                institution_id=c["home_id"],
                is_first_in_charge=False,
                quota_year=c["planned_start"].year,
            )
        )
    TutorAssignment.objects.bulk_create(rows, batch_size=BATCH)
    return experimental


def _series(
    now: datetime.datetime, cultivations: list[dict[str, Any]], experimental: dict[int, int]
) -> tuple[dict[int, list[Meeting]], dict[int, int]]:
    """One biweekly series per experimental tutor (the lab), 25 meetings up to last week."""
    by_tutor: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in cultivations:
        if c["id"] in experimental:
            by_tutor[experimental[c["id"]]].append(c)
    today = timezone.localdate(now)
    first = today - datetime.timedelta(weeks=2 * (MEETINGS_PER_SERIES - 1) + 1)
    series_rows = [
        MeetingSeries(
            title=f"{SERIES_PREFIX}lab {tutor_id}",
            institution_id=group[0]["host_id"],
            organizer_id=tutor_id,
            time_zone="Asia/Shanghai",
            first_date=first,
            start_time=datetime.time(15, 0),
            interval_weeks=2,
            until=first + datetime.timedelta(days=365),
            mode="onsite",
            location="Lab",
        )
        for tutor_id, group in by_tutor.items()
    ]
    MeetingSeries.objects.bulk_create(series_rows, batch_size=BATCH)
    series_by_tutor = dict(
        MeetingSeries.objects.filter(title__startswith=SERIES_PREFIX).values_list(
            "organizer_id", "id"
        )
    )
    participants, meetings = [], []
    trainee_series: dict[int, int] = {}
    for tutor_id, group in by_tutor.items():
        series_id = series_by_tutor[tutor_id]
        for c in group:
            participants.append(
                SeriesParticipant(
                    series_id=series_id,
                    user_id=c["trainee_id"],
                    role="trainee",
                    cultivation_id=c["id"],
                )
            )
            trainee_series[c["trainee_id"]] = series_id
        for k in range(MEETINGS_PER_SERIES + 4):
            day = first + datetime.timedelta(weeks=2 * k)
            start = datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=datetime.UTC)
            meetings.append(
                Meeting(
                    series_id=series_id,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=90),
                    status="held" if k < MEETINGS_PER_SERIES else "scheduled",
                    title=f"{SERIES_PREFIX}lab {tutor_id}",
                    time_zone="Asia/Shanghai",
                    mode="onsite",
                    location="Lab",
                )
            )
    SeriesParticipant.objects.bulk_create(participants, batch_size=BATCH)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    by_series: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in (
        Meeting.objects.filter(series__title__startswith=SERIES_PREFIX, status="held")
        .only("id", "series_id", "starts_at")
        .order_by("starts_at")
    ):
        by_series[meeting.series_id].append(meeting)
    return by_series, trainee_series


def _reports_and_attendance(
    rng: random.Random,
    cultivations: list[dict[str, Any]],
    by_series: dict[int, list[Meeting]],
    trainee_series: dict[int, int],
) -> None:
    reports: list[ProgressReport] = []
    attendance: list[Attendance] = []
    for c in cultivations:
        series_id = trainee_series.get(c["trainee_id"])
        if series_id is None:
            continue
        meetings = by_series[series_id]
        stopped = rng.random() < 0.08  # stopped reporting three meetings ago
        absent = rng.random() < 0.05
        for k, meeting in enumerate(meetings):
            if stopped and k >= len(meetings) - 3:
                continue
            when = meeting.starts_at - datetime.timedelta(hours=rng.randint(2, 48))
            reports.append(
                ProgressReport(
                    meeting_id=meeting.pk,
                    trainee_id=c["trainee_id"],
                    experimental_progress="Experiments progressing.",
                    dissertation_progress="Writing.",
                    problems="",
                    next_steps="Continue.",
                    submitted_at=when,
                    updated_at=when,
                )
            )
        for k, meeting in enumerate(meetings[-4:]):
            status = "absent" if absent and k > 0 else rng.choice(["present"] * 9 + ["excused"])
            attendance.append(
                Attendance(
                    meeting_id=meeting.pk,
                    person_id=c["trainee_id"],
                    status=status,
                    recorded_by_id=c["trainee_id"],
                    site_id=c["host_id"],
                )
            )
        if len(reports) >= 50_000:
            ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
            reports = []
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)


def _actions_and_contacts(
    rng: random.Random,
    now: datetime.datetime,
    cultivations: list[dict[str, Any]],
    by_series: dict[int, list[Meeting]],
    trainee_series: dict[int, int],
    experimental: dict[int, int],
) -> None:
    today = timezone.localdate(now)
    actions, contacts = [], []
    for c in cultivations:
        series_id = trainee_series.get(c["trainee_id"])
        if series_id is not None:
            meeting = by_series[series_id][-1]
            overdue = rng.random() < 0.05
            closed = rng.random() < 0.3
            actions.append(
                ActionItem(
                    series_id=series_id,
                    raised_in_id=meeting.pk,
                    title="Follow-up experiment",
                    owner_id=c["trainee_id"],
                    cultivation_id=c["id"],
                    due_date=today + datetime.timedelta(days=-10 if overdue else 14),
                    created_by_id=experimental[c["id"]],
                    status="closed" if closed else "open",
                    closed_at=now if closed else None,
                )
            )
        silent = rng.random() < 0.10
        for weeks in (20,) if silent else (2, 9):
            contacts.append(
                MentoringContact(
                    cultivation_id=c["id"],
                    kind="tutor_tutor",
                    date=today - datetime.timedelta(weeks=weeks),
                    channel="video",
                    topic="Pair meeting",
                    recorded_by_id=experimental.get(c["id"], c["trainee_id"]),
                )
            )
    ActionItem.objects.bulk_create(actions, batch_size=BATCH)
    MentoringContact.objects.bulk_create(contacts, batch_size=BATCH)


def _milestones(
    rng: random.Random, now: datetime.datetime, cultivations: list[dict[str, Any]]
) -> None:
    coordinator = User.objects.get(username="scale-coord-000")
    have = set(TrainingPlan.objects.values_list("cultivation_id", flat=True))
    TrainingPlan.objects.bulk_create(
        [
            TrainingPlan(cultivation_id=c["id"], created_by=coordinator)
            for c in cultivations
            if c["id"] not in have
        ],
        batch_size=BATCH,
    )
    plans = dict(
        TrainingPlan.objects.filter(cultivation_id__in=[c["id"] for c in cultivations]).values_list(
            "cultivation_id", "id"
        )
    )
    today = timezone.localdate(now)
    rows = []
    for c in cultivations:
        start = c["planned_start"]
        for offset, kind in ((180, "proposal"), (540, "mid_term"), (900, "thesis_submission")):
            latest = start + datetime.timedelta(days=offset + rng.randint(-20, 20))
            done = latest < today and rng.random() < 0.9
            rows.append(
                PlanMilestone(
                    plan_id=plans[c["id"]],
                    key=kind.replace("_", "-"),
                    kind=kind,
                    title=kind.replace("_", " ").capitalize(),
                    status="passed" if done else "planned",
                    earliest=latest - datetime.timedelta(days=60),
                    latest=latest,
                )
            )
    PlanMilestone.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def load_scale(rng: random.Random) -> None:
    """Bulk-create the debriefing data of the scale consortium (idempotent)."""
    if MeetingSeries.objects.filter(title__startswith=SERIES_PREFIX).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        cultivations = _cultivations(rng, now)
        experimental = _pairs(rng, cultivations)
        by_series, trainee_series = _series(now, cultivations, experimental)
        _reports_and_attendance(rng, cultivations, by_series, trainee_series)
        _actions_and_contacts(rng, now, cultivations, by_series, trainee_series, experimental)
        _milestones(rng, now, cultivations)
