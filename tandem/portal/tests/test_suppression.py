"""Small-group suppression: no hidden small cell can be worked out from what is shown."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.portal.suppression import Line, suppress

THRESHOLD = 3


def _grid(counts: list[list[int]], groups: list[int]):
    """Cells, margins and lines of a rows × columns table whose rows fall into `groups`."""
    n_rows, n_cols = len(counts), len(counts[0])
    units: dict = {}
    for r in range(n_rows):
        for c in range(n_cols):
            units[("i", r, c)] = counts[r][c]
        units[("i", r, "T")] = sum(counts[r])
    group_keys = sorted(set(groups))
    for g in group_keys:
        members = [r for r in range(n_rows) if groups[r] == g]
        for c in [*range(n_cols), "T"]:
            units[("g", g, c)] = sum(units[("i", r, c)] for r in members)
    for c in [*range(n_cols), "T"]:
        units[("t", 0, c)] = sum(units[("g", g, c)] for g in group_keys)
    lines = []
    for kind, rows in (("i", range(n_rows)), ("g", group_keys), ("t", [0])):
        for r in rows:
            lines.append(Line((kind, r, "T"), tuple((kind, r, c) for c in range(n_cols))))
    for c in [*range(n_cols), "T"]:
        for g in group_keys:
            members = tuple(("i", r, c) for r in range(n_rows) if groups[r] == g)
            lines.append(Line(("g", g, c), members))
        lines.append(Line(("t", 0, c), tuple(("g", g, c) for g in group_keys)))
    return units, lines


def _attack(units: dict, lines: list[Line], hidden: set) -> dict:
    """What a reader works out by subtraction: any line with one unknown left gives it away,
    and each value found may open another line (repeated until nothing new)."""
    known = {key: value for key, value in units.items() if key not in hidden}
    found = True
    while found:
        found = False
        for line in lines:
            members = [line.total, *line.parts]
            unknown = [key for key in members if key not in known]
            if len(unknown) != 1:
                continue
            key = unknown[0]
            parts_sum = sum(known[part] for part in line.parts if part in known)
            known[key] = parts_sum if key == line.total else known[line.total] - parts_sum
            found = True
    return known


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda n_rows: st.tuples(
        st.lists(
            st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3),
            min_size=n_rows,
            max_size=n_rows,
        ),
        st.lists(st.integers(min_value=0, max_value=1), min_size=n_rows, max_size=n_rows),
    )
)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_cell_is_shown_or_worked_out_by_subtraction(table):
    counts, groups = table
    units, lines = _grid(counts, groups)
    hidden = suppress(units, units, lines, THRESHOLD)
    small = {key for key, value in units.items() if 0 < value < THRESHOLD}
    assert small <= hidden
    known = _attack(units, lines, hidden)
    assert not (small & set(known)), "a small cell can be worked out from the totals"


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_cell_is_bounded_below_the_threshold(table):
    """With the hidden cells of a line summing to S, each is at most S − (k − 1): that bound
    never falls below the threshold, so no reader can tell a hidden cell is small."""
    counts, groups = table
    units, lines = _grid(counts, groups)
    hidden = suppress(units, units, lines, THRESHOLD)
    for line in lines:
        if line.total in hidden:
            continue
        parts = [key for key in line.parts if key in hidden]
        if parts:
            assert sum(units[key] for key in parts) - (len(parts) - 1) >= THRESHOLD


def test_one_small_cell_in_a_row_takes_the_smallest_other_with_it():
    units = {"a": 1, "b": 4, "c": 9, "T": 14}
    hidden = suppress(units, units, [Line("T", ("a", "b", "c"))], THRESHOLD)
    assert hidden == {"a", "b"}


def test_empty_cells_stay_shown_and_a_person_counts_once():
    # One trainee with five milestones: five units, one person — hidden.
    units = {"a": 5, "b": 0, "c": 7, "T": 12}
    people = {"a": 1, "b": 0, "c": 4, "T": 5}
    hidden = suppress(units, people, [Line("T", ("a", "b", "c"))], THRESHOLD)
    assert "b" not in hidden and "a" in hidden and "c" in hidden


def test_a_total_of_one_small_group_is_hidden_with_its_only_part():
    units = {"a": 2, "T": 2}
    assert suppress(units, units, [Line("T", ("a",))], THRESHOLD) == {"a", "T"}
