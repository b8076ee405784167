"""Any table of the shared model → the contract's budget lines. One normaliser for every format.

For each body row, the label columns give the subject (a code, joined from 类/款/项 columns when
split, or a row label such as 合计 or a project name); every amount cell becomes one line whose
measure, year and basis come from its column's header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from extractors import vocabulary as v
from extractors.columns import (ColumnSpec, amounts_by_content, confirm_by_arithmetic, interpret_columns,
                                labels_by_content, row_measure)
from extractors.framing import column_units
from extractors.model import Extraction, Table
from extractors.numbers import NumberError, fen_to_wan, parse_amount, to_fen
from extractors.reading import column_source, read_table
from extractors.subjects import carry_code_parts, classification_of, level_of, parent_of, subject_code_for_name
from extractors.tablekinds import table_kind
from extractors.titles import DocumentMeta, split_jurisdiction



@dataclass
class Normalised:
    lines: list[dict] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)


def normalise(extraction: Extraction, meta: DocumentMeta, document_id: str, url: str = "") -> Normalised:
    out = Normalised()
    short = document_id[:16]
    for position, paragraph in enumerate(extraction.paragraphs):
        out.paragraphs.append({
            "id": f"{short}:p{position}", "document_id": document_id, "page": paragraph.page,
            "position": position, "text": paragraph.text,
        })
    default_unit = next((t.unit for t in extraction.tables if t.unit), None) or "万元"
    for table in extraction.tables:
        kind = table_kind(table.title, [p[-1] for p in table.column_paths() if p])
        unnamed: list[dict] = []
        specs: list[ColumnSpec] = []
        lines = [] if kind in v.TEXT_TABLE_KINDS else table_lines(table, kind, meta, document_id, url,
                                                                   default_unit, unplaced=unnamed, columns=specs)
        out.lines.extend(lines)
        reading = read_table(lines, [column_source(s) for s in specs if s.is_amount],
                             unplaced=len(table.unplaced) + len(unnamed))
        out.tables.append({
            "id": f"{short}:t{table.index}", "document_id": document_id, "table_index": table.index,
            "label": table.label, "title": table.title, "table_kind": kind, "unit": table.unit,
            "page": table.page, "rows": len(table.rows), "lines": len(lines),
            "notes": "\n".join(table.notes) or None, **reading.as_row(),
        })
        for n, cell in enumerate(table.unplaced):
            out.unplaced.append({
                "id": f"{short}:t{table.index}:u{n}", "document_id": document_id,
                "table_index": table.index, "table_title": table.title, "row_index": cell.row_index,
                "text": cell.text, "candidates": " | ".join(cell.candidates), "reason": cell.reason,
            })
        for n, cell in enumerate(unnamed, start=len(table.unplaced)):
            out.unplaced.append({"id": f"{short}:t{table.index}:u{n}", "document_id": document_id,
                                 "table_index": table.index, "table_title": table.title, **cell})
    return out


def department_printed(title: str, meta: DocumentMeta) -> str:
    """The department as a table's title prints it: the title less its kind and jurisdiction."""
    text = re.sub(r"\s+", "", title)
    text = v.split_label(text)[1]
    for _, phrases in v.TABLE_KIND_TITLES:
        for phrase in phrases:
            at = text.find(v.label_key(phrase))
            if at > 0:
                text = text[:at]
                break
        else:
            continue
        break
    text = re.sub(r"(20\d\d)年度?.*$", "", text)
    text = re.sub(r"(一般公共预算|政府性基金预算|国有资本经营预算|财政拨款|支出|部门|单位|[“”\"])+$", "", text)
    _, rest = split_jurisdiction(text)
    return rest or meta.department_raw


def table_lines(table: Table, kind: str, meta: DocumentMeta, document_id: str, url: str,
                default_unit: str, unplaced: list | None = None, columns: list | None = None) -> list[dict]:
    """The budget lines of one table. Amounts in a column whose label names no measure, in a
    table of no known kind, cannot be loaded as lines: they go to `unplaced` (the
    `unplaced_cells` rows, less their ids) with the column's label, never dropped silently.
    `columns`, when given, receives the reading of each column."""
    specs = _codes_by_content(interpret_columns(table.column_paths(), meta.fiscal_year, meta.stage), table.rows)
    specs = amounts_by_content(labels_by_content(specs, table.rows), table.rows, meta.fiscal_year, meta.stage)
    specs = confirm_by_arithmetic(specs, table.rows, table.unit or default_unit)
    if columns is not None:
        columns.extend(specs)
    unit = table.unit or default_unit
    units = column_units(table)  # a column's own '（元）' overrides the table's unit
    dept_raw = department_printed(table.title, meta)
    lines = []
    headings: dict[int, str] = {}
    for r, (row, labels) in enumerate(zip(table.rows, carry_code_parts(table.rows, code_parts(specs)))):
        owner: dict | None = None
        for col, spec in enumerate(specs):
            cell = row[col] if col < len(row) else ""
            if not spec.is_amount:
                if spec.is_label:
                    owner = _owner_with(owner, spec, labels[col] if col < len(labels) else "", col, specs,
                                        row, headings)
                continue
            try:
                amount = parse_amount(cell)
            except NumberError:
                continue
            if amount is None:
                continue
            if kind == "other" and spec.measure == "other":
                # neither the table's kind nor the column's label says what this amount is
                if unplaced is not None:
                    unplaced.append({"row_index": r, "text": cell.strip(), "candidates": spec.label,
                                     "reason": f"column “{spec.label}” names no known measure and the table "
                                               "is of no known kind: the amount is not loaded"})
                continue
            if kind == "three_public_expenses" and spec.measure == "total":
                # items printed as rows under one amount column: the row says which expense it is
                measure = row_measure(((owner or {}).get("item") or (owner or {}).get("name") or "").split("/")[-1])
                if measure:
                    spec = replace(spec, measure=measure)
            try:
                lines.append(_line(table, kind, meta, document_id, url, units[col] or unit, dept_raw, r, col, spec,
                                   owner or {}, amount, row))
            except NumberError:
                continue  # finer than 1 分 (a ratio or a share printed in an amount column)
    return lines


def _codes_by_content(specs: list[ColumnSpec], rows: list[list[str]]) -> list[ColumnSpec]:
    """A column whose label names nothing but whose every cell is a 款 or 项 code (2010301, 20103)
    is a code column, never amounts: a template's own name for it ('支出科目代码（类款项）')
    is not in the vocabulary yet."""
    out = list(specs)
    for col, spec in enumerate(specs):
        if not spec.is_amount or spec.measure not in (None, "other"):
            continue
        cells = [row[col].strip() for row in rows if col < len(row) and row[col].strip()]
        codes = [c.replace(" ", "") for c in cells if v.SUBJECT_CODE_SPACED.match(c)]
        if codes and len(codes) == len(cells) and any(len(c) > 3 for c in codes) \
                and all(c[0] in "235" for c in codes):
            out[col] = ColumnSpec("code", spec.label, source="content")
    return out


def code_parts(specs: list[ColumnSpec]) -> dict[int, int]:
    """The columns printing 类, 款 or 项 of a code on their own, and which part each prints."""
    return {col: spec.part for col, spec in enumerate(specs) if spec.role == "code_part" and spec.part is not None}


def _owner_with(owner, spec: ColumnSpec, cell: str, col: int, specs, row, headings) -> dict:
    """Accumulate what the label columns left of an amount say about the row's subject."""
    if owner is None or owner.get("_closed"):
        owner = {"code_parts": {}, "code": "", "name": "", "item": ""}
    text = cell.strip()
    if spec.role == "code":
        digits = text.replace(" ", "")
        if v.SUBJECT_CODE_SPACED.match(text):
            owner["code"] = digits
        elif text:
            owner["item"] = owner["item"] or text
    elif spec.role == "code_part":
        if text:  # 款 and 项 are two digits; some tables print 款 2 as '2'
            owner["code_parts"][spec.part] = text.zfill(2) if spec.part else text
    elif spec.role == "name":
        owner["name"] = text
    elif spec.role in ("item", "project", "unit"):
        if text:
            # a project's name wins over the unit that runs it; both print as row labels
            if spec.role == "item":
                owner["item"] = _item_path(text, col, headings)
            elif spec.role == "project" or not owner["item"]:
                owner["item"] = text
    # the next amount column closes this owner: a label after amounts starts a new one
    nxt = col + 1
    if nxt < len(specs) and specs[nxt].is_amount:
        owner["_closed"] = True
    return owner


def _item_path(label: str, col: int, headings: dict[int, str]) -> str:
    """'(一)一般公共预算拨款' under '二、上年结转' reads '二、上年结转/(一)一般公共预算拨款'."""
    if v.ITEM_HEADING.match(label):
        headings[col] = label
        return label
    if v.ITEM_SUBHEADING.match(label) and col in headings:
        return f"{headings[col]}/{label}"
    return label


def _subject(owner: dict, kind: str) -> tuple[str, str, str]:
    """(subject_code, subject_name, item)."""
    code = owner.get("code", "")
    parts = owner.get("code_parts") or {}
    if not code and parts:
        code = "".join(parts[k] for k in sorted(parts))
        # 类 and 项 without the 款 between them (201 | | 01) is no code: 20101 would be another 款
        if not v.SUBJECT_CODE.match(code) or sorted(parts) != list(range(len(parts))):
            code = ""
    name = owner.get("name", "")
    item = owner.get("item", "")
    if code:
        return code, name, ""
    label = item or name
    bare = v.ITEM_NUMBERING.sub("", label.split("/")[-1])
    if v.label_key(bare) in v.TOTAL_ROW_LABELS or not bare:
        return "", "", label
    mapped = subject_code_for_name(bare) if kind in _KINDS_WITH_CLASS_NAMES and bare.endswith("支出") else ""
    if mapped:
        return mapped, bare, label
    return "", name if item else "", label


_KINDS_WITH_CLASS_NAMES = {"fiscal_appropriation_summary", "dept_summary"}


def _line(table, kind, meta, document_id, url, unit, dept_raw, r, col, spec, owner, amount: Decimal, row):
    code, name, item = _subject(owner, kind)
    fen = to_fen(amount, unit)
    return {
        "id": f"{document_id[:16]}:{table.index}:{r}:{col}",
        "document_id": document_id,
        "district": meta.district,
        "department": meta.department,
        "department_raw": dept_raw,
        "fiscal_year": meta.fiscal_year,
        "stage": meta.stage,
        "table_kind": kind,
        "table_title": table.title,
        "classification": classification_of(code),
        "subject_code": code,
        "subject_name": name,
        "level": level_of(code),
        "parent_code": parent_of(code),
        "item": item,
        "measure": spec.measure,
        "year": spec.year,
        "basis": spec.basis,
        "amount_wan": fen_to_wan(fen),
        "amount_fen": fen,
        "unit_printed": unit,
        "page": table.page,
        "table_index": table.index,
        "row_index": r,
        "column_index": col,
        "column_label": spec.label,
        "source_text": table.source_rows[r] if r < len(table.source_rows) else " | ".join(c for c in row if c),
        "url": url,
    }
