"""Every write about evaluation templates, rounds and their pairs.

A template that has been put to use (a round uses it) is never edited in place: editing makes
the next version and the old one keeps its rounds, pairs and answers. Opening a round generates
every evaluator → target pair from the population, written as plain rows in bulk (`bulk.py`,
decision 090; docs/benchmarks.md).
Answering is in `services_respond.py`.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.agreements.models import Agreement
from tandem.core import tenancy
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.evaluations import bulk, panel, permissions, rules, selectors
from tandem.evaluations.models import (
    EvaluationPair,
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    PairStatus,
    PopulationKind,
    Relationship,
    RoundTemplate,
    TemplateItem,
    TemplateSection,
)
from tandem.institutions.models import Institution

PEERS_PER_TRAINEE = 2


# --- templates ------------------------------------------------------------------------------


def _prefixed(prefix: str, exc: ValidationError) -> dict[str, list[str]]:
    return {f"{prefix}.{key}": list(msgs) for key, msgs in exc.message_dict.items()}


def _control_characters(value: Any) -> bool:
    """A NUL byte, which PostgreSQL cannot store (in text or JSON)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_control_characters(v) for v in value.values())
    if isinstance(value, list):
        return any(_control_characters(v) for v in value)
    return False


def _write_sections(template: EvaluationTemplate, sections: list[dict[str, Any]]) -> int:
    """Check every section and item first, collecting every error under the name of its place
    (`sections.1.items.0.code`), then write; the caller's transaction drops the template if
    anything is wrong, so nothing is half-saved."""
    if not sections:
        raise field_error("sections", _("A template needs at least one section with items."))
    errors: dict[str, list[str]] = {}
    built: list[tuple[TemplateSection, list[TemplateItem]]] = []
    codes: dict[str, str] = {}
    for s_index, data in enumerate(sections):
        where = f"sections.{s_index}"
        if _control_characters(data):
            errors[where] = [_("Remove the control characters (such as NUL) from this section.")]
            continue
        section = TemplateSection(
            template=template,
            position=s_index,
            title=(data.get("title") or "").strip(),
            title_zh=(data.get("title_zh") or "").strip(),
        )
        try:
            section.full_clean(exclude=["template"])
        except ValidationError as exc:
            errors.update(_prefixed(where, exc))
        items: list[TemplateItem] = []
        if not data.get("items"):
            errors[f"{where}.items"] = [_("Every section needs at least one item.")]
        for i_index, item_data in enumerate(data.get("items") or []):
            field = f"{where}.items.{i_index}"
            kind = item_data.get("kind", "")
            options = list(item_data.get("options") or [])
            if kind not in ItemKind.values:
                errors[f"{field}.kind"] = [_("Choose a kind of item.")]
            else:
                try:
                    rules.check_item(kind, options, f"{field}.options")
                except ValidationError as exc:
                    errors.update(exc.message_dict)
            item = TemplateItem(
                template=template,
                position=i_index,
                code=(item_data.get("code") or "").strip(),
                kind=kind,
                prompt=(item_data.get("prompt") or "").strip(),
                prompt_zh=(item_data.get("prompt_zh") or "").strip(),
                options=options if kind in rules.SCALED_KINDS else [],
                is_required=bool(item_data.get("is_required", True)),
                allows_not_observed=bool(item_data.get("allows_not_observed", False)),
            )
            try:
                item.full_clean(exclude=["template", "section", "kind", "options"])
            except ValidationError as exc:
                errors.update(_prefixed(field, exc))
            if item.code:
                if item.code in codes:
                    errors.setdefault(f"{field}.code", []).append(
                        _("The code “%(code)s” is already used by %(other)s.")
                        % {"code": item.code, "other": codes[item.code]}
                    )
                else:
                    codes[item.code] = _("section %(s)s, item %(i)s") % {
                        "s": s_index + 1,
                        "i": i_index + 1,
                    }
            items.append(item)
        built.append((section, items))
    if errors:
        raise ValidationError(errors)
    to_create: list[TemplateItem] = []
    for section, items in built:
        section.save()
        for item in items:
            item.section = section
            to_create.append(item)
    TemplateItem.objects.bulk_create(to_create)
    return len(to_create)


def _apply_fields(template: EvaluationTemplate, fields: dict[str, Any]) -> None:
    for name in ("title", "title_zh", "instructions", "instructions_zh", "relationship"):
        if _control_characters(fields.get(name)):
            raise field_error(name, _("Remove the control characters (such as NUL)."))
    for name in ("title", "title_zh", "instructions", "instructions_zh"):
        setattr(template, name, (fields.get(name) or "").strip())
    template.relationship = fields.get("relationship", "")
    template.is_anonymous = bool(fields.get("is_anonymous", False))


@transaction.atomic
def template_create(
    *,
    actor: User,
    institution: Institution | None,
    title: str,
    relationship: str,
    sections: list[dict[str, Any]],
    title_zh: str = "",
    instructions: str = "",
    instructions_zh: str = "",
    is_anonymous: bool = False,
) -> EvaluationTemplate:
    if not permissions.can_create_template(actor, institution.pk if institution else None):
        raise PermissionDenied(_("Only a coordinator of the institution can create its templates."))
    template = EvaluationTemplate(institution=institution, created_by=actor)
    _apply_fields(template, locals())
    template.full_clean(exclude=["family"])
    template.save()
    count = _write_sections(template, sections)
    audit_record(
        actor=actor,
        action="evaluations.template_create",
        target=template,
        changes={"title": template.title, "version": 1, "items": count},
    )
    return template


def template_in_use(template: EvaluationTemplate) -> bool:
    return RoundTemplate.objects.filter(template=template).exists()


@transaction.atomic
def template_edit(
    *,
    actor: User,
    template: EvaluationTemplate,
    title: str,
    relationship: str,
    sections: list[dict[str, Any]],
    title_zh: str = "",
    instructions: str = "",
    instructions_zh: str = "",
    is_anonymous: bool = False,
) -> EvaluationTemplate:
    """Edit a template; once a round uses it, the edit becomes its next version (returned)."""
    template = EvaluationTemplate.objects.select_for_update().get(pk=template.pk)
    if not permissions.can_manage_template(actor, template):
        raise PermissionDenied(_("You cannot edit this template."))
    fields = locals()
    if template_in_use(template):
        EvaluationTemplate.objects.filter(pk=template.pk).update(is_current=False)
        edited = EvaluationTemplate(
            family=template.family,
            version=template.version + 1,
            institution=template.institution,
            created_by=actor,
        )
    else:
        edited = template
        edited.sections.all().delete()
    _apply_fields(edited, fields)
    edited.full_clean(exclude=["family"])
    edited.save()
    count = _write_sections(edited, sections)
    audit_record(
        actor=actor,
        action="evaluations.template_edit",
        target=edited,
        changes={"title": edited.title, "version": edited.version, "items": count},
    )
    return edited


@transaction.atomic
def template_duplicate(
    *,
    actor: User,
    template: EvaluationTemplate,
    institution: Institution | None,
    title: str = "",
    title_zh: str = "",
) -> EvaluationTemplate:
    """Copy a version as the first version of a new family (kept by `institution`), for
    instance to start from a seeded template."""
    if template.pk not in set(
        selectors.templates_visible_to(actor).filter(pk=template.pk).values_list("pk", flat=True)
    ):
        raise PermissionDenied(_("You cannot copy this template."))
    copy = template_create(
        actor=actor,
        institution=institution,
        title=(title or "").strip() or _("%(title)s (copy)") % {"title": template.title},
        title_zh=(title_zh or "").strip()
        or (f"{template.title_zh}（副本）" if template.title_zh else ""),
        instructions=template.instructions,
        instructions_zh=template.instructions_zh,
        relationship=template.relationship,
        is_anonymous=template.is_anonymous,
        sections=selectors.template_sections(template),
    )
    audit_record(
        actor=actor,
        action="evaluations.template_duplicate",
        target=copy,
        changes={"copied_from": str(template), "version": copy.version},
    )
    return copy


def _set_retired(actor: User, template: EvaluationTemplate, retire: bool) -> EvaluationTemplate:
    locked = EvaluationTemplate.objects.select_for_update().get(pk=template.pk)
    if not permissions.can_manage_template(actor, locked):
        raise PermissionDenied(_("You cannot change this template."))
    if (locked.retired_at is not None) == retire:
        message = (
            _("This template is already retired.") if retire else _("This template is not retired.")
        )
        raise field_error("retired", message)
    locked.retired_at = timezone.now() if retire else None
    locked.save(update_fields=["retired_at"])
    audit_record(
        actor=actor,
        action="evaluations.template_retire" if retire else "evaluations.template_restore",
        target=locked,
        changes={"retired": [not retire, retire]},
    )
    return locked


@transaction.atomic
def template_retire(*, actor: User, template: EvaluationTemplate) -> EvaluationTemplate:
    """No longer offer the template for new rounds; the rounds that use it keep it."""
    return _set_retired(actor, template, True)


@transaction.atomic
def template_restore(*, actor: User, template: EvaluationTemplate) -> EvaluationTemplate:
    return _set_retired(actor, template, False)


# --- rounds and their pairs -----------------------------------------------------------------

PairKey = tuple[int, int | None, int | None]  # evaluator, target person, target institution


def _generate(
    relationship: str,
    trainees: list[tuple[int, int, int]],
    tutors: list[tuple[int, int, int]],
) -> dict[PairKey, int]:
    """{(evaluator, target person, target institution): evaluator's institution}."""
    pairs: dict[PairKey, int] = {}
    home = {trainee: home_id for trainee, home_id, _host in trainees}
    if relationship == Relationship.TRAINEE_TUTOR:
        for trainee, tutor, _inst in tutors:
            pairs[(trainee, tutor, None)] = home[trainee]
    elif relationship == Relationship.TUTOR_TRAINEE:
        for trainee, tutor, inst in tutors:
            pairs[(tutor, trainee, None)] = inst
    elif relationship == Relationship.TRAINEE_HOST:
        for trainee, home_id, host_id in trainees:
            pairs[(trainee, None, host_id)] = home_id
    elif relationship == Relationship.SELF:
        for trainee, home_id, _host in trainees:
            pairs[(trainee, trainee, None)] = home_id
    elif relationship == Relationship.PEER:
        by_host: dict[int, list[int]] = defaultdict(list)
        for trainee, _home, host_id in trainees:
            by_host[host_id].append(trainee)
        for group in by_host.values():
            size = len(group)
            for index, trainee in enumerate(group):
                for step in range(1, min(PEERS_PER_TRAINEE, size - 1) + 1):
                    pairs[(trainee, group[(index + step) % size], None)] = home[trainee]
    return pairs


# The columns a generated pair is written with (decision 090): every field but the id, the
# Python-side defaults (status, submitted_at, withdrawn_reason) spelled out.
PAIR_FIELDS = (
    "round",
    "relationship",
    "template",
    "evaluator",
    "target_user",
    "target_institution",
    "institution",
    "due_on",
    "status",
    "submitted_at",
    "withdrawn_reason",
)


def _pair_row(
    round_: EvaluationRound,
    relationship: str,
    template: EvaluationTemplate,
    key: PairKey,
    evaluator_institution: int,
) -> tuple[Any, ...]:
    """One pair as a plain row, checked as `full_clean` would check it (one target, every
    required id present); the database checks the uniqueness and the foreign keys."""
    evaluator, person, place = key
    if not evaluator or not evaluator_institution or (person is None) == (place is None):
        raise ValidationError(
            _("A generated evaluation has no evaluator or not exactly one target.")
        )
    return (
        round_.pk,
        relationship,
        template.pk,
        evaluator,
        person,
        place,
        evaluator_institution,
        round_.due_on,
        PairStatus.PENDING.value,
        None,
        "",
    )


def _check_population(
    actor: User,
    institution: Institution,
    population: str,
    agreement: Agreement | None,
    cohort: int | None,
) -> None:
    if population not in PopulationKind.values:
        raise field_error("population", _("Choose a population."))
    if population == PopulationKind.AGREEMENT:
        if agreement is None:
            raise field_error("agreement", _("Choose the agreement whose trainees are evaluated."))
        if not agreement.parties.filter(institution=institution).exists():
            raise field_error(
                "agreement", _("The institution running the round must be a party to it.")
            )
    if population == PopulationKind.CONSORTIUM and not tenancy.is_consortium_admin(actor):
        raise field_error(
            "population", _("Only a consortium admin can evaluate the whole consortium.")
        )
    if population == PopulationKind.COHORT and not cohort:
        raise field_error("cohort", _("Give the cohort (year of entry)."))


@transaction.atomic
def round_open(
    *,
    actor: User,
    institution: Institution,
    title: str,
    population: str,
    opens_on: datetime.date,
    due_on: datetime.date,
    templates: dict[str, EvaluationTemplate],
    agreement: Agreement | None = None,
    cohort: int | None = None,
    title_zh: str = "",
    evaluators: Iterable[User] | None = None,
) -> EvaluationRound:
    """Open a round and generate its pairs: `templates` maps a relationship to the template
    version used for it; `evaluators`, the assigned evaluators (`panel.py`)."""
    if not permissions.can_open_round(actor, institution.pk):
        raise PermissionDenied(_("Only a coordinator of the institution can open its rounds."))
    _check_population(actor, institution, population, agreement, cohort)
    if not templates:
        raise field_error("templates", _("Choose a template for at least one relationship."))
    usable = set(
        selectors.templates_visible_to(actor)
        .filter(is_current=True, retired_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for relationship, template in templates.items():
        if relationship not in Relationship.values or template.relationship != relationship:
            raise field_error(
                f"template_{relationship}", _("This template is for another relationship.")
            )
        if template.pk not in usable:
            raise field_error(f"template_{relationship}", _("Choose a current template."))
    panel_ids = panel.panel_for(
        institution=institution, relationships=templates, evaluators=evaluators
    )
    round_ = EvaluationRound(
        title=(title or "").strip(),
        title_zh=(title_zh or "").strip(),
        institution=institution,
        population=population,
        agreement=agreement if population == PopulationKind.AGREEMENT else None,
        cohort=cohort if population == PopulationKind.COHORT else None,
        opens_on=opens_on,
        due_on=due_on,
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    RoundTemplate.objects.bulk_create(
        RoundTemplate(round=round_, relationship=rel, template=template)
        for rel, template in templates.items()
    )
    cultivations = selectors.population_cultivations(
        population=population,
        institution_id=institution.pk,
        agreement_id=round_.agreement_id,
        cohort=round_.cohort,
    )
    trainees, tutors = selectors.population_rows(cultivations)
    counts: dict[str, int] = {}
    for relationship, template in sorted(templates.items()):
        if relationship == Relationship.EVALUATOR_TRAINEE:
            generated = panel.panel_pairs(panel_ids, institution.pk, trainees, tutors)
        else:
            generated = _generate(relationship, trainees, tutors)
        counts[relationship] = bulk.write_rows(
            EvaluationPair,
            PAIR_FIELDS,
            (
                _pair_row(round_, relationship, template, key, evaluator_institution)
                for key, evaluator_institution in generated.items()
            ),
        )
    audit_record(
        actor=actor,
        action="evaluations.round_open",
        target=round_,
        changes={
            "title": round_.title,
            "population": round_.get_population_display(),
            "opens_on": opens_on,
            "due_on": due_on,
            "pairs": sum(counts.values()),
            **({"evaluators": len(panel_ids)} if panel_ids else {}),
        },
    )
    return round_


def _lock_pair(actor: User, pair: EvaluationPair) -> EvaluationPair:
    locked = EvaluationPair.objects.select_for_update().select_related("round").get(pk=pair.pk)
    if not permissions.can_change_pair(actor, locked):
        if not permissions.can_manage_round(actor, locked.round):
            raise PermissionDenied(_("Only the coordinators running the round can change it."))
        raise field_error("status", _("Only an evaluation still to do can be changed."))
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give a reason."))
    return reason


@transaction.atomic
def pair_extend(
    *, actor: User, pair: EvaluationPair, due_on: datetime.date, reason: str
) -> EvaluationPair:
    locked = _lock_pair(actor, pair)
    reason = _reason(reason)
    if due_on is None or due_on <= locked.due_on:
        raise field_error("due_on", _("The new due date must be later than the current one."))
    old = locked.due_on
    locked.due_on = due_on
    locked.save(update_fields=["due_on"])
    audit_record(
        actor=actor,
        action="evaluations.pair_extend",
        target=locked,
        changes={"due_on": [old, due_on]},
        reason=reason,
    )
    return locked


@transaction.atomic
def pair_reassign(
    *, actor: User, pair: EvaluationPair, evaluator: User, reason: str
) -> EvaluationPair:
    """Give the pair to another evaluator: the old one's draft goes, the new one starts afresh."""
    locked = _lock_pair(actor, pair)
    reason = _reason(reason)
    if not selectors.reassign_choices_for(actor, locked).filter(pk=evaluator.pk).exists():
        raise field_error("evaluator", _("Choose another person of the round's institutions."))
    if locked.target_user_id == evaluator.pk and locked.relationship != Relationship.SELF:
        raise field_error("evaluator", _("A person cannot evaluate themselves here."))
    old = locked.evaluator
    EvaluationPair.objects.filter(pk=locked.pk).update(status=PairStatus.WITHDRAWN)
    locked.refresh_from_db()
    locked.withdrawn_reason = reason
    locked.save(update_fields=["withdrawn_reason"])
    replacement = EvaluationPair(
        round=locked.round,
        relationship=locked.relationship,
        template=locked.template,
        evaluator=evaluator,
        target_user=locked.target_user,
        target_institution=locked.target_institution,
        institution=locked.institution,
        due_on=locked.due_on,
    )
    try:
        replacement.full_clean()
    except ValidationError:
        raise field_error(
            "evaluator", _("This person already has this evaluation to do.")
        ) from None
    replacement.save()
    audit_record(
        actor=actor,
        action="evaluations.pair_reassign",
        target=replacement,
        changes={"evaluator": [old, evaluator]},
        reason=reason,
    )
    return replacement


@transaction.atomic
def pair_withdraw(*, actor: User, pair: EvaluationPair, reason: str) -> EvaluationPair:
    locked = _lock_pair(actor, pair)
    locked.withdrawn_reason = _reason(reason)
    locked.status = PairStatus.WITHDRAWN
    locked.save(update_fields=["status", "withdrawn_reason"])
    if hasattr(locked, "draft"):
        locked.draft.delete()
    audit_record(
        actor=actor,
        action="evaluations.pair_withdraw",
        target=locked,
        changes={"status": [PairStatus.PENDING, PairStatus.WITHDRAWN]},
        reason=locked.withdrawn_reason,
    )
    return locked
