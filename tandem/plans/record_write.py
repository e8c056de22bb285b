"""The second pass of a joint-record import: writing a record already validated by
`record_import.joint_record_validate`. Called only inside that module's transaction."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils.dateparse import parse_date, parse_datetime

from tandem.accounts.models import Membership, Role, TraineeProfile, User
from tandem.agreements.models import Agreement, AgreementParty
from tandem.cultivation.models import Decision, JointCultivation, Stay, TutorAssignment
from tandem.institutions.models import Institution
from tandem.plans.models import (
    ConfidentialNote,
    MilestoneEvidence,
    MilestoneSubmission,
    MilestoneWindow,
    PlanCourse,
    PlanMilestone,
    PlanSignature,
    PlanVersion,
    TrainingPlan,
)

Saver = Callable[[Any, str], Any]


def _dt(value: str | None) -> Any:
    return parse_datetime(value) if value else None


def _d(value: str | None) -> Any:
    return parse_date(value) if value else None


class _Writer:
    def __init__(self, data: dict, save: Saver) -> None:
        self.data = data
        self.save = save
        self.institutions: dict[str, Institution] = {}
        self.people: dict[str, User] = {}

    def inst(self, code: str | None) -> Institution | None:
        return self.institutions[code] if code is not None else None

    def person(self, username: str | None) -> User | None:
        return self.people[username] if username is not None else None

    def refs(self) -> None:
        for i, row in enumerate(self.data.get("institutions", [])):
            institution = Institution.objects.filter(code=row["code"]).first()
            if institution is None:
                institution = self.save(
                    Institution(
                        code=row["code"],
                        name=row["name"],
                        name_zh=row.get("name_zh", ""),
                        kind=row["kind"],
                        region=row["region"],
                        country=row.get("country") or "CN",
                        tier_labels=row.get("tier_labels") or [],
                    ),
                    f"institutions[{i}]",
                )
            self.institutions[row["code"]] = institution
        for i, row in enumerate(self.data.get("people", [])):
            user = User.objects.filter(username=row["username"]).first()
            if user is None:
                user = User(
                    username=row["username"],
                    email=row.get("email") or "",
                    full_name=row.get("full_name") or "",
                )
                user.set_unusable_password()
                self.save(user, f"people[{i}]")
            self.people[row["username"]] = user

    def agreement(self) -> Agreement:
        row = self.data["agreement"]
        found = Agreement.objects.filter(title=row["title"], version=row["version"]).first()
        if found is not None:
            return found
        agreement = self.save(
            Agreement(
                title=row["title"],
                reference=row.get("reference") or "",
                version=row["version"],
                form=row["form"],
                status=row["status"],
                start_date=_d(row["start_date"]),
                end_date=_d(row["end_date"]),
                activated_at=_dt(row.get("activated_at")),
                ended_at=_dt(row.get("ended_at")),
                end_reason=row.get("end_reason") or "",
                created_by=self.person(row["created_by"]),
            ),
            "agreement",
        )
        for i, party in enumerate(row.get("parties", [])):
            self.save(
                AgreementParty(
                    agreement=agreement,
                    institution=self.inst(party["institution"]),
                    funding_share=Decimal(str(party["funding_share"])),
                    responsibilities=party.get("responsibilities") or "",
                ),
                f"agreement.parties[{i}]",
            )
        return agreement

    def membership(self, user: User, role: str, institution: Institution) -> None:
        if not Membership.objects.filter(user=user, role=role, institution=institution).exists():
            Membership.objects.create(user=user, role=role, institution=institution)

    def cultivation(self, agreement: Agreement) -> JointCultivation:
        row = self.data["cultivation"]
        trainee = self.person(row["trainee"])
        assert trainee is not None
        profile = row.get("trainee_profile")
        if profile and not TraineeProfile.objects.filter(user=trainee).exists():
            self.save(
                TraineeProfile(
                    user=trainee,
                    kind=profile["kind"],
                    cohort=profile["cohort"],
                    specialty=profile.get("specialty") or "",
                ),
                "cultivation.trainee_profile",
            )
        cultivation = self.save(
            JointCultivation(
                trainee=trainee,
                agreement=agreement,
                home=self.inst(row["home"]),
                host=self.inst(row["host"]),
                status=row["status"],
                quota_year=row["quota_year"],
                planned_start=_d(row["planned_start"]),
                planned_end=_d(row["planned_end"]),
                stay_mode=row["stay_mode"],
                research_topic=row.get("research_topic") or "",
                proposed_by=self.person(row["proposed_by"]),
                created_at=_dt(row["created_at"]),
                external_id=self.data["id"],
            ),
            "cultivation",
        )
        self.membership(trainee, Role.TRAINEE, cultivation.home)
        for i, stay in enumerate(self.data.get("stays", [])):
            self.save(
                Stay(
                    cultivation=cultivation,
                    institution=self.inst(stay["institution"]),
                    start=_d(stay["start"]),
                    end=_d(stay["end"]),
                    purpose=stay.get("purpose") or "",
                ),
                f"stays[{i}]",
            )
        for i, d in enumerate(self.data.get("decisions", [])):
            self.save(
                Decision(
                    cultivation=cultivation,
                    kind=d["kind"],
                    institution=self.inst(d.get("institution")),
                    decided_by=self.person(d["decided_by"]),
                    decided_at=_dt(d["decided_at"]),
                    from_status=d.get("from_status") or "",
                    to_status=d.get("to_status") or "",
                    reason=d.get("reason") or "",
                ),
                f"decisions[{i}]",
            )
        for i, a in enumerate(self.data.get("tutor_assignments", [])):
            assignment = self.save(
                TutorAssignment(
                    cultivation=cultivation,
                    tutor=self.person(a["tutor"]),
                    role=a["role"],
                    institution=self.inst(a["institution"]),
                    is_first_in_charge=bool(a.get("is_first_in_charge")),
                    quota_year=a["quota_year"],
                    started_at=_dt(a["started_at"]),
                    ended_at=_dt(a.get("ended_at")),
                    end_reason=a.get("end_reason") or "",
                ),
                f"tutor_assignments[{i}]",
            )
            self.membership(assignment.tutor, Role.TUTOR, assignment.institution)
        self.responsibilities(cultivation)
        return cultivation

    def responsibilities(self, cultivation: JointCultivation) -> None:
        rows = self.data.get("responsibilities") or []
        signatures = self.data.get("responsibility_signatures") or []
        if not rows and not signatures:
            return
        share = apps.get_model("cultivation", "ResponsibilityShare")
        signature = apps.get_model("cultivation", "ResponsibilitySignature")
        for i, row in enumerate(rows):
            self.save(
                share(
                    cultivation=cultivation,
                    position=row["position"],
                    key=row.get("key") or "",
                    title=row.get("title") or "",
                    role=row["role"],
                ),
                f"responsibilities[{i}]",
            )
        for i, row in enumerate(signatures):
            assignment = TutorAssignment.objects.get(
                cultivation=cultivation,
                tutor=self.person(row["tutor"]),
                role=row["role"],
                started_at=_dt(row["assignment_started_at"]),
            )
            self.save(
                signature(
                    cultivation=cultivation, assignment=assignment, signed_at=_dt(row["signed_at"])
                ),
                f"responsibility_signatures[{i}]",
            )

    def plan(self, cultivation: JointCultivation) -> None:
        row = self.data.get("plan")
        if row is None:
            return
        plan = self.save(
            TrainingPlan(
                cultivation=cultivation,
                created_by=self.person(row["created_by"]),
                created_at=_dt(row["created_at"]),
            ),
            "plan",
        )
        milestones: dict[str, PlanMilestone] = {}
        for i, m in enumerate(row.get("milestones", [])):
            path = f"plan.milestones[{i}]"
            milestone = self.save(
                PlanMilestone(
                    plan=plan,
                    key=m["key"],
                    kind=m["kind"],
                    custom_title=m.get("title") or ("" if m["kind"] != "other" else m["key"]),
                    status=m["status"],
                    earliest=_d(m.get("earliest")),
                    latest=_d(m.get("latest")),
                ),
                path,
            )
            milestones[m["key"]] = milestone
            for j, s in enumerate(m.get("submissions", [])):
                spath = f"{path}.submissions[{j}]"
                submission = self.save(
                    MilestoneSubmission(
                        milestone=milestone,
                        number=s["number"],
                        note=s.get("note") or "",
                        submitted_by=self.person(s["submitted_by"]),
                        submitted_at=_dt(s["submitted_at"]),
                        outcome=s.get("outcome") or "",
                        examiners=s.get("examiners") or "",
                        comments=s.get("comments") or "",
                        reviewed_by=self.person(s.get("reviewed_by")),
                        reviewed_at=_dt(s.get("reviewed_at")),
                    ),
                    spath,
                )
                for k, e in enumerate(s.get("evidence", [])):
                    # The file itself stays with the exporting installation; name and
                    # checksum travel so that a copy can be matched to it later.
                    self.save(
                        MilestoneEvidence(
                            submission=submission,
                            name=e["name"],
                            sha256=e["sha256"],
                            size=int(e.get("size") or 0),
                        ),
                        f"{spath}.evidence[{k}]",
                    )
        versions: dict[int, PlanVersion] = {}
        for i, v in enumerate(row.get("versions", [])):
            path = f"plan.versions[{i}]"
            version = self.save(
                PlanVersion(
                    plan=plan,
                    number=v["number"],
                    research_topic=v.get("research_topic") or "",
                    status=v["status"],
                    reason_kind=v["reason_kind"],
                    change_reason=v.get("change_reason") or "",
                    created_by=self.person(v["created_by"]),
                    created_at=_dt(v["created_at"]),
                    signed_at=_dt(v.get("signed_at")),
                ),
                path,
            )
            versions[version.number] = version
            note = v.get("confidential_note")
            if note:
                self.save(
                    ConfidentialNote(
                        version=version,
                        text=note["text"],
                        created_by=self.person(note["created_by"]),
                        created_at=_dt(note["created_at"]),
                    ),
                    f"{path}.confidential_note",
                )
            for j, sig in enumerate(v.get("signatures", [])):
                self.save(
                    PlanSignature(
                        version=version,
                        tutor=self.person(sig["tutor"]),
                        role=sig["role"],
                        signed_at=_dt(sig["signed_at"]),
                    ),
                    f"{path}.signatures[{j}]",
                )
            for j, c in enumerate(v.get("courses", [])):
                self.save(
                    PlanCourse(
                        version=version,
                        title=c["title"],
                        credits=Decimal(str(c["credits"])),
                        kind=c["kind"],
                        institution=self.inst(c["institution"]),
                        term=c.get("term") or "",
                    ),
                    f"{path}.courses[{j}]",
                )
            for j, w in enumerate(v.get("milestone_windows", [])):
                self.save(
                    MilestoneWindow(
                        version=version,
                        milestone=milestones[w["milestone"]],
                        earliest=_d(w["earliest"]),
                        latest=_d(w["latest"]),
                    ),
                    f"{path}.milestone_windows[{j}]",
                )
        current = row.get("current_version")
        if current is not None:
            plan.current_version = versions[current]
            plan.save(update_fields=["current_version"])


def write_record(data: dict, save: Saver) -> JointCultivation:
    writer = _Writer(data, save)
    writer.refs()
    agreement = writer.agreement()
    cultivation = writer.cultivation(agreement)
    writer.plan(cultivation)
    return cultivation
