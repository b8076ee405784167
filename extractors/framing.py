"""The one framing stage: a raw grid and the lines printed around it → tables.

Every reader (HTML, text dump, XLSX/XLS, DOCX/DOC, PDF) hands over what it found — rows of cell
texts (merged cells repeated into every position they cover) and the lines printed just before
and after — and this module decides, the same way whatever the format:

- the caption: label (附件2-1, 表1-2, 公开表一, 公开03表), title (…支出预算表), unit (单位：万元 in a
  line before or a row above the header, '部门（单位）：XX局 单位：万元' on one row, '（元）' in a
  header cell or at the end of the title);
- the remarks (备注：…, 注：…) below or inside the grid;
- which rows are column labels (header) and which are body, and where one sheet holds several
  tables.

The words it looks for are the vocabulary's (`extractors.vocabulary`); it knows no file format.
"""
from __future__ import annotations

import re

from extractors import vocabulary as v
from extractors.columns import is_data_row
from extractors.model import Table
from extractors.numbers import is_amount

BEFORE_LINES = 3  # lines printed above a grid that can caption it


def clean_cell(text: str) -> str:
    """Cell text as printed, whitespace runs (line breaks inside a cell) as one space, as an
    HTML cell reads."""
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def row_values(row: list[str]) -> list[str]:
    """The distinct non-empty texts of a row, left to right (a merged cell counts once)."""
    seen: list[str] = []
    for cell in row:
        if cell and cell not in seen:
            seen.append(cell)
    return seen


# ---- one caption line --------------------------------------------------------------------------

def unit_cell(text: str) -> str | None:
    """The unit a caption or header cell states: '单位：元', '单位 ：万元', or the bare '（元）' some
    templates print in the corner above the header."""
    squeezed = re.sub(r"\s+", "", text or "")
    unit = v.unit_in(squeezed)
    if unit is None and v.UNIT_ALONE.fullmatch(squeezed):
        unit = v.unit_in_brackets(squeezed)
    return unit


def _is_unit_text(text: str) -> bool:
    return unit_cell(text) is not None and len(text) <= 40


def _is_label_only(text: str) -> bool:
    label, rest = v.split_label(text)
    return bool(label) and not rest


def is_title(text: str) -> bool:
    """'附件3 XX局一般公共预算支出表' and '部门收支总表（单位：万元）' are titles; a sentence is not."""
    rest = _without_unit(v.split_label(text)[1])
    return bool(rest) and len(rest) >= 4 and bool(v.TITLE_END.search(rest)) and not is_amount(rest) \
        and not v.PREPARER.match(rest) and not v.TITLE_BLOCKERS.search(rest)


def caption_kind(row: list[str]) -> str | None:
    """'title' | 'label' | 'unit' | 'note' when the row is a caption rather than table content."""
    values = row_values(row)
    if not values:
        return None
    if len(values) == 1:
        text = values[0]
        if v.is_note(text):
            return "note"
        if is_title(text):
            return "title"
        if _is_label_only(text):
            return "label"
        if _is_unit_text(text):
            return "unit"
        return None
    # '编制单位：XX局' beside '单位：万元'; '部门收支总表' beside '单位：万元'; '部门（单位）：' and
    # the name in cells of their own, or a '2014年' cell between them
    units = [val for val in values if _is_unit_text(val)]
    others = [val for val in values if val not in units]
    if units and all(v.PREPARER.match(o) or _is_label_only(o) or (len(values) == 2 and is_title(o))
                     or v.CAPTION_YEAR.match(o) or _names_preparer(values, o) for o in others):
        return "unit"
    return None


def _names_preparer(values: list[str], text: str) -> bool:
    """The cell right after a bare '部门（单位）：' cell: the preparer's name."""
    at = values.index(text)
    return at > 0 and bool(v.PREPARER.match(values[at - 1])) and not v.PREPARER.sub("", values[at - 1]).strip() \
        and not is_amount(text)


def _without_unit(text: str) -> str:
    """'部门收支总表（单位：万元）' → '部门收支总表'."""
    m = v.UNIT_LINE.search(text)
    if not m:
        return text.strip()
    head = text[: m.start()].rstrip(" (（[")
    tail = text[m.end():].lstrip(" )）]")
    return (head + tail).strip()


def read_caption(texts: list[str]) -> tuple[str, str, str | None]:
    """(label, title, unit) from caption lines in printed order; later lines win the title."""
    label, title, unit = "", "", None
    for text in texts:
        if not text:
            continue
        found, rest = v.split_label(text)
        label = label or found
        unit = unit or unit_cell(rest)
        rest = "" if unit_cell(rest) and not v.unit_in(rest) else _without_unit(rest)
        if rest and is_title(rest):
            title = rest
    return label, title, unit


# ---- lines printed around a table ----------------------------------------------------------------

def caption_lines(before: list[str]) -> list[str]:
    """The lines above a grid that caption it: the last few, stopping at a sentence."""
    out: list[str] = []
    for text in reversed(before[-BEFORE_LINES:]):
        if not (is_title(text) or _is_label_only(text) or unit_cell(text) or v.label_in_line(text)):
            break
        out.insert(0, text)
    return out


is_note = v.is_note  # a remark ('备注：…') printed under a table the reader is still reading


def notes_after(after: list[str]) -> list[str]:
    """The remarks printed under a table, up to the first line that is not one."""
    out = []
    for text in after:
        if not v.is_note(text):
            break
        out.append(text)
    return out


def title_above(lines: list[str], frame_rows: list[str] = ()) -> str:
    """The title of a printed page's table: one printed in its frame, else the title-like line
    nearest above it (a PDF's lines, a page heading)."""
    for text in list(frame_rows) + list(reversed(lines)):
        t = _printed_title(text)
        if t:
            return t
    return ""


def _printed_title(text: str) -> str:
    t = re.sub(r"\s+", "", text)
    t = _without_unit(t) if v.UNIT_LINE.search(t) else t
    t = "" if v.PREPARER.match(t) else t
    if v.label_in_line(t) and (not v.TITLE_LINE.match(t) or v.TABLE_LABEL_IN_LINE.match(t)):
        t = v.TABLE_LABEL_IN_LINE.sub("", t)
    t = v.TITLE_NUMBER.sub("", t).lstrip("：:、.．-— ")
    if not t or v.TITLE_BLOCKERS.search(t) or not v.TITLE_LINE.match(t):
        return ""
    return t


def label_above(lines: list[str], frame_rows: list[str] = ()) -> str:
    for text in list(reversed(lines)) + list(frame_rows):
        label = v.label_in_line(text)
        if label:
            return label
    return ""


def unit_above(lines: list[str], frame_rows: list[str] = ()) -> str | None:
    for text in list(frame_rows) + list(reversed(lines)):
        unit = v.unit_in(re.sub(r"\s+", "", text))
        if unit:
            return unit
    return next(filter(None, map(unit_cell, frame_rows)), None)


def sheet_title(name: str) -> str:
    """A sheet named like a table ('财政拨款收支总表', '附件1 部门收入总表') titles it; 'Sheet1' does not."""
    rest = v.split_label(name)[1]
    return rest if v.TITLE_END.search(rest) else ""


def sheet_label(name: str) -> str:
    return v.split_label(name)[0]


# ---- header and body ---------------------------------------------------------------------------

def split_header(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]], list[str], list[str]]:
    """(header rows, body rows, each body row as printed, notes) of a grid without its captions:
    rows of column labels until the first row that holds an amount, a subject code or a total.
    A row that only numbers the columns (栏次 1 2 3) belongs to the header's structure and labels
    nothing: it is left out."""
    header, body, source, notes = [], [], [], []
    for row in rows:
        cells = _distinct(row)
        if not cells or is_column_number_row(row):
            continue
        if len(cells) == 1 and v.is_note(cells[0]):
            notes.append(cells[0])
        elif not body and not is_body_row(cells):
            header.append(row)
        else:
            body.append(row)
            source.append(" | ".join(c for c in row if c))
    return header, body, source, notes


def is_body_row(row: list[str]) -> bool:
    """Whether a row is table content rather than column labels: it holds an amount, begins
    with a subject code, or is a total row (`columns.is_data_row`)."""
    return is_data_row(_distinct(row))


def is_column_number_row(row: list[str]) -> bool:
    """A row that numbers the columns rather than giving amounts: '栏次 | 1 | 2 | 3',
    '** | ** | 1 | 2 | 3', '行次 | | 1': the integers 1, 2, 3 … in order with nothing beside them
    but markers (`vocabulary.COLUMN_NUMBER_MARKERS`), at least three of them where no marker says
    so. Every reader's rows pass here (the normaliser skips such rows whatever framed them)."""
    tokens = [t for cell in _distinct(row) for t in cell.split()]
    numbers = [t for t in tokens if t.isdigit() and len(t) <= 2]
    markers = [t for t in tokens if t not in numbers]
    if not numbers or any(t not in v.COLUMN_NUMBER_MARKERS for t in markers):
        return False
    if not markers and len(numbers) < 3:
        return False
    return [int(n) for n in numbers] == list(range(1, len(numbers) + 1))


def is_column_number_text(printed: str) -> bool:
    """`is_column_number_row` for a row as a loaded line keeps it (`source_text`: cells joined by
    ' | ', or a PDF's words by spaces)."""
    return is_column_number_row((printed or "").split("|"))


def _distinct(row: list[str]) -> list[str]:
    out = []
    for cell in row:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def header_unit(header: list[list[str]]) -> str | None:
    """A unit printed in a header cell of its own: '（元）', '金额（万元）', '单位：元'. A column
    label with a unit ('人均标准（元）', '资金总额(万元)') speaks for its column only."""
    for row in header:
        for cell in row:
            unit = unit_cell(cell)
            if unit:
                return unit
    return None


# ---- a grid → tables ---------------------------------------------------------------------------

def frame(grid: list[list[str]], before: list[str] = (), after: list[str] = (), fallback_title: str = "",
          start_index: int = 0, page: int | None = None, context: list[str] | None = None) -> list[Table]:
    """Split a grid into tables. `before` is text printed just above the grid (a DOCX paragraph
    '附件3', an HTML <p>, the sheet name): it supplies a label, title or unit the grid lacks;
    `after` is text printed under it (remarks). `context` is the old name of `before`."""
    if context is not None:
        before = context
    grid = [[clean_cell(c) for c in row] for row in grid]
    parts: list[dict] = []
    current: dict | None = None
    for row in grid:
        if not any(row):
            if current is not None:
                current["gap"] = True
            continue
        kind = caption_kind(row)
        if kind == "note" and current is not None:
            current["notes"].append(row_values(row)[0])
            continue
        starts_new = current is None or (kind in ("title", "label") and current["rows"]) \
            or (current["gap"] and current["rows"] and (kind is not None or _starts_header(row, current)))
        if starts_new:
            current = {"captions": [], "rows": [], "notes": [], "gap": False}
            parts.append(current)
        current["gap"] = False
        if kind in ("title", "label", "unit") and not current["rows"]:
            current["captions"].extend(row_values(row))
        elif kind == "note":
            current["notes"].append(row_values(row)[0])
        else:
            current["rows"].append(row)
    tables = []
    for n, part in enumerate(parts):
        if not part["rows"]:
            continue
        lines = caption_lines(list(before)) if n == 0 else []
        table = _table(part, lines, fallback_title if n == 0 else "", list(before) if n == 0 else [])
        if table is None:
            continue
        table.index = start_index + len(tables)
        table.page = page
        tables.append(table)
    if tables:
        tables[-1].notes.extend(n for n in notes_after(list(after)) if n not in tables[-1].notes)
    return tables


def _starts_header(row: list[str], current: dict) -> bool:
    """After blank rows, a row of labels below rows of amounts begins another table."""
    values = row_values(row)
    return len(values) >= 2 and not any(is_amount(v_) for v_ in values) and \
        any(is_amount(c) for r in current["rows"] for c in r)


def _table(part: dict, before: list[str], fallback_title: str, further_up: list[str] = ()) -> Table | None:
    label, title, unit = read_caption(before + part["captions"])
    rows = _trim_columns(part["rows"]) if part["rows"] else []
    header, body, source, notes = split_header(rows)
    if not title and not header and not body:
        return None
    title = title or fallback_title or title_further_up(list(further_up))
    unit = unit or header_unit(header) or v.unit_in_brackets(title)
    return Table(title=title, header=header, rows=body, unit=unit, label=label, source_rows=source,
                 notes=part["notes"] + notes, issuer=caption_issuer(before + part["captions"]))


def caption_issuer(texts: list[str]) -> str:
    """The department a caption names: '部门（单位）：某局 单位：万元' → '某局' (also when the
    name is a cell of its own after '部门（单位）：')."""
    m = v.ISSUER_LINE.search(" ".join(t for t in texts if t))
    return m.group(1) if m else ""


def is_loose_title(text: str) -> bool:
    """A caption that names its table without 表: '某局2014年“三公”经费公示'."""
    t = re.sub(r"\s+", "", v.split_label(text)[1])
    return 4 <= len(t) <= 60 and bool(v.TITLE_WITHOUT_TABLE.search(t)) and not v.TITLE_BLOCKERS.search(t) \
        and not v.PREPARER.match(t)


def title_further_up(before: list[str]) -> str:
    """The title of a table whose own captions name none (its first row only '附件1-2'): the
    nearest title among the last lines printed above it, past dates, sources and counters, up
    to a sentence; a caption without 表 ('…三公经费公示') counts."""
    for text in reversed(before[-v.TITLE_LOOKBACK_LINES:]):
        rest = _without_unit(v.split_label(text)[1])
        if is_title(text) or is_loose_title(text):
            return re.sub(r"\s+", "", rest) if is_loose_title(text) and not is_title(text) else rest
        if v.SENTENCE_END.search(text):
            break
    return ""


def column_units(table: Table) -> list[str | None]:
    """The unit each column's own header prints ('支出数（元）' → '元'), None where it prints
    none: a column's unit overrides the table's for that column's amounts."""
    return [next((u for u in map(v.unit_in_brackets, reversed(path)) if u), None)
            for path in table.column_paths()]


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    """Equal-width rows without the empty columns at either edge."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c] for r in rows)]
    if not used:
        return rows
    lo, hi = used[0], used[-1] + 1
    return [r[lo:hi] for r in rows]
