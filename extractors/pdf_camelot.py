"""A second opinion from camelot for a table whose own arithmetic does not hold.

pdfplumber's grid is the first reading. When a table fails its identities (a parent is not
the sum of its children, a total is not basic + project), camelot's lattice and stream
readings of that table's area (not the whole page: `table_area`) are scored with the same
checks, and the reading whose arithmetic holds best is kept. Most failures are the document's own (rounding, misprinted rows), and
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


AREA_MARGIN = 4.0  # points around the table's rules, so camelot sees the rules themselves


def table_area(data: bytes, table: Table) -> str | None:
    """The table's area on its page in camelot's terms ("x0,y_top,x1,y_bottom", PDF points
    from the bottom left), or None when it cannot be found again (camelot then reads the page).

    The page is read again (PDFium, a few milliseconds) and the ruled table whose body rows are
    the table's is the one; a one-page table is one of its page's grids as `read_page` built it.
    """
    from extractors import pdf_pdfium
    from extractors.pdf_page import read_page

    try:
        document = pdf_pdfium.open_document(data)
        try:
            page = pdf_pdfium.read_pdfium_page(document, table.page - 1)
        finally:
            document.close()
        if page is None:
            return None  # a page pdfplumber reads: camelot reads the whole page
        found, _, _ = read_page(page, table.page)
    except Exception:  # the page cannot be read again: camelot reads the whole page
        return None
    for grid in found:
        if grid.layout.rows == table.rows or (grid.layout.rows and grid.layout.rows[:1] == table.rows[:1]):
            x0, x1 = grid.columns[0][0] - AREA_MARGIN, grid.columns[-1][1] + AREA_MARGIN
            top, bottom = max(grid.top - AREA_MARGIN, 0.0), grid.bottom + AREA_MARGIN
            return f"{max(x0, 0.0):g},{page.height - top:g},{x1:g},{max(page.height - bottom, 0.0):g}"
    return None


def camelot_grids(data: bytes, page: int, area: str | None = None) -> list[Grid]:
    """Camelot's lattice and stream readings of one page (or of one area of it: `table_area`)
    as grids (merged text copied across)."""
    try:
        import camelot
    except (ImportError, OSError):
        # a dependency of the project, but its native libraries (OpenCV's) may not load in a
        # worker near its address-space limit ('failed to map segment'): the first reading stands
        return []
    grids = []
    for flavor, options in (("lattice", {"copy_text": ["h", "v"]}), ("stream", {})):
        if area:
            options = {**options, "table_areas": [area]}
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
    for grid in camelot_grids(data, table.page, table_area(data, table)):
        layout = stack_halves(split_layout(grid))
        rival = Table(title=table.title, header=layout.header, rows=layout.rows, unit=table.unit,
                      page=table.page, index=table.index, label=table.label,
                      source_rows=layout.source_rows, notes=list(table.notes))
        r_ok, r_n = agreement(rival)
        if r_n >= n and r_ok / r_n > best_share:
            best, best_share = rival, r_ok / r_n
    return best
