"""The portable joint record (format `tandem-joint-record/1`, see docs/joint-record-format.md):
everything about one joint cultivation, keyed by natural keys only (institution codes, user
names, agreement title and version, milestone keys), never by database ids.

`joint_record_build` reads a cultivation the caller already reached through the cultivation
selector. The confidential note of a health-related change is included only when
`reveal_confidential` is true (the person exporting may read it); otherwise it is null and the
version still says `"confidential": true`.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Prefetch

from tandem.accounts.models import User
from tandem.cultivation.models import JointCultivation
from tandem.institutions.models import Institution
from tandem.plans.models import (
    MilestoneSubmission,
    MilestoneWindow,
    PlanMilestone,
    PlanSignature,
    PlanVersion,
    TrainingPlan,
)
from tandem.rewards.selectors import final_awards_of_trainee

FORMAT = "tandem-joint-record/1"


def _dt(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _d(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def record_id(cultivation: JointCultivation) -> str:
    """The record's identity across installations: kept from an import, or made of natural
    keys on the installation where the cultivation began."""
    if cultivation.external_id:
        return cultivation.external_id
    return (
        f"{cultivation.home.code}:{cultivation.trainee.username}:"
        f"{cultivation.planned_start.isoformat()}"
    )[:64]


class _Refs:
    """Collects the people and institutions a record mentions, by natural key."""

    def __init__(self) -> None:
        self.people: dict[int, User] = {}
        self.institutions: dict[int, Institution] = {}

    def person(self, user: User | None) -> str | None:
        if user is None:
            return None
        self.people[user.pk] = user
        return user.username

    def inst(self, institution: Institution | None) -> str | None:
        if institution is None:
            return None
        self.institutions[institution.pk] = institution
        return institution.code


def _responsibilities(cultivation: JointCultivation, refs: _Refs) -> list[dict[str, Any]]:
    """The pair's written division of responsibilities (empty where none is recorded)."""
    try:
        model = apps.get_model("cultivation", "ResponsibilityShare")
    except LookupError:
        return []
    return [
        {"position": row.position, "key": row.key, "title": row.title, "role": row.role}
        for row in model.objects.filter(cultivation=cultivation).order_by("position", "pk")
    ]


def _responsibility_signatures(cultivation: JointCultivation, refs: _Refs) -> list[dict]:
    try:
        model = apps.get_model("cultivation", "ResponsibilitySignature")
    except LookupError:
        return []
    rows = model.objects.filter(cultivation=cultivation).select_related("assignment__tutor")
    return [
        {
            "tutor": refs.person(row.assignment.tutor),
            "role": row.assignment.role,
            "assignment_started_at": _dt(row.assignment.started_at),
            "signed_at": _dt(row.signed_at),
        }
        for row in sorted(rows, key=lambda r: (r.signed_at, r.assignment.role))
    ]


def _version(version: PlanVersion, refs: _Refs, reveal: bool) -> dict[str, Any]:
    note = getattr(version, "confidential_note", None)
    confidential = version.reason_kind == "health"
    return {
        "number": version.number,
        "research_topic": version.research_topic,
        "status": version.status,
        "reason_kind": version.reason_kind,
        "change_reason": version.change_reason,
        "confidential": confidential,
        "confidential_note": (
            {
                "text": note.text,
                "created_by": refs.person(note.created_by),
                "created_at": _dt(note.created_at),
            }
            if (note is not None and reveal)
            else None
        ),
        "created_by": refs.person(version.created_by),
        "created_at": _dt(version.created_at),
        "signed_at": _dt(version.signed_at),
        "signatures": [
            {"tutor": refs.person(s.tutor), "role": s.role, "signed_at": _dt(s.signed_at)}
            for s in sorted(version.signatures.all(), key=lambda s: (s.role, s.signed_at))
        ],
        "courses": [
            {
                "title": c.title,
                "credits": _dec(c.credits),
                "kind": c.kind,
                "institution": refs.inst(c.institution),
                "term": c.term,
            }
            for c in sorted(version.courses.all(), key=lambda c: (c.term, c.title))
        ],
        "milestone_windows": [
            {"milestone": w.milestone.key, "earliest": _d(w.earliest), "latest": _d(w.latest)}
            for w in sorted(version.windows.all(), key=lambda w: w.milestone.key)
        ],
    }


def _milestone(milestone: PlanMilestone, refs: _Refs) -> dict[str, Any]:
    return {
        "key": milestone.key,
        "kind": milestone.kind,
        "title": milestone.custom_title,  # blank: a standard milestone, worded by its kind
        "status": milestone.status,
        "earliest": _d(milestone.earliest),
        "latest": _d(milestone.latest),
        "submissions": [
            {
                "number": s.number,
                "note": s.note,
                "submitted_by": refs.person(s.submitted_by),
                "submitted_at": _dt(s.submitted_at),
                "evidence": [
                    {"name": e.name, "sha256": e.sha256, "size": e.size}
                    for e in sorted(s.evidence.all(), key=lambda e: (e.name, e.sha256))
                ],
                "outcome": s.outcome,
                "examiners": s.examiners,
                "comments": s.comments,
                "reviewed_by": refs.person(s.reviewed_by),
                "reviewed_at": _dt(s.reviewed_at),
            }
            for s in sorted(milestone.submissions.all(), key=lambda s: s.number)
        ],
    }


def _plan(cultivation: JointCultivation, refs: _Refs, reveal: bool) -> dict[str, Any] | None:
    plan = (
        TrainingPlan.objects.filter(cultivation=cultivation)
        .select_related("created_by", "current_version")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.select_related(
                    "created_by", "confidential_note", "confidential_note__created_by"
                ).prefetch_related(
                    Prefetch("signatures", queryset=PlanSignature.objects.select_related("tutor")),
                    "courses__institution",
                    Prefetch(
                        "windows", queryset=MilestoneWindow.objects.select_related("milestone")
                    ),
                ),
            ),
            Prefetch(
                "milestones",
                queryset=PlanMilestone.objects.prefetch_related(
                    Prefetch(
                        "submissions",
                        queryset=MilestoneSubmission.objects.select_related(
                            "submitted_by", "reviewed_by"
                        ).prefetch_related("evidence"),
                    ),
                ),
            ),
        )
        .first()
    )
    if plan is None:
        return None
    return {
        "created_by": refs.person(plan.created_by),
        "created_at": _dt(plan.created_at),
        "current_version": plan.current_version.number if plan.current_version else None,
        "versions": [
            _version(v, refs, reveal) for v in sorted(plan.versions.all(), key=lambda v: v.number)
        ],
        "milestones": [
            _milestone(m, refs) for m in sorted(plan.milestones.all(), key=lambda m: m.key)
        ],
    }


def _rewards(cultivation: JointCultivation, refs: _Refs) -> list[dict[str, Any]]:
    """The trainee's final awards (decision 104), in both languages; not imported."""
    return [
        {
            "kind": award.round.kind,
            "title": award.round.title,
            "title_zh": award.round.title_zh,
            "institution": refs.inst(award.round.institution),
            "announced_on": _d(award.round.announced_on),
            "objection_until": _d(award.round.objection_until),
            "final_on": _d(award.final_on),
        }
        for award in final_awards_of_trainee(cultivation.trainee_id)
    ]


def joint_record_build(cultivation: JointCultivation, *, reveal_confidential: bool) -> dict:
    """The whole joint record as plain JSON-ready data."""
    refs = _Refs()
    c = cultivation
    agreement = c.agreement
    profile = getattr(c.trainee, "trainee_profile", None)
    body: dict[str, Any] = {
        "format": FORMAT,
        "id": record_id(c),
        "agreement": {
            "title": agreement.title,
            "reference": agreement.reference,
            "version": agreement.version,
            "form": agreement.form,
            "status": agreement.status,
            "start_date": _d(agreement.start_date),
            "end_date": _d(agreement.end_date),
            "activated_at": _dt(agreement.activated_at),
            "ended_at": _dt(agreement.ended_at),
            "end_reason": agreement.end_reason,
            "created_by": refs.person(agreement.created_by),
            "parties": [
                {
                    "institution": refs.inst(p.institution),
                    "funding_share": _dec(p.funding_share),
                    "responsibilities": p.responsibilities,
                }
                for p in sorted(
                    agreement.parties.select_related("institution"),
                    key=lambda p: p.institution.code,
                )
            ],
        },
        "cultivation": {
            "trainee": refs.person(c.trainee),
            "trainee_profile": (
                {"kind": profile.kind, "cohort": profile.cohort, "specialty": profile.specialty}
                if profile is not None
                else None
            ),
            "home": refs.inst(c.home),
            "host": refs.inst(c.host),
            "status": c.status,
            "quota_year": c.quota_year,
            "planned_start": _d(c.planned_start),
            "planned_end": _d(c.planned_end),
            "stay_mode": c.stay_mode,
            "research_topic": c.research_topic,
            "proposed_by": refs.person(c.proposed_by),
            "created_at": _dt(c.created_at),
        },
        "stays": [
            {
                "institution": refs.inst(s.institution),
                "start": _d(s.start),
                "end": _d(s.end),
                "purpose": s.purpose,
            }
            for s in c.stays.select_related("institution").order_by("start", "end", "purpose")
        ],
        "decisions": [
            {
                "kind": d.kind,
                "institution": refs.inst(d.institution),
                "decided_by": refs.person(d.decided_by),
                "decided_at": _dt(d.decided_at),
                "from_status": d.from_status,
                "to_status": d.to_status,
                "reason": d.reason,
            }
            for d in c.decisions.select_related("institution", "decided_by").order_by(
                "decided_at", "kind", "id"
            )
        ],
        "tutor_assignments": [
            {
                "tutor": refs.person(a.tutor),
                "role": a.role,
                "institution": refs.inst(a.institution),
                "is_first_in_charge": a.is_first_in_charge,
                "quota_year": a.quota_year,
                "started_at": _dt(a.started_at),
                "ended_at": _dt(a.ended_at),
                "end_reason": a.end_reason,
            }
            for a in c.tutor_assignments.select_related("tutor", "institution").order_by(
                "started_at", "role", "id"
            )
        ],
        "responsibilities": _responsibilities(c, refs),
        "responsibility_signatures": _responsibility_signatures(c, refs),
        "plan": _plan(c, refs, reveal_confidential),
        "rewards": _rewards(c, refs),
    }
    body["institutions"] = [
        {
            "code": i.code,
            "name": i.name,
            "name_zh": i.name_zh,
            "kind": i.kind,
            "region": i.region,
            "country": i.country,
            "tier_labels": list(i.tier_labels or []),
        }
        for i in sorted(refs.institutions.values(), key=lambda i: i.code)
    ]
    body["people"] = [
        {"username": u.username, "email": u.email, "full_name": u.full_name}
        for u in sorted(refs.people.values(), key=lambda u: u.username)
    ]
    return body
