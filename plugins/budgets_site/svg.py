"""Drawing: rows in, SVG text out (pure functions)."""
from __future__ import annotations

import math

from .text import escape


def bar_chart_svg(bars: list[tuple[str, float]], title: str, unit: str = "万元") -> str:
    """Horizontal bars, largest first as given; labels may be long Chinese names."""
    label_width, bar_width, row_height, top = 300, 420, 28, 40
    width = label_width + bar_width + 110
    height = top + row_height * max(len(bars), 1) + 16
    largest = max((value for _, value in bars), default=0) or 1
    parts = [_svg_open(width, height, title, "bar-chart"),
             f'<text class="chart-title" x="0" y="20">{escape(title)}</text>']
    if not bars:
        parts.append(f'<text x="0" y="{top + 18}">没有数据 · no data</text>')
    for i, (label, value) in enumerate(bars):
        y = top + i * row_height
        length = max(bar_width * value / largest, 1 if value else 0)
        parts.append(
            f'<g class="bar-row"><text class="label" x="{label_width - 8}" y="{y + 18}" text-anchor="end">'
            f'{escape(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 8}">'
            f'<title>{escape(label)}: {_number(value)} {escape(unit)}</title></rect>'
            f'<text class="value" x="{label_width + length + 6:.1f}" y="{y + 18}">{_number(value)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(points: list[tuple[int, float]], title: str, unit: str = "万元") -> str:
    """Amounts by year; the y axis starts at zero so changes are not exaggerated."""
    width, height, left, right, top, bottom = 900, 320, 80, 60, 44, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [_svg_open(width, height, title, "line-chart"),
             f'<text class="chart-title" x="0" y="20">{escape(title)}</text>']
    if not points:
        parts.append(f'<text x="{left}" y="{top + 30}">没有数据 · no data</text></svg>')
        return "".join(parts)
    largest = max(value for _, value in points) or 1
    step = plot_w / max(len(points) - 1, 1)

    def xy(i, value):
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        return x, top + plot_h - plot_h * value / (largest * 1.1)

    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="unit" x="{left - 8}" y="{top - 6}" text-anchor="end">{escape(unit)}</text>')
    coordinates = [xy(i, value) for i, (_, value) in enumerate(points)]
    parts.append('<polyline class="line" points="{}"/>'.format(
        " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)))
    for (year, value), (x, y) in zip(points, coordinates):
        parts.append(
            f'<g class="point"><circle cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{year}: {_number(value)} {escape(unit)}'
            f'</title></circle><text class="value" x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">'
            f'{_number(value)}</text><text class="year" x="{x:.1f}" y="{top + plot_h + 22}" '
            f'text-anchor="middle">{year}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


# Tableau 10 (Maureen Stone's 2016 redesign of Tableau's default palette): ten hues chosen to stay
# apart from one another for categories; the old list had several near-identical blues and browns.
SERIES_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                  "#9c755f", "#bab0ac"]
END_LABEL_GAP = 14  # px between two direct labels' baselines, so neighbouring names never overprint


def nice_ticks(largest: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `largest` (1, 2, 2.5 or 5 times a power of ten)."""
    if largest <= 0:
        return [0.0, 1.0]
    raw = largest / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks, value = [], 0.0
    while value < largest + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def lines_chart_svg(series: list[dict], title: str, unit: str = "万元") -> str:
    """Several series over the years on one y axis that starts at zero, with ticks and gridlines.
    Each series: {"name": str, "points": [(year, value)], "dashed": bool}; a year a series has no
    figure for leaves a gap, never a zero. 决算 (final account) series are drawn dashed. Each line
    carries its name where it ends (nudged apart when ends meet), so no one matches colours to a legend."""
    width, left, right, top, bottom = 1160, 90, 270, 44, 40
    legend_rows = (len(series) + 2) // 3
    plot_h = 260
    height = top + plot_h + bottom + 22 * legend_rows + 10
    plot_w = width - left - right
    parts = [_svg_open(width, height, title, "line-chart"),
             f'<text class="chart-title" x="0" y="20">{escape(title)}</text>']
    years = sorted({year for s in series for year, _ in s["points"]})
    if not years:
        parts.append(f'<text x="{left}" y="{top + 30}">没有数据 · no data</text></svg>')
        return "".join(parts)
    ticks = nice_ticks(max(v for s in series for _, v in s["points"]))
    top_value = ticks[-1] or 1
    step = plot_w / max(len(years) - 1, 1)

    def x_of(year):
        return left + (years.index(year) * step if len(years) > 1 else plot_w / 2)

    def y_of(value):
        return top + plot_h - plot_h * value / top_value

    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>')
    parts.append(f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="unit" x="{left - 6}" y="{top - 8}" text-anchor="end">{escape(unit)}</text>')
    for year in years:
        x = x_of(year)
        parts.append(f'<line class="axis" x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}"/>'
                     f'<text class="year" x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle">{year}</text>')
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        dash = ' stroke-dasharray="7 4"' if s.get("dashed") else ""
        points = sorted(s["points"])
        runs, run = [], []
        for year, value in points:  # a missing year breaks the line
            if run and years.index(year) != years.index(run[-1][0]) + 1:
                runs.append(run)
                run = []
            run.append((year, value))
        runs.append(run)
        parts.append(f'<g class="series" data-name="{escape(s["name"])}">')
        for run in runs:
            if len(run) > 1:
                parts.append('<polyline class="line" style="stroke:{}"{} points="{}"/>'.format(
                    colour, dash, " ".join(f"{x_of(y):.1f},{y_of(v):.1f}" for y, v in run)))
        for year, value in points:
            parts.append(
                f'<g class="point"><circle cx="{x_of(year):.1f}" cy="{y_of(value):.1f}" r="4" style="fill:{colour}">'
                f'<title>{escape(s["name"])} {year}: {_number(value)} {escape(unit)}</title></circle>'
                + (f'<text class="value" x="{x_of(year):.1f}" y="{_label_y(y_of(value), top):.1f}" text-anchor="middle">'
                   f'{_number(value)}</text>' if len(series) <= 3 else "") + '</g>')
        parts.append("</g>")
        lx, ly = (i % 3) * ((width - right) // 3) + 10, top + plot_h + bottom + 10 + (i // 3) * 22
        parts.append(f'<g class="legend"><line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" style="stroke:{colour};'
                     f'stroke-width:3"{dash}/><text x="{lx + 34}" y="{ly + 4}">{escape(s["name"])}</text></g>')
    ends: dict[int, list[tuple[float, int]]] = {}  # labels that end in the same year share a column
    for i, s in enumerate(series):
        end_year, end_value = sorted(s["points"])[-1]
        ends.setdefault(end_year, []).append((y_of(end_value), i))
    placed = [(end_year, y, i, label_y) for end_year, column in ends.items()
              for (y, i), label_y in zip(sorted(column), spread_labels(sorted(y for y, _ in column), top + 4,
                                                                       top + plot_h + 4))]
    for end_year, y, i, label_y in placed:
        s, colour = series[i], SERIES_COLOURS[i % len(SERIES_COLOURS)]
        x = x_of(end_year)
        parts.append(f'<g class="end-label" data-name="{escape(s["name"])}">'
                     f'<line x1="{x + 6:.1f}" y1="{y:.1f}" x2="{x + 14:.1f}" y2="{label_y - 4:.1f}" '
                     f'style="stroke:{colour};stroke-width:2"/><text x="{x + 16:.1f}" y="{label_y:.1f}" '
                     f'style="fill:{darker(colour)}">'
                     f'{escape(s["name"])}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def darker(colour: str, share: float = 0.35) -> str:
    """The colour mixed with `share` black: the palette's yellow and grey are too pale for text."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in channels)


def spread_labels(ys: list[float], lowest: float, highest: float, gap: float = END_LABEL_GAP) -> list[float]:
    """Baselines for labels wanted at the sorted heights `ys`: each as near its own line as it can
    be, at least `gap` below the one above it, and pushed back up when the last would fall below
    `highest` (SVG y grows downwards)."""
    placed: list[float] = []
    for y in ys:
        placed.append(max(y + 4, lowest, placed[-1] + gap) if placed else max(y + 4, lowest))
    overflow = (placed[-1] - highest) if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


def _label_y(y: float, top: float) -> float:
    """A point's value above it, or below it when the point is at the top of the plot."""
    return y - 9 if y - 9 > top + 12 else y + 18


def _svg_open(width, height, title, kind):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">')


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
