"""Charts drawn on the server as SVG (``templates/statistics/charts.html``): the geometry here,
in plain Python. Every chart prints its numbers as text beside the marks and tells its series
apart by shape and line, not by colour alone, so that it reads in black and white; the table
beside it holds the same figures for a screen reader."""

import math
import textwrap
from dataclasses import dataclass

WIDTH = 400


# --- Bars: one per row, the label above it (wrapped), the number after it --------------------

LABEL_LINE = 18
LABEL_CHARACTERS = 52  # a line of the label at 14 px in WIDTH
BAR_HEIGHT, BAR_GAP = 18, 12
BAR_LENGTH = 290  # the longest bar, leaving room for its number


@dataclass(frozen=True)
class Bar:
    label_lines: list[tuple[int, str]]  # y, text
    text: str  # the number as the page prints it
    y: int  # the bar's top
    length: float


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    description: str
    kind: str = "bars"
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(title: str, items: list[tuple[str, float, str]]) -> BarChart:
    """``items``: (label, value, value as text); bars in the given order."""
    top = max((value for _, value, _ in items), default=0) or 1
    bars, y = [], 0
    for label, value, text in items:
        lines = textwrap.wrap(label, LABEL_CHARACTERS) or [""]
        label_lines = [(y + (n + 1) * LABEL_LINE - 4, line) for n, line in enumerate(lines)]
        y += len(lines) * LABEL_LINE + 2
        bars.append(Bar(label_lines, text, y, max(value, 0) / top * BAR_LENGTH))
        y += BAR_HEIGHT + BAR_GAP
    description = "; ".join(f"{label}: {text}" for label, _value, text in items)
    return BarChart(title, bars, y, description)


# --- A heat map: weekdays by hours, the share in each cell ------------------------------------

CELL_WIDTH, CELL_HEIGHT = 38, 34
LABEL_WIDTH, HEADER_HEIGHT = 44, 24
# Light to dark; the share is printed in every cell, so the shade only helps the eye.
SHADES = ("#f2f5fa", "#d0ddef", "#a3bde0", "#2f5f9f", "#173a6a")
DARK_FROM = 3  # shades from this one carry white text


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    text: str
    fill: str
    light_text: bool


@dataclass(frozen=True)
class HeatMap:
    title: str
    description: str
    columns: list[tuple[int, str]]  # x, heading
    rows: list[tuple[int, str]]  # y, heading
    cells: list[Cell]
    kind: str = "heat_map"
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT

    @property
    def width(self) -> int:
        return LABEL_WIDTH + len(self.columns) * CELL_WIDTH

    @property
    def height(self) -> int:
        return HEADER_HEIGHT + len(self.rows) * CELL_HEIGHT


def shade(share: float) -> int:
    return min(int(share * len(SHADES)), len(SHADES) - 1)


def heat_map(
    title: str,
    description: str,
    row_names: list[str],
    column_names: list[str],
    shares: dict[tuple[int, int], tuple[float | None, str]],
) -> HeatMap:
    """``shares``: (row, column) → (share 0..1 or None for nothing offered, its text)."""
    cells = []
    for (row, column), (share, text) in shares.items():
        level = 0 if share is None else shade(share)
        cells.append(
            Cell(
                LABEL_WIDTH + column * CELL_WIDTH,
                HEADER_HEIGHT + row * CELL_HEIGHT,
                text,
                "#ffffff" if share is None else SHADES[level],
                share is not None and level >= DARK_FROM,
            )
        )
    return HeatMap(
        title,
        description,
        [
            (LABEL_WIDTH + n * CELL_WIDTH + CELL_WIDTH // 2, name)
            for n, name in enumerate(column_names)
        ],
        [
            (HEADER_HEIGHT + n * CELL_HEIGHT + CELL_HEIGHT // 2, name)
            for n, name in enumerate(row_names)
        ],
        cells,
    )


# --- Lines over time: each series its own dash and marker --------------------------------------

PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 16, 16, 40
LINE_HEIGHT = 240
MARKERS_UP_TO = 62  # points; beyond that the markers would merge into the line
DASHES = ("", "6 4")
MARKERS = ("circle", "square")


@dataclass(frozen=True)
class Series:
    name: str
    points: list[tuple[float, float]]  # x, y in the chart's pixels
    dash: str
    marker: str


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    markers: bool
    kind: str = "lines"
    width: int = WIDTH
    height: int = LINE_HEIGHT
    left: int = PLOT_LEFT
    right: int = WIDTH - PLOT_RIGHT
    bottom: int = LINE_HEIGHT - PLOT_BOTTOM


def nice_top(value: float) -> int:
    """A round top for the axis: 5, 10, 20, 50, 100 … at or above ``value``."""
    if value <= 5:
        return 5
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(
    title: str,
    description: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
) -> LineChart:
    """``labels``: one per point along the x axis; ``series``: (name, a value per point, None
    where there is none; a gap breaks the line into the points on either side)."""
    count = len(labels)
    top = nice_top(max((v for _, values in series for v in values if v is not None), default=0))
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    plot_height = LINE_HEIGHT - PLOT_TOP - PLOT_BOTTOM

    def x(n: int) -> float:
        return PLOT_LEFT + (plot_width * n / (count - 1) if count > 1 else plot_width / 2)

    def y(value: float) -> float:
        return PLOT_TOP + plot_height * (1 - value / top)

    drawn = [
        Series(
            name,
            [(x(n), y(v)) for n, v in enumerate(values) if v is not None],
            DASHES[index % len(DASHES)],
            MARKERS[index % len(MARKERS)],
        )
        for index, (name, values) in enumerate(series)
    ]
    ticks = sorted({0, count // 2, count - 1}) if count else []
    return LineChart(
        title,
        description,
        drawn,
        [(x(n), labels[n]) for n in ticks],
        [(y(value), str(value)) for value in (0, top // 2, top)],
        markers=count <= MARKERS_UP_TO,
    )
