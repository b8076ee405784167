"""HTML converted from a PDF → the PDF reader's pages.

Converters (poppler's `pdftohtml -c`, pdf2htmlEX and the like) print no <table>: every run of
text is a box placed absolutely on its page (`top`/`left` in px, the font size from the box's
class), and the ruling lines are painted into a background picture. This module reads the boxes
as positioned words, draws the rules of each table back from the words' alignment, and hands
the pages to the PDF reader itself (`pdf_page.read_page`, then `unruled_continuations` and
`join_tables` over the pages, framing, narrative), so a converted page is read by the one code
path that reads PDFs.

What a box does not say is estimated: its words' widths (a wide glyph is one em, another half an
em) and the width of the gap a converter writes as one `&nbsp;` between two words it merged into
one box. Rules are drawn only where no word crosses them, so a header printed over several
columns stays one merged cell, as on the PDF.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extractors import vocabulary as v
from extractors.model import Extraction, Paragraph
from extractors.numbers import is_amount
from extractors.pdf_join import join_tables, unruled_continuations
from extractors.pdf_lines import Line, text_lines
from extractors.pdf_narrative import document_title, paragraphs_of
from extractors.pdf_page import read_page
from extractors.pdf_pdfium import PdfiumPage

PX_TO_PT = 0.75  # CSS: 1px = 0.75pt; the PDF reader's tolerances are in points
MIN_BOXES = 20  # fewer absolutely placed text boxes than this is a page layout, not a converted document
GAP_EM = 1.0  # the width, in ems, of the gap one &nbsp; stands for between two merged words
HEADER_GAP_EM = 3.5  # a line further than this above the table's next line is not its header
_POSITION = re.compile(r"(?<![\w-])(top|left|bottom|font-size|height|width)\s*:\s*(-?[\d.]+)(px|pt)?", re.I)
_CSS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
_ABSOLUTE = re.compile(r"position\s*:\s*absolute", re.I)
_WORD_GAP = re.compile(r"[\u00a0\u3000]+| {2,}")


@dataclass
class Box:
    """One absolutely placed run of text: its page, top-left corner and font size in pt."""

    page: int
    left: float
    top: float
    size: float
    lines: list[str]  # the box's lines (<br/> between them)


def _style_of(element, classes: dict[str, dict[str, float]]) -> dict[str, float]:
    values: dict[str, float] = {}
    for name in (element.get("class") or "").split():
        values.update(classes.get(name, {}))
    values.update(_declarations(element.get("style") or ""))
    return values


def _declarations(css: str) -> dict[str, float]:
    out = {}
    for name, number, unit in _POSITION.findall(css):
        value = float(number)
        out[name.lower()] = value * (1.0 if (unit or "px").lower() == "pt" else PX_TO_PT)
    return out


def css_classes(root) -> dict[str, dict[str, float]]:
    """`.ft12{font-size:15px}` and the like from the page's <style> elements, in pt."""
    classes: dict[str, dict[str, float]] = {}
    for style in root.xpath("//style"):
        for name, body in _CSS_RULE.findall(style.text or ""):
            classes.setdefault(name, {}).update(_declarations(body))
    return classes


def positioned_boxes(root) -> list[Box]:
    """Every absolutely placed element that holds text and no other such element, in page order.
    A page is the nearest enclosing element with an id naming a page (`page3-div`, `pf3`) or,
    failing that, one page for the whole document."""
    classes = css_classes(root)
    boxes = []
    pages: dict[object, int] = {}
    # '//*', not root.iter(): `pdftohtml -s` writes one <html> per page into the file, and libxml2
    # keeps the later ones beside the root element, where only the document's XPath sees them
    for element in root.xpath("//*"):
        if not isinstance(element.tag, str) or element.tag in ("style", "script"):
            continue
        if not _ABSOLUTE.search(element.get("style") or "") and not _placed_by_class(element, classes):
            continue
        if any(_ABSOLUTE.search(d.get("style") or "") for d in element.iterdescendants() if isinstance(d.tag, str)):
            continue
        lines = _box_lines(element)
        if not any(line.strip() for line in lines):
            continue
        style = _style_of(element, classes)
        if "left" not in style or "top" not in style and "bottom" not in style:
            continue
        page_element = _page_of(element)
        key = page_element if page_element is not None else None  # an lxml proxy: kept alive by the dict
        page = pages.setdefault(key, len(pages) + 1)
        size = style.get("font-size") or _inherited_size(element, classes) or 12.0
        top = style["top"] if "top" in style else _page_height(page_element, classes) - style["bottom"] - size
        boxes.append(Box(page, style["left"], top, size, lines))
    return boxes


def _placed_by_class(element, classes) -> bool:
    names = (element.get("class") or "").split()
    return bool(names) and any("left" in classes.get(n, {}) for n in names) and element.text is not None


def _box_lines(element) -> list[str]:
    lines = [""]
    if element.text:
        lines[-1] += element.text
    for child in element.iterdescendants():
        if not isinstance(child.tag, str):
            continue
        if child.tag.lower() == "br":
            lines.append("")
        elif child.text:
            lines[-1] += child.text
        if child.tail:
            lines[-1] += child.tail
    return lines


def _page_of(element):
    parent = element.getparent()
    while parent is not None:
        if re.match(r"^(page\d+(-div)?|pf[0-9a-f]+)$", parent.get("id") or ""):
            return parent
        parent = parent.getparent()
    return None


def _page_height(page_element, classes) -> float:
    if page_element is None:
        return 842.0
    return _style_of(page_element, classes).get("height", 842.0)


def _inherited_size(element, classes) -> float | None:
    parent = element.getparent()
    while parent is not None:
        size = _style_of(parent, classes).get("font-size")
        if size:
            return size
        parent = parent.getparent()
    return None


def is_positioned(root) -> bool:
    return len(positioned_boxes(root)) >= MIN_BOXES


def _glyph_width(ch: str, size: float) -> float:
    return size if unicodedata.east_asian_width(ch) in ("W", "F") else size / 2


def box_words(box: Box) -> list[dict]:
    """A box's words as pdfplumber's char dicts, grouped by word: [[char, …], …]."""
    words = []
    for n, line in enumerate(box.lines):
        top = box.top + n * box.size * 1.2
        x = box.left
        for piece in re.split(f"({_WORD_GAP.pattern})", line):
            if not piece:
                continue
            if _WORD_GAP.fullmatch(piece):
                x += box.size * GAP_EM if x > box.left else sum(_glyph_width(" ", box.size) for _ in piece)
                continue
            chars = []
            for ch in piece:
                width = _glyph_width(ch, box.size)
                if ch.strip():
                    chars.append(_char(ch, box, x, x + width, top))
                x += width
            if chars:
                words.append(chars)
    return words


def _char(ch: str, box: Box, x0: float, x1: float, top: float) -> dict:
    bottom = top + box.size
    return {"object_type": "char", "page_number": box.page, "text": ch, "size": box.size, "upright": True,
            "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "y0": 0.0, "y1": box.size,
            "width": x1 - x0, "height": box.size, "matrix": (1, 0, 0, 1, x0, 0), "fontname": ""}


def _word(chars: list[dict]) -> dict:
    return {"text": "".join(c["text"] for c in chars), "x0": chars[0]["x0"], "x1": chars[-1]["x1"],
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars)}


# ---- the rules a converter painted into its background, drawn back from the words ----------

def is_body_line(line: Line) -> bool:
    """A table row: two words or more, one an amount (a year or a page number is none)."""
    amounts = [w for w in line.words if is_amount(w["text"]) and not re.fullmatch(r"20\d\d年?", w["text"])]
    return len(line.words) >= 2 and bool(amounts)


def table_blocks(lines: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """(header lines, body lines) of each table on a page: runs of body lines (a line without an
    amount between two of them, a wrapped name, stays in) and the lines just above the first."""
    blocks: list[tuple[list[Line], list[Line]]] = []
    i = 0
    while i < len(lines):
        if not is_body_line(lines[i]):
            i += 1
            continue
        start = i
        end = i
        while end + 1 < len(lines):
            nxt = end + 1
            if is_body_line(lines[nxt]):
                end = nxt
            elif nxt + 1 < len(lines) and is_body_line(lines[nxt + 1]) and not _ends_table(lines[nxt]):
                end = nxt + 1
            else:
                break
        header = _header_above(lines, start, blocks[-1][1][-1] if blocks else None)
        blocks.append((header, lines[start:end + 1]))
        i = end + 1
    return blocks


def _ends_table(line: Line) -> bool:
    text = "".join(line.text.split())
    return bool(v.TITLE_LINE.match(text) or v.split_label(text)[0] or v.unit_in(text) or v.is_note(text))


def _header_above(lines: list[Line], start: int, previous: Line | None) -> list[Line]:
    header: list[Line] = []
    below = lines[start]
    for line in reversed(lines[:start]):
        if previous is not None and line.top <= previous.bottom:
            break
        text = "".join(line.text.split())
        size = max(w["bottom"] - w["top"] for w in line.words)
        if _ends_table(line) or v.PREPARER.match(text) or below.top - line.bottom > HEADER_GAP_EM * size:
            break
        header.insert(0, line)
        below = line
    return header


def _spans(words: list[dict]) -> list[tuple[float, float]]:
    """The x ranges the words cover, overlapping ranges merged: each is a printed column."""
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: w["x0"]):
        if spans and w["x0"] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], w["x1"])
        else:
            spans.append([w["x0"], w["x1"]])
    return [(a, b) for a, b in spans]


def _rule(x0: float, top: float, x1: float, bottom: float, page: int) -> dict:
    return {"object_type": "line", "page_number": page, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "y0": 0.0, "y1": 0.0, "width": x1 - x0, "height": bottom - top,
            "pts": [(x0, top), (x1, bottom)], "linewidth": 0.5, "stroke": True, "fill": False}


def drawn_rules(header: list[Line], body: list[Line], page: int) -> list[dict]:
    """Ruling lines for one unruled table: a column edge in every gap the body rows leave
    between their words, a row edge above every body row and between the header's lines.

    No edge crosses a word, and an empty header cell is merged with a neighbour, as printed
    headers merge their cells: into the label below it (a group label over a leaf), else the
    label above it (a leaf spanning the header's rows), else the nearest label on its line (a
    group label centred over several columns)."""
    body_words = [w for ln in body for w in ln.words]
    # a column left blank in every row is still headed: a header word clear of the body's columns
    clear = [w for ln in header for w in ln.words
             if not any(w["x0"] < b and w["x1"] > a for a, b in _spans(body_words))]
    spans = _spans(body_words + clear)
    if len(spans) < 2:
        return []
    all_words = body_words + [w for ln in header for w in ln.words]
    left = min(w["x0"] for w in all_words) - 2
    right = max(w["x1"] for w in all_words) + 2
    xs = [left] + [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:])] + [right]
    bands = _bands(header)
    # between two header lines, halfway between their middles: a word over both crosses it
    head_ys = [bands[0][0] - 2] + [(a[0] + a[1] + b[0] + b[1]) / 4 for a, b in zip(bands, bands[1:])] if bands else []
    first = next(ln for ln in body if is_body_line(ln))
    body_ys = [(bands[-1][1] + first.top) / 2 if bands else first.top - 2]
    body_ys += [(a.bottom + b.top) / 2 for a, b in zip(body, body[1:]) if is_body_line(b)]
    ys = head_ys + body_ys + [body[-1].bottom + 2]
    head_words = [w for ln in header for w in ln.words]
    filled = [[any(w["x0"] < x1 and w["x1"] > x0 and w["top"] < y1 and w["bottom"] > y0 for w in head_words)
               for x0, x1 in zip(xs, xs[1:])] for y0, y1 in zip(ys, ys[1:len(bands) + 1])]
    merge = _header_merges(filled)
    rules = []
    for i, y in enumerate(ys):
        for k, (x0, x1) in enumerate(zip(xs, xs[1:])):
            crossed = any(w["top"] < y < w["bottom"] and w["x0"] < x1 and w["x1"] > x0 for w in head_words)
            joined = 0 < i < len(bands) and (merge.get((i - 1, k)) == "down" or merge.get((i, k)) == "up")
            if not crossed and not joined:
                rules.append(_rule(x0, y, x1, y, page))
    for k, x in enumerate(xs):
        for i, (y0, y1) in enumerate(zip(ys, ys[1:])):
            crossed = any(w["x0"] < x < w["x1"] and w["top"] < y1 and w["bottom"] > y0 for w in head_words)
            joined = i < len(bands) and 0 < k < len(xs) - 1 and (
                merge.get((i, k - 1)) == "right" or merge.get((i, k)) == "left")
            if not crossed and not joined:
                rules.append(_rule(x, y0, x, y1, page))
    return rules


def _header_merges(filled: list[list[bool]]) -> dict[tuple[int, int], str]:
    """For each empty header cell (band, column), the neighbour it merges with."""
    merges = {}
    for i, row in enumerate(filled):
        for k, has_text in enumerate(row):
            if has_text:
                continue
            if i + 1 < len(filled) and filled[i + 1][k]:
                merges[(i, k)] = "down"
            elif i > 0 and filled[i - 1][k]:
                merges[(i, k)] = "up"
            else:
                texts = [j for j, t in enumerate(row) if t]
                if texts:
                    nearest = min(texts, key=lambda j: (abs(j - k), j))
                    merges[(i, k)] = "left" if nearest < k else "right"
    return merges


def _bands(lines: list[Line]) -> list[tuple[float, float]]:
    """Each header line's extent, top to bottom (lines that share a top are one)."""
    bands: list[tuple[float, float]] = []
    for ln in sorted(lines, key=lambda ln: ln.top):
        if bands and abs(ln.top - bands[-1][0]) < 1:
            bands[-1] = (bands[-1][0], max(bands[-1][1], ln.bottom))
        else:
            bands.append((ln.top, ln.bottom))
    return bands


def page_of(boxes: list[Box], number: int) -> PdfiumPage:
    """One converted page as the PDF reader sees a page: its chars and the rules drawn back."""
    chars_by_word = [chars for box in boxes for chars in box_words(box)]
    chars = [c for word in chars_by_word for c in word]
    lines = text_lines([_word(w) for w in chars_by_word])
    rules = [r for header, body in table_blocks(lines) for r in drawn_rules(header, body, number)]
    width = max((c["x1"] for c in chars), default=595.0) + 10
    height = max((c["bottom"] for c in chars), default=842.0) + 10
    return PdfiumPage({"char": chars, "line": rules}, (0.0, 0.0, width, height), number)


def extract_positioned(root, title: str = "", filename: str = "") -> Extraction:
    """A converted document's pages read as PDF pages (`extract` in extractors.pdf, minus what
    only a PDF file has: scans, a garbled text layer, camelot's second opinion)."""
    boxes = positioned_boxes(root)
    numbers = sorted({b.page for b in boxes})
    page_tables, narrative, first_lines = [], [], []
    for number in numbers:
        found, lines, _ = read_page(page_of([b for b in boxes if b.page == number], number), number)
        if number == numbers[0]:
            first_lines = lines
        used = {id(line) for table in found for line in table.above + table.below}
        page_tables.extend(found)
        narrative.append((number, [line for line in lines if id(line) not in used]))
    page_tables, narrative, uncut = unruled_continuations(page_tables, narrative)
    tables, _ = join_tables(page_tables)
    paragraphs = [Paragraph(text, number) for number, lines in narrative for text in paragraphs_of(lines)]
    extraction = Extraction(title=title or document_title(first_lines, filename), tables=tables,
                            paragraphs=paragraphs, pages=len(numbers))
    if uncut:
        extraction.status, extraction.error = "partial", "; ".join(uncut)
    return extraction
