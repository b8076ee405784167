"""One PDF page → its ruled tables (each with the printed lines around it) and its text lines.

A page is read by PDFium (`extractors.pdf_pdfium`), which gives the same chars and rules as
pdfplumber at a fraction of the cost, or by pdfplumber where PDFium cannot give the same
(`PdfPages` chooses per page and counts). pdfplumber's table finder finds the ruled cells; a
glyph belongs to the cell its centre lies in; the grid is built by `extractors.pdf_grid`. Lines above a table (down to the table before it) may caption
it, note-like lines below it are its remarks; the framing stage reads them (`pdf_join`).
"""
from __future__ import annotations

import io
import os
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from pdfplumber.utils import extract_text as chars_to_text
from pdfplumber.utils.text import LIGATURES

from extractors import pdf_pdfium
from extractors import vocabulary as v
from extractors.pdf_cells import find_tables
from extractors.pdf_grid import Layout, build_grid, cell_text, cells_from_boxes, is_body_row, split_layout, stack_halves
from extractors.pdf_lines import Line, text_lines
from extractors.pdf_settings import SETTINGS, PdfSettings


@dataclass
class PageTable:
    """A grid found on one page, before tables running over pages are joined."""

    page: int
    top: float
    bottom: float
    layout: Layout
    columns: list[tuple[float, float]]
    above: list[Line] = field(default_factory=list)
    below: list[Line] = field(default_factory=list)
    after: list[Line] = field(default_factory=list)  # lines below the page's last table


def reading_order_score(page) -> float:
    """Share of the page's text that reads left to right on upright lines (1.0 for a normal page).

    A table printed sideways (or a page whose /Rotate disagrees with its content) reads top to
    bottom or right to left; its glyphs are not upright, or advance leftwards.
    """
    known = getattr(page, "reading_order", None)  # a PDFium page keeps its score (pdf_pdfium)
    if known is not None:
        return known
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if len(chars) < 20:
        return 1.0
    upright = sum(1 for c in chars if c.get("upright", True)) / len(chars)
    pairs = [(a, b) for a, b in zip(chars, chars[1:]) if abs(a["top"] - b["top"]) < 2]
    forward = sum(1 for a, b in pairs if b["x0"] >= a["x0"]) / len(pairs) if pairs else 1.0
    return min(upright, forward)


def upright_page(data: bytes, index: int):
    """The page turned so that its text reads normally, or None if no quarter turn does that."""
    try:
        import pdfplumber
        import pypdf
    except ModuleNotFoundError:  # pragma: no cover - both are dependencies
        return None
    best, best_score = None, SETTINGS.min_reading_order
    for turn in (90, 270, 180):
        writer = pypdf.PdfWriter()
        writer.add_page(pypdf.PdfReader(io.BytesIO(data)).pages[index])
        writer.pages[0].rotate(turn)
        out = io.BytesIO()
        writer.write(out)
        page = pdfplumber.open(io.BytesIO(out.getvalue())).pages[0]
        score = reading_order_score(page)
        if score > best_score:
            best, best_score = page, score
    return best


def _is_fill(obj) -> bool:
    """A filled, unstroked box wider than a rule is a cell background, not a border."""
    return (
        obj.get("object_type") == "rect" and obj.get("fill") and not obj.get("stroke")
        and min(obj["width"], obj["height"]) >= SETTINGS.min_fill
    )


def read_page(page, number: int, settings: PdfSettings = SETTINGS) -> tuple[list[PageTable], list[Line], bool]:
    """One page → its ruled tables (with the text lines around each) and its text lines."""
    ruled = page.filter(lambda obj: not _is_fill(obj))
    words = ruled.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=settings.x_tolerance)
    # a page whose only content is pictures is a scan; a blank page is just blank
    has_text = any(not v.PAGE_NUMBER.match(w["text"]) for w in words) or not page.images
    found = []
    boxes = []
    chars = _CharIndex([c for c in ruled.chars if c.get("text", "").strip()])
    for table in find_tables(ruled, settings.table_settings()):
        cell_boxes = list(table.cells)
        # a glyph belongs to the cell its centre is in: tall glyphs overhang the rule below them
        texts = [cell_text(one_line_text(chars.within(box), settings.x_tolerance))
                 for box in cell_boxes]
        cells, columns = cells_from_boxes(cell_boxes, texts)
        grid = build_grid(cells, columns)
        if grid.width < 2 or len(grid.texts) < 1:
            continue
        layout = stack_halves(split_layout(grid))
        found.append(PageTable(number, table.bbox[1], table.bbox[3], layout, grid.columns))
        boxes.append(table.bbox)
    lines = text_lines([w for w in words if not any(_within(w, b) for b in boxes)], settings)
    found.sort(key=lambda t: t.top)
    taken: set[int] = set()
    for table in found:
        taken.update(_adopt_unruled_rows(table, lines, settings))
    lines = [ln for ln in lines if id(ln) not in taken]
    for i, table in enumerate(found):
        ceiling = found[i - 1].bottom if i else 0.0
        floor = found[i + 1].top if i + 1 < len(found) else page.height + 1
        table.above = [ln for ln in lines if ln.bottom <= table.top + 1 and ln.top >= ceiling - 1]
        table.below = [
            ln for ln in lines
            if ln.top >= table.bottom - 1 and ln.bottom <= floor + 1 and v.is_note(ln.text)
        ]
    if found:
        found[-1].after = [ln for ln in lines if ln.top >= found[-1].bottom - 1]
    return found, lines, has_text


def _adopt_unruled_rows(table: PageTable, lines: list[Line], settings: PdfSettings = SETTINGS) -> list[int]:
    """Body rows printed just outside a table's rules (a page break cut the rule) join the table."""
    if not table.layout.rows and not table.layout.header:
        return []
    width = len(table.columns)
    adopted: list[int] = []
    edge = table.top
    for line in sorted((ln for ln in lines if ln.bottom <= table.top + 1), key=lambda ln: -ln.top):
        if edge - line.bottom > settings.row_gap:
            break
        row = _row_from_words(line.words, table.columns)
        if row is None or len(row) != width or not is_body_row(row):
            break
        table.layout.rows.insert(0, row)
        table.layout.source_rows.insert(0, line.text)
        adopted.append(id(line))
        edge = line.top
    edge = table.bottom
    for line in sorted((ln for ln in lines if ln.top >= table.bottom - 1), key=lambda ln: ln.top):
        if line.top - edge > settings.row_gap:
            break
        row = _row_from_words(line.words, table.columns)
        if row is None or len(row) != width or not is_body_row(row):
            break
        table.layout.rows.append(row)
        table.layout.source_rows.append(line.text)
        adopted.append(id(line))
        edge = line.bottom
    return adopted


def _row_from_words(words: list[dict], columns: list[tuple[float, float]]) -> list[str] | None:
    row = [""] * len(columns)
    for w in words:
        cx = (w["x0"] + w["x1"]) / 2
        k = next((i for i, (x0, x1) in enumerate(columns) if x0 <= cx <= x1), None)
        if k is None:
            return None  # a word outside the table's columns: not one of its rows
        row[k] += w["text"]
    return row


def one_line_text(chars: list[dict], x_tolerance: float) -> str:
    """pdfplumber's `extract_text(chars, x_tolerance=…)`, computed directly for what most cells
    hold: upright glyphs on one line (one `top`), none of them blank. pdfplumber then makes one
    line of them ordered by x0 (a stable sort), starts a new word where a glyph begins more than
    x_tolerance right of the previous one's end, joins words with a space and expands ligatures
    (its other test, a glyph beginning left of the previous one, cannot hold once sorted).
    Anything else (several lines, turned text, blanks) is left to pdfplumber."""
    if not chars:
        return ""
    top = chars[0]["top"]
    for c in chars:
        if c["top"] != top or not c["upright"] or not c["text"] or c["text"].isspace():
            return chars_to_text(chars, x_tolerance=x_tolerance)
    parts = []
    previous = None
    for c in sorted(chars, key=lambda c: c["x0"]):
        if previous is not None and c["x0"] > previous["x1"] + x_tolerance:
            parts.append(" ")
        parts.append(LIGATURES.get(c["text"], c["text"]))
        previous = c
    return "".join(parts)


class _CharIndex:
    """A page's glyphs sorted by the height of their centres: the glyphs whose centre lies in a
    box are found by bisection, not by testing every glyph for every cell."""

    def __init__(self, chars: list[dict]):
        centres = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, i) for i, c in enumerate(chars)]
        centres.sort(key=lambda t: t[0])
        self.chars = chars
        self.ys = [t[0] for t in centres]
        self.rest = [(t[1], t[2]) for t in centres]

    def within(self, bbox) -> list[dict]:
        """The glyphs whose centre lies in bbox (edges included), in the page's order."""
        x0, top, x1, bottom = bbox
        lo, hi = bisect_left(self.ys, top), bisect_right(self.ys, bottom)
        hits = sorted(i for cx, i in self.rest[lo:hi] if x0 <= cx <= x1)
        return [self.chars[i] for i in hits]


def _centre_within(obj, bbox) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


_within = _centre_within


# ---- which reader reads which page -----------------------------------------------------------

READERS = ("pdfium", "pdfplumber")


def default_reader() -> str:
    """PDFium unless BUDGETS_PDF_READER=pdfplumber asks for pdfminer's reading of every page."""
    chosen = os.environ.get("BUDGETS_PDF_READER", "pdfium")
    return chosen if chosen in READERS and pdf_pdfium.available() else "pdfplumber"


class PdfPages:
    """A PDF's pages for `read_page`, each read by PDFium where it gives what pdfplumber gives,
    by pdfplumber otherwise: text that is not upright or does not read left to right (turned by
    `upright_page`), and glyphs without a Unicode mapping (pdfminer's `(cid:N)`, which the
    document checks read as a garbled text layer). `read_by` counts the pages per reader.

    Used like the pdfplumber document it stands in for: `len(pages.pages)`, iterating
    `pages.pages`, a context manager. Opening raises PDFium's password and format errors as
    `pdf_pdfium.PdfiumPasswordError` / `PdfiumFormatError`.
    """

    def __init__(self, data: bytes, reader: str | None = None):
        self.data = data
        self.reader = reader or default_reader()
        self.read_by: Counter = Counter()
        self.slow_pages: list[int] = []  # 1-based numbers of the pages pdfplumber read
        self._plumber = None
        self._document = None
        if self.reader == "pdfium":
            self._document = pdf_pdfium.open_document(data)
            self._count = len(self._document)
        else:
            self._count = len(self._plumber_document().pages)

    def _plumber_document(self):
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(io.BytesIO(self.data))
        return self._plumber

    @property
    def pages(self) -> "PdfPages":
        return self

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        doctop = 0.0
        for index in range(self._count):
            page = None
            if self._document is not None:
                page = pdf_pdfium.read_pdfium_page(self._document, index, doctop)
                if page is not None:
                    page.reading_order = reading_order_score(page)
                    if page.reading_order < SETTINGS.min_reading_order:
                        page = None  # upright glyphs that advance leftwards: pdfplumber's turning
            if page is None:
                page = self._plumber_document().pages[index]
                self.read_by["pdfplumber"] += 1
                self.slow_pages.append(index + 1)
            else:
                self.read_by["pdfium"] += 1
            doctop += page.height
            yield page

    def close(self) -> None:
        if self._plumber is not None:
            plumber, self._plumber = self._plumber, None
            try:
                plumber.close()
            except Exception:  # pdfplumber parses a damaged file's pages again as it closes them
                pass
        if self._document is not None:
            self._document.close()
            self._document = None

    def __enter__(self) -> "PdfPages":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def note(self) -> dict[str, int]:
        """Pages read per reader, e.g. {'pdfium': 30, 'pdfplumber': 2}."""
        return {name: self.read_by[name] for name in READERS if self.read_by[name]}
