"""HTML converted from a PDF → the PDF reader's pages.

Converters (poppler's `pdftohtml -c`, and pdf2htmlEX and the like, whose class-placed boxes are
read from the class rules but have not been tried on a real page) print no <table>: every run of
text is a box placed absolutely on its page (`top`/`left` in px, the font size from the box's
class), and the ruling lines are painted into a background picture. This module reads the boxes
as positioned words, draws the rules of each table back from the words' alignment, and hands
the pages to the PDF reader itself (`pdf_page.read_page`, then `unruled_continuations` and
`join_tables` over the pages, framing, narrative), so a converted page is read by the one code
path that reads PDFs.

What a box does not say is estimated: its words' widths (a wide glyph is one em, another half an
em) and the width of the gap a converter writes as one `&nbsp;` between two words it merged into
one box. A table is found as runs of rows that end in a figure; its columns are the gaps its rows
leave between their words; its header is rebuilt as a grid of labels, each written into every
column it stands over, as the table model repeats a merged cell.
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
SLACK_EM = 0.4  # how far, in ems, an estimated word width may overshoot the true one
MAX_ROWS_WITHOUT_FIGURES = 12  # rows without an amount (blank ruled rows) inside one table
HEADER_GAP_EM = 3.5
FIGURE_PAD_EM = 0.5  # the room between figures set flush right and their column's rule
WRAP_GAP_EM = 0.6  # a line this close under another continues its cell
ORPHAN_EM = 4.0  # a column no header word stands over takes the nearest free label this close  # a line further than this above the table's next line is not its header
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


def _word(chars: list[dict], box: int = 0) -> dict:
    return {"text": "".join(c["text"] for c in chars), "x0": chars[0]["x0"], "x1": chars[-1]["x1"],
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars),
            "chars": chars, "box": box}


# ---- the rules a converter painted into its background, drawn back from the words ----------

def is_body_line(line: Line) -> bool:
    """A table row: two words or more, the last an amount (a year or a page number is none);
    a sentence that mentions a number ('下属 5 家') ends in words."""
    last = line.words[-1]["text"] if line.words else ""
    return len(line.words) >= 2 and is_amount(last) and not re.fullmatch(r"20\d\d年?", last)


def _amounts(line: Line) -> int:
    return sum(1 for w in line.words if is_amount(w["text"]))


def table_blocks(lines: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """(header lines, body lines) of each table on a page: runs of body lines, and the lines just
    above the first. Rows without an amount between two body lines stay in (a wrapped name, the
    blank rows above a total) when every word of them stands in the columns of the rows above."""
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
            else:
                run = _rows_without_figures(lines, nxt, _spans([w for ln in lines[start:end + 1] for w in ln.words]))
                if not run:
                    break
                end = nxt + run
        header = _header_above(lines, start, blocks[-1][1][-1] if blocks else None)
        if end > start or _amounts(lines[start]) >= 2:  # one row with one figure is a sentence's
            blocks.append((header, lines[start:end + 1]))
        i = end + 1
    return blocks


def _rows_without_figures(lines: list[Line], first: int, spans: list[tuple[float, float]]) -> int:
    """How many lines from `first` up to and including the next body line belong to the table
    above (0: none; the table ends)."""
    def within(line: Line) -> bool:
        return all(any(_overlap(w, a, b) for a, b in spans) for w in line.words)
    for j in range(first, min(first + MAX_ROWS_WITHOUT_FIGURES + 1, len(lines))):
        if _ends_table(lines[j]) or not within(lines[j]):
            return 0
        if is_body_line(lines[j]):
            return j - first + 1
    return 0


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


def _headed_spans(body_words: list[dict], head_words: list[dict]) -> list[tuple[float, float]]:
    """The printed columns: the x ranges the body's words cover, and where a header word stands
    clear of them (the lowest such words first: leaf labels, not a group label over two of them)
    a column of its own, which takes the body's range beside it that no header word stands over
    (figures set right of their label's centre, where the label is short)."""
    spans = _spans(body_words)
    leaves: list[dict] = []
    for w in sorted(head_words, key=lambda w: -w["bottom"]):
        if not any(_overlap(w, c["x0"], c["x1"]) for c in leaves):
            leaves.append(dict(w))
    clear = [w for w in leaves if not any(_overlap(w, a, b) for a, b in spans)]
    columns = []
    taken: set[int] = set()
    for a, b in spans:
        if any(_overlap(w, a, b) for w in leaves):
            columns.append((a, b))
            continue
        label = _label_of_orphan(a, b, [w for w in clear if id(w) not in taken])
        if label is None:
            columns.append((a, b))
        else:
            taken.add(id(label))
            label["x0"], label["x1"] = min(label["x0"], a), max(label["x1"], b)
    return _spans(_as_words(columns) + clear)


def _label_of_orphan(a: float, b: float, labels: list[dict]) -> dict | None:
    """The free label a column of figures no header word stands over belongs to: the nearest
    label ending left of the figures' end (figures are set right, labels centred), else the
    nearest within ORPHAN_EM."""
    def gap(w):
        return max(w["x0"] - b, a - w["x1"], 0)
    near = [w for w in labels if gap(w) <= ORPHAN_EM * (w["bottom"] - w["top"])]
    left = [w for w in near if w["x1"] <= b]
    return min(left or near, key=gap, default=None)


def _overlap(word: dict, a: float, b: float) -> bool:
    return word["x0"] < b and word["x1"] > a


def _as_words(columns: list[tuple[float, float]]) -> list[dict]:
    return [{"x0": a, "x1": b} for a, b in columns]


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


@dataclass
class Label:
    """A header cell's text: a header word, with the words wrapped under it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    chars: list
    box: int | None = None  # the converter's box it came from


def header_labels(header: list[Line]) -> list[Label]:
    """The header's words joined into labels: the lines of one box, and a word wrapped onto the
    next line under the same columns (a gap under half an em), are one label."""
    labels: list[Label] = []
    for w in sorted((w for ln in header for w in ln.words), key=lambda w: (w["top"], w["x0"])):
        size = w["bottom"] - w["top"]
        above = next((lb for lb in reversed(labels)
                      if 0 <= w["top"] - lb.bottom <= size / 2 and w["x0"] < lb.x1 and w["x1"] > lb.x0
                      and (w.get("box") == lb.box or _centred_under(w, lb))), None)
        if above is not None:
            above.text += w["text"]
            above.x0, above.x1 = min(above.x0, w["x0"]), max(above.x1, w["x1"])
            above.bottom = w["bottom"]
            above.chars = above.chars + w["chars"]
            continue
        labels.append(Label(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], size, list(w["chars"]), w.get("box")))
    return labels


def _centred_under(w: dict, label: Label) -> bool:
    """A short word wrapped under a label is centred under it (or starts where it starts)."""
    centre, above = (w["x0"] + w["x1"]) / 2, (label.x0 + label.x1) / 2
    size = w["bottom"] - w["top"]
    return w["x1"] - w["x0"] <= label.x1 - label.x0 + 1 and (
        abs(centre - above) <= size or abs(w["x0"] - label.x0) <= size / 2)


def drawn_table(header: list[Line], body: list[Line], page: int) -> tuple[list[dict], list[dict], set[int]]:
    """(rules, header chars, ids of the chars they replace) for one unruled table.

    Body: a column edge in every gap the rows leave between their words (and where a header
    word stands over a column blank in every row), a row edge above every row with an amount.
    Header: a full grid, one row per line of labels, each label written into every column it
    stands over (a merged cell's text in every position it covers, as the table model has it),
    and a column without a label on a line takes the nearest label of that line when a label
    of its own stands lower (a group label over its leaves)."""
    body_words = [w for ln in body for w in ln.words]
    labels = header_labels(header)
    spans = _headed_spans(body_words, [{"x0": lb.x0, "x1": lb.x1, "top": lb.top, "bottom": lb.bottom} for lb in labels])
    if len(spans) < 2:
        return [], [], set()
    everything = body_words + [w for ln in header for w in ln.words]
    xs = [min(w["x0"] for w in everything) - 2]
    xs += [_column_edge(a, b, body_words) for a, b in zip(spans, spans[1:])] + [max(w["x1"] for w in everything) + 2]
    columns = list(zip(xs, xs[1:]))
    rows = _label_rows(labels)
    first = next(ln for ln in body if is_body_line(ln))
    head_top = min((lb.top for lb in labels), default=first.top) - 2
    head_bottom = (max(lb.bottom for lb in labels) + first.top) / 2 if labels else first.top - 2
    ys = [head_top] + [head_top + (head_bottom - head_top) * (i + 1) / len(rows) for i in range(len(rows))]
    if not rows:
        ys = [head_bottom]
    ys += [(a.bottom + b.top) / 2 for a, b in zip(body, body[1:]) if _starts_row(a, b)] + [body[-1].bottom + 2]
    rules = [_rule(xs[0], y, xs[-1], y, page) for y in ys] + [_rule(x, ys[0], x, ys[-1], page) for x in xs]
    written = []
    for i, row in enumerate(_header_cells(rows, columns)):
        for k, label in enumerate(row):
            if label is not None:
                written += _write(label.text, columns[k], (ys[i], ys[i + 1]), label.size, page)
    replaced = {id(c) for lb in labels for c in lb.chars}
    return rules, written, replaced


def _starts_row(above: Line, line: Line) -> bool:
    """A row with figures starts a row; so does a line without them set a row's pitch below the
    line above (a row left blank but for its label), not one just under it (a wrapped name)."""
    size = max(w["bottom"] - w["top"] for w in line.words)
    return is_body_line(line) or line.top - above.bottom > WRAP_GAP_EM * size


def _column_edge(left: tuple[float, float], right: tuple[float, float], body_words: list[dict]) -> float:
    """Where the rule between two columns stands: just right of a column of figures (they are set
    flush right against it), else halfway across the gap."""
    inside = [w for w in body_words if left[0] <= w["x0"] and w["x1"] <= left[1]]
    figures = sum(1 for w in inside if is_amount(w["text"]))
    if inside and figures * 2 > len(inside):
        size = max(w["bottom"] - w["top"] for w in inside)
        return min(left[1] + FIGURE_PAD_EM * size, (left[1] + right[0]) / 2)
    return (left[1] + right[0]) / 2


def _label_rows(labels: list[Label]) -> list[list[Label]]:
    rows: list[list[Label]] = []
    for lb in sorted(labels, key=lambda lb: lb.top):
        if rows and lb.top - rows[-1][0].top < lb.size / 2:
            rows[-1].append(lb)
        else:
            rows.append([lb])
    return rows


def _covers(label: Label, column: tuple[float, float]) -> bool:
    slack = min(SLACK_EM * label.size, (label.x1 - label.x0) / 4)
    return label.x0 + slack < column[1] and label.x1 - slack > column[0]


def _header_cells(rows: list[list[Label]], columns: list[tuple[float, float]]) -> list[list[Label | None]]:
    grid = [[next((lb for lb in row if _covers(lb, col)), None) for col in columns] for row in rows]
    for i, row in enumerate(rows):
        for k, col in enumerate(columns):
            if grid[i][k] is not None or not any(grid[j][k] for j in range(i + 1, len(rows))):
                continue
            if any(grid[j][k] for j in range(i)) or _spans_the_header(grid, rows, k):
                continue  # headed from above already, or by a label as tall as the header
            centre = (col[0] + col[1]) / 2
            grid[i][k] = min(row, key=lambda lb: max(lb.x0 - centre, centre - lb.x1, 0))
    return grid


def _spans_the_header(grid, rows: list[list[Label]], k: int) -> bool:
    """The column's one label stands in the header's middle: its cell is as tall as the header."""
    own = {id(row[k]): row[k] for row in grid if row[k] is not None}
    if len(own) != 1 or len(rows) < 2:
        return False
    label = next(iter(own.values()))
    top, bottom = min(lb.top for lb in rows[0]), max(lb.bottom for row in rows for lb in row)
    return abs((label.top + label.bottom) / 2 - (top + bottom) / 2) <= label.size


def _write(text: str, column: tuple[float, float], band: tuple[float, float], size: float, page: int) -> list[dict]:
    """A label's chars set on one line inside a header cell, shrunk to fit its width."""
    width = column[1] - column[0] - 2
    step = min(size, width / max(len(text), 1))
    top = (band[0] + band[1]) / 2 - step / 2
    box = Box(page, column[0] + 1, top, step, [text])
    return [_char(ch, box, box.left + n * step, box.left + (n + 1) * step, top) for n, ch in enumerate(text)]


def page_of(boxes: list[Box], number: int) -> PdfiumPage:
    """One converted page as the PDF reader sees a page: its chars and the rules drawn back."""
    words = [_word(chars, n) for n, box in enumerate(boxes) for chars in box_words(box)]
    chars = [c for w in words for c in w["chars"]]
    rules = []
    for header, body in table_blocks(text_lines(words)):
        drawn, written, replaced = drawn_table(header, body, number)
        rules += drawn
        chars = [c for c in chars if id(c) not in replaced] + written
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
    # a converter titles the page after its output file ('report-html.html'): the cover says more
    title = title if v.NAMES_A_YEAR.search(title or "") else document_title(first_lines, filename)
    extraction = Extraction(title=title, tables=tables,
                            paragraphs=paragraphs, pages=len(numbers))
    if uncut:
        extraction.status, extraction.error = "partial", "; ".join(uncut)
    return extraction
