"""A grid of cell texts → tables: captions peeled off the top, header split from body.

Spreadsheets and word-processor tables arrive as plain grids (merged cells already repeated
into every cell they cover). Finance offices put the attachment label (附件2), the title
(…一般公共预算财政拨款支出预算表) and the unit (单位：万元) in rows above the header, sometimes
several tables down one sheet, and remarks (备注：…) below. This module splits a grid into
its tables and finds those captions; header rows are told from body rows by the same
`split_table` that reads HTML tables. It knows nothing about file formats.
"""
from __future__ import annotations

import re

from extractors.html import split_table
from extractors.model import Table
from extractors.numbers import is_amount

LABEL = re.compile(r"^\s*((?:附件|附表)\s*\d+(?:\s*[-－—]\s*\d+)?|表\s*\d+(?:\s*[-－—]\s*\d+)?|公开\s*\d+\s*表)\s*[:：、.．]?\s*")
UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)")
TITLE = re.compile(r"表\s*(?:[(（][^()（）]{0,12}[)）])?\s*$")
NOTE = re.compile(r"^\s*(?:备注|注\s*\d*\s*[:：]|说明\s*[:：]|[(（]\s*备注)")
PREPARER = re.compile(r"^\s*(?:编制|填报|预算)?(?:单位|部门)(?:名称)?\s*[:：]")


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


def caption_kind(row: list[str]) -> str | None:
    """'title' | 'label' | 'unit' | 'note' when the row is a caption rather than table content."""
    values = row_values(row)
    if not values:
        return None
    if len(values) == 1:
        text = values[0]
        if NOTE.match(text):
            return "note"
        rest = LABEL.sub("", text, count=1)
        if TITLE.search(rest) and len(rest) >= 4 and not is_amount(rest):
            return "title"
        if LABEL.match(text) and not rest:
            return "label"
        if UNIT.search(text) and len(text) <= 40:
            return "unit"
        return None
    # '编制单位：XX局' beside '单位：万元' on one row
    if all(UNIT.search(v) or PREPARER.match(v) or (LABEL.match(v) and not LABEL.sub("", v))
           for v in values) and any(UNIT.search(v) for v in values):
        return "unit"
    return None


def frame(grid: list[list[str]], context: list[str] = (), fallback_title: str = "",
          start_index: int = 0, page: int | None = None) -> list[Table]:
    """Split a grid into tables. `context` is text printed just before the grid (a DOCX
    paragraph '附件3', the sheet name): it supplies a label, title or unit the grid lacks."""
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
            current["captions"].append((kind, row_values(row)))
        elif kind == "note":
            current["notes"].append(row_values(row)[0])
        else:
            current["rows"].append(row)
    tables = []
    for n, part in enumerate(parts):
        if not part["rows"]:
            continue
        lines = list(context) if n == 0 else []
        table = _table(part, lines, fallback_title if n == 0 else "")
        table.index = start_index + len(tables)
        table.page = page
        tables.append(table)
    return tables


def _starts_header(row: list[str], current: dict) -> bool:
    """After blank rows, a row of labels below rows of amounts begins another table."""
    values = row_values(row)
    return len(values) >= 2 and not any(is_amount(v) for v in values) and \
        any(is_amount(c) for r in current["rows"] for c in r)


def _table(part: dict, context: list[str], fallback_title: str) -> Table:
    label, title, unit = "", "", None
    texts = [t for t in context if t] + [v for _, values in part["captions"] for v in values]
    for text in texts:
        m = LABEL.match(text)
        rest = LABEL.sub("", text, count=1).strip() if m else text
        if m and not label:
            label = re.sub(r"\s+", "", m.group(1))
        u = UNIT.search(rest)
        if u:
            unit = u.group(1)
            rest = rest[: u.start()].strip() if u.start() > 0 else ""
        if rest and TITLE.search(rest) and not PREPARER.match(rest):
            title = rest
    # Header rows, body rows and remarks are told apart exactly as for an HTML <table>, so a
    # table reads the same whatever format carried it.
    table = split_table(_trim_columns(part["rows"]), []) or Table(title="", header=[], rows=[])
    table.title = table.title or title or fallback_title
    table.label = table.label or label
    table.unit = table.unit or unit
    if table.unit is None:
        u = re.search(r"[(（](万元|元)[)）]\s*$", table.title)
        table.unit = u.group(1) if u else None
    table.notes = part["notes"] + table.notes
    return table


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    """Equal-width rows without the empty columns at either edge."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c] for r in rows)]
    if not used:
        return rows
    lo, hi = used[0], used[-1] + 1
    return [r[lo:hi] for r in rows]
