"""The table finder's cells are pdfplumber's cells, found by rows and columns.

`extractors.pdf_cells.cells_of` replaces pdfplumber's `intersections_to_cells` inside
pdfplumber's own `TableFinder`; these tests hold it to pdfplumber's result (the same cells in
the same order) on small ruled grids that show each rule and on every page of the corpus.
"""
from __future__ import annotations

import pytest
from pdfplumber.table import TableFinder as PlumberTableFinder
from pdfplumber.table import TableSettings, edges_to_intersections, intersections_to_cells

from conftest import needs_corpus
from corpus_pages import ruled_pdfium_pages
from extractors.pdf_cells import cells_of, find_tables
from extractors.pdf_settings import SETTINGS


def h(y: float, x0: float, x1: float) -> dict:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, "orientation": "h"}


def v(x: float, top: float, bottom: float) -> dict:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top, "orientation": "v"}


def crossings(edges: list[dict]) -> dict:
    return edges_to_intersections(edges, 3, 3)


def test_a_two_by_two_grid_has_four_cells_row_by_column():
    edges = [h(0, 0, 20), h(10, 0, 20), h(20, 0, 20), v(0, 0, 20), v(10, 0, 20), v(20, 0, 20)]
    assert cells_of(crossings(edges)) == [(0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 20, 10), (10, 10, 20, 20)]
    assert cells_of(crossings(edges)) == intersections_to_cells(crossings(edges))


def test_a_merged_cell_spans_the_rule_that_stops_short():
    # the middle rule stops at x = 10: the right half is one tall cell
    edges = [h(0, 0, 20), h(10, 0, 10), h(20, 0, 20), v(0, 0, 20), v(10, 0, 20), v(20, 0, 20)]
    assert cells_of(crossings(edges)) == [(0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 20, 20)]
    assert cells_of(crossings(edges)) == intersections_to_cells(crossings(edges))


def test_a_missing_rule_leaves_no_cell():
    # no rule at the bottom of the right column: the corner is never closed there
    edges = [h(0, 0, 20), h(10, 0, 20), h(20, 0, 10), v(0, 0, 20), v(10, 0, 20), v(20, 0, 10)]
    assert cells_of(crossings(edges)) == intersections_to_cells(crossings(edges)) == [
        (0, 0, 10, 10), (0, 10, 10, 20), (10, 0, 20, 10)]


def test_no_rules_no_cells():
    assert cells_of({}) == []


@needs_corpus
@pytest.mark.slow
def test_every_corpus_page_gives_pdfplumbers_cells_and_tables():
    settings = TableSettings.resolve(SETTINGS.table_settings())
    differences, cells = [], 0
    for name, number, ruled in ruled_pdfium_pages():
        theirs = PlumberTableFinder(ruled, settings)
        cells += len(theirs.cells)
        if cells_of(theirs.intersections) != theirs.cells:
            differences.append(f"{name} page {number}: the cells differ")
        if [t.cells for t in find_tables(ruled, SETTINGS.table_settings())] != [t.cells for t in theirs.tables]:
            differences.append(f"{name} page {number}: the tables differ")
    assert not differences, "\n".join(differences[:20])
    assert cells > 10_000
