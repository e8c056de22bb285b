"""Small-group suppression of a table with margins, so that no hidden cell can be worked out.

A benchmarking table counts units (joint cultivations, milestones, assessments…) per row
(institution, grouped into regions or tiers) and per column (year, or host institution), with
row totals, group subtotals and a grand total. A cell describing fewer than `threshold` people
is hidden (primary suppression). Hiding it alone is not enough when a margin is shown: the total
minus the visible cells of the line gives it back. So, for every line whose cells add up to a
shown margin, more cells are hidden (complementary suppression) until the hidden ones of the line
cannot be told apart: at least two of them, and together large enough that none of them is pinned
down to a value below the threshold (decision 116).

The table is given as its cells and its additive lines ("this cell is the sum of those"), so the
same function protects an institution × year table, a home × host flow matrix and their margins.
It is pure: it sees counts, never people.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Key = Hashable


@dataclass(frozen=True)
class Line:
    """`total` is the sum of `parts` (a row total, a subtotal, a column total…)."""

    total: Key
    parts: tuple[Key, ...]


def _line_is_safe(line: Line, units: Mapping[Key, int], hidden: set[Key], threshold: int) -> bool:
    hidden_parts = [key for key in line.parts if key in hidden]
    if line.total in hidden:
        # The total is unknown: its parts cannot be subtracted from it, but a hidden total whose
        # parts are all shown is their sum.
        return bool(hidden_parts) or not line.parts
    if not hidden_parts:
        return True
    if len(hidden_parts) == 1:
        return False
    # Every hidden cell holds at least one unit (empty cells are shown as 0), so one of them is
    # at most the hidden sum less one unit for each of the others: that bound must not fall
    # below the threshold, or a small group could be bounded from above.
    hidden_sum = sum(units[key] for key in hidden_parts)
    return hidden_sum - (len(hidden_parts) - 1) >= threshold


def _next_to_hide(line: Line, units: Mapping[Key, int], hidden: set[Key]) -> Key | None:
    """The smallest non-empty shown part of the line, or its total when no part is left."""
    candidates = [key for key in line.parts if key not in hidden and units[key] > 0]
    if candidates:
        return min(candidates, key=lambda key: (units[key], repr(key)))
    if line.total not in hidden and units[line.total] > 0:
        return line.total
    return None


def suppress(
    units: Mapping[Key, int],
    people: Mapping[Key, int],
    lines: Iterable[Line],
    threshold: int,
) -> set[Key]:
    """The keys of the cells to hide.

    `units[key]` is what the cell counts (additive along the lines); `people[key]` how many
    distinct people it describes (a cell of one trainee's five milestones describes one person).
    A non-empty cell of fewer than `threshold` people is hidden, and then cells are added line by
    line until every line is safe. Empty cells are never hidden: a zero tells nothing about
    anyone.
    """
    lines = list(lines)
    hidden = {
        key for key, count in units.items() if count > 0 and people.get(key, count) < threshold
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            while not _line_is_safe(line, units, hidden, threshold):
                extra = _next_to_hide(line, units, hidden)
                if extra is None:
                    break
                hidden.add(extra)
                changed = True
    return hidden
