"""The agreement's authorship policy as a pure function: facts in, violations out.

No database access here, so the rules read (and test) like the agreement's clause: who may be the
corresponding author, which affiliations the trainee lists, and that every author has a role.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIRST_OR_SECOND_TUTOR = "first_or_second_tutor"
FIRST_TUTOR = "first_tutor"
ANY_AUTHOR = "any_author"


class ViolationCode(models.TextChoices):
    """The codes a publication stores for its violations, and what they read as in its
    history (the full explanation is built by `check`, for the page)."""

    NO_CORRESPONDING = "no_corresponding", gettext_lazy("no corresponding author")
    CORRESPONDING_NOT_TUTOR = (
        "corresponding_not_tutor",
        gettext_lazy("corresponding author not a tutor the agreement allows"),
    )
    TRAINEE_NOT_AUTHOR = "trainee_not_author", gettext_lazy("trainee not among the authors")
    TRAINEE_AFFILIATIONS = (
        "trainee_affiliations",
        gettext_lazy("trainee's affiliations incomplete"),
    )
    CREDIT_ROLES = "credit_roles", gettext_lazy("an author without a CRediT role")


@dataclass(frozen=True)
class AuthorFacts:
    position: int
    name: str
    user_id: int | None
    institution_ids: frozenset[int]
    is_corresponding: bool
    credit_roles: tuple[str, ...]


@dataclass(frozen=True)
class PolicyFacts:
    corresponding_author_rule: str
    trainee_lists_both_institutions: bool
    trainee_id: int
    home_id: int
    host_id: int
    home_name: str
    host_name: str
    first_tutor_id: int | None
    second_tutor_id: int | None


@dataclass(frozen=True)
class Violation:
    code: str
    message: str


def check(policy: PolicyFacts, authors: list[AuthorFacts]) -> list[Violation]:
    """Every way the authors break the policy, each with a plain explanation."""
    violations: list[Violation] = []
    corresponding = [a for a in authors if a.is_corresponding]
    if not corresponding:
        violations.append(
            Violation("no_corresponding", _("No author is marked as the corresponding author."))
        )
    elif policy.corresponding_author_rule != ANY_AUTHOR:
        allowed = {policy.first_tutor_id}
        if policy.corresponding_author_rule == FIRST_OR_SECOND_TUTOR:
            allowed.add(policy.second_tutor_id)
        allowed.discard(None)
        wrong = [a for a in corresponding if a.user_id not in allowed]
        if wrong:
            names = ", ".join(a.name for a in wrong)
            if policy.corresponding_author_rule == FIRST_TUTOR:
                message = _(
                    "The agreement requires the corresponding author to be the trainee's first "
                    "(experimental) tutor, but %(names)s is marked as corresponding author."
                ) % {"names": names}
            else:
                message = _(
                    "The agreement requires the corresponding author to be the trainee's first "
                    "or second tutor, but %(names)s is marked as corresponding author."
                ) % {"names": names}
            violations.append(Violation("corresponding_not_tutor", message))
    trainee = [a for a in authors if a.user_id == policy.trainee_id]
    if not trainee:
        violations.append(
            Violation(
                "trainee_not_author",
                _(
                    "The trainee is not linked to any author, so their affiliations cannot be checked."  # noqa: E501
                ),
            )
        )
    elif policy.trainee_lists_both_institutions:
        listed = set().union(*(a.institution_ids for a in trainee))
        missing = [
            name
            for inst, name in (
                (policy.home_id, policy.home_name),
                (policy.host_id, policy.host_name),
            )
            if inst not in listed
        ]
        if missing:
            violations.append(
                Violation(
                    "trainee_affiliations",
                    _(
                        "The agreement requires the trainee to list both the home and the host "
                        "institution as affiliations; missing: %(missing)s."
                    )
                    % {"missing": ", ".join(missing)},
                )
            )
    without_role = [a for a in authors if not a.credit_roles]
    if without_role:
        violations.append(
            Violation(
                "credit_roles",
                _(
                    "Every author needs at least one CRediT contributor role; missing for: %(names)s."  # noqa: E501
                )
                % {"names": ", ".join(f"{a.position}. {a.name}" for a in without_role)},
            )
        )
    return violations
