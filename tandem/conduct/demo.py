"""Discipline cases of the demo consortium, built through the services.

The home institution of the first active joint cultivations records its discipline rules
(two articles, one with a second version) and a discipline committee of three staff accounts
(`committee.<code>.1…3`); the host sets up an appeal body of two (`appeals.<code>.1…2`). Then,
one state each (opened by the host's coordinator, so that both institutions take part):

- a case awaiting the trainee's written response;
- a case under appeal (responded, voted, a warning decided, appealed);
- a warning lifted early for good conduct (responded, decided, accepted, lifted).

Dates are relative to today: the conduct ten and forty days ago. Running it again changes
nothing."""

import datetime

from django.utils import timezone

from tandem.accounts import services as accounts
from tandem.accounts.demo import demo_account
from tandem.accounts.models import Membership, Role, User
from tandem.conduct import services, services_appeal, services_rules
from tandem.conduct.models import Article, Case, Committee, CommitteeKind, Regulation
from tandem.cultivation.models import CultivationStatus, JointCultivation
from tandem.institutions.models import Institution

TITLE = "Discipline rules for joint postgraduates"


def _coordinator(institution: Institution) -> User | None:
    membership = (
        Membership.objects.filter(institution=institution, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _staff(prefix: str, institution: Institution, count: int, coordinator: User) -> list[User]:
    template = User.objects.get(username=coordinator.username)
    people = []
    for number in range(1, count + 1):
        username = f"{prefix}.{institution.code}.{number}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = demo_account(
                username,
                f"{institution.code.upper()} member {number}",
                template.password,
                "zh-hans",
            )
        if not Membership.objects.filter(user=user, institution=institution).exists():
            accounts.membership_add(
                actor=coordinator, user=user, role=Role.TEACHER, institution=institution
            )
        people.append(user)
    return people


def _rules(home: Institution, coordinator: User) -> tuple[Article, Committee, list[User]]:
    regulation = Regulation.objects.filter(institution=home, title=TITLE).first()
    if regulation is None:
        regulation = services_rules.regulation_create(
            actor=coordinator, institution=home, title=TITLE, title_zh="联合培养研究生违纪处分规定"
        )
        services_rules.article_version_add(
            actor=coordinator,
            regulation=regulation,
            number="8",
            text="Research data are recorded truthfully; altering them is a breach of discipline.",
            text_zh="科研数据应如实记录；篡改数据属违纪行为。",
            effective_from=datetime.date(2020, 9, 1),
        )
        services_rules.article_version_add(
            actor=coordinator,
            regulation=regulation,
            number="8",
            text="Research data are recorded truthfully and kept for five years; altering or "
            "discarding them is a breach of discipline.",
            text_zh="科研数据应如实记录并保存五年；篡改或丢弃数据属违纪行为。",
            effective_from=datetime.date(2024, 9, 1),
        )
        services_rules.article_version_add(
            actor=coordinator,
            regulation=regulation,
            number="11",
            text="Repeated absence from the laboratory without leave.",
            text_zh="多次无故缺勤。",
            effective_from=datetime.date(2020, 9, 1),
        )
    committee = Committee.objects.filter(institution=home, kind=CommitteeKind.DISCIPLINE).first()
    members = _staff("committee", home, 3, coordinator)
    if committee is None:
        committee = services_rules.committee_create(
            actor=coordinator,
            institution=home,
            kind=CommitteeKind.DISCIPLINE,
            name="Graduate discipline committee",
            name_zh="研究生违纪处理委员会",
        )
        for member in members:
            services_rules.committee_member_add(actor=coordinator, committee=committee, user=member)
    return regulation.articles.get(number="8"), committee, members


def _appeal_body(host: Institution, coordinator: User) -> Committee:
    body = Committee.objects.filter(institution=host, kind=CommitteeKind.APPEAL).first()
    if body is None:
        body = services_rules.committee_create(
            actor=coordinator,
            institution=host,
            kind=CommitteeKind.APPEAL,
            name="Student appeals committee",
            name_zh="学生申诉处理委员会",
        )
        for member in _staff("appeals", host, 2, coordinator):
            services_rules.committee_member_add(actor=coordinator, committee=body, user=member)
    return body


def load_demo() -> None:
    cultivations = list(
        JointCultivation.objects.filter(status=CultivationStatus.ACTIVE)
        .select_related("home", "host", "trainee")
        .order_by("id")[:3]
    )
    if not cultivations or Case.objects.exists():
        return
    today = timezone.localdate()
    for index, cultivation in enumerate(cultivations):
        home_coordinator = _coordinator(cultivation.home)
        host_coordinator = _coordinator(cultivation.host)
        if home_coordinator is None or host_coordinator is None:
            continue
        article, committee, members = _rules(cultivation.home, home_coordinator)
        body = _appeal_body(cultivation.host, host_coordinator)
        state = ("open", "appeal", "lifted")[index]
        case = services.case_open(
            actor=host_coordinator,
            cultivation=cultivation,
            article=article,
            committee=committee,
            conduct_date=today - datetime.timedelta(days=10 if state == "open" else 40),
            facts="The western blot figures in the progress report of last month do not match "
            "the laboratory notebook.",
            proposed_level="demerit" if state == "open" else "warning",
        )
        if state == "open":
            continue
        services.case_respond(
            actor=cultivation.trainee,
            case=case,
            response="I mixed up two blots when assembling the figure; the raw images are "
            "attached to my notebook and I have corrected the report.",
        )
        for member in members[:2]:
            services.case_vote(actor=member, case=case, level="warning")
        services.case_decide(
            actor=members[0],
            case=case,
            outcome="warning",
            reasons="The figure did not match the data; the error was corrected promptly, a "
            "first lapse.",
            appeal_body=body,
            review_months=6,
        )
        if state == "appeal":
            services_appeal.appeal_lodge(
                actor=cultivation.trainee,
                case=case,
                grounds="The committee did not hear the laboratory manager, who saw the mix-up.",
            )
        else:
            services_appeal.case_accept(actor=cultivation.trainee, case=case)
            services_appeal.case_lift(
                actor=members[1],
                case=case,
                reasons="Exemplary data management since, confirmed by both tutors.",
                early=True,
            )
