"""PDF disclosures → the table model.

Every page is read once with pdfplumber: its ruled cells become grids (extractors.pdf_grid), the
text lines outside the grids give each table its title, label (表1 / 公开01表 / 附件N), unit
(单位：元 / 单位：万元) and notes, and what is left is the narrative. A table whose page shows
no title continues the table before it (its repeated header dropped, its columns matched to the
earlier page's by position). A page without a text layer is reported, never guessed at.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pdfplumber.utils import extract_text as chars_to_text

from extractors.model import Extraction, ExtractionError, Paragraph, Table, Unplaced
from extractors import pdf_ocr
from extractors.pdf_camelot import better_reading
from extractors.pdf_grid import Layout, build_grid, cell_text, cells_from_boxes, is_body_row, split_layout, stack_halves

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
LINE_TOLERANCE = 3.0  # points: words whose tops differ less are on one printed line

_TITLE = re.compile(r"^.{2,60}?表(?:[（(][^）)]{0,20}[）)])?(?:[（(]续[）)])?$")
_TITLE_BLOCKERS = re.compile(r"^(注|说明|备注|目录|第[一二三四五六七八九十]+部分)|[。；，,]|…|\.{4}")
_LABEL = re.compile(r"(公开\s*\d+\s*表|公开表\s*[一二三四五六七八九十\d]+|附件\s*\d+|附表\s*\d+|^表\s*[一二三四五六七八九十\d]+(?=\s|$))")
_LEADING_LABEL = re.compile(r"^(?:\d+\s*[.．、]\s*|[一二三四五六七八九十]+\s*、\s*)")
_UNIT = re.compile(r"单位\s*[：:]\s*(万元|元)")
_NOTE = re.compile(r"^(注|说明|备注)\s*[：:．.]?|本表无数据|为空表|故本表|本部门无|本单位无")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")
_COVER_UNIT = re.compile(r"(预算主管部门|预算单位|主管部门|部门名称|单位名称)\s*[：:]\s*(\S+)")
_COVER_KIND = re.compile(r"(20\d\d)\s*年\S*?(部门|单位)(预算|决算)")
_YEAR_AND_STAGE = re.compile(r"20\d\d.*(预算|决算)|(预算|决算).*20\d\d")


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    words: list[dict] = field(default_factory=list, repr=False)


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


def extract(data: bytes, filename: str = "", *, second_opinion: bool = True, ocr: bool | None = None) -> Extraction:
    """A PDF's bytes → its tables, narrative and title.

    `second_opinion` lets camelot re-read a one-page table whose arithmetic fails, keeping
    camelot's grid only where it agrees better. `ocr` reads pages without a text layer with
    RapidOCR (default: the BUDGETS_OCR environment variable; see extractors.pdf_ocr).
    """
    try:
        import pdfplumber
    except ModuleNotFoundError as exc:  # pragma: no cover - a dependency of the project
        raise ExtractionError(f"pdfplumber is not installed ({exc})") from exc
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n_pages = len(pdf.pages)
    except Exception as exc:
        raise ExtractionError(_open_error(exc, filename)) from exc
    with pdf:
        try:
            return _extract_pages(pdf, filename, n_pages, data, second_opinion, pdf_ocr.enabled(ocr))
        except ExtractionError:
            raise
        except Exception as exc:
            raise ExtractionError(f"{filename or 'PDF'}: could not be read ({type(exc).__name__}: {exc})") from exc


def _open_error(exc: Exception, filename: str) -> str:
    name = filename or "the PDF"
    chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
    kinds = " ".join(type(e).__name__ for e in chain if e is not None)
    if "Password" in kinds or "Encrypt" in kinds:
        return f"{name} is encrypted (password protected); ask the publisher for an open copy"
    return f"{name} is not a readable PDF ({type(exc).__name__}: {exc or 'damaged file'})"


def _extract_pages(pdf, filename: str, n_pages: int, data: bytes, second_opinion: bool,
                   ocr: bool) -> Extraction:
    page_tables: list[PageTable] = []
    narrative: list[tuple[int, list[Line]]] = []
    textless: list[int] = []
    read_by_ocr: list[int] = []
    first_lines: list[Line] = []
    ocr = ocr and pdf_ocr.available()
    for number, page in enumerate(pdf.pages, start=1):
        if reading_order_score(page) < 0.5:
            page = upright_page(data, number - 1) or page
        found, lines, has_text = read_page(page, number)
        if not has_text and ocr:
            lines = text_lines(pdf_ocr.ocr_words(data, number - 1))
            read_by_ocr.append(number)
        elif not has_text:
            textless.append(number)
        if number == 1:
            first_lines = lines
        used: set[int] = set()
        for table in found:
            used.update(id(line) for line in table.above + table.below)
        page_tables.extend(found)
        narrative.append((number, [line for line in lines if id(line) not in used]))
        page.flush_cache()
    if len(textless) == n_pages:
        return Extraction(
            title=_title_from_filename(filename), status="needs_ocr", pages=n_pages,
            error=f"none of the {n_pages} pages has a text layer (a scan); OCR is needed",
        )
    tables, spans = join_tables(page_tables)
    if second_opinion:
        for i, table in enumerate(tables):
            if table.rows and len(spans.get(i, {table.page})) == 1:
                rival = better_reading(data, table)
                if rival is not None:
                    tables[i] = rival
    paragraphs = [Paragraph(text, number) for number, lines in narrative for text in paragraphs_of(lines)]
    extraction = Extraction(
        title=document_title(first_lines, filename), tables=tables, paragraphs=paragraphs, pages=n_pages,
    )
    inner = [n for n in textless if n != 1]
    problems = []
    if inner:
        problems.append(f"pages {', '.join(map(str, inner))} have no text layer (scanned); their content is missing")
    if read_by_ocr:
        problems.append(f"pages {', '.join(map(str, read_by_ocr))} were read by OCR: their text is kept, "
                        "their tables are not extracted")
    if problems:
        extraction.status = "partial"
        extraction.error = "; ".join(problems)
    return extraction


def reading_order_score(page) -> float:
    """Share of the page's text that reads left to right on upright lines (1.0 for a normal page).

    A table printed sideways (or a page whose /Rotate disagrees with its content) reads top to
    bottom or right to left; its glyphs are not upright, or advance leftwards.
    """
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
    best, best_score = None, 0.5
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
        and min(obj["width"], obj["height"]) >= 2
    )


def read_page(page, number: int) -> tuple[list[PageTable], list[Line], bool]:
    """One page → its ruled tables (with the text lines around each) and its text lines."""
    ruled = page.filter(lambda obj: not _is_fill(obj))
    words = ruled.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    # a page whose only content is pictures is a scan; a blank page is just blank
    has_text = any(not _PAGE_NUMBER.match(w["text"]) for w in words) or not page.images
    found = []
    boxes = []
    chars = [c for c in ruled.chars if c.get("text", "").strip()]
    for table in ruled.find_tables(TABLE_SETTINGS):
        cell_boxes = list(table.cells)
        inside = [c for c in chars if _centre_within(c, table.bbox)]
        # a glyph belongs to the cell its centre is in: tall glyphs overhang the rule below them
        texts = [cell_text(chars_to_text([c for c in inside if _centre_within(c, box)], x_tolerance=1.5))
                 for box in cell_boxes]
        cells, columns = cells_from_boxes(cell_boxes, texts)
        grid = build_grid(cells, columns)
        if grid.width < 2 or len(grid.texts) < 1:
            continue
        layout = stack_halves(split_layout(grid))
        found.append(PageTable(number, table.bbox[1], table.bbox[3], layout, grid.columns))
        boxes.append(table.bbox)
    lines = text_lines([w for w in words if not any(_within(w, b) for b in boxes)])
    found.sort(key=lambda t: t.top)
    taken: set[int] = set()
    for table in found:
        taken.update(_adopt_unruled_rows(table, lines))
    lines = [ln for ln in lines if id(ln) not in taken]
    for i, table in enumerate(found):
        ceiling = found[i - 1].bottom if i else 0.0
        floor = found[i + 1].top if i + 1 < len(found) else page.height + 1
        table.above = [ln for ln in lines if ln.bottom <= table.top + 1 and ln.top >= ceiling - 1]
        table.below = [
            ln for ln in lines
            if ln.top >= table.bottom - 1 and ln.bottom <= floor + 1 and _NOTE.search(ln.text.replace(" ", ""))
        ]
    if found:
        found[-1].after = [ln for ln in lines if ln.top >= found[-1].bottom - 1]
    return found, lines, has_text


ROW_GAP = 8.0  # points: an unruled line this close to a table's edge is one of its rows


def _adopt_unruled_rows(table: PageTable, lines: list[Line]) -> list[int]:
    """Body rows printed just outside a table's rules (a page break cut the rule) join the table."""
    if not table.layout.rows and not table.layout.header:
        return []
    width = len(table.columns)
    adopted: list[int] = []
    edge = table.top
    for line in sorted((ln for ln in lines if ln.bottom <= table.top + 1), key=lambda ln: -ln.top):
        if edge - line.bottom > ROW_GAP:
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
        if line.top - edge > ROW_GAP:
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


def _centre_within(obj, bbox) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


_within = _centre_within


def text_lines(words: list[dict]) -> list[Line]:
    """Words → printed lines, top to bottom; words far apart on one line keep a space between."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        for line in lines:
            if abs(line[0]["top"] - w["top"]) <= LINE_TOLERANCE:
                line.append(w)
                break
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = line[0]["text"]
        for prev, w in zip(line, line[1:]):
            gap = w["x0"] - prev["x1"]
            size = max(1.0, (w["bottom"] - w["top"]))
            text += (" " if gap > size * 0.6 else "") + w["text"]
        out.append(Line(text, min(w["top"] for w in line), max(w["bottom"] for w in line),
                        line[0]["x0"], line[-1]["x1"], line))
    out.sort(key=lambda ln: ln.top)
    return out


# ---- titles, labels, units, notes -----------------------------------------------------------

def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def title_of(lines: list[Line], frame_rows: list[str]) -> str:
    """The table title: the title-like line nearest above the table, or one printed in its frame."""
    for row in frame_rows:
        t = _clean_title(row)
        if t:
            return t
    for line in reversed(lines):
        t = _clean_title(line.text)
        if t:
            return t
    return ""


def _clean_title(text: str) -> str:
    t = squeeze(text)
    t = _UNIT.sub("", t)
    t = re.sub(r"^(编制部门|编制单位|部门名称|部门)[：:].*$", "", t)
    t = _LABEL.sub("", t) if not _TITLE.match(t) or _LABEL.match(t) else t
    t = _LEADING_LABEL.sub("", t).lstrip("：:、.．-— ")
    if not t or _TITLE_BLOCKERS.search(t) or not _TITLE.match(t):
        return ""
    return t


def label_of(lines: list[Line], frame_rows: list[str]) -> str:
    for text in [ln.text for ln in reversed(lines)] + frame_rows:
        m = _LABEL.search(squeeze(text))
        if m:
            return m.group(1)
    return ""


def unit_of(lines: list[Line], frame_rows: list[str]) -> str | None:
    for text in frame_rows + [ln.text for ln in reversed(lines)]:
        m = _UNIT.search(squeeze(text))
        if m:
            return m.group(1)
        if re.search(r"单位[：:]万$", squeeze(text)):
            return "万元"  # '单位：万' with '元' wrapped onto the next line
    return None


# ---- joining pages --------------------------------------------------------------------------

def join_tables(page_tables: list[PageTable]) -> tuple[list[Table], dict[int, set[int]]]:
    """Page tables → document tables, and the pages each table was printed on."""
    tables: list[Table] = []
    spans: dict[int, set[int]] = {}
    foot: list[Line] = []  # lines below the last table of the previous page (a label printed early)
    start: PageTable | None = None  # the page table the current table started with
    last_page = 0
    carried: list[Line] = []  # a title printed at the foot of a page whose table starts overleaf
    for pt in page_tables:
        frame = pt.layout.title_rows
        first_on_page = pt.page != last_page
        if first_on_page and carried and pt.page == last_page + 1 and not title_of(pt.above, frame):
            pt.above = carried + pt.above
        carried = []
        previous_foot = foot if first_on_page and pt.page == last_page + 1 else []
        if first_on_page:
            foot = []
        last_page = pt.page
        title = title_of(pt.above, frame)
        notes = [squeeze(ln.text) for ln in pt.below]
        if pt.after and title_of(pt.after, []):
            carried = pt.after[-3:]
        if pt.after:
            foot = pt.after
        if not title and tables and start is not None and first_on_page:
            table = tables[-1]
            if not table.rows and pt.layout.rows and len(pt.columns) > table.width:
                # only the top of the header fitted on the previous page: the finer grid overleaf
                # is the table's; the earlier header rows spread over the columns they cover
                above = realign(pt.columns, start.columns, table.header, len(pt.columns), spread=True)
                table.header = above + pt.layout.header
                table.rows = list(pt.layout.rows)
                table.source_rows = list(pt.layout.source_rows)
                table.notes.extend(n for n in notes if n not in table.notes)
                spans[len(tables) - 1].add(pt.page)
                start = pt
                continue
            lost: list[tuple[int, str]] = []
            rows = realign(start.columns, pt.columns, pt.layout.header + pt.layout.rows, table.width, lost=lost)
            header_rows = [list(h) for h in table.header]
            while rows and rows[0] in header_rows:
                rows.pop(0)  # the header repeated on the continuation page
            rows = [r for r in rows if any(c.strip() for c in r)]
            if table.rows or any(is_body_row(r) for r in rows):
                table.unplaced.extend(
                    Unplaced(len(table.rows), text, [], f"page {pt.page}: printed outside the columns of page {start.page}")
                    for _, text in lost)
                table.rows.extend(rows)
                table.source_rows.extend(" ".join(dict.fromkeys(c for c in r if c)) for r in rows)
                table.notes.extend(n for n in notes if n not in table.notes)
                spans[len(tables) - 1].add(pt.page)
                continue
        layout = pt.layout
        tables.append(Table(
            title=title,
            header=layout.header,
            rows=layout.rows,
            unit=unit_of(pt.above, frame),
            page=pt.page,
            index=len(tables),
            label=label_of(pt.above, frame) or label_of(previous_foot[-2:], []),
            source_rows=list(layout.source_rows),
            notes=notes,
        ))
        spans[len(tables) - 1] = {pt.page}
        start = pt
    return tables, spans


def realign(reference: list[tuple[float, float]], columns: list[tuple[float, float]],
            rows: list[list[str]], width: int, spread: bool = False,
            lost: list[tuple[int, str]] | None = None) -> list[list[str]]:
    """Rows of a continuation page re-cut to the columns of the page the table started on.

    Each column goes to the earlier page's column it overlaps most; the two pages' rules rarely
    coincide to the point, and a page may lack a column's hairline or add one.
    """
    if len(columns) == width and _same_columns(reference, columns):
        return [list(r) for r in rows]
    if spread:  # coarse rows onto a finer grid: each cell repeated over the columns it covers
        owner = []
        for x0, x1 in reference:
            overlaps = [max(0.0, min(x1, c1) - max(x0, c0)) for c0, c1 in columns]
            owner.append(max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else 0)
        return [[row[owner[k]] if owner[k] < len(row) else "" for k in range(width)] for row in rows]
    mapping = []
    for x0, x1 in columns:
        overlaps = [max(0.0, min(x1, p1) - max(x0, p0)) for p0, p1 in reference]
        best = max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else None
        mapping.append(best if best is not None and overlaps[best] > 0 and best < width else None)
    out = []
    for r, row in enumerate(rows):
        new = [""] * width
        for k, text in enumerate(row):
            target = mapping[k] if k < len(mapping) else None
            if target is None and text and lost is not None:
                lost.append((r, text))  # printed where the first page has no column
            if target is None or not text or new[target] == text:
                continue
            new[target] = new[target] + text if new[target] else text
        out.append(new)
    return out


def _same_columns(a, b, tolerance: float = 6.0) -> bool:
    return len(a) == len(b) and all(
        abs(x[0] - y[0]) <= tolerance and abs(x[1] - y[1]) <= tolerance for x, y in zip(a, b)
    )


# ---- narrative and document title -----------------------------------------------------------

_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[、.．]|第[一二三四五六七八九十]+部分)")


def paragraphs_of(lines: list[Line]) -> list[str]:
    """A page's narrative lines → sentence-sized chunks (headings stay on their own)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        text = line.text.strip()
        if not text or _PAGE_NUMBER.match(text):
            continue
        if _HEADING.match(text) or not current or current.endswith(("。", "：", ":")):
            if current:
                blocks.append(current)
            current = text
            if _HEADING.match(text) and len(text) <= 30 and not text.endswith(("。", "，", "、")):
                blocks.append(current)  # a heading line stands alone
                current = ""
        else:
            current += text
    if current:
        blocks.append(current)
    out = []
    for block in blocks:
        out.extend(s for s in re.split(r"(?<=[。！？；])", block) if s.strip())
    return [s.strip() for s in out]


def document_title(lines: list[Line], filename: str) -> str:
    """The document's title from its cover: '上海市普陀区司法局2026年部门预算'."""
    texts = [squeeze(ln.text) for ln in lines if not _PAGE_NUMBER.match(ln.text.strip())]
    cover: list[str] = []
    for t in texts:
        if t.startswith("目录") or t == "目录":
            break
        cover.append(t)
    joined = "".join(cover)
    issuer = next((m.group(2) for m in map(_COVER_UNIT.search, cover) if m), "")
    kind = _COVER_KIND.search(joined)
    if issuer and kind:
        return f"{issuer}{kind.group(1)}年{kind.group(2)}{kind.group(3)}"
    # the cover's lines up to the one naming the year and the stage
    title = ""
    for t in cover:
        if _COVER_UNIT.search(t) or re.match(r"^20\d\d年\d{1,2}月", t):
            break
        title += t
        if _YEAR_AND_STAGE.search(title) and re.search(r"(预算|决算)(公开)?$", title):
            break
    title = re.sub(r"^(.*?)(年.*?)(20\d\d)$", r"\1\3\2", title)  # '江苏省人民检察院' '年部门预算' '2017'
    if title and _YEAR_AND_STAGE.search(title) and len(title) <= 60 and "表" not in title[-2:]:
        return title
    return _title_from_filename(filename)


def _title_from_filename(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    return squeeze(stem)
