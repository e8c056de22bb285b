"""The demo's competency committee: WUH's internal-medicine program gets a committee of three
(teacher.lu, the chair; the base director director.wuh.im; the training office's coord.wuh),
the built-in internal-medicine milestone set, a finalised review "2026 H1" of resident.deng
(rated by all three, progressing) and an open review "2026 H2" that teacher.lu has not rated
yet. Built through the services only; a second run changes nothing.
"""

import datetime

from tandem.accounts.models import User
from tandem.milestones import services
from tandem.milestones.models import Committee
from tandem.residency.models import Program

MEMBERS = ("teacher.lu", "director.wuh.im", "coord.wuh")
H1_LEVELS = {"PC1": 2, "PC2": 2, "MK1": 3, "PROF1": 3, "ICS1": 2}


def load_demo() -> None:
    program = Program.objects.filter(institution__code="wuh", code="im-pgy1").first()
    if program is None or Committee.objects.filter(program=program).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=MEMBERS)}
    if len(users) != len(MEMBERS):
        return
    coordinator = users["coord.wuh"]
    chair = users["teacher.lu"]
    milestone_set = services.builtin_set_ensure("internal_medicine")
    committee = services.committee_create(
        actor=coordinator,
        program=program,
        members=[users[name] for name in MEMBERS],
        chair=chair,
    )
    done = services.review_open(
        actor=chair,
        committee=committee,
        milestone_set=milestone_set,
        label="2026 H1",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 15),
    )
    subs = {s.code: s for s in milestone_set.subcompetencies.all()}
    epas = list(milestone_set.epas.all())
    for offset, name in enumerate(MEMBERS):
        for rr in done.residents.all():
            services.ratings_save(
                actor=users[name],
                resident_review=rr,
                subcompetencies={
                    subs[code].pk: min(5, level + (offset == 1))
                    for code, level in H1_LEVELS.items()
                },
                epas={epa.pk: 2 if offset else None for epa in epas},
            )
    for rr in done.residents.all():
        services.resident_review_finalise(actor=chair, resident_review=rr, decision="progressing")
    opened = services.review_open(
        actor=chair,
        committee=committee,
        milestone_set=milestone_set,
        label="2026 H2",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 12, 31),
        due_on=datetime.date(2027, 1, 15),
    )
    for rr in opened.residents.all():
        services.ratings_save(
            actor=users["director.wuh.im"],
            resident_review=rr,
            subcompetencies={subs[code].pk: level + 1 for code, level in H1_LEVELS.items()},
        )
