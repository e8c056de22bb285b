"""A province-wide consortium for benchmarks: 50 institutions, N trainees, N/6.7 tutors.

Bulk inserts, no password hashing (accounts get unusable passwords), deterministic (seeded).
`manage.py seed_scale --trainees 20000` loads in well under a few minutes on SQLite.
"""

import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import (
    Membership,
    Role,
    StudentNumber,
    TraineeKind,
    TraineeProfile,
    TutorProfile,
    User,
)
from tandem.agreements.models import Agreement, AgreementParty, AgreementSignature
from tandem.alerts import scale as alerts_scale
from tandem.institutions.models import Institution, Region
from tandem.meetings import scale as meetings_scale
from tandem.resources.models import ResourceOpening, SharedResource

BATCH = 2000
KINDS = ["university", "medical_college", "research_institute", "enterprise", "hospital"]
REGIONS = [Region.EASTERN, Region.CENTRAL, Region.WESTERN, Region.NORTHEASTERN]


class Command(BaseCommand):
    help = "Create a large synthetic consortium for benchmarks (prefix 'scale-')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trainees", type=int, default=20000)
        parser.add_argument("--institutions", type=int, default=50)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--without-activity",
            action="store_true",
            help="Only institutions, people and agreements (no cultivations or reports).",
        )

    def handle(self, *args, trainees: int, institutions: int, seed: int, **options) -> None:
        if Institution.objects.filter(code__startswith="scale-").exists():
            self.stdout.write("A scale consortium is already loaded; nothing to do.")
            return
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            self._load(rng, trainees, institutions)
        if not options.get("without_activity"):
            # Joint cultivations, meetings, ~25 progress reports per trainee, action items and
            # warning thresholds: what the early-warning benchmark reads.
            meetings_scale.load_scale(rng)
            alerts_scale.load_scale(rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {institutions} institutions and {trainees} trainees "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def _load(self, rng: random.Random, n_trainees: int, n_institutions: int) -> None:
        insts = Institution.objects.bulk_create(
            [
                Institution(
                    code=f"scale-{i:03d}",
                    name=f"Scale Institution {i:03d}",
                    name_zh=f"规模测试机构{i:03d}",
                    kind=KINDS[i % len(KINDS)],
                    region=REGIONS[i % len(REGIONS)],
                )
                for i in range(n_institutions)
            ]
        )
        if not insts[0].pk:  # backends without RETURNING on bulk insert
            insts = list(Institution.objects.filter(code__startswith="scale-").order_by("code"))
        unusable = make_password(None)
        n_tutors = max(1, n_trainees * 3 // 20)
        people: list[User] = []
        for i in range(n_tutors):
            people.append(
                User(username=f"scale-tutor-{i:05d}", full_name=f"Tutor {i:05d}", password=unusable)
            )
        for i in range(n_trainees):
            people.append(
                User(
                    username=f"scale-trainee-{i:06d}",
                    full_name=f"Trainee {i:06d}",
                    password=unusable,
                )
            )
        for i in range(len(insts)):
            people.append(
                User(
                    username=f"scale-coord-{i:03d}",
                    full_name=f"Coordinator {i:03d}",
                    password=unusable,
                )
            )
        User.objects.bulk_create(people, batch_size=BATCH)
        users = {u.username: u for u in User.objects.filter(username__startswith="scale-")}

        memberships, tutor_profiles, trainee_profiles = [], [], []
        for i in range(n_tutors):
            user = users[f"scale-tutor-{i:05d}"]
            memberships.append(
                Membership(user=user, role=Role.TUTOR, institution=insts[i % len(insts)])
            )
            tutor_profiles.append(
                TutorProfile(
                    user=user,
                    title="Professor",
                    qualification=rng.choice(["master", "doctoral"]),
                    annual_quota=rng.randint(2, 6),
                )
            )
        kinds = list(TraineeKind.values)
        for i in range(n_trainees):
            user = users[f"scale-trainee-{i:06d}"]
            memberships.append(
                Membership(user=user, role=Role.TRAINEE, institution=insts[i % len(insts)])
            )
            trainee_profiles.append(
                TraineeProfile(user=user, kind=rng.choice(kinds), cohort=rng.randint(2020, 2026))
            )
        for i, inst in enumerate(insts):
            memberships.append(
                Membership(
                    user=users[f"scale-coord-{i:03d}"], role=Role.COORDINATOR, institution=inst
                )
            )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        TutorProfile.objects.bulk_create(tutor_profiles, batch_size=BATCH)
        TraineeProfile.objects.bulk_create(trainee_profiles, batch_size=BATCH)
        profiles = TraineeProfile.objects.filter(user__username__startswith="scale-trainee-")
        StudentNumber.objects.bulk_create(
            [
                StudentNumber(
                    trainee_id=p.pk, institution_id=insts[n % len(insts)].pk, number=f"S{n:07d}"
                )
                for n, p in enumerate(profiles.order_by("user__username").only("pk"))
            ],
            batch_size=BATCH,
        )

        # Each institution partners with the next two: active agreements with signatures.
        coordinator = users["scale-coord-000"]
        now = timezone.now()
        today = now.date()
        for i, inst in enumerate(insts):
            for step in (1, 2):
                partner = insts[(i + step) % len(insts)]
                agreement = Agreement.objects.create(
                    title=f"Scale agreement {inst.code}–{partner.code}",
                    form="university_domestic",
                    status="active",
                    start_date=today.replace(year=today.year - 1),
                    end_date=today.replace(year=today.year + 4),
                    created_by=coordinator,
                    activated_at=now,
                )
                AgreementParty.objects.bulk_create(
                    [
                        AgreementParty(
                            agreement=agreement, institution=inst, funding_share=Decimal(50)
                        ),
                        AgreementParty(
                            agreement=agreement, institution=partner, funding_share=Decimal(50)
                        ),
                    ]
                )
                AgreementSignature.objects.bulk_create(
                    [
                        AgreementSignature(
                            agreement=agreement,
                            institution=x,
                            signed_by=users[f"scale-coord-{insts.index(x):03d}"],
                        )
                        for x in (inst, partner)
                    ]
                )
                resource = SharedResource.objects.create(
                    institution=inst, name=f"Instrument {inst.code}-{step}", kind="instrument"
                )
                ResourceOpening.objects.create(
                    resource=resource, agreement=agreement, partner=partner
                )
