"""Wellbeing check-ins of the demo consortium, built through the services.

Each institution with a coordinator gets a wellbeing officer account (`counsellor.<code>`,
with a teacher's role there: accounts has no counsellor role), named by that coordinator. Zhang
(a joint trainee, home WMU) has checked in twice: a fine check-in whose scores Zhang shares
with the tutors, and a worrying one that asks to be contacted, whose alert the WMU counsellor
acknowledged and recorded a contact for. Liu and Song checked in too. Running it again
changes nothing.

Check-ins are dated when submitted (no service backdates one), so the statistics page, which
shows only months that have ended, fills from the month after the demo is loaded."""

from django.db.models import Q

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Membership, Role, User
from tandem.institutions.models import Institution
from tandem.wellbeing import services
from tandem.wellbeing.models import CheckIn, WellbeingOfficer

COUNSELLORS = {
    # institution code: (full name, language)
    "wmu": ("Gao Lin (counsellor)", "zh-hans"),
    "emu": ("Han Xue (graduate-school officer)", "zh-hans"),
    "cibr": ("Luo Qing (counsellor)", "zh-hans"),
    "lanting": ("Jiang Tao (counsellor)", "zh-hans"),
    "ech": ("Peng Yu (counsellor)", "zh-hans"),
    "wuh": ("Cao Hong (counsellor)", "zh-hans"),
    "lakeside": ("Sarah Hughes (wellbeing adviser)", "en"),
    "nmc": ("Tian Jing (counsellor)", "zh-hans"),
}


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, institution) of the officer accounts, for seed_demo's list."""
    return [(f"counsellor.{code}", "Wellbeing officer", code) for code in COUNSELLORS]


def _coordinator(institution: Institution) -> User | None:
    membership = (
        Membership.objects.filter(institution=institution, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _officers() -> None:
    template = User.objects.filter(username="coord.wmu").first()
    if template is None:
        return
    for code, (full_name, language) in COUNSELLORS.items():
        institution = Institution.objects.filter(code=code).first()
        coordinator = _coordinator(institution) if institution else None
        if institution is None or coordinator is None:
            continue
        username = f"counsellor.{code}"
        user = User.objects.filter(username=username).first()
        if user is None:
            # The same password as every demo account (the coordinator's hash).
            user = demo_account(username, full_name, template.password, language)
        if not Membership.objects.filter(user=user, institution=institution).exists():
            accounts.membership_add(
                actor=coordinator, user=user, role=Role.TEACHER, institution=institution
            )
        if not WellbeingOfficer.objects.filter(
            institution=institution, user=user, ended_at__isnull=True
        ).exists():
            services.officer_appoint(actor=coordinator, institution=institution, user=user)


def load_demo() -> None:
    _officers()
    people = {
        u.username: u
        for u in User.objects.filter(
            username__in=["trainee.zhang", "trainee.liu", "trainee.song", "counsellor.wmu"]
        )
    }
    if len(people) < 4 or CheckIn.objects.filter(Q(trainee__in=people.values())).exists():
        return
    zhang, counsellor = people["trainee.zhang"], people["counsellor.wmu"]
    services.checkin_submit(
        actor=zhang, physical=4, mental=4, workload=3, living=4, share_with_tutors=True
    )
    worrying = services.checkin_submit(
        actor=zhang,
        physical=3,
        mental=2,
        workload=1,
        living=3,
        note="The experiments at the host run late every night and I cannot sleep.",
        wants_contact=True,
    )
    services.alert_acknowledge(actor=counsellor, alert=worrying.alert)
    services.alert_note_add(
        actor=counsellor,
        alert=worrying.alert,
        kind="contact",
        text="Met Zhang; agreed on a weekly talk and to look at the lab schedule.",
    )
    for username, scores in (("trainee.liu", (4, 3, 3, 4)), ("trainee.song", (5, 4, 2, 3))):
        physical, mental, workload, living = scores
        services.checkin_submit(
            actor=people[username],
            physical=physical,
            mental=mental,
            workload=workload,
            living=living,
        )
