"""The solver library's findings worded for people, in the active language.

The library (``scheduling/findings.py``) reports a broken or conflicting rule as a code and
plain parameters: instance ids (``D12`` a department, ``R3`` a cohort member, ``P4`` a
program, institution codes as sites) and 0-based blocks. Here each code has one translatable
template; ids become names (with links on pages), blocks are numbered from 1 and carry their
dates when they are known.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext

from tandem.residency import instancing, selectors
from tandem.residency.models import Block, CohortMember, Department, Program
from tandem.residency.scheduling import Finding, Instance, block_ranges

# One template per finding code. ngettext_lazy(..., "n") picks the plural form from the named
# number when the template is filled.
TEMPLATES: dict[str, Promise] = {
    # ------------------------------------------------------------ a schedule breaks a rule
    "leave": gettext_lazy("%(resident)s is on leave in %(block)s but assigned to %(department)s."),
    "idle": gettext_lazy(
        "%(resident)s has no rotation in %(block)s, but %(program)s allows no idle blocks."
    ),
    "not_in_program": gettext_lazy(
        "%(resident)s is assigned to %(department)s in %(block)s, which %(program)s does not "
        "include."
    ),
    "pinned": gettext_lazy(
        "%(resident)s is pinned to %(department)s in %(block)s, but the schedule has %(assigned)s."
    ),
    "duration": ngettext_lazy(
        "In %(blocks)s, %(resident)s has a stint of %(length)s block on %(department)s, which is "
        "taken in stints of exactly %(duration)s blocks.",
        "In %(blocks)s, %(resident)s has a stint of %(length)s blocks on %(department)s, which "
        "is taken in stints of exactly %(duration)s blocks.",
        "length",
    ),
    "requirement_min": ngettext_lazy(
        "%(resident)s has %(count)s block on %(departments)s; %(program)s needs at least %(min)s.",
        "%(resident)s has %(count)s blocks on %(departments)s; %(program)s needs at least %(min)s.",
        "count",
    ),
    "requirement_max": ngettext_lazy(
        "%(resident)s has %(count)s block on %(departments)s; %(program)s allows at most %(max)s.",
        "%(resident)s has %(count)s blocks on %(departments)s; %(program)s allows at most %(max)s.",
        "count",
    ),
    "precedence": gettext_lazy(
        "%(resident)s is on %(department)s in %(block)s before any block on %(before)s."
    ),
    "forbidden_sequence": gettext_lazy(
        "In %(blocks)s, %(resident)s goes from %(first)s straight into %(second)s, which is not "
        "allowed."
    ),
    "max_consecutive": gettext_lazy(
        "In %(blocks)s, %(resident)s spends %(length)s consecutive blocks on %(departments)s; "
        "the limit is %(limit)s."
    ),
    "min_stint": ngettext_lazy(
        "In %(blocks)s, %(resident)s has a stint of only %(length)s block on %(departments)s; "
        "at least %(limit)s are needed.",
        "In %(blocks)s, %(resident)s has a stint of only %(length)s blocks on %(departments)s; "
        "at least %(limit)s are needed.",
        "length",
    ),
    "cap_min": ngettext_lazy(
        "In %(block)s, %(department)s has %(count)s resident; it needs at least %(min)s.",
        "In %(block)s, %(department)s has %(count)s residents; it needs at least %(min)s.",
        "count",
    ),
    "cap_max": ngettext_lazy(
        "In %(block)s, %(department)s has %(count)s resident; it takes at most %(max)s.",
        "In %(block)s, %(department)s has %(count)s residents; it takes at most %(max)s.",
        "count",
    ),
    "exchange": ngettext_lazy(
        "In %(block)s, %(count)s resident from %(from_site)s works at %(to_site)s "
        "(%(residents)s); the exchange quota allows at most %(max)s.",
        "In %(block)s, %(count)s residents from %(from_site)s work at %(to_site)s "
        "(%(residents)s); the exchange quota allows at most %(max)s.",
        "count",
    ),
    # ------------------------------------------------------------ the schedule itself is off
    "wrong_instance": gettext_lazy(
        "The schedule was made for other rules (%(found)s instead of %(expected)s)."
    ),
    "no_schedule": gettext_lazy("There is no schedule to check (status %(status)s)."),
    "unknown_resident": gettext_lazy("%(resident)s is in the schedule but not in its cohort."),
    "missing_resident": gettext_lazy("%(resident)s is missing from the schedule."),
    "wrong_length": ngettext_lazy(
        "The schedule gives %(resident)s %(count)s block; the calendar has %(block_count)s.",
        "The schedule gives %(resident)s %(count)s blocks; the calendar has %(block_count)s.",
        "count",
    ),
    "unknown_rotation": gettext_lazy(
        "%(resident)s is assigned in %(block)s to a department outside the rules (%(department)s)."
    ),
    "wrong_objective": gettext_lazy("The stated objective %(stated)s should be %(objective)s."),
    "bound_below_objective": gettext_lazy(
        "The stated bound %(bound)s is below the objective %(objective)s."
    ),
    "optimal_without_bound": gettext_lazy(
        "The schedule is marked optimal, but its bound %(bound)s is not its objective."
    ),
    "schedule_without_status": gettext_lazy("The status is %(status)s, but a schedule is given."),
    # ------------------------------------------------------------ rules that cannot all hold
    "conflict_cap_min": ngettext_lazy(
        "In %(block)s, %(department)s needs at least %(min)s resident; residents not on leave "
        "whose programs include it: %(able)s.",
        "In %(block)s, %(department)s needs at least %(min)s residents; residents not on leave "
        "whose programs include it: %(able)s.",
        "min",
    ),
    "conflict_cap_max": ngettext_lazy(
        "In %(block)s, %(department)s takes at most %(max)s resident.",
        "In %(block)s, %(department)s takes at most %(max)s residents.",
        "max",
    ),
    "conflict_duration": gettext_lazy(
        "%(department)s is taken in stints of exactly %(duration)s consecutive blocks, never "
        "into leave or past block %(last)s."
    ),
    "conflict_exchange": ngettext_lazy(
        "In %(block)s, at most %(max)s resident from %(from_site)s may work at %(to_site)s.",
        "In %(block)s, at most %(max)s residents from %(from_site)s may work at %(to_site)s.",
        "max",
    ),
    "conflict_pinned": gettext_lazy("%(resident)s is pinned to %(department)s in %(block)s."),
    "conflict_pinned_on_leave": gettext_lazy(
        "%(resident)s is pinned to %(department)s in %(block)s, but is on leave then."
    ),
    "conflict_pinned_not_in_program": gettext_lazy(
        "%(resident)s is pinned to %(department)s in %(block)s, which %(program)s does not include."
    ),
    "conflict_requirement_min": ngettext_lazy(
        "%(resident)s needs at least %(min)s block on %(departments)s (%(program)s).",
        "%(resident)s needs at least %(min)s blocks on %(departments)s (%(program)s).",
        "min",
    ),
    "conflict_requirement_min_with_leave": ngettext_lazy(
        "%(resident)s needs at least %(min)s block on %(departments)s (%(program)s) and is on "
        "leave in %(leave)s.",
        "%(resident)s needs at least %(min)s blocks on %(departments)s (%(program)s) and is on "
        "leave in %(leave)s.",
        "min",
    ),
    "conflict_requirement_max": ngettext_lazy(
        "%(resident)s may spend at most %(max)s block on %(departments)s (%(program)s).",
        "%(resident)s may spend at most %(max)s blocks on %(departments)s (%(program)s).",
        "max",
    ),
    "conflict_precedence": gettext_lazy(
        "%(resident)s must have a block on %(before)s before any block on %(after)s (%(program)s)."
    ),
    "conflict_forbidden_sequence": gettext_lazy(
        "%(resident)s may not go from %(first)s straight into %(second)s (%(program)s)."
    ),
    "conflict_max_consecutive": ngettext_lazy(
        "%(resident)s may spend at most %(limit)s consecutive block on %(departments)s "
        "(%(program)s).",
        "%(resident)s may spend at most %(limit)s consecutive blocks on %(departments)s "
        "(%(program)s).",
        "limit",
    ),
    "conflict_min_stint": ngettext_lazy(
        "Each stint of %(resident)s on %(departments)s lasts at least %(limit)s block "
        "(%(program)s).",
        "Each stint of %(resident)s on %(departments)s lasts at least %(limit)s blocks "
        "(%(program)s).",
        "limit",
    ),
    "conflict_must_work": gettext_lazy(
        "%(resident)s must be on a rotation in %(blocks)s (%(program)s has no idle blocks)."
    ),
    "conflict_unknown_rule": gettext_lazy("A rule of the schedule (%(rule)s)."),
    "conflict_not_narrowed": gettext_lazy(
        "No schedule was found, and the search could not narrow down which rules conflict "
        "within the time limit."
    ),
    "conflict_unexplained": gettext_lazy("The rules of this cohort cannot all hold together."),
}


@dataclass
class Names:
    """What the ids of one instance stand for; ``html`` makes names links and escapes text."""

    departments: Mapping[str, Department] = field(default_factory=dict)
    members: Mapping[str, CohortMember] = field(default_factory=dict)
    programs: Mapping[str, Program] = field(default_factory=dict)
    sites: Mapping[str, Any] = field(default_factory=dict)  # institution code -> Institution
    blocks: Mapping[int, Block] = field(default_factory=dict)
    html: bool = False


def names_for(instance: Instance, *, calendar_id: int | None = None) -> Names:
    """Names for the ids of ``instance`` (three queries; the blocks only with a calendar)."""
    departments, members = selectors.labels_for(instance)
    blocks = Block.objects.filter(calendar_id=calendar_id) if calendar_id is not None else []
    return names_from(departments, members, blocks)


def names_from(
    departments: Mapping[str, Department],
    members: Mapping[str, CohortMember],
    blocks: Iterable[Block] = (),
) -> Names:
    """Names from ``selectors.labels_for``'s maps (programs and hospitals come with them)."""
    return Names(
        departments=departments,
        members=members,
        programs={instancing.program_key(m.program_id): m.program for m in members.values()},
        sites={d.base.institution.code: d.base.institution for d in departments.values()},
        blocks={b.index: b for b in blocks},
    )


def finding_text(finding: Finding, names: Names) -> str:
    """One finding as a sentence in the active language (escaped HTML when ``names.html``)."""
    template = TEMPLATES.get(finding.code)
    pieces: dict[str, str] = {}
    try:
        if template is None:
            raise KeyError(finding.code)  # a code newer than this module
        values = {
            key: value if isinstance(value, int) else _token(pieces, value)
            for key, value in _values(finding, names).items()
        }
        filled = str(template % values)
    except (KeyError, TypeError, ValueError):
        # Stored findings with parameters this template does not know: never fail a page.
        pieces = {}
        filled = _english_or_code(finding)
    if names.html:
        filled = escape(filled)
    for token, piece in pieces.items():
        filled = filled.replace(token, piece)
    return mark_safe(filled) if names.html else filled  # noqa: S308 - every piece escaped


def findings_html(findings: Iterable[Finding], names: Names) -> list[SafeString]:
    """Findings for a page: names link to the department and program they stand for."""
    linked = replace(names, html=True)
    return [SafeString(finding_text(f, linked)) for f in findings]


def stored_findings(data: object) -> list[Finding] | None:
    """Findings kept on a proposal; None when there are none or they cannot be read."""
    if not isinstance(data, list):
        return None
    try:
        return [Finding.from_dict(item) for item in data]
    except ValueError:
        return None


# --------------------------------------------------------------------------- the pieces


def _token(pieces: dict[str, str], value: str) -> str:
    """A stand-in that survives the template and escaping; the real piece goes in after."""
    token = f"\x00{len(pieces)}\x00"
    pieces[token] = value
    return token


def _english_or_code(finding: Finding) -> str:
    try:
        return finding.english()
    except (KeyError, TypeError, ValueError):
        return finding.code


def _values(finding: Finding, names: Names) -> dict[str, Any]:
    """The template's placeholders: names for ids, 1-based block words, numbers as they are."""
    words: dict[str, Any] = {}
    for key, value in finding.params.items():
        if isinstance(value, bool) or value is None:
            words[key] = _plain(_("no rotation") if key == "assigned" else "—", names)
        elif isinstance(value, int):
            if key == "block":
                words[key] = _block(value, names)
            elif key == "blocks":
                words["block_count"] = value
            elif key == "last_block":
                words["last"] = value + 1
            else:
                words[key] = value
        elif isinstance(value, tuple):
            if key in ("blocks", "leave"):
                words[key] = _block_list([int(v) for v in value], names)
            elif key == "residents":
                separator = _plain(pgettext("list separator", ", "), names)
                words[key] = separator.join(_person(str(v), names) for v in value)
            elif key == "rotations":
                joiner = " + " if "requirement" in finding.code else " / "
                words["departments"] = joiner.join(_department(str(v), names) for v in value)
            else:  # "before", "after", and any other list: any one of them
                words[key] = _any_of([_department(str(v), names) for v in value], names)
        elif key == "resident":
            words[key] = _person(value, names)
        elif key in ("rotation", "first", "second", "assigned"):
            words["department" if key == "rotation" else key] = _department(value, names)
        elif key == "program":
            words[key] = _program(value, names)
        elif key in ("from_site", "to_site"):
            site = names.sites.get(value)
            words[key] = _plain(str(site) if site is not None else value, names)
        else:
            words[key] = _plain(str(value), names)
    first, last = finding.params.get("first"), finding.params.get("last")
    if isinstance(first, int) and isinstance(last, int):
        words["blocks"] = _run(first, last, names)
        words["length"] = last - first + 1
    block = finding.params.get("block")
    if finding.code == "forbidden_sequence" and isinstance(block, int):
        words["blocks"] = _run(block, block + 1, names)
    return words


def _plain(text: str, names: Names) -> str:
    return escape(text) if names.html else text


def _linked(text: str, url: str, names: Names) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if names.html else text


def linked_name(key: str, names: Names) -> str:
    """An instance id (department, cohort member or program) as the name it stands for: a link
    to its page, the member in bold, when ``names.html``; the id itself when unknown."""
    if key in names.departments:
        return _department(key, names)
    if key in names.programs:
        return _program(key, names)
    return _person(key, names)


def _person(key: str, names: Names) -> str:
    member = names.members.get(key)
    if member is None:
        return _plain(key, names)
    return f"<strong>{escape(member)}</strong>" if names.html else str(member)


def _department(key: str, names: Names) -> str:
    department = names.departments.get(key)
    if department is None:
        return _plain(key, names)
    url = reverse("residency:department_edit", args=[department.pk])
    return _linked(str(department), url, names)


def _program(key: str, names: Names) -> str:
    program = names.programs.get(key)
    if program is None:
        return _plain(key, names)
    return _linked(str(program), reverse("residency:program_detail", args=[program.pk]), names)


def _any_of(items: list[str], names: Names) -> str:
    if len(items) == 1:
        return items[0]
    separator = _plain(pgettext("list separator", ", "), names)
    return _plain(_("%(names)s or %(last)s"), names) % {
        "names": separator.join(items[:-1]),
        "last": items[-1],
    }


def _dates(first: int, last: int, names: Names) -> str | None:
    start, end = names.blocks.get(first), names.blocks.get(last)
    if start is None or end is None:
        return None
    return (
        f"{date_format(start.start_date, 'MONTH_DAY_FORMAT')} – "
        f"{date_format(end.end_date, 'MONTH_DAY_FORMAT')}"
    )


def _block(index: int, names: Names) -> str:
    """The words for one block, numbered from 1, with its dates when they are known."""
    dates = _dates(index, index, names)
    if dates is None:
        return _plain(_("block %(number)s") % {"number": index + 1}, names)
    return _plain(_("block %(number)s (%(dates)s)") % {"number": index + 1, "dates": dates}, names)


def _run(first: int, last: int, names: Names) -> str:
    if first == last:
        return _block(first, names)
    numbers = f"{first + 1}–{last + 1}"
    dates = _dates(first, last, names)
    if dates is None:
        return _plain(_("blocks %(numbers)s") % {"numbers": numbers}, names)
    return _plain(_("blocks %(numbers)s (%(dates)s)") % {"numbers": numbers, "dates": dates}, names)


def _block_list(indices: list[int], names: Names) -> str:
    ranges = block_ranges(indices)
    if len(ranges) == 1:
        return _run(*ranges[0], names)
    separator = pgettext("list separator", ", ")
    numbers = separator.join(str(a + 1) if a == b else f"{a + 1}–{b + 1}" for a, b in ranges)
    return _plain(_("blocks %(numbers)s") % {"numbers": numbers}, names)
