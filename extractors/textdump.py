"""A disclosure page copied as text (a crawler's text dump of the HTML) → tables and narrative.

In the dump a line `|` starts a table row and every non-empty cell is a line ending in ` |`;
empty cells and merged-cell structure are gone (runs of `||||` are all that is left of them).
`parse_dump` recovers the rows; `extractors.layout.rebuild` puts the cells back in columns.
"""
from __future__ import annotations

import re

from extractors import vocabulary as v
from extractors.framing import frame, is_note
from extractors.evidence import place_with_evidence
from extractors.layout import RawTable, as_ragged_table, plan, unplaceable
from extractors.model import Extraction, ExtractionError, Paragraph
from extractors.tablekinds import table_kind
from extractors.titles import parse_title



def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("the text is neither UTF-8 nor GB18030; save it as UTF-8 and ingest it again")


def split_rows(text: str) -> list[tuple[str, object]]:
    """The dump as a sequence of ('text', line) and ('row', [cells]) in document order."""
    out: list[tuple[str, object]] = []
    row: list[str] | None = None
    raw: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "|":
            if row is not None:
                out.append(("row", (row, raw)))
            row, raw = [], []
            continue
        if row is not None and stripped.endswith("|"):
            cell = stripped.rstrip("| ").strip()
            raw.append(line)
            if cell:
                row.append(re.sub(r"\s+", " ", cell))
            continue
        if row is not None:
            out.append(("row", (row, raw)))
            row = None
        if stripped:
            out.append(("text", stripped))
    if row is not None:
        out.append(("row", (row, raw)))
    return out


def parse_dump(text: str) -> tuple[list[RawTable], list[str], str]:
    """Tables (cells in order, columns not yet placed), narrative lines, and the page title.

    Runs of rows between text lines are grids; the framing stage finds their captions (the
    附件 line above, the title and unit rows), their remarks and their header rows, exactly as
    for an HTML table."""
    items = split_rows(text)
    tables: list[RawTable] = []
    narrative: list[str] = []
    title = next((line for kind, line in items if kind == "text"), "")
    before: list[str] = []
    grid: list[list[str]] = []
    n = 0
    while n < len(items):
        kind, payload = items[n]
        if kind == "row":
            cells, _ = payload
            if cells:
                grid.append(cells)
            n += 1
            # a bracketed line between rows ('(单位：万元)', a wrapped remark) does not end the grid
            while n < len(items) and items[n][0] == "text" and items[n][1].startswith("(") \
                    and not is_note(items[n][1]) and n + 1 < len(items) and items[n + 1][0] == "row":
                n += 1
            if n < len(items) and items[n][0] == "row":
                continue
            after = [line for kind_, line in items[n:n + 3] if kind_ == "text"]
            tables.extend(_raw(t) for t in frame(grid, before=before, after=after, start_index=len(tables)))
            grid, before = [], []
            continue
        line = payload
        if not tables:
            if not v.split_label(line)[0] or len(line) > 12:
                narrative.append(line)
        before.append(line)
        n += 1
    return tables, narrative, title


def _raw(table) -> RawTable:
    """A framed table as the text dump gave it: each row's non-empty cells, columns not placed."""
    return RawTable(title=table.title, header_rows=[[c for c in r if c] for r in table.header],
                    body_rows=[[c for c in r if c] for r in table.rows], unit=table.unit, label=table.label,
                    notes=list(table.notes), source_rows=[" | ".join(c for c in r if c) for r in table.rows],
                    index=table.index)


def extract(data: bytes, filename: str = "") -> Extraction:
    text = decode(data)
    raw_tables, narrative, title = parse_dump(text)
    if not raw_tables and not narrative:
        raise ExtractionError(f"{filename or 'the file'} holds no text and no tables", status="failed")
    meta = parse_title(title, fallback=filename)
    unit = next((t.unit for t in raw_tables if t.unit), None)
    layouts, kinds, tables = [], [], {}
    for raw in raw_tables:
        raw.unit = raw.unit or unit
        kind = table_kind(raw.title)
        layout = None if kind in v.TEXT_TABLE_KINDS else plan(raw, meta.fiscal_year, meta.stage)
        if layout is not None:
            layouts.append(layout)
            kinds.append(kind)
        elif kind in v.TEXT_TABLE_KINDS:
            tables[raw.index] = as_ragged_table(raw)  # targets and indicators: no columns to rebuild
        else:
            tables[raw.index] = unplaceable(raw)
    place_with_evidence(layouts, kinds, "\n".join(narrative), meta.fiscal_year)
    for layout in layouts:
        tables[layout.raw.index] = layout.to_table()
    tables = [tables[i] for i in sorted(tables)]
    return Extraction(title=title, tables=tables, paragraphs=[Paragraph(line) for line in narrative])
