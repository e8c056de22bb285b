"""Charts drawn by the server as SVG (decision 116): no script, nothing from outside, printable.

Each chart is plain data (positions and sizes computed here) that a template turns into SVG, so
the template's escaping covers every label. The colours are the Okabe–Ito palette, told apart by
people with any common colour-vision deficiency; every chart is shown beside the table of its data.
"""

from dataclasses import dataclass

# Okabe & Ito (2008), without the black and the yellow that is too light on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 220
PLOT_WIDTH = 360


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed, drawn as a note
    text: str
    y: int
    width: int
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = LABEL_WIDTH + PLOT_WIDTH + 60
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(
    title: str, rows: list[tuple[str, float | None, str]], *, maximum: float | None = None
) -> BarChart:
    """Horizontal bars for (label, value, text) rows; the longest bar is the largest value (or
    `maximum`, e.g. 100 for percentages)."""
    top = maximum or max((value for _l, value, _t in rows if value is not None), default=0) or 1
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=text,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=0 if value is None else max(1, round(PLOT_WIDTH * value / top)),
            colour=PALETTE[0],
        )
        for index, (label, value, text) in enumerate(rows)
    )
    return BarChart(title=title, bars=bars, height=max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP))


@dataclass(frozen=True)
class Node:
    label: str
    x: int
    y: int
    height: int
    colour: str


@dataclass(frozen=True)
class Band:
    path: str
    width: int
    colour: str
    title: str


@dataclass(frozen=True)
class FlowChart:
    title: str
    sources: tuple[Node, ...]
    targets: tuple[Node, ...]
    bands: tuple[Band, ...]
    height: int
    width: int = 640
    node_width: int = 12


FLOW_HEIGHT = 320
FLOW_GAP = 8
LEFT_X = 200
RIGHT_X = 428


def flow_chart(title: str, flows: list[tuple[str, str, int]]) -> FlowChart:
    """Sources on the left, targets on the right, one band per (source, target, count) whose
    width is the count; flows must already be suppressed (a hidden one is simply left out)."""
    flows = [flow for flow in flows if flow[2] > 0]
    total = sum(count for _s, _t, count in flows) or 1
    sources = sorted({s for s, _t, _c in flows})
    targets = sorted({t for _s, t, _c in flows})
    usable = FLOW_HEIGHT - FLOW_GAP * max(len(sources), len(targets))

    def stack(names: list[str], end: int) -> dict[str, tuple[int, int]]:
        placed, y = {}, 0
        for name in names:
            size = sum(c for s, t, c in flows if (s if end == 0 else t) == name)
            height = max(2, round(usable * size / total))
            placed[name] = (y, height)
            y += height + FLOW_GAP
        return placed

    left, right = stack(sources, 0), stack(targets, 1)
    colour_of = {name: PALETTE[index % len(PALETTE)] for index, name in enumerate(sources)}
    used_left = dict.fromkeys(sources, 0)
    used_right = dict.fromkeys(targets, 0)
    bands = []
    for source, target, count in sorted(flows):
        width = max(1, round(usable * count / total))
        y1 = left[source][0] + used_left[source] + width / 2
        y2 = right[target][0] + used_right[target] + width / 2
        used_left[source] += width
        used_right[target] += width
        middle = (LEFT_X + RIGHT_X) / 2
        bands.append(
            Band(
                path=f"M{LEFT_X + 12},{y1:.1f} C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} "
                f"{RIGHT_X},{y2:.1f}",
                width=width,
                colour=colour_of[source],
                title=f"{source} → {target}: {count}",
            )
        )
    return FlowChart(
        title=title,
        sources=tuple(
            Node(name, LEFT_X, y, height, colour_of[name]) for name, (y, height) in left.items()
        ),
        targets=tuple(
            Node(name, RIGHT_X, y, height, PALETTE[0]) for name, (y, height) in right.items()
        ),
        bands=tuple(bands),
        height=FLOW_HEIGHT,
    )
