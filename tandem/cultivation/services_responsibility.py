"""Every write about the division of responsibilities between a trainee's two tutors.

An agreement supplies the template (the standard items until its coordinators edit it); each
pair divides the items between the experimental and the theoretical tutor, and both current
tutors sign. Any change of the division or of the pair clears the signatures, so "complete"
always means: both tutors present and both signed what is written now.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.agreements.models import Agreement
from tandem.core.audit import audit_record
from tandem.core.audit_labels import choice, generated
from tandem.cultivation import permissions
from tandem.cultivation.models import (
    JointCultivation,
    ResponsibilityKey,
    ResponsibilityShare,
    ResponsibilitySignature,
    ResponsibilityTemplateItem,
    TutorRole,
)
from tandem.cultivation.selectors import current_tutors
from tandem.cultivation.services import lock_cultivation
from tandem.cultivation.services_tutor import clear_signatures

MAX_ITEMS = 30


def _clean_items(items: list[dict[str, Any]], *, with_role: bool) -> list[dict[str, Any]]:
    errors: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    if not items:
        errors["items"] = [_("Keep at least one item.")]
    if len(items) > MAX_ITEMS:
        errors["items"] = [_("At most %(n)s items.") % {"n": MAX_ITEMS}]
    for index, item in enumerate(items):
        key = (item.get("key") or "").strip()
        title = (item.get("title") or "").strip()
        if key and key not in ResponsibilityKey.values:
            errors.setdefault(f"items[{index}].key", []).append(_("Unknown standard item."))
        if not key and not title:
            errors.setdefault(f"items[{index}].title", []).append(_("Give the item's wording."))
        if len(title) > 200:
            errors.setdefault(f"items[{index}].title", []).append(_("At most 200 characters."))
        ident = (title or key).casefold()
        if ident and ident in seen:
            errors.setdefault(f"items[{index}].title", []).append(_("This item is listed twice."))
        seen.add(ident)
        row = {"key": key, "title": title}
        if with_role:
            role = item.get("role") or ""
            if role not in TutorRole.values:
                errors.setdefault(f"items[{index}].role", []).append(
                    _("Assign the item to the experimental or the theoretical tutor.")
                )
            row["role"] = role
        cleaned.append(row)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def responsibility_template_update(
    *, actor: User, agreement: Agreement, items: list[dict[str, Any]]
) -> list[ResponsibilityTemplateItem]:
    """Replace an agreement's template. Divisions already made keep their own wording."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    party_ids = set(agreement.parties.values_list("institution_id", flat=True))
    if not permissions.can_edit_template(actor, party_ids):
        raise PermissionDenied(_("Only a coordinator of a party can edit the template."))
    cleaned = _clean_items(items, with_role=False)
    before = [_item(item.key, item.title) for item in agreement.responsibility_items.all()]
    agreement.responsibility_items.all().delete()
    saved = []
    for position, row in enumerate(cleaned):
        item = ResponsibilityTemplateItem(agreement=agreement, position=position, **row)
        item.full_clean()
        item.save()
        saved.append(item)
    audit_record(
        actor=actor,
        action="cultivation.responsibility_template_update",
        target=agreement,
        changes={"responsibility_items": [before, [_item(item.key, item.title) for item in saved]]},
    )
    return saved


@transaction.atomic
def responsibilities_divide(
    *, actor: User, cultivation: JointCultivation, items: list[dict[str, Any]]
) -> list[ResponsibilityShare]:
    """Write the pair's division: every item held by one tutor role. A change clears the
    signatures; saving the same division again keeps them."""
    cultivation = lock_cultivation(cultivation)
    pair = current_tutors(cultivation)
    if not permissions.can_manage_cultivation(actor, cultivation) and (
        permissions.current_assignment_of(actor, pair) is None
    ):
        raise PermissionDenied(
            _(
                "Only the trainee's tutors or a coordinator of the home or "
                "the host can divide the responsibilities."
            )
        )
    if not permissions.is_open(cultivation):
        raise ValidationError(
            _(
                "The joint cultivation is finished; its division of "
                "responsibilities can no longer change."
            )
        )
    cleaned = _clean_items(items, with_role=True)
    existing = [
        {"key": s.key, "title": s.title, "role": s.role} for s in cultivation.responsibilities.all()
    ]
    if existing == cleaned:
        return list(cultivation.responsibilities.all())
    cultivation.responsibilities.all().delete()
    saved = []
    for position, row in enumerate(cleaned):
        share = ResponsibilityShare(cultivation=cultivation, position=position, **row)
        share.full_clean()
        share.save()
        saved.append(share)
    signatures_cleared = clear_signatures(cultivation)
    audit_record(
        actor=actor,
        action="cultivation.responsibilities_divide",
        target=cultivation,
        changes={
            "responsibilities": [
                [_held_by(r["key"], r["title"], r["role"]) for r in existing],
                [_held_by(s.key, s.title, s.role) for s in saved],
            ],
            **({"signatures": ["cleared", None]} if signatures_cleared else {}),
        },
    )
    return saved


def _item(key: str, title: str) -> Any:
    """An item as the history records it: its own title, or the code of a standard item
    (worded in the reader's language when shown)."""
    return title or choice("responsibility", key)


def _held_by(key: str, title: str, role: str) -> dict[str, Any]:
    return generated(
        "responsibility_held_by", {"item": _item(key, title), "role": choice("tutor_role", role)}
    )


@transaction.atomic
def responsibilities_sign(*, actor: User, cultivation: JointCultivation) -> ResponsibilitySignature:
    """A current tutor signs the division as it is written now."""
    cultivation = lock_cultivation(cultivation)
    pair = current_tutors(cultivation)
    assignment = permissions.current_assignment_of(actor, pair)
    if assignment is None:
        raise PermissionDenied(_("Only the trainee's current tutors sign the division."))
    if not permissions.is_open(cultivation):
        raise ValidationError(_("The joint cultivation is finished."))
    if not cultivation.responsibilities.exists():
        raise ValidationError(_("Divide the responsibilities before signing."))
    if ResponsibilitySignature.objects.filter(assignment=assignment).exists():
        raise ValidationError(_("You have already signed this division."))
    signature = ResponsibilitySignature(cultivation=cultivation, assignment=assignment)
    signature.full_clean()
    signature.save()
    audit_record(
        actor=actor,
        action="cultivation.responsibilities_sign",
        target=cultivation,
        changes={
            "signed_by": [
                None,
                generated(
                    "person_in_role",
                    {"person": str(actor), "role": choice("tutor_role", assignment.role)},
                ),
            ]
        },
    )
    return signature
