"""pdfplumber's table finder with its cell step done by rows and columns, not by every point.

pdfplumber's `intersections_to_cells` finds, for each crossing of rules, the smallest cell it
is the top left corner of; to find the crossings below and to the right of a point it scans
every later point, and it rebuilds the sets of rules through both points for every pair it
tests. On a page of a budget table (hundreds of crossings) that scan was most of the finder's
time. `cells_of` gives the same cells in the same order: the points below a point are the
later points of its column, those to its right the later points of its row, and each point's
rules are gathered once.
"""
from __future__ import annotations

from pdfplumber import table as plumber_table
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]


def cells_of(intersections: dict[Point, dict]) -> list[Bbox]:
    """The cells `pdfplumber.table.intersections_to_cells(intersections)` gives, in its order."""
    points = sorted(intersections)
    vertical = {p: {obj_to_bbox(e) for e in intersections[p]["v"]} for p in points}
    horizontal = {p: {obj_to_bbox(e) for e in intersections[p]["h"]} for p in points}
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for p in points:  # in sorted order, so each column runs down and each row rightwards
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)
    place = {p: i for line in columns.values() for i, p in enumerate(line)}
    across = {p: i for line in rows.values() for i, p in enumerate(line)}

    def connects(p: Point, q: Point) -> bool:
        if p[0] == q[0] and not vertical[p].isdisjoint(vertical[q]):
            return True
        return p[1] == q[1] and not horizontal[p].isdisjoint(horizontal[q])

    cells = []
    for pt in points:
        below = columns[pt[0]][place[pt] + 1:]
        right = rows[pt[1]][across[pt] + 1:]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(pt, below, right, intersections, connects) -> Bbox | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


class TableFinder(plumber_table.TableFinder):
    """pdfplumber's `TableFinder`, its cells found by `cells_of`. The steps are pdfplumber's own
    (`TableFinder.__init__` of pdfplumber 0.11): edges, their crossings, cells, tables."""

    def __init__(self, page, settings=None):
        self.page = page
        self.settings = plumber_table.TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = plumber_table.edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = cells_of(self.intersections)
        self.tables = [plumber_table.Table(self.page, group) for group in plumber_table.cells_to_tables(self.cells)]


def find_tables(page, table_settings=None) -> list:
    """The tables pdfplumber's `page.find_tables(table_settings)` finds, on a pdfplumber page or
    on a `pdf_pdfium.PdfiumPage`."""
    return TableFinder(page, table_settings).tables
