"""Geometry for the dashboard's SVG charts: plain numbers the templates draw.

Every chart has a fixed viewBox (user units) and scales to its container's width, so it
reads on a laptop and a phone alike. Colours come from CSS classes (static/css/dashboard.css),
never from style attributes.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from candidates.geography import STATES

WIDTH = 400
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 10, 12, 40
MAX_X_LABELS = 7


def nice_step(span: float, intervals: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) cutting `span` into at most
    `intervals` parts."""
    if span <= 0:
        return 1
    raw = span / intervals
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Point:
    """One category on the x axis: its label, value, link and tooltip."""

    label: str
    value: float | None
    href: str = ""
    title: str = ""
    muted: bool = False


@dataclass
class Frame:
    """The plot area inside the viewBox and the value axis."""

    height: int
    top_value: float
    y_ticks: list[Tick]
    x_labels: list[Tick]
    y_label: str
    x_label: str
    width: int = WIDTH
    left: int = MARGIN_LEFT
    top: int = MARGIN_TOP

    @property
    def right(self) -> int:
        return self.width - MARGIN_RIGHT

    @property
    def bottom(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def plot_width(self) -> float:
        return self.right - self.left

    @property
    def plot_height(self) -> float:
        return self.bottom - self.top

    @property
    def x_label_y(self) -> int:
        return self.bottom + 16

    @property
    def x_title_y(self) -> int:
        return self.height - 4

    @property
    def y_title_x(self) -> float:
        return -(self.top + self.plot_height / 2)

    @property
    def center_x(self) -> float:
        return self.left + self.plot_width / 2

    def y(self, value: float) -> float:
        return round(self.bottom - self.plot_height * value / self.top_value, 1)


def _frame(
    points: Sequence[Point], values: list[float], *, height: int, y_label: str, x_label: str
) -> Frame:
    top = max(values, default=0)
    step = nice_step(top)
    top_value = max(step, math.ceil(top / step) * step) if top > 0 else step
    frame = Frame(height, top_value, [], [], y_label, x_label)
    value = 0.0
    while value <= top_value + step / 1000:
        frame.y_ticks.append(Tick(frame.y(value), _number(round(value, 6))))
        value += step
    every = max(1, math.ceil(len(points) / MAX_X_LABELS))
    slot = frame.plot_width / max(1, len(points))
    frame.x_labels = [
        Tick(round(frame.left + slot * (i + 0.5), 1), point.label)
        for i, point in enumerate(points)
        if i % every == 0
    ]
    return frame


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    href: str
    title: str
    muted: bool


@dataclass
class BarChart:
    frame: Frame
    bars: list[Bar] = field(default_factory=list)
    css: str = "bar"


def bar_chart(
    points: Sequence[Point], *, y_label: str, x_label: str = "Week", css: str = "bar"
) -> BarChart:
    """Vertical bars, one per point, on a round value axis starting at zero."""
    values = [p.value or 0 for p in points]
    frame = _frame(points, values, height=220, y_label=y_label, x_label=x_label)
    chart = BarChart(frame, css=css)
    slot = frame.plot_width / max(1, len(points))
    gap = min(4.0, slot * 0.2)
    for i, point in enumerate(points):
        value = point.value or 0
        y = frame.y(value)
        chart.bars.append(
            Bar(
                x=round(frame.left + slot * i + gap / 2, 1),
                y=y,
                width=round(slot - gap, 1),
                height=round(frame.bottom - y, 1),
                href=point.href,
                title=point.title,
                muted=point.muted,
            )
        )
    return chart


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    points: Sequence[Point]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    href: str
    title: str


@dataclass(frozen=True)
class Line:
    name: str
    css: str
    path: str
    dots: list[Dot]


@dataclass
class LineChart:
    frame: Frame
    lines: list[Line]
    target_y: float | None = None
    target_label: str = ""


def line_chart(
    series: Sequence[Series],
    *,
    y_label: str,
    x_label: str = "Week",
    target: float | None = None,
    target_label: str = "",
) -> LineChart:
    """Lines over shared x categories; a missing value breaks the line. An optional target
    value is drawn as a dashed horizontal rule."""
    categories = series[0].points if series else []
    values = [p.value for s in series for p in s.points if p.value is not None]
    if target is not None:
        values.append(target)
    frame = _frame(categories, values, height=220, y_label=y_label, x_label=x_label)
    slot = frame.plot_width / max(1, len(categories))
    lines = []
    for s in series:
        path, dots, pen_down = [], [], False
        for i, point in enumerate(s.points):
            if point.value is None:
                pen_down = False
                continue
            x, y = round(frame.left + slot * (i + 0.5), 1), frame.y(point.value)
            path.append(f"{'L' if pen_down else 'M'}{x} {y}")
            pen_down = True
            dots.append(Dot(x, y, point.href, point.title))
        lines.append(Line(s.name, s.css, " ".join(path), dots))
    target_y = frame.y(target) if target is not None else None
    return LineChart(frame, lines, target_y, target_label)


# --- The funnel ---------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelRow:
    label_y: float
    bar_y: float
    note_y: float
    bar_width: float
    label: str
    count: str
    note: str
    href: str
    title: str


@dataclass
class FunnelChart:
    rows: list[FunnelRow]
    height: int
    width: int = WIDTH
    bar_x: int = 0
    bar_height: int = 14


def funnel_chart(rows: Sequence[tuple[str, int, str, str, str]]) -> FunnelChart:
    """One bar per stage, as long as its count relative to the first: (label, count, note,
    href, title). Labels sit above the bars so the chart stays narrow."""
    top = max((count for _, count, _, _, _ in rows), default=0) or 1
    step = 58
    chart = FunnelChart([], height=len(rows) * step)
    for i, (label, count, note, href, title) in enumerate(rows):
        y = i * step
        chart.rows.append(
            FunnelRow(
                label_y=y + 14,
                bar_y=y + 20,
                note_y=y + 48,
                bar_width=max(1.0, round((WIDTH - 2) * count / top, 1)) if count else 0,
                label=label,
                count=f"{count:,}",
                note=note,
                href=href,
                title=title,
            )
        )
    return chart


# --- The tile-grid map ----------------------------------------------------------------

TILE, TILE_GAP = 32, 3
SHADES = 5


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    x: float
    y: float
    shade: int
    led: bool
    href: str
    title: str
    selected: bool

    @property
    def label_x(self) -> float:
        return self.x + TILE / 2

    @property
    def label_y(self) -> float:
        return self.y + TILE / 2 + 4

    @property
    def marker_x(self) -> float:
        return self.x + TILE - 6

    @property
    def marker_y(self) -> float:
        return self.y + 6


@dataclass
class TileMap:
    tiles: list[Tile]
    # (shade, "from - to") for the legend.
    legend: list[tuple[int, str]]
    width: int
    height: int
    size: int = TILE


def shade_breaks(values: Sequence[int]) -> list[int]:
    """Upper bounds of SHADES classes of the non-zero values, by quantile, rising."""
    present = sorted(v for v in values if v > 0)
    if not present:
        return []
    breaks = []
    for k in range(1, SHADES + 1):
        bound = present[min(len(present) - 1, math.ceil(k * len(present) / SHADES) - 1)]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def tile_map(
    counts: dict[str, int],
    led: set[str],
    *,
    href: dict[str, str],
    title: dict[str, str],
    selected: str = "",
) -> TileMap:
    """One square per state where it lies on a map, shaded by its count (0: none)."""
    breaks = shade_breaks(list(counts.values()))
    tiles = []
    for state in STATES:
        count = counts.get(state.code, 0)
        shade = next((i + 1 for i, bound in enumerate(breaks) if count <= bound), 0)
        tiles.append(
            Tile(
                code=state.code,
                name=state.name,
                x=state.col * (TILE + TILE_GAP) + 1,
                y=state.row * (TILE + TILE_GAP) + 1 + (6 if state.territory else 0),
                shade=shade if count else 0,
                led=state.code in led,
                href=href.get(state.code, ""),
                title=title.get(state.code, state.name),
                selected=state.code == selected,
            )
        )
    legend, low = [], 1
    for i, bound in enumerate(breaks):
        legend.append((i + 1, f"{low:,}" if low == bound else f"{low:,}\N{EN DASH}{bound:,}"))
        low = bound + 1
    columns = max(s.col for s in STATES) + 1
    rows = max(s.row for s in STATES) + 1
    return TileMap(
        tiles,
        legend,
        width=columns * (TILE + TILE_GAP) + 1,
        height=rows * (TILE + TILE_GAP) + 8,
    )
