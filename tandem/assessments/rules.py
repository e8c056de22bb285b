"""The pass rules of decision 105, as plain functions (no database)."""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.errors import field_error

MAX_STATION_POINTS = 1000
MAX_STATIONS = 20


def score_in_range(value: Any, field: str = "score") -> Decimal:
    """A score from 0 to 100 with at most one decimal, or a clear error."""
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except (ArithmeticError, ValueError, TypeError):
        raise field_error(field, _("Give the score as a number from 0 to 100.")) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise field_error(field, _("A score is from 0 to 100."))
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def clean_stations(stations: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """[{"name", "score", "max"}]: a name, a maximum above zero, a score from zero to it."""
    rows = list(stations or [])
    if not rows:
        raise field_error("stations", _("Give the score of at least one station."))
    if len(rows) > MAX_STATIONS:
        raise field_error("stations", _("At most 20 stations."))
    cleaned = []
    for number, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        try:
            points = Decimal(str(row.get("score")))
            maximum = Decimal(str(row.get("max")))
        except (ArithmeticError, ValueError, TypeError):
            raise field_error(
                "stations",
                _("Station %(n)s: give the score and the maximum as numbers.") % {"n": number},
            ) from None
        if not name:
            raise field_error("stations", _("Station %(n)s has no name.") % {"n": number})
        if not points.is_finite() or not maximum.is_finite():
            raise field_error(
                "stations",
                _("Station %(n)s: give the score and the maximum as numbers.") % {"n": number},
            )
        if not Decimal(0) < maximum <= MAX_STATION_POINTS:
            raise field_error(
                "stations",
                _("Station %(n)s: the maximum is from 1 to 1000 points.") % {"n": number},
            )
        if not Decimal(0) <= points <= maximum:
            raise field_error(
                "stations",
                _("Station %(n)s: the score is from 0 to the station's maximum (%(max)s).")
                % {"n": number, "max": maximum.normalize()},
            )
        cleaned.append({"name": name[:120], "score": float(points), "max": float(maximum)})
    return cleaned


def stations_percent(stations: Iterable[dict[str, Any]]) -> Decimal:
    rows = list(stations)
    total = sum((Decimal(str(r["max"])) for r in rows), Decimal(0))
    got = sum((Decimal(str(r["score"])) for r in rows), Decimal(0))
    return (got * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def component_passes(pass_mark: int | None, score: Decimal | None) -> bool:
    """A scored component passes at or above its pass mark."""
    return pass_mark is None or (score is not None and score >= pass_mark)


def overall_passes(passed: Iterable[bool | None]) -> bool:
    """Every component passes (none left out, none waiting)."""
    return all(value is True for value in passed)
