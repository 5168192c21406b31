"""Charts drawn on the server as SVG, for pages and for PDFs alike (WeasyPrint draws inline SVG),
so that people can look instead of read. Every chart carries its numbers as a table next to it
(`reports/charts/_*.html`): screen readers and anyone who wants the figures get them exactly.

Two shapes cover what the areas need:
- `bars()`: horizontal bars per category, one or several series (progress per UT; budget
  programmed vs executed per task; acuerdos by status);
- `lines()`: series over time, months on the x axis, values in % (planned vs actual progress).

Geometry only: the templates draw it with presentation attributes (no inline style, CSP intact).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Colour-blind-safe palette (Okabe–Ito), with enough contrast on white for thin marks.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555"]

BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 10
LABEL_WIDTH = 170
PLOT_WIDTH = 420
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Bar:
    series: Series
    value: float
    text: str  # the value as people read it ("S/ 26,000.00", "60 %")
    y: float
    width: float

    @property
    def x(self) -> int:
        return LABEL_WIDTH

    @property
    def text_x(self) -> float:
        return round(LABEL_WIDTH + self.width + 4, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + BAR_HEIGHT - 3, 1)


@dataclass(frozen=True)
class BarRow:
    label: str
    url: str
    y: float  # top of the group
    height: float
    bars: list[Bar]

    @property
    def label_y(self) -> float:
        return round(self.y + self.height / 2 + 4, 1)


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass
class BarChart:
    title: str
    series: list[Series]
    rows: list[BarRow]
    ticks: list[Tick]
    width: int
    height: float
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    slug: str = "chart"
    unit: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def axis_y(self) -> float:
        return round(self.height - 20, 1)

    @property
    def tick_y(self) -> float:
        return round(self.height - 6, 1)

    @property
    def label_x(self) -> int:
        return self.label_width - 6


def _nice_max(value: float) -> float:
    """The axis end: 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def bars(
    title: str,
    categories: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, str]],
    values: Mapping[tuple[int, str], float | Decimal | int | None],
    *,
    fmt: Any = None,
    maximum: float | None = None,
    slug: str = "chart",
    unit: str = "",
) -> BarChart:
    """`categories`: (label, url) per row; `series`: (key, label); `values[(row index, series
    key)]`. `maximum` fixes the axis end (100 for percentages); otherwise a round number above
    the largest value. `fmt` turns a value into its text (default: the number)."""
    fmt = fmt or (lambda v: f"{v:g}")
    palette = [Series(key, label, PALETTE[i % len(PALETTE)]) for i, (key, label) in enumerate(series)]
    numbers = [float(v) for v in values.values() if v is not None]
    top = maximum if maximum is not None else _nice_max(max(numbers, default=0.0))
    rows: list[BarRow] = []
    y = 0.0
    group = len(palette) * BAR_HEIGHT + (len(palette) - 1) * BAR_GAP
    for index, (label, url) in enumerate(categories):
        row_bars = []
        for j, s in enumerate(palette):
            raw = values.get((index, s.key))
            value = float(raw) if raw is not None else 0.0
            width = round(PLOT_WIDTH * max(0.0, min(value, top)) / top, 1) if top else 0.0
            row_bars.append(Bar(s, value, fmt(raw if raw is not None else 0), y + j * (BAR_HEIGHT + BAR_GAP), width))
        rows.append(BarRow(label, url, y, group, row_bars))
        y += group + GROUP_GAP
    ticks = [Tick(round(LABEL_WIDTH + PLOT_WIDTH * i / 4, 1), fmt(top * i / 4)) for i in range(5)]
    return BarChart(
        title=title,
        series=palette,
        rows=rows,
        ticks=ticks,
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=max(y - GROUP_GAP, 0) + 24,
        slug=slug,
        unit=unit,
    )


# --- lines over time ---------------------------------------------------------------------------

LINE_PLOT_WIDTH = 560
LINE_PLOT_HEIGHT = 200
LINE_LEFT = 40
LINE_BOTTOM = 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Line:
    series: Series
    points: list[Point]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass
class LineChart:
    title: str
    labels: list[str]  # x axis, one per period
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[tuple[float, str]]
    width: int
    height: int
    today_x: float | None = None
    slug: str = "chart"
    table: list[tuple[str, list[str]]] = field(default_factory=list)  # period → values as text

    @property
    def empty(self) -> bool:
        return not self.labels


def lines(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    today_index: int | None = None,
    slug: str = "chart",
) -> LineChart:
    """Series of percentages (0–100) over `labels` (periods). A None value is not drawn (e.g.
    actual progress after today)."""
    n = len(labels)
    step = LINE_PLOT_WIDTH / max(n - 1, 1)

    def x(i: int) -> float:
        return round(LINE_LEFT + i * step, 1)

    def y(value: float) -> float:
        return round(LINE_PLOT_HEIGHT - LINE_PLOT_HEIGHT * max(0.0, min(value, 100.0)) / 100 + 8, 1)

    drawn = []
    for i, (key, label, values) in enumerate(series):
        s = Series(key, label, PALETTE[i % len(PALETTE)])
        drawn.append(Line(s, [Point(x(j), y(v), v) for j, v in enumerate(values) if v is not None]))
    every = max(1, math.ceil(n / 12))
    x_ticks = [Tick(x(i), labels[i]) for i in range(0, n, every)]
    y_ticks = [(y(v), f"{v} %") for v in (0, 25, 50, 75, 100)]
    table = [
        (labels[j], [("—" if values[j] is None else f"{round(values[j] or 0)} %") for _k, _l, values in series])
        for j in range(n)
    ]
    return LineChart(
        title=title,
        labels=list(labels),
        lines=drawn,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        width=LINE_LEFT + LINE_PLOT_WIDTH + 20,
        height=LINE_PLOT_HEIGHT + LINE_BOTTOM + 8,
        today_x=x(today_index) if today_index is not None and 0 <= today_index < n else None,
        slug=slug,
        table=table,
    )
