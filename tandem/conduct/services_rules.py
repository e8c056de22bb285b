"""Every write about the rules: regulations, their articles and versions, and committees — by
the coordinators of the institution that applies them."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.conduct import permissions, selectors
from tandem.conduct.models import (
    Article,
    ArticleVersion,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Regulation,
)
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.institutions.models import Institution


def _days(value: Any, name: str, errors: dict[str, list[str]]) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 60:
        errors[name] = [_("Give a whole number of working days from 1 to 60.")]
    return number


def _require_rules(actor: User, institution_id: int) -> None:
    if not permissions.can_manage_rules(actor, institution_id):
        raise PermissionDenied(
            _("Only the institution's coordinators record its regulations and committees.")
        )


@transaction.atomic
def regulation_create(
    *,
    actor: User,
    institution: Institution,
    title: str,
    title_zh: str,
    response_days: Any = 5,
    appeal_days: Any = 10,
) -> Regulation:
    _require_rules(actor, institution.pk)
    errors: dict[str, list[str]] = {}
    title, title_zh = (title or "").strip(), (title_zh or "").strip()
    if not title:
        errors["title"] = [_("Give the regulation's title in English.")]
    if not title_zh:
        errors["title_zh"] = [_("Give the regulation's title in Chinese.")]
    response = _days(response_days, "response_days", errors)
    appeal = _days(appeal_days, "appeal_days", errors)
    if errors:
        raise ValidationError(errors)
    regulation = Regulation(
        institution=institution,
        title=title,
        title_zh=title_zh,
        response_days=response,
        appeal_days=appeal,
        created_by=actor,
    )
    regulation.full_clean()
    regulation.save()
    audit_record(actor=actor, action="conduct_regulation.create", target=regulation)
    return regulation


@transaction.atomic
def article_version_add(
    *,
    actor: User,
    regulation: Regulation,
    number: str,
    text: str,
    text_zh: str,
    effective_from: datetime.date | None,
) -> ArticleVersion:
    """A new article, or a new version of an existing one (by its number): the version in
    force before it ends the day before the new one starts."""
    _require_rules(actor, regulation.institution_id)
    errors: dict[str, list[str]] = {}
    number, text, text_zh = (number or "").strip(), (text or "").strip(), (text_zh or "").strip()
    if not number:
        errors["number"] = [_("Give the article's number.")]
    if not text:
        errors["text"] = [_("Give the article's text in English.")]
    if not text_zh:
        errors["text_zh"] = [_("Give the article's text in Chinese.")]
    if effective_from is None:
        errors["effective_from"] = [_("Give the date from which this text is in force.")]
    if errors:
        raise ValidationError(errors)
    assert effective_from is not None
    article, _created = Article.objects.select_for_update().get_or_create(
        regulation=regulation, number=number
    )
    previous = article.versions.order_by("-version").first()
    if previous is not None:
        if effective_from <= previous.effective_from:
            raise field_error(
                "effective_from",
                _("A new version must start after the current one (in force from %(date)s).")
                % {"date": previous.effective_from.isoformat()},
            )
        if previous.effective_until is None or previous.effective_until >= effective_from:
            previous.effective_until = effective_from - datetime.timedelta(days=1)
            previous.full_clean()
            previous.save(update_fields=["effective_until"])
    version = ArticleVersion(
        article=article,
        version=(previous.version + 1) if previous else 1,
        text=text,
        text_zh=text_zh,
        effective_from=effective_from,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    audit_record(
        actor=actor,
        action="conduct_article.version",
        target=regulation,
        changes={"article": [None, number], "version": [None, version.version]},
    )
    return version


@transaction.atomic
def article_repeal(
    *, actor: User, article: Article, effective_until: datetime.date | None
) -> ArticleVersion:
    """The article's last version is in force until (and including) `effective_until`."""
    _require_rules(actor, article.regulation.institution_id)
    version = article.versions.select_for_update().order_by("-version").first()
    if version is None:
        raise ValidationError(_("This article has no text to repeal."))
    if effective_until is None or effective_until < version.effective_from:
        raise field_error(
            "effective_until",
            _("The last day in force must be on or after %(date)s.")
            % {"date": version.effective_from.isoformat()},
        )
    version.effective_until = effective_until
    version.full_clean()
    version.save(update_fields=["effective_until"])
    audit_record(
        actor=actor,
        action="conduct_article.repeal",
        target=article.regulation,
        changes={"article": [article.number, None]},
    )
    return version


@transaction.atomic
def committee_create(
    *, actor: User, institution: Institution, kind: str, name: str, name_zh: str
) -> Committee:
    _require_rules(actor, institution.pk)
    errors: dict[str, list[str]] = {}
    name, name_zh = (name or "").strip(), (name_zh or "").strip()
    if kind not in CommitteeKind.values:
        errors["kind"] = [_("Choose a discipline committee or an appeal body.")]
    if not name:
        errors["name"] = [_("Give the committee's name in English.")]
    if not name_zh:
        errors["name_zh"] = [_("Give the committee's name in Chinese.")]
    if errors:
        raise ValidationError(errors)
    committee = Committee(institution=institution, kind=kind, name=name, name_zh=name_zh)
    committee.full_clean()
    committee.save()
    audit_record(actor=actor, action="conduct_committee.create", target=committee)
    return committee


@transaction.atomic
def committee_member_add(*, actor: User, committee: Committee, user: User) -> CommitteeMember:
    _require_rules(actor, committee.institution_id)
    if not selectors.member_candidates(committee.institution).filter(pk=user.pk).exists():
        raise field_error(
            "user", _("A committee member must be a staff member of the institution.")
        )
    if CommitteeMember.objects.filter(committee=committee, user=user).exists():
        raise field_error("user", _("This person is already a member."))
    member = CommitteeMember(committee=committee, user=user)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="conduct_committee.member_add",
        target=committee,
        changes={"member": [None, user]},
    )
    return member


@transaction.atomic
def committee_member_remove(*, actor: User, committee: Committee, user: User) -> None:
    _require_rules(actor, committee.institution_id)
    deleted, _rows = CommitteeMember.objects.filter(committee=committee, user=user).delete()
    if not deleted:
        raise field_error("user", _("This person is not a member."))
    audit_record(
        actor=actor,
        action="conduct_committee.member_remove",
        target=committee,
        changes={"member": [user, None]},
    )
