"""Every write about publications: recording (by hand or from files), correcting, waiving a
policy violation and confirming.

After every change the authorship policy of the cultivation's agreement is checked again and
the result stored on the publication; a change of the authors or the bibliographic data clears
the waiver and the tutors' confirmations, which were given for what was there before.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core.audit import audit_record, diff, snapshot
from tandem.core.audit_labels import choice, generated
from tandem.core.errors import field_error
from tandem.cultivation.models import JointCultivation
from tandem.cultivation.selectors import current_tutors, tutors_in_force_on
from tandem.institutions.models import Institution
from tandem.publications import importers, permissions, rules
from tandem.publications.models import (
    CreditRole,
    Publication,
    PublicationAuthor,
    PublicationSource,
    TutorConfirmation,
)

BIB_FIELDS = ("title", "journal", "year", "volume", "issue", "pages", "doi", "submitted_on")
AUDIT_FIELDS = (
    *BIB_FIELDS,
    "source",
    "violations",
    "compliant",
    "waiver_reason",
    "waiver_home_by",
    "waiver_host_by",
)


def _state(publication: Publication) -> dict[str, Any]:
    state = snapshot(publication, AUDIT_FIELDS)
    # The CRediT roles as codes, worded in the reader's language when the history is shown.
    state["authors"] = [
        generated(
            "publication.author",
            {
                "position": a.position,
                "name": a.name + (" *" if a.is_corresponding else ""),
                "roles": [choice("credit_role", role) for role in a.credit_roles],
                "institutions": "; ".join(str(i) for i in a.institutions.all()),
            },
        )
        for a in publication.authors.prefetch_related("institutions").order_by("position")
    ]
    return state


def policy_facts(
    cultivation: JointCultivation, judged_on: datetime.date | None = None
) -> rules.PolicyFacts:
    """The agreement's rule and the tutor pair in force on `judged_on` (the publication's
    submission): a tutor replaced later, or a pair ended by termination, still counts for the
    papers of their period. Without a day, the current pair."""
    pair = (
        current_tutors(cultivation)
        if judged_on is None
        else tutors_in_force_on(cultivation, judged_on)
    )
    agreement = cultivation.agreement
    first, second = pair.get("experimental"), pair.get("theoretical")
    return rules.PolicyFacts(
        corresponding_author_rule=agreement.corresponding_author_rule,
        trainee_lists_both_institutions=agreement.trainee_lists_both_institutions,
        trainee_id=cultivation.trainee_id,
        home_id=cultivation.home_id,
        host_id=cultivation.host_id,
        home_name=str(cultivation.home),
        host_name=str(cultivation.host),
        first_tutor_id=first.tutor_id if first else None,
        second_tutor_id=second.tutor_id if second else None,
    )


def author_facts(publication: Publication) -> list[rules.AuthorFacts]:
    return [
        rules.AuthorFacts(
            position=a.position,
            name=a.name,
            user_id=a.user_id,
            institution_ids=frozenset(i.pk for i in a.institutions.all()),
            is_corresponding=a.is_corresponding,
            credit_roles=tuple(a.credit_roles),
        )
        for a in publication.authors.prefetch_related("institutions").order_by("position")
    ]


def publication_violations(publication: Publication) -> list[rules.Violation]:
    """The violations as they stand now, with explanations in the reader's language."""
    return rules.check(
        policy_facts(publication.cultivation, publication.judged_on), author_facts(publication)
    )


def _evaluate(publication: Publication) -> None:
    codes = [v.code for v in publication_violations(publication)]
    publication.violations = codes
    publication.compliant = not codes or publication.is_waived
    publication.save(update_fields=["violations", "compliant"])


def _clean_authors(authors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not authors:
        raise field_error("authors", _("A publication has at least one author."))
    cleaned, problems = [], []
    for position, row in enumerate(authors, start=1):
        name = (row.get("name") or "").strip()
        if not name:
            problems.append(_("Author %(n)s: the name is missing.") % {"n": position})
        if len(name) > 200:
            problems.append(_("Author %(n)s: the name is too long.") % {"n": position})
        roles = list(dict.fromkeys(row.get("credit_roles") or []))
        unknown = [r for r in roles if r not in CreditRole.values]
        if unknown:
            problems.append(
                _("Author %(n)s: unknown CRediT role(s): %(roles)s.")
                % {"n": position, "roles": ", ".join(map(str, unknown))}
            )
        institutions = []
        for item in row.get("institutions") or []:
            institution = (
                item
                if isinstance(item, Institution)
                else (Institution.objects.filter(pk=item).first())
            )
            if institution is None:
                problems.append(
                    _("Author %(n)s: unknown institution %(id)s.") % {"n": position, "id": item}
                )
            else:
                institutions.append(institution)
        user = row.get("user")
        if user is not None and not isinstance(user, User):
            user = User.objects.filter(pk=user).first()
            if user is None:
                problems.append(_("Author %(n)s: unknown person.") % {"n": position})
        cleaned.append(
            {
                "position": position,
                "name": name,
                "user": user,
                "institutions": institutions,
                "affiliation_text": (row.get("affiliation_text") or "").strip(),
                "is_corresponding": bool(row.get("is_corresponding")),
                "credit_roles": roles,
            }
        )
    if problems:
        raise ValidationError({"authors": problems})
    return cleaned


def _save_authors(publication: Publication, authors: list[dict[str, Any]]) -> None:
    publication.authors.all().delete()
    for row in authors:
        author = PublicationAuthor(
            publication=publication,
            position=row["position"],
            name=row["name"],
            user=row["user"],
            affiliation_text=row["affiliation_text"],
            is_corresponding=row["is_corresponding"],
            credit_roles=row["credit_roles"],
        )
        author.full_clean(exclude=["publication"])
        author.save()
        author.institutions.set(row["institutions"])


def _apply_bib(publication: Publication, data: dict[str, Any]) -> None:
    for field in BIB_FIELDS:
        value = data.get(field)
        setattr(publication, field, value.strip() if isinstance(value, str) else value)
    publication.journal = publication.journal or ""
    if publication.submitted_on and publication.submitted_on > timezone.localdate():
        raise field_error("submitted_on", _("The submission date cannot be in the future."))
    for field in ("volume", "issue", "pages", "doi"):
        setattr(publication, field, getattr(publication, field) or "")
    duplicate = Publication.objects.filter(
        cultivation_id=publication.cultivation_id, doi=publication.doi
    ).exclude(pk=publication.pk)
    if publication.doi and duplicate.exists():
        raise field_error("doi", _("This trainee already has a publication with this DOI."))
    publication.full_clean(exclude=["violations", "waived_codes"])


def _require_recorder(actor: User, cultivation: JointCultivation) -> None:
    if not permissions.can_record_publication(actor, cultivation, current_tutors(cultivation)):
        raise PermissionDenied(
            _("Only the trainee, their tutors and the coordinators record publications.")
        )


@transaction.atomic
def publication_record(
    *,
    actor: User,
    cultivation: JointCultivation,
    authors: list[dict[str, Any]],
    source: str = PublicationSource.MANUAL,
    **bibliographic: Any,
) -> Publication:
    """Record a publication of a joint trainee with its authors in order."""
    _require_recorder(actor, cultivation)
    unknown = sorted(set(bibliographic) - set(BIB_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be set on a publication."))
    publication = Publication(cultivation=cultivation, created_by=actor, source=source)
    _apply_bib(publication, bibliographic)
    cleaned = _clean_authors(authors)
    publication.save()
    _save_authors(publication, cleaned)
    _evaluate(publication)
    audit_record(
        actor=actor,
        action="publication.record",
        target=publication,
        changes=diff({}, _state(publication)),
    )
    return publication


@transaction.atomic
def publication_update(
    *, actor: User, publication: Publication, authors: list[dict[str, Any]], **bibliographic: Any
) -> Publication:
    """Correct a publication; the waiver and the confirmations start again."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("cultivation__agreement", "cultivation__home", "cultivation__host")
        .get(pk=publication.pk)
    )
    _require_recorder(actor, publication.cultivation)
    unknown = sorted(set(bibliographic) - set(BIB_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be set on a publication."))
    before = _state(publication)
    _apply_bib(publication, bibliographic)
    cleaned = _clean_authors(authors)
    publication.waiver_reason, publication.waived_codes = "", []
    publication.waiver_home_by = publication.waiver_host_by = None
    publication.waiver_home_at = publication.waiver_host_at = None
    publication.save()
    _save_authors(publication, cleaned)
    publication.confirmations.all().delete()
    _evaluate(publication)
    audit_record(
        actor=actor,
        action="publication.update",
        target=publication,
        changes=diff(before, _state(publication)),
    )
    return publication


def _normal(name: str) -> str:
    return "".join(sorted(name.lower().replace(".", " ").replace("-", " ").split()))


def _people_of(cultivation: JointCultivation) -> dict[str, User]:
    """The trainee and the current tutors by normalised name, to link imported authors."""
    people = [cultivation.trainee, *(a.tutor for a in current_tutors(cultivation).values())]
    known: dict[str, User] = {}
    for person in people:
        for name in (person.full_name, person.get_full_name()):
            if name:
                known[_normal(name)] = person
    return known


@transaction.atomic
def publication_import(
    *, actor: User, cultivation: JointCultivation, kind: str, text: str
) -> list[Publication]:
    """Import every record of a BibTeX, RIS or CSL-JSON file, or none: any bad record refuses
    the whole file with a message naming each bad entry or line."""
    _require_recorder(actor, cultivation)
    if kind not in importers.PARSERS:
        raise field_error("kind", _("Choose BibTeX, RIS or CSL-JSON."))
    try:
        records = importers.parse(kind, text)
    except importers.ImportProblems as exc:
        raise ValidationError({"file": exc.problems}) from None
    known = _people_of(cultivation)
    created, problems = [], []
    for record in records:
        authors = [{"name": name, "user": known.get(_normal(name))} for name in record.authors]
        try:
            with transaction.atomic():
                created.append(
                    publication_record(
                        actor=actor,
                        cultivation=cultivation,
                        authors=authors,
                        source=kind,
                        title=record.title[:500],
                        journal=record.journal[:300],
                        year=record.year,
                        doi=record.doi,
                        volume=record.volume[:40],
                        issue=record.issue[:40],
                        pages=record.pages[:40],
                    )
                )
        except ValidationError as exc:
            messages = [m for msgs in exc.message_dict.values() for m in msgs]
            problems.append(f"{record.where}: {' '.join(messages)}")
    if problems:
        raise ValidationError({"file": problems})
    return created


@transaction.atomic
def publication_waive(
    *, actor: User, publication: Publication, reason: str, institution: int | None = None
) -> Publication:
    """A coordinator of the home or the host waives the current violations for their side,
    with a reason; the publication counts as compliant once both sides have waived."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("cultivation__agreement", "cultivation__home", "cultivation__host")
        .get(pk=publication.pk)
    )
    if not permissions.may_waive_as_side(actor, publication):
        raise PermissionDenied(
            _("Only the coordinators of the trainee's home and host waive a violation.")
        )
    _evaluate(publication)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the violation is acceptable."))
    if not publication.violations:
        raise ValidationError(_("This publication breaks no rule; there is nothing to waive."))
    pending = permissions.sides_user_may_waive(actor, publication)
    if institution is not None:
        pending &= {getattr(institution, "pk", institution)}
    if not pending:
        raise ValidationError(_("You have already waived these violations."))
    before = _state(publication)
    if set(publication.waived_codes) != set(publication.violations):
        # New violations since the last waiver: both sides decide again.
        publication.waiver_home_by = publication.waiver_host_by = None
        publication.waiver_home_at = publication.waiver_host_at = None
    publication.waived_codes = list(publication.violations)
    publication.waiver_reason = "\n".join(filter(None, [publication.waiver_reason, reason]))
    now = timezone.now()
    if publication.cultivation.home_id in pending:
        publication.waiver_home_by, publication.waiver_home_at = actor, now
    if publication.cultivation.host_id in pending:
        publication.waiver_host_by, publication.waiver_host_at = actor, now
    publication.full_clean()
    publication.save()
    _evaluate(publication)
    audit_record(
        actor=actor,
        action="publication.waive",
        target=publication,
        changes=diff(before, _state(publication)),
        reason=reason,
    )
    return publication


@transaction.atomic
def publication_confirm(*, actor: User, publication: Publication) -> TutorConfirmation:
    """A current tutor confirms the publication as recorded, once it meets the policy."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .select_related("cultivation__agreement", "cultivation__home", "cultivation__host")
        .get(pk=publication.pk)
    )
    pair = current_tutors(publication.cultivation)
    if not permissions.is_current_tutor(actor, pair):
        raise PermissionDenied(_("Only the trainee's current tutors confirm publications."))
    role = permissions.confirming_role(actor, publication, pair)
    if role is None:
        raise ValidationError(_("You have already confirmed this publication."))
    _evaluate(publication)
    if not publication.compliant:
        raise ValidationError(
            _(
                "The publication breaks the agreement's authorship policy; correct it or ask both "
                "coordinators to waive the violation before confirming."
            )
        )
    confirmation = TutorConfirmation(publication=publication, tutor=actor, role=role)
    confirmation.full_clean()
    confirmation.save()
    audit_record(
        actor=actor,
        action="publication.confirm",
        target=publication,
        changes={
            "confirmed_by": [
                None,
                generated(
                    "person_in_role", {"person": str(actor), "role": choice("tutor_role", role)}
                ),
            ]
        },
    )
    return confirmation
