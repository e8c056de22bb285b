"""Consortium benchmarking: an indicator's table, institution against institution, region against
region, tier against tier, year against year, with small groups suppressed (decision 116).

An indicator is a queryset of units from an app's benchmark selector (each annotated with
`b_row`, `b_col`, `b_person`, `b_hit`). The table is always computed whole: every institution,
every column, their group subtotals and the grand total, in six grouped queries, and suppressed
once as a whole (`suppression.suppress`). Filters and the chosen view only pick which of its rows
and columns to show, so asking twice with different filters never gives two differently
suppressed tables whose difference would tell a hidden cell.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.assessments.selectors_benchmark import assessments_decided
from tandem.bookings.selectors_benchmark import bookings_by_partners
from tandem.cultivation.selectors_benchmark import cultivation_flows, cultivations_by_start_year
from tandem.feedback.selectors_benchmark import feedback_closed
from tandem.institutions.models import Institution, KnownTier, Region, tier_label_text
from tandem.plans.selectors_benchmark import milestones_due
from tandem.portal.suppression import Line, suppress
from tandem.publications.selectors_benchmark import publications_by_year

TOTAL = "total"
ROW_KINDS = {"i": "institution", "g": "group", "t": "total"}

# Tiers compared: the national key-university programmes against the others (decision 116).
KEY_TIERS = {KnownTier.DOUBLE_FIRST_CLASS, KnownTier.PROJECT_985, KnownTier.PROJECT_211}


class Grouping:
    REGION = "region"
    TIER = "tier"
    CHOICES = (REGION, TIER)


def min_group() -> int:
    """The consortium's threshold: a figure about fewer people is not shown (decision 082)."""
    return max(1, int(getattr(settings, "EVALUATIONS_MIN_RESPONSES", 3)))


@dataclass(frozen=True)
class Indicator:
    key: str
    title: Promise
    # What one unit is ("joint cultivations"), and for a rate what a hit is ("on time").
    unit: Promise
    units: Callable[[datetime.date], QuerySet[Any]]
    # "year": columns are years; "institution": columns are institutions (a flow matrix).
    columns: str = "year"
    hit: Promise | None = None
    # For a mean or a sum of `b_value` (days to close, hours used): what the value is in.
    value_unit: Promise | None = None
    # "count" (units), "rate" (hits per unit), "mean" (value per unit) or "sum" (of values).
    measure: str = "count"

    @property
    def is_rate(self) -> bool:
        return self.measure == "rate"

    @property
    def has_value(self) -> bool:
        return self.measure in ("mean", "sum")


INDICATORS: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            "joint_trainees",
            _("Joint trainees by home institution and start year"),
            _("joint cultivations"),
            lambda today: cultivations_by_start_year(),
        ),
        Indicator(
            "flows",
            _("Flows: which home institution sends to which host"),
            _("joint cultivations"),
            lambda today: cultivation_flows(),
            columns="institution",
        ),
        Indicator(
            "milestones_on_time",
            _("Milestones passed on time, by the year their window closed"),
            _("milestones due"),
            milestones_due,
            hit=_("passed on time"),
            measure="rate",
        ),
        Indicator(
            "publications_compliant",
            _("Publications keeping the authorship rules, by year"),
            _("publications"),
            lambda today: publications_by_year(),
            hit=_("acceptable under the authorship policy"),
            measure="rate",
        ),
        Indicator(
            "rotation_pass",
            _("Rotation-end assessments passed, by the year the rotation ended"),
            _("assessments decided"),
            lambda today: assessments_decided(),
            hit=_("passed"),
            measure="rate",
        ),
        Indicator(
            "feedback_days_to_close",
            _("Days from a feedback item to its confirmed closing, by the year it closed"),
            _("feedback items closed"),
            lambda today: feedback_closed(),
            value_unit=_("days on average"),
            measure="mean",
        ),
        Indicator(
            "resource_sharing",
            _("Hours of each institution's resources used by partners, by year"),
            _("completed bookings by partners"),
            lambda today: bookings_by_partners(),
            value_unit=_("hours used"),
            measure="sum",
        ),
    )
}


def tier_group(institution: Institution) -> str:
    """ "key" for a Double First-Class, 985 or 211 institution, else "other"."""
    labels = {tier_label_text(label) for label in institution.tier_labels or []}
    return "key" if labels & {str(tier.label) for tier in KEY_TIERS} else "other"


def group_labels(grouping: str) -> dict[str, str]:
    if grouping == Grouping.TIER:
        return {
            "key": str(_("Key universities (Double First-Class, 985, 211)")),
            "other": str(_("Other institutions")),
        }
    return {value: str(label) for value, label in Region.choices}


@dataclass
class Cell:
    units: int = 0
    people: int = 0
    hits: int = 0
    value: float = 0.0
    suppressed: bool = False

    def rate(self) -> float | None:
        """The share of hits in percent, one decimal; None when hidden or empty."""
        if self.suppressed or not self.units:
            return None
        return round(100 * self.hits / self.units, 1)

    def mean(self) -> float | None:
        """The value per unit, one decimal; None when hidden or empty."""
        if self.suppressed or not self.units:
            return None
        return round(self.value / self.units, 1)


@dataclass
class Row:
    kind: str  # "institution", "group" or "total"
    key: Any
    label: str
    group: str = ""
    cells: dict[Any, Cell] = field(default_factory=dict)

    @property
    def total(self) -> Cell:
        return self.cells[TOTAL]


@dataclass
class Table:
    indicator: Indicator
    grouping: str
    columns: list[tuple[Any, str]]  # (key, label), the total last
    institutions: list[Row]
    groups: list[Row]
    total: Row
    threshold: int

    def rows(self) -> list[Row]:
        """Institutions under their group, each group closed by its subtotal, then the total."""
        ordered: list[Row] = []
        for group in self.groups:
            ordered += [row for row in self.institutions if row.group == group.key]
            ordered.append(group)
        return [*ordered, self.total]

    def any_suppressed(self) -> bool:
        return any(cell.suppressed for row in self.rows() for cell in row.cells.values())


def _aggregate(units: QuerySet[Any], *fields: str, values: bool = False) -> list[dict[str, Any]]:
    """Units, distinct people and hits (and the sum of the values) per combination of
    `fields` (of all units if none)."""
    measures: dict[str, Any] = {
        "n_units": Count("pk"),
        "n_people": Count("b_person", distinct=True),
        "n_hits": Coalesce(Sum("b_hit"), Value(0)),
    }
    if values:
        measures["n_value"] = Sum("b_value")
    if not fields:
        return [units.aggregate(**measures)]
    return list(units.values(*fields).annotate(**measures))


def _number(value: Any) -> float:
    """A summed value as a number: a duration in hours."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value or 0)


def _cell(values: dict[str, Any]) -> Cell:
    return Cell(
        units=values["n_units"],
        people=values["n_people"],
        hits=values["n_hits"],
        value=_number(values.get("n_value")),
    )


def table(indicator: Indicator, grouping: str, today: datetime.date) -> Table:
    """The whole table of one indicator, suppressed; a constant number of queries."""
    institutions = {inst.pk: inst for inst in Institution.objects.all()}
    group_of = {
        pk: (tier_group(inst) if grouping == Grouping.TIER else inst.region)
        for pk, inst in institutions.items()
    }
    by_group: dict[str, list[int]] = {}
    for pk, group in group_of.items():
        by_group.setdefault(group, []).append(pk)
    units = indicator.units(today).annotate(
        b_group=Case(
            *[When(b_row__in=pks, then=Value(group)) for group, pks in by_group.items()],
            default=Value(""),
        )
    )
    cells: dict[tuple[Any, ...], Cell] = {}
    for values in _aggregate(units, "b_row", "b_col", values=indicator.has_value):
        cells[("i", values["b_row"], values["b_col"])] = _cell(values)
    for values in _aggregate(units, "b_row", values=indicator.has_value):
        cells[("i", values["b_row"], TOTAL)] = _cell(values)
    for values in _aggregate(units, "b_group", "b_col", values=indicator.has_value):
        cells[("g", values["b_group"], values["b_col"])] = _cell(values)
    for values in _aggregate(units, "b_group", values=indicator.has_value):
        cells[("g", values["b_group"], TOTAL)] = _cell(values)
    for values in _aggregate(units, "b_col", values=indicator.has_value):
        cells[("t", None, values["b_col"])] = _cell(values)
    for values in _aggregate(units, values=indicator.has_value):
        cells[("t", None, TOTAL)] = _cell(values)

    row_ids = sorted(
        {key[1] for key in cells if key[0] == "i" and key[1] in institutions},
        key=lambda pk: str(institutions[pk]),
    )
    column_keys = sorted(
        {key[2] for key in cells if key[2] != TOTAL and key[2] is not None},
        key=lambda col: str(institutions[col]) if indicator.columns == "institution" else col,
    )
    group_keys = [g for g in group_labels(grouping) if any(group_of[pk] == g for pk in row_ids)]
    all_columns = [*column_keys, TOTAL]
    grid = {
        (kind, row, col): cells.get((kind, row, col), Cell())
        for kind, rows in (("i", row_ids), ("g", group_keys), ("t", [None]))
        for row in rows
        for col in all_columns
    }
    lines = [
        Line((kind, row, TOTAL), tuple((kind, row, col) for col in column_keys))
        for kind, rows in (("i", row_ids), ("g", group_keys), ("t", [None]))
        for row in rows
    ]
    for col in all_columns:
        for group in group_keys:
            members = tuple(("i", pk, col) for pk in row_ids if group_of[pk] == group)
            lines.append(Line(("g", group, col), members))
        lines.append(Line(("t", None, col), tuple(("g", group, col) for group in group_keys)))
    threshold = min_group()
    hidden = suppress(
        {key: cell.units for key, cell in grid.items()},
        {key: cell.people for key, cell in grid.items()},
        lines,
        threshold,
    )
    for cell_key, cell in grid.items():
        cell.suppressed = cell_key in hidden

    def row(kind: str, key: Any, label: str, group: str = "") -> Row:
        cells = {col: grid[(kind, key, col)] for col in all_columns}
        return Row(ROW_KINDS[kind], key, label, group, cells)

    labels = group_labels(grouping)
    columns = [
        (col, str(institutions[col]) if indicator.columns == "institution" else str(col))
        for col in column_keys
    ]
    return Table(
        indicator=indicator,
        grouping=grouping,
        columns=[*columns, (TOTAL, str(_("Total")))],
        institutions=[row("i", pk, str(institutions[pk]), group_of[pk]) for pk in row_ids],
        groups=[row("g", g, labels[g]) for g in group_keys],
        total=row("t", None, str(_("Consortium"))),
        threshold=threshold,
    )


@dataclass(frozen=True)
class View:
    """Which part of a table to show; it never changes the table itself."""

    show: str = "institutions"  # or "groups": one row per region/tier and the total
    group: str = ""  # only this region/tier
    first: int | None = None  # year columns from…
    last: int | None = None  # …to


def shown(table: Table, view: View) -> tuple[list[Row], list[tuple[Any, str]]]:
    """The rows and columns of `table` that `view` asks for (the total column always)."""
    rows = table.rows()
    if view.show == "groups":
        rows = [row for row in rows if row.kind != "institution"]
    if view.group:
        rows = [
            row
            for row in rows
            if (row.kind == "institution" and row.group == view.group)
            or (row.kind == "group" and row.key == view.group)
        ]
    columns = table.columns
    if table.indicator.columns == "year":
        columns = [
            (key, label)
            for key, label in columns
            if key == TOTAL
            or (
                (view.first is None or key >= view.first)
                and (view.last is None or key <= view.last)
            )
        ]
    return rows, columns


def cell_text(cell: Cell, indicator: Indicator) -> str:
    """What a cell reads: a count, or a share with its base ("87.5 % of 16"); "–" when hidden."""
    if cell.suppressed:
        return "–"
    if indicator.is_rate:
        rate = cell.rate()
        return "" if rate is None else f"{rate:.1f} % / {cell.units}"
    if indicator.measure == "mean":
        mean = cell.mean()
        return "" if mean is None else f"{mean:.1f} / {cell.units}"
    if indicator.measure == "sum":
        return f"{cell.value:.1f}"
    return str(cell.units)


def cell_number(cell: Cell, indicator: Indicator) -> float | None:
    """The cell's figure as a number (what the chart draws); None when hidden or empty."""
    if cell.suppressed:
        return None
    if indicator.is_rate:
        return cell.rate()
    if indicator.measure == "mean":
        return cell.mean()
    if indicator.measure == "sum":
        return round(cell.value, 1)
    return cell.units


def chart_rows(rows: list[Row], indicator: Indicator) -> list[tuple[str, float | None, str]]:
    """(label, value, text) of each row's total, for the bar chart."""
    out = []
    for row in rows:
        cell = row.total
        value = cell_number(cell, indicator)
        out.append((row.label, value, cell_text(cell, indicator)))
    return out


def visible_flows(table: Table) -> list[tuple[str, str, int]]:
    """(home, host, count) of every shown institution-to-institution cell of a flow table."""
    labels = dict(table.columns)
    return [
        (row.label, labels[col], cell.units)
        for row in table.institutions
        for col, cell in row.cells.items()
        if col != TOTAL and not cell.suppressed and cell.units
    ]
