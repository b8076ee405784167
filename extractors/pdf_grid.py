"""Ruled cells → the table model's grid.

pdfplumber finds the cells a table's ruling lines enclose; this module turns those cells into a
full-width grid (merged cells repeated into every row and column they cover), removes the
artefacts that generated PDFs leave (hairline columns between doubled rules, a column split in
two by a misaligned rule), splits header rows from body rows, and stacks a table printed as a
left and a right half. Everything here is pure: cells in, lists of strings out.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from extractors import vocabulary as v
from extractors.numbers import is_amount
from extractors.pdf_settings import SETTINGS

_SPACES = re.compile(r"[ \t\u3000]+")


@dataclass
class Cell:
    """One ruled cell: its text and the grid span it covers."""

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass
class Grid:
    """Rows of cell texts plus, per position, the id of the cell that fills it (merges share ids)."""

    texts: list[list[str]]
    ids: list[list[int]]
    columns: list[tuple[float, float]] = field(default_factory=list)  # x extent of each column

    @property
    def width(self) -> int:
        return len(self.texts[0]) if self.texts else 0


@dataclass
class Layout:
    header: list[list[str]]
    rows: list[list[str]]
    source_rows: list[str] = field(default_factory=list)
    title_rows: list[str] = field(default_factory=list)  # title/unit lines printed inside the frame


def cell_text(text: str | None) -> str:
    """A cell's lines joined as printed: Chinese wraps inside a word, so lines join without space."""
    if not text:
        return ""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    joined = ""
    for line in lines:
        if not line:
            continue
        if joined and joined[-1].isascii() and joined[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            joined += " "
        joined += line
    return joined


def _cluster(values: list[float], tolerance: float = SETTINGS.edge_tolerance) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    """The nearest of the sorted edges (the lower one on a tie), found by bisection."""
    i = bisect_left(edges, value)
    if i == 0 or i == len(edges):
        return min(i, len(edges) - 1)
    return i - 1 if abs(edges[i - 1] - value) <= abs(edges[i] - value) else i


def cells_from_boxes(
    boxes: list[tuple[float, float, float, float]], texts: list[str]
) -> tuple[list[Cell], list[tuple[float, float]]]:
    """Cell boxes (x0, top, x1, bottom) and their texts → cells on the rule grid, column extents."""
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = []
    for (x0, top, x1, bottom), text in zip(boxes, texts):
        c0, c1 = _index(xs, x0), _index(xs, x1)
        r0, r1 = _index(ys, top), _index(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue  # a sliver thinner than the tolerance: no room for text
        cells.append(Cell(text, r0, c0, r1 - r0, c1 - c0))
    return cells, list(zip(xs, xs[1:]))


def build_grid(cells: list[Cell], columns: list[tuple[float, float]] | None = None) -> Grid:
    """Cells → full grid; each merged cell's text in every position it covers."""
    if not cells:
        return Grid([], [])
    n_rows = max(c.row + c.row_span for c in cells)
    n_cols = max(c.col + c.col_span for c in cells)
    texts = [[""] * n_cols for _ in range(n_rows)]
    ids = [[-1] * n_cols for _ in range(n_rows)]
    for i, c in enumerate(cells):
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                if ids[r][k] == -1:
                    texts[r][k] = c.text
                    ids[r][k] = i
    # positions no cell covers (an open frame) get ids of their own
    next_id = len(cells)
    for r in range(n_rows):
        for k in range(n_cols):
            if ids[r][k] == -1:
                ids[r][k] = next_id
                next_id += 1
    columns = list(columns or [(float(k), float(k + 1)) for k in range(n_cols)])[:n_cols]
    return _drop_empty_rows(_fuse_columns(Grid(texts, ids, columns)))


def _fuse_columns(grid: Grid) -> Grid:
    """Fuse neighbouring grid columns that are one printed column.

    Doubled or misaligned rules split one printed column into two grid columns: a hairline
    column between two rules, or a header cell spanning columns 0–1 above body cells spanning
    1–2. Two neighbours fuse when in every row one of them adds nothing: it is the same merged
    cell as its left neighbour, or it is empty and one of the two columns is a hairline. Real columns that merely happen to be empty on a page (an
    unused amount column on a continuation page) are wider than a hairline and stay.
    """
    k = 1
    while k < grid.width:
        a, b = k - 1, k
        rows = range(len(grid.texts))
        narrow = min(_width(grid, a), _width(grid, b)) < SETTINGS.hairline

        def spare_b(r: int) -> bool:
            return grid.ids[r][b] == grid.ids[r][a] or (not grid.texts[r][b] and narrow)

        def spare_a(r: int) -> bool:
            return (a > 0 and grid.ids[r][a] == grid.ids[r][a - 1]) or (
                not grid.texts[r][a] and narrow)

        if all(spare_b(r) or spare_a(r) for r in rows):
            for r in rows:
                if not spare_b(r):
                    grid.texts[r][a] = grid.texts[r][b]
                    grid.ids[r][a] = grid.ids[r][b]
                del grid.texts[r][b]
                del grid.ids[r][b]
            grid.columns[a] = (grid.columns[a][0], grid.columns[b][1])
            del grid.columns[b]
        else:
            k += 1
    return grid


def _width(grid: Grid, k: int) -> float:
    x0, x1 = grid.columns[k]
    return x1 - x0


def _drop_empty_rows(grid: Grid) -> Grid:
    keep = [r for r in range(len(grid.texts)) if any(t.strip() for t in grid.texts[r])]
    return Grid([grid.texts[r] for r in keep], [grid.ids[r] for r in keep], grid.columns)


# ---- header and body -------------------------------------------------------------------------



def _distinct(row_texts: list[str], row_ids: list[int]) -> list[str]:
    seen, out = set(), []
    for t, i in zip(row_texts, row_ids):
        if t and i not in seen:
            seen.add(i)
            out.append(t)
    return out


def _frame_meta(text: str) -> bool:
    """'编制单位：XX局' or '单位：万元' printed in a table's top row."""
    return bool(v.PREPARER.match(text) or v.UNIT_LINE.search(text))


def is_body_row(cells: list[str]) -> bool:
    """A ruled PDF row is body when it holds an amount or begins with a subject code. (A 合计
    cell alone does not make a body row here: ruled headers print 合计 as a column label, and the
    empty-table rule below reads a lone 合计 row.)"""
    first = next((c for c in cells if c.strip()), "")
    return any(is_amount(c) for c in cells) or bool(v.SUBJECT_CODE.match(first.replace(" ", "")))


def split_layout(grid: Grid) -> Layout:
    """Header rows, body rows and the title/unit lines some templates print inside the frame."""
    texts, ids = grid.texts, grid.ids
    title_rows: list[str] = []
    start = 0
    while start < len(texts):
        distinct = _distinct(texts[start], ids[start])
        joined = " ".join(distinct)
        single_span = len(set(ids[start])) == 1
        if distinct and (
            (single_span and v.TITLE_IN_FRAME.search(joined.replace(" ", "")))
            or all(_frame_meta(d.replace(" ", "")) for d in distinct)
        ):
            title_rows.append(joined)
            start += 1
            continue
        break
    body_start = next((r for r in range(start, len(texts)) if is_body_row(texts[r])), None)
    has_amounts = body_start is not None
    if body_start is None:
        body_start = next(
            (r for r in range(start, len(texts))
             if tuple(d.replace(" ", "") for d in _distinct(texts[r], ids[r])) in v.EMPTY_BODY_MARKERS),
            len(texts),
        )
    header = [list(row) for row in texts[start:body_start]]
    body = [list(row) for row in texts[body_start:]]
    body_ids = ids[body_start:]
    if not has_amounts:
        body, body_ids = [], []  # an empty mandated table: only its frame is printed
    source = [" ".join(_distinct(row, rid)) for row, rid in zip(body, body_ids)]
    return Layout(header=header, rows=body, source_rows=source, title_rows=title_rows)


def stack_halves(layout: Layout) -> Layout:
    """A table printed as left and right halves with the same columns → one table, halves stacked.

    Recognised from the header alone: the bottom header row reads the same twice over
    (科目编码 科目名称 决算数 | 科目编码 科目名称 决算数), and the columns above do not say
    the halves are different things (收入 | 支出 keeps its two sides).
    """
    width = len(layout.header[0]) if layout.header else 0
    if width < 4 or width % 2:
        return layout
    half = width // 2
    bottom = layout.header[-1]
    if bottom[:half] != bottom[half:] or not all(bottom[:half]):
        return layout
    for row in layout.header[:-1]:
        if row[:half] != row[half:]:
            return layout
    header = [row[:half] for row in layout.header]
    left = [row[:half] for row in layout.rows]
    right = [row[half:] for row in layout.rows]
    keep_l = [i for i, r in enumerate(left) if any(c.strip() for c in r)]
    keep_r = [i for i, r in enumerate(right) if any(c.strip() for c in r)]
    rows = [left[i] for i in keep_l] + [right[i] for i in keep_r]
    source = [" ".join(dict.fromkeys(c for c in r if c)) for r in rows]
    return Layout(header=header, rows=rows, source_rows=source, title_rows=layout.title_rows)
