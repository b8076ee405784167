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
                                labels_by_content, labels_by_position, row_measure)
from extractors.constants import TableKind
from extractors.framing import column_units, is_column_number_row
from extractors.model import Extraction, Table
from extractors.numbers import NumberError, is_amount, parse_amount, to_fen
from extractors.reading import Reading, read_table
from extractors.subjects import (carry_code_parts, classification_of, level_of, parent_of, recover_codes,
                                 split_code_and_name, subject_code_for_name)
from extractors.tablekinds import table_kind
from extractors.titles import DocumentMeta, split_jurisdiction
from extractors.units import fen_to_wan



@dataclass
class Normalised:
    lines: list[dict] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)  # each table's, for judging the whole (not stored)


def normalise(extraction: Extraction, meta: DocumentMeta, document_id: str, url: str = "") -> Normalised:
    out = Normalised()
    short = document_id[:16]
    for position, paragraph in enumerate(extraction.paragraphs):
        out.paragraphs.append({
            "id": f"{short}:p{position}", "document_id": document_id, "page": paragraph.page,
            "position": position, "text": paragraph.text, "table_index": None, "row_index": None,
        })
    default_unit = next((t.unit for t in extraction.tables if t.unit), None) or "万元"
    for table in extraction.tables:
        kind = table_kind(table.title, [p[-1] for p in table.column_paths() if p])
        unnamed: list[dict] = []
        specs: list[ColumnSpec] = []
        lines = [] if kind in v.TEXT_TABLE_KINDS else table_lines(table, kind, meta, document_id, url,
                                                                   default_unit, unplaced=unnamed, columns=specs)
        out.lines.extend(lines)
        reading = read_table(lines, [s.source for s in specs if s.is_amount],
                             unplaced=len(table.unplaced) + len(unnamed))
        out.readings.append(reading)
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
        for r, c, text in prose_cells(table):
            out.paragraphs.append({
                "id": f"{short}:t{table.index}:r{r}c{c}", "document_id": document_id, "page": table.page,
                "position": len(out.paragraphs), "text": text, "table_index": table.index, "row_index": r,
            })
    return out


# a cell that states money in words: '一是区数建办运转费用28.16万元。(技术支撑团队6人*660*12=47520元);…'
PROSE_CELL = re.compile(r"[\u4e00-\u9fff]{4}.*\d\s*(?:万元|元|亿元)|\d\s*(?:万元|元|亿元).*[\u4e00-\u9fff]{4}", re.S)


def prose_cells(table: Table) -> list[tuple[int, int, str]]:
    """(row, column, text) of the cells of a table that are prose with amounts in them (a
    performance table's 项目概况, a project's 测算依据): the text checks read them as they read the
    narrative."""
    return [(r, c, cell.strip()) for r, row in enumerate(table.rows) for c, cell in enumerate(row)
            if cell and PROSE_CELL.search(cell)]


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
    # 栏次 1 2 3: the columns' numbers, however the reader framed the table
    numbering = {r for r, row in enumerate(table.rows) if is_column_number_row(row)}
    body = [row for r, row in enumerate(table.rows) if r not in numbering]
    paths = labels_by_position(table.column_paths(), body)
    specs = _codes_by_content(interpret_columns(paths, meta.fiscal_year, meta.stage), table.rows)
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
        if r in numbering:
            continue
        owner: dict | None = None
        for col, spec in enumerate(specs):
            cell = row[col] if col < len(row) else ""
            if not spec.is_amount:
                if spec.is_label:
                    owner = _owner_with(owner, spec, labels[col] if col < len(labels) else "", col, specs,
                                        row, headings)
                if not spec.label and unplaced is not None and _money(cell):
                    unplaced.append({"row_index": r, "text": cell.strip(), "candidates": "",
                                     "reason": "an amount in a column without a header: the amount is not loaded"})
                continue
            try:
                amount = parse_amount(cell)
            except NumberError:
                continue
            if amount is None:
                continue
            if kind == TableKind.OTHER and spec.measure == "other":
                # neither the table's kind nor the column's label says what this amount is
                if unplaced is not None:
                    unplaced.append({"row_index": r, "text": cell.strip(), "candidates": spec.label,
                                     "reason": f"column “{spec.label}” names no known measure and the table "
                                               "is of no known kind: the amount is not loaded"})
                continue
            if kind == TableKind.THREE_PUBLIC_EXPENSES and spec.measure == "total":
                # items printed as rows under one amount column: the row says which expense it is
                measure = three_public_row_measure(
                    ((owner or {}).get("item") or (owner or {}).get("name") or "").split("/")[-1])
                if measure:
                    spec = replace(spec, measure=measure)
            try:
                lines.append(_line(table, kind, meta, document_id, url, units[col] or unit, dept_raw, r, col, spec,
                                   owner or {}, amount, row))
            except NumberError:
                continue  # finer than 1 分 (a ratio or a share printed in an amount column)
    if kind in _KINDS_WITH_CLASS_NAMES or any(line["code_source"] == "printed" for line in lines):
        lines = recover_codes(lines, meta.fiscal_year)
    return lines


def _money(cell: str) -> bool:
    """A cell printed as money (1,260.37, 0.00), not a sequence number or a code."""
    text = (cell or "").strip()
    return ("." in text or "," in text) and is_amount(text)


def three_public_row_measure(label: str) -> str | None:
    """What a vertical 三公 table's row names (`columns.row_measure`), also where the row calls the
    item a spending ('其中：（一）因公出国（境）支出', '（三）公务接待费支出', '（二）公务用车购置及
    运行维护支出', as Guangdong's 行政经费及“三公”经费预算表 prints them): read as the …费 it is."""
    measure = row_measure(label)
    if measure is None and v.THREE_PUBLIC_ROW_SPENDING.search(label):
        measure = row_measure(v.THREE_PUBLIC_ROW_SPENDING.sub("费", label))
    return measure


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
        owner = {"code_parts": {}, "code": "", "gov_code": "", "name": "", "item": ""}
    text = cell.strip()
    printed_code, printed_name = split_code_and_name(text) if spec.role in ("code", "name", "item") else ("", text)
    if spec.role == "code":
        if v.SUBJECT_CODE_SPACED.match(text):
            _take_code(owner, text.replace(" ", ""), spec)
        elif printed_code:
            _take_code(owner, printed_code, spec)
            owner["name"] = owner["name"] or printed_name
        elif text:
            owner["item"] = owner["item"] or text
    elif spec.role == "code_part":
        if text and not text.replace(" ", "").isdigit():
            owner["item"] = owner["item"] or text  # '合计' printed across the 类 款 项 columns
        elif text:  # 款 and 项 are two digits; some tables print 款 2 as '2'
            parts = "gov_code_parts" if v.GOV_ECONOMIC_LABEL.search(v.label_key(spec.label)) else "code_parts"
            owner.setdefault(parts, {})[spec.part] = text.zfill(2) if spec.part else text
    elif spec.role == "name":
        if printed_code:
            _take_code(owner, printed_code, spec)
        if not (owner["name"] and (owner["gov_code"] or v.GOV_ECONOMIC_LABEL.search(v.label_key(spec.label)))):
            owner["name"] = printed_name if printed_code else text  # the department's name, not the government's
    elif spec.role == "item" and printed_code:
        _take_code(owner, printed_code, spec)
        owner["name"] = owner["name"] or printed_name
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


def _take_code(owner: dict, code: str, spec: ColumnSpec) -> None:
    """A row's code. Where a row prints a 部门经济分类 code (30101) and a 政府经济分类 one (50101),
    the department's is the row's `subject_code` and the government's its `gov_economic_code`:
    the column's label says which, else a 5… code beside another code is the government's."""
    is_gov = bool(v.GOV_ECONOMIC_LABEL.search(v.label_key(spec.label)))
    if not is_gov and owner["code"] and code.startswith(v.GOV_ECONOMIC_CODE_START) \
            and not owner["code"].startswith(v.GOV_ECONOMIC_CODE_START):
        is_gov = True
    elif not is_gov and owner["code"].startswith(v.GOV_ECONOMIC_CODE_START) \
            and not code.startswith(v.GOV_ECONOMIC_CODE_START):
        owner["gov_code"] = owner["code"]  # the government's code was printed first
    if is_gov:
        owner["gov_code"] = code
    else:
        owner["code"] = code


def _item_path(label: str, col: int, headings: dict[int, str]) -> str:
    """'(一)一般公共预算拨款' under '二、上年结转' reads '二、上年结转/(一)一般公共预算拨款'."""
    if v.ITEM_HEADING.match(label):
        headings[col] = label
        return label
    if v.ITEM_SUBHEADING.match(label) and col in headings:
        return f"{headings[col]}/{label}"
    return label


def _joined_parts(parts: dict[int, str]) -> str:
    """The code that 类, 款 and 项 columns print together; '' for 类 and 项 without the 款 between
    them (201 | | 01): 20101 would be another 款."""
    code = "".join(parts[k] for k in sorted(parts))
    return code if v.SUBJECT_CODE.match(code) and sorted(parts) == list(range(len(parts))) else ""


def gov_economic_code(owner: dict) -> str:
    """The 政府经济分类 code a row prints beside its 部门经济分类 one, '' where it prints none."""
    return owner.get("gov_code") or _joined_parts(owner.get("gov_code_parts") or {})


def _subject(owner: dict, kind: str) -> tuple[str, str, str]:
    """(subject_code, subject_name, item). A functional 类 printed by name only (summary tables)
    takes its code from the reference list: `_code_source` tells the two apart."""
    code = owner.get("code", "")
    parts = owner.get("code_parts") or {}
    if not code and parts:
        code = _joined_parts(parts)
    if not code:
        code = gov_economic_code(owner)  # the only code the row prints
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


_KINDS_WITH_CLASS_NAMES = {TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY}


def _code_source(code: str, item: str) -> str:
    """'printed' where the row prints its code, 'catalogue' where it was placed by its name."""
    return "" if not code else "catalogue" if item else "printed"


def _line(table, kind, meta, document_id, url, unit, dept_raw, r, col, spec, owner, amount: Decimal, row):
    code, name, item = _subject(owner, kind)
    gov_code = gov_economic_code(owner)
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
        "gov_economic_code": gov_code if gov_code != code else "",
        "code_source": _code_source(code, item),
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
