"""Checking the terms of an agreement before a draft is saved: parties, shares, quotas, form.

Every problem is collected and reported together, each under the name of the field it concerns
(`parties[1].funding_share`, `quotas[0].year`, `form`, …), so a form or an API client can show
them all at once. Nothing here writes.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tandem.accounts.models import Membership, Role
from tandem.agreements.models import AgreementForm, HousingProvider, IpOwner
from tandem.institutions.models import Institution, InstitutionKind

UNIVERSITY_KINDS = {InstitutionKind.UNIVERSITY, InstitutionKind.MEDICAL_COLLEGE}
HUNDRED = Decimal("100")

Errors = dict[str, list[str]]


@dataclass
class PartyTerms:
    institution: Institution
    funding_share: Decimal
    responsibilities: str


@dataclass
class QuotaTerms:
    year: int
    max_trainees: int


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def institution_id(value: Any) -> int | None:
    if isinstance(value, Institution):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_parties(parties: list[dict[str, Any]], errors: Errors) -> list[PartyTerms]:
    """Resolve and check the parties; shares must add up to 100 when any share is given."""
    ids = [institution_id(p.get("institution")) for p in parties]
    known = Institution.objects.in_bulk([i for i in ids if i is not None])
    cleaned: list[PartyTerms] = []
    seen: set[int] = set()
    for index, (party, inst_id) in enumerate(zip(parties, ids, strict=True)):
        field = f"parties[{index}]"
        institution = known.get(inst_id) if inst_id is not None else None
        if institution is None:
            _add(errors, f"{field}.institution", _("Choose an institution of the consortium."))
            continue
        if inst_id in seen:
            _add(errors, f"{field}.institution", _("This institution is already a party."))
            continue
        seen.add(institution.pk)
        raw_share = party.get("funding_share")
        try:
            share = Decimal(str(raw_share)) if raw_share not in (None, "") else Decimal("0")
        except InvalidOperation:
            _add(errors, f"{field}.funding_share", _("Enter a number between 0 and 100."))
            continue
        if not (Decimal("0") <= share <= HUNDRED) or share != share.quantize(Decimal("0.01")):
            _add(
                errors,
                f"{field}.funding_share",
                _("Enter a share between 0 and 100 with at most two decimals."),
            )
            continue
        responsibilities = str(party.get("responsibilities") or "").strip()
        cleaned.append(PartyTerms(institution, share, responsibilities))
    if len(seen) < 2 and not any(key.startswith("parties[") for key in errors):
        _add(errors, "parties", _("An agreement needs at least two different institutions."))
    shares = [p.funding_share for p in cleaned]
    if cleaned and any(shares) and sum(shares) != HUNDRED and len(cleaned) == len(parties):
        _add(
            errors,
            f"parties[{len(parties) - 1}].funding_share",
            _(
                "The funding shares add up to %(total)s%%; they must add up to 100%% "
                "(or leave every share at 0 when no funding is split)."
            )
            % {"total": sum(shares)},
        )
    return cleaned


def clean_quotas(
    quotas: list[dict[str, Any]],
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    errors: Errors,
) -> list[QuotaTerms]:
    cleaned: list[QuotaTerms] = []
    years: set[int] = set()
    for index, quota in enumerate(quotas):
        field = f"quotas[{index}]"
        try:
            year = int(quota.get("year"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            _add(errors, f"{field}.year", _("Enter a year."))
            continue
        try:
            max_trainees = int(quota.get("max_trainees"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            _add(errors, f"{field}.max_trainees", _("Enter a number of trainees."))
            continue
        if not 0 <= max_trainees <= 10000:
            _add(errors, f"{field}.max_trainees", _("Enter a number between 0 and 10000."))
            continue
        if start_date and end_date and not start_date.year <= year <= end_date.year:
            _add(
                errors,
                f"{field}.year",
                _("The year must fall within the term (%(start)s–%(end)s).")
                % {"start": start_date.year, "end": end_date.year},
            )
            continue
        if year in years:
            _add(errors, f"{field}.year", _("There is already a quota for this year."))
            continue
        years.add(year)
        cleaned.append(QuotaTerms(year, max_trainees))
    return cleaned


def check_term(start_date: Any, end_date: Any, errors: Errors) -> None:
    if start_date and end_date and end_date <= start_date:
        _add(errors, "end_date", _("The agreement must end after it starts."))


def check_form(form: str, parties: list[PartyTerms], initiating_tutor: Any, errors: Errors) -> None:
    """The form of cooperation must fit the kinds (and countries) of the parties."""
    kinds = [p.institution.kind for p in parties]
    universities = sum(1 for kind in kinds if kind in UNIVERSITY_KINDS)
    abroad = [p.institution for p in parties if p.institution.country.upper() != "CN"]
    if form == AgreementForm.UNIVERSITY_ENTERPRISE and not (
        universities and InstitutionKind.ENTERPRISE in kinds
    ):
        _add(
            errors,
            "form",
            _(
                "A university–enterprise agreement needs a university or "
                "medical college and an enterprise among its parties."
            ),
        )
    elif form == AgreementForm.UNIVERSITY_INSTITUTE and not (
        universities and InstitutionKind.RESEARCH_INSTITUTE in kinds
    ):
        _add(
            errors,
            "form",
            _(
                "A university–institute agreement needs a university or "
                "medical college and a research institute among its parties."
            ),
        )
    elif form == AgreementForm.UNIVERSITY_DOMESTIC:
        if universities < 2:
            _add(
                errors,
                "form",
                _(
                    "A university–university agreement needs at least two "
                    "universities or medical colleges among its parties."
                ),
            )
        if abroad:
            _add(
                errors,
                "form",
                _("%(name)s is outside China: choose the foreign university–university form.")
                % {"name": abroad[0]},
            )
    elif form == AgreementForm.UNIVERSITY_FOREIGN:
        if universities < 2:
            _add(
                errors,
                "form",
                _(
                    "A university–university agreement needs at least two "
                    "universities or medical colleges among its parties."
                ),
            )
        if not abroad:
            _add(
                errors,
                "form",
                _("A foreign university–university agreement needs a party outside China."),
            )
    elif form == AgreementForm.HOSPITAL_HOSPITAL:
        others = [p.institution for p in parties if p.institution.kind != InstitutionKind.HOSPITAL]
        if others:
            _add(
                errors,
                "form",
                _(
                    "A hospital–hospital agreement is between hospitals only: %(name)s is not "
                    "a hospital."
                )
                % {"name": others[0]},
            )
    elif form == AgreementForm.TUTOR_INITIATED:
        if initiating_tutor is None:
            _add(
                errors,
                "initiating_tutor",
                _("Name the tutor who initiates a tutor-initiated agreement."),
            )
        elif (
            parties
            and not Membership.objects.filter(
                user=initiating_tutor,
                role=Role.TUTOR,
                is_active=True,
                institution_id__in=[p.institution.pk for p in parties],
            ).exists()
        ):
            _add(
                errors,
                "initiating_tutor",
                _("The initiating tutor must hold a tutor role at one of the parties."),
            )


# What each form of cooperation agrees on. The postgraduate forms settle research: authorship,
# affiliation and intellectual property; the hospital–hospital form settles residency training:
# exchange rotations, the exchange of clinical teachers, and visits between the hospitals.
COMMON_CLAUSES = (
    "reference",
    "funding_clause",
    "insurance_clause",
    "insurance_required",
    "stay_may_start_uninsured",
    "housing_clause",
    "housing_provider",
)
POSTGRADUATE_CLAUSES = ("authorship_clause", "ip_clause", "ip_owner", "ip_owner_other")
HOSPITAL_CLAUSES = ("exchange_rotation_clause", "teacher_exchange_clause", "visit_clause")


def clauses_of(form: str) -> tuple[str, ...]:
    """The text clauses an agreement of `form` carries, in the order people read them."""
    if form == AgreementForm.HOSPITAL_HOSPITAL:
        return (*COMMON_CLAUSES, *HOSPITAL_CLAUSES)
    return (*COMMON_CLAUSES, *POSTGRADUATE_CLAUSES)


def check_clauses(form: str, clauses: dict[str, Any], errors: Errors) -> None:
    """A clause of another form must stay empty; a hospital–hospital agreement must say how
    residents rotate between the hospitals, which is what it exists for."""
    carried = clauses_of(form)
    for field in (*POSTGRADUATE_CLAUSES, *HOSPITAL_CLAUSES):
        if field in carried or not str(clauses.get(field) or "").strip():
            continue
        if field in HOSPITAL_CLAUSES:
            message = _("This clause belongs to hospital–hospital agreements; leave it empty.")
        else:
            message = _("A hospital–hospital agreement does not carry this clause; leave it empty.")
        _add(errors, field, message)
    check_structured_clauses(form, clauses, errors)
    if (
        form == AgreementForm.HOSPITAL_HOSPITAL
        and not str(clauses.get("exchange_rotation_clause") or "").strip()
    ):
        _add(
            errors,
            "exchange_rotation_clause",
            _("Say which residents rotate to the partner hospital, where and for how long."),
        )


def check_structured_clauses(form: str, clauses: dict[str, Any], errors: Errors) -> None:
    """The structured parts of the IP, insurance and housing clauses (decision 093): a known
    choice, and the owner of results described when it is "other"."""
    housing = clauses.get("housing_provider") or ""
    if housing not in HousingProvider.values:
        _add(errors, "housing_provider", _("Choose who provides housing from the list."))
    owner = clauses.get("ip_owner") or ""
    other = str(clauses.get("ip_owner_other") or "").strip()
    if owner not in IpOwner.values:
        _add(errors, "ip_owner", _("Choose who owns the results from the list."))
    elif owner == IpOwner.OTHER and not other:
        _add(errors, "ip_owner_other", _("Say who owns the results when the owner is “other”."))
    elif owner != IpOwner.OTHER and other and form != AgreementForm.HOSPITAL_HOSPITAL:
        _add(
            errors,
            "ip_owner_other",
            _("Describe another owner only when the owner of results is “other”."),
        )
    for field in ("insurance_required", "stay_may_start_uninsured"):
        if field in clauses and not isinstance(clauses[field], bool):
            _add(errors, field, _("Answer yes or no."))
