"""A disclosure page copied as text (a crawler's text dump of the HTML) → tables and narrative.

In the dump a line `|` starts a table row and every non-empty cell is a line ending in ` |`;
empty cells and merged-cell structure are gone (runs of `||||` are all that is left of them).
`parse_dump` recovers the rows; `extractors.layout.rebuild` puts the cells back in columns.
"""
from __future__ import annotations

import re

from extractors import vocabulary as v
from extractors.columns import is_data_row
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


def _is_title(cells: list[str]) -> bool:
    return len(cells) == 1 and ("表" in cells[0] or v.TABLE_LABEL.match(cells[0])) and not v.UNIT_LINE.search(cells[0])


def parse_dump(text: str) -> tuple[list[RawTable], list[str], str]:
    """Tables (cells in order, columns not yet placed), narrative lines, and the page title."""
    items = split_rows(text)
    tables: list[RawTable] = []
    narrative: list[str] = []
    title = next((line for kind, line in items if kind == "text"), "")
    current: RawTable | None = None
    pending_label = ""
    last_text = ""
    for kind, payload in items:
        if kind == "text":
            line = payload
            m = v.TABLE_LABEL.match(line)
            if m and len(line) <= 12:
                pending_label = re.sub(r"\s+", "", m.group(1))
                current = None
                continue
            if current is not None and v.TABLE_NOTE.match(line):
                current.notes.append(line)
                continue
            if current is None and not tables:
                narrative.append(line)
            last_text = line
            current = None if not line.startswith("(") else current
            continue
        cells, raw_lines = payload
        if not cells:
            continue
        if len(cells) == 1 and v.TABLE_NOTE.match(cells[0]) and current is not None:
            current.notes.append(cells[0])
            continue
        if current is None or _is_title(cells) and current.body_rows:
            if _is_title(cells):
                table_title, cells = cells[0], None
            else:
                table_title = last_text if "表" in last_text else pending_label
            label = pending_label
            m = v.TABLE_LABEL.match(table_title)
            if m:
                label = label or re.sub(r"\s+", "", m.group(1))
                table_title = table_title[m.end():].strip()
            current = RawTable(title=table_title, header_rows=[], body_rows=[], label=label,
                               index=len(tables))
            tables.append(current)
            pending_label = ""
            if cells is None:
                continue
        unit = v.UNIT_LINE.search(" ".join(cells))
        if unit and len(cells) <= 2 and not current.body_rows:
            current.unit = unit.group(1)
            continue
        if not current.body_rows and not is_data_row(cells):
            current.header_rows.append(cells)
        else:
            current.body_rows.append(cells)
            current.source_rows.append(" | ".join(cells))
    return tables, narrative, title


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
