"""A second opinion from camelot for a table whose own arithmetic does not hold.

pdfplumber's grid is the first reading. When a table fails its identities (a parent is not
the sum of its children, a total is not basic + project), camelot's lattice and stream
readings of the same page are scored with the same checks, and the reading whose arithmetic
holds best is kept. Most failures are the document's own (rounding, misprinted rows), and
then the first reading stays: a rival must do strictly better to replace it.
"""
from __future__ import annotations

import io
import warnings

from extractors.model import Table
from extractors.pdf_checks import check_table
from extractors.pdf_grid import Grid, cell_text, split_layout, stack_halves


def agreement(table: Table) -> tuple[int, int]:
    """(checks that hold, checks made) for one table."""
    checks = check_table(table)
    return sum(c.ok for c in checks), len(checks)


def camelot_grids(data: bytes, page: int) -> list[Grid]:
    """Camelot's lattice and stream readings of one page as grids (merged text copied across)."""
    try:
        import camelot
    except ModuleNotFoundError:  # pragma: no cover - a dependency of the project
        return []
    grids = []
    for flavor, options in (("lattice", {"copy_text": ["h", "v"]}), ("stream", {})):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tables = camelot.read_pdf(io.BytesIO(data), pages=str(page), flavor=flavor, **options)
        except Exception:  # camelot could not read this page; the first reading stands
            continue
        for found in tables:
            texts = [[cell_text(str(c)) for c in row] for row in found.df.values.tolist()]
            if not texts or len(texts[0]) < 2:
                continue
            width = len(texts[0])
            ids = [[r * width + k for k in range(width)] for r in range(len(texts))]
            columns = [(float(c[0]), float(c[1])) for c in getattr(found, "cols", [])][:width]
            grids.append(Grid(texts, ids, columns))
    return grids


def better_reading(data: bytes, table: Table) -> Table | None:
    """Camelot's reading of a one-page table if its arithmetic holds better than ours, else None."""
    ok, n = agreement(table)
    if n == 0 or ok == n:
        return None
    best, best_share = None, ok / n
    for grid in camelot_grids(data, table.page):
        layout = stack_halves(split_layout(grid))
        rival = Table(title=table.title, header=layout.header, rows=layout.rows, unit=table.unit,
                      page=table.page, index=table.index, label=table.label,
                      source_rows=layout.source_rows, notes=list(table.notes))
        r_ok, r_n = agreement(rival)
        if r_n >= n and r_ok / r_n > best_share:
            best, best_share = rival, r_ok / r_n
    return best
