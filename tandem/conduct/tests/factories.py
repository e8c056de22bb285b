"""Conduct fixtures on the fixed cast, made through the services.

cast.trainee has an active joint cultivation (home A, host B; tutor_b experimental at B,
tutor_a theoretical at A). A's regulation applies: article 12 in force since 2020, article 15
repealed at the end of 2025. A's discipline committee: coord_a and two teachers of A
(`member_a1`, `member_a2`). The appeal body is B's: two teachers of B. Cases are opened by
coord_b (the host's coordinator — either institution may open one), so coord_a, who did not
open it, sits on the committee, and coord_b comments for the other institution.
"""

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.conduct import services, services_appeal, services_rules
from tandem.conduct.models import Appeal, Case, Committee
from tandem.cultivation.tests.factories import cultivation_in


def _staff(username: str, institution: Any) -> Any:
    user = UserFactory(username=username, full_name=f"Member {username}")
    MembershipFactory(user=user, role=Role.TEACHER, institution=institution)
    return user


def rules(cast: Any) -> Any:
    cached = getattr(cast, "_conduct_rules", None)
    if cached is not None:
        return cached
    cultivation = cast.trainee.joint_cultivations.first() or cultivation_in(cast, "active")
    regulation = services_rules.regulation_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        title="Discipline rules for graduate students",
        title_zh="研究生违纪处分规定",
    )
    art12 = services_rules.article_version_add(
        actor=cast.coord_a,
        regulation=regulation,
        number="12",
        text="Falsifying research data is punished by a warning up to a termination.",
        text_zh="伪造科研数据的，给予警告直至终止联合培养。",
        effective_from=datetime.date(2020, 1, 1),
    ).article
    art15 = services_rules.article_version_add(
        actor=cast.coord_a,
        regulation=regulation,
        number="15",
        text="Absence from the laboratory without leave.",
        text_zh="无故缺勤。",
        effective_from=datetime.date(2020, 1, 1),
    ).article
    services_rules.article_repeal(
        actor=cast.coord_a, article=art15, effective_until=datetime.date(2025, 12, 31)
    )
    committee = services_rules.committee_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        kind="discipline",
        name="Graduate discipline committee",
        name_zh="研究生违纪处理委员会",
    )
    members = [cast.coord_a, _staff("member_a1", cast.inst_a), _staff("member_a2", cast.inst_a)]
    for member in members:
        services_rules.committee_member_add(actor=cast.coord_a, committee=committee, user=member)
    appeal_body = services_rules.committee_create(
        actor=cast.coord_b,
        institution=cast.inst_b,
        kind="appeal",
        name="Student appeals committee",
        name_zh="学生申诉处理委员会",
    )
    appeal_members = [_staff("member_b1", cast.inst_b), _staff("member_b2", cast.inst_b)]
    for member in appeal_members:
        services_rules.committee_member_add(actor=cast.coord_b, committee=appeal_body, user=member)
    cached = {
        "cultivation": cultivation,
        "regulation": regulation,
        "art12": art12,
        "art15": art15,
        "committee": committee,
        "members": members,
        "appeal_body": appeal_body,
        "appeal_members": appeal_members,
    }
    cast._conduct_rules = cached
    return cached


def open_case(cast: Any, level: str = "demerit", **overrides: Any) -> Case:
    r = rules(cast)
    arguments = {
        "actor": cast.coord_b,
        "cultivation": r["cultivation"],
        "article": r["art12"],
        "committee": r["committee"],
        "conduct_date": timezone.localdate() - datetime.timedelta(days=10),
        "facts": "Figures 2 and 3 of the March report were altered.",
        "proposed_level": level,
    }
    arguments.update(overrides)
    return services.case_open(**arguments)


def responded(cast: Any, case: Case, hearing: bool = False) -> Case:
    return services.case_respond(
        actor=cast.trainee, case=case, response="The figures were mislabelled.", hearing=hearing
    )


def decided(cast: Any, case: Case, level: str = "warning", months: int = 6) -> Case:
    r = rules(cast)
    for member in r["members"][:2]:
        services.case_vote(actor=member, case=case, level=level)
    return services.case_decide(
        actor=r["members"][0],
        case=case,
        outcome=level,
        reasons="The alteration is proven; it was a first offence.",
        appeal_body=r["appeal_body"],
        review_months=months,
    )


def appealed(cast: Any, case: Case) -> Appeal:
    return services_appeal.appeal_lodge(
        actor=cast.trainee, case=case, grounds="The committee did not hear my lab mate."
    )


def case_in(cast: Any, state: str) -> Case:
    """A case of cast.trainee at `state`: open, responded, decided, appealed, in_force."""
    cached = getattr(cast, f"_conduct_case_{state}", None)
    if cached is not None:
        return cached
    case = open_case(cast)
    if state != "open":
        case = responded(cast, case)
    if state in ("decided", "appealed", "in_force"):
        case = decided(cast, case)
    if state == "appealed":
        appealed(cast, case)
    if state == "in_force":
        case = services_appeal.case_accept(actor=cast.trainee, case=case)
    case.refresh_from_db()
    setattr(cast, f"_conduct_case_{state}", case)
    return case


def committee_of(cast: Any) -> Committee:
    return rules(cast)["committee"]
