"""How well what was loaded agrees with the documents' own arithmetic: the development loop's
measure (`budgets health`).

Everything here is computed from the database alone, independently of how the readers decided
anything, so a reading that went wrong shows even where the reader was sure of itself:

- row identity: within one printed row and year, 合计 = 基本支出 + 项目支出;
- hierarchy: within one column of a table, a parent subject = the sum of its children printed
  under it (each classification on its own);
- column-number lines: a row of column numbers (栏次 1 2 3 …, ** 1 2, 行次) loaded as amounts;
- unplaced cells, and lines without a code in tables that are organised by subject code;
- doubtful tables (their identities fail under every reading), documents ok / partial / failed,
  documents ``ok`` with tables but not one line, and the audit's errors.

Each figure is compared with `extractors.identities`, the project's one arithmetic.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from budgets.revisions import CURRENT_IDS
from extractors import framing
from extractors import vocabulary as v
from extractors.constants import TableKind
from extractors.reading import BASIC_PROJECT, expects_lines, parent_checks, row_checks
from extractors.subjects import catalogue_name, codes_named



# a loaded row, as printed, that numbers the columns (栏次 1 2 3, ** ** 1 2): the framing's rule
is_column_number_row = framing.is_column_number_text


@dataclass
class Tally:
    """Counts of one document or of a group of documents."""

    documents: int = 0
    status: dict = field(default_factory=lambda: defaultdict(int))
    pages: int = 0
    tables: int = 0
    lines: int = 0
    rows_checked: int = 0
    rows_held: int = 0
    parents_checked: int = 0
    parents_held: int = 0
    column_number_lines: int = 0
    unplaced: int = 0
    coded_table_lines: int = 0
    uncoded_lines: int = 0
    unplaceable_lines: int = 0
    doubtful_tables: int = 0
    ok_without_lines: int = 0
    errors: int = 0
    misses: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("documents", "pages", "tables", "lines", "rows_checked", "rows_held", "parents_checked",
                     "parents_held", "column_number_lines", "unplaced", "coded_table_lines", "uncoded_lines",
                     "unplaceable_lines", "doubtful_tables", "ok_without_lines", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, n in other.status.items():
            self.status[status] += n

    def as_dict(self) -> dict:
        out = {name: getattr(self, name) for name in (
            "documents", "pages", "tables", "lines", "rows_checked", "rows_held", "parents_checked", "parents_held",
            "column_number_lines", "unplaced", "coded_table_lines", "uncoded_lines", "unplaceable_lines",
            "doubtful_tables", "ok_without_lines", "errors")}
        out["status"] = dict(self.status)
        out["row_identity_share"] = share(self.rows_held, self.rows_checked)
        out["hierarchy_share"] = share(self.parents_held, self.parents_checked)
        out["unplaced_share"] = share(self.unplaced, self.lines)
        out["uncoded_share"] = share(self.uncoded_lines, self.coded_table_lines)
        out["unplaceable_share"] = share(self.unplaceable_lines, self.coded_table_lines)
        return out


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def row_identity(lines: list) -> tuple[int, int, list]:
    """(rows checked, rows that hold, misses) of 合计 = 基本支出 + 项目支出 over one table's lines."""
    checks = row_checks(lines, BASIC_PROJECT)
    return len(checks), sum(c.held for c in checks), [("row", c.line) for c in checks if not c.held]


def hierarchy(lines: list) -> tuple[int, int, list]:
    """(parents checked, parents that hold, misses): within one column, each subject printed with
    children equals their sum, each classification on its own."""
    checks = parent_checks(lines)
    return len(checks), sum(c.held for c in checks), [("parent", c.line) for c in checks if not c.held]


def _uncoded(lines: list) -> tuple[int, int, int]:
    """(lines that should have a code, those without one, those printed with none that the
    catalogue cannot place) of a table organised by subject: a summary table that lists spending
    subjects by name, or one where most rows named like subjects print a code. A line should have
    a code when its label is a subject's name (the catalogue knows it, or it names a spending
    …支出), not a total, not the income side of a two-sided summary table, not a unit's own row."""
    subject_rows: dict[int, bool] = {}
    considered = []
    for line in lines:
        if line["subject_code"]:
            subject_rows[line["row_index"]] = True
            considered.append((line, ""))
            continue
        name = catalogue_name((line["item"] or "").split("/")[-1])
        if is_subject_name(name, line["fiscal_year"]):
            subject_rows.setdefault(line["row_index"], False)
            considered.append((line, name))
    coded = sum(subject_rows.values())
    summary = any(line["table_kind"] in SUMMARY_KINDS for line in lines)
    if not considered or not (summary or coded and coded * 2 >= len(subject_rows)):
        return 0, 0, 0
    uncoded = unplaceable = 0
    for line, name in considered:
        if line["subject_code"]:
            continue
        if prints_code_before(line["source_text"], name) or len(codes_named(name, line["fiscal_year"])) == 1:
            uncoded += 1
        else:
            unplaceable += 1
    return len(considered), uncoded, unplaceable


SUMMARY_KINDS = {TableKind.FISCAL_APPROPRIATION_SUMMARY, TableKind.DEPT_SUMMARY}


def is_subject_name(name: str, year: int | None) -> bool:
    """A label naming a subject: one the catalogue knows, else a spending (…支出) that is no
    income, carry-over or total ('一、一般公共预算拨款收入', '本年支出合计')."""
    if not name or v.label_key(name) in v.TOTAL_LABELS:
        return False
    return bool(codes_named(name, None)) or (name.endswith("支出") and not v.NOT_A_SPENDING_SUBJECT.search(name))


def prints_code_before(source_text: str, name: str) -> bool:
    """Whether the printed row shows a code before the name ('2140101 行政运行', '214 01 01-行政运行')."""
    if not name:
        return False
    text = re.sub(r"\s+", "", source_text or "").translate(_FULL_WIDTH)
    return bool(re.search(r"(?<![\d.,])[235]\d{2}(?:\d{2}){0,2}[-－|]?" + re.escape(name), text))


_FULL_WIDTH = str.maketrans({"(": "（", ")": "）"})


def group_of(document: dict) -> str:
    """A document's group in the report: the city its file name starts with ('广州__…pdf', as the
    shared corpus of many cities names them), else its district."""
    name = PurePath(document.get("raw_path") or "").name
    if "__" in name:
        return name.split("__", 1)[0]
    return document.get("district") or "(no district)"


def document_health(db, document: dict) -> Tally:
    tally = Tally(documents=1, pages=document.get("pages") or 0, tables=document.get("tables") or 0,
                  lines=document.get("lines") or 0)
    tally.status[document.get("status") or "?"] += 1
    lines = [dict(zip(_LINE_FIELDS, row)) for row in db.execute(
        f"SELECT {', '.join(_LINE_FIELDS)} FROM budget_lines WHERE document_id = ?", [document["id"]])]
    by_table: dict[int, list] = defaultdict(list)
    for line in lines:
        if is_column_number_row(line["source_text"]):
            tally.column_number_lines += 1
        by_table[line["table_index"]].append(line)
    for table_lines in by_table.values():
        for check, counts in (("row", row_identity(table_lines)), ("parent", hierarchy(table_lines))):
            checked, held, misses = counts
            if check == "row":
                tally.rows_checked += checked
                tally.rows_held += held
            else:
                tally.parents_checked += checked
                tally.parents_held += held
            tally.misses.extend(misses)
        considered, uncoded, unplaceable = _uncoded(table_lines)
        tally.coded_table_lines += considered
        tally.uncoded_lines += uncoded
        tally.unplaceable_lines += unplaceable
    tally.unplaced = db.execute("SELECT count(*) FROM unplaced_cells WHERE document_id = ?",
                                [document["id"]]).fetchone()[0]
    if "confidence" in _columns(db, "tables"):
        tally.doubtful_tables = db.execute(
            "SELECT count(*) FROM tables WHERE document_id = ? AND confidence = 'doubtful'",
            [document["id"]]).fetchone()[0]
    tables = db.execute("SELECT table_kind, rows FROM tables WHERE document_id = ?", [document["id"]])
    if document.get("status") == "ok" and not lines and any(
            expects_lines({"table_kind": kind, "rows": rows}) for kind, rows in tables):
        tally.ok_without_lines = 1
    tally.errors = db.execute("SELECT count(*) FROM findings WHERE document_id = ? AND severity = 'error'",
                              [document["id"]]).fetchone()[0]
    return tally


_LINE_FIELDS = ("table_index", "row_index", "column_index", "subject_code", "parent_code", "classification",
                "item", "measure", "year", "basis", "amount_fen", "unit_printed", "source_text", "page",
                "table_title", "column_label", "fiscal_year", "table_kind")


def _columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info([{table}])")}


@dataclass
class Report:
    documents: list[tuple[dict, Tally]]
    groups: dict[str, Tally]
    whole: Tally


def health(db) -> Report:
    """The health of every current document of the database (superseded revisions left out)."""
    columns = ("id", "raw_path", "url", "district", "department", "title", "status", "pages", "tables", "lines",
               "error")
    documents = [dict(zip(columns, row)) for row in db.execute(
        f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({CURRENT_IDS}) ORDER BY raw_path, url, id")]
    per_document = []
    groups: dict[str, Tally] = {}
    whole = Tally()
    for document in documents:
        tally = document_health(db, document)
        per_document.append((document, tally))
        groups.setdefault(group_of(document), Tally()).add(tally)
        whole.add(tally)
    return Report(per_document, dict(sorted(groups.items())), whole)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


HEADER = (f"{'':<14}{'docs':>5}{'ok':>4}{'part':>5}{'fail':>5}{'lines':>8}{'row =':>8}{'parent =':>9}"
          f"{'col#':>6}{'unplaced':>9}{'uncoded':>8}{'nocode':>7}{'doubt':>6}{'ok∅':>4}{'errors':>7}")


def _cell(text: str, width: int) -> str:
    """`text` cut and padded to `width` terminal columns (a Chinese character takes two)."""
    out, used = "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


def format_row(name: str, tally: Tally) -> str:
    d = tally.as_dict()
    status = tally.status
    return (f"{_cell(name, 14)}{tally.documents:>5}{status.get('ok', 0):>4}{status.get('partial', 0):>5}"
            f"{sum(n for s, n in status.items() if s not in ('ok', 'partial')):>5}{tally.lines:>8}"
            f"{_pct(d['row_identity_share']):>8}{_pct(d['hierarchy_share']):>9}{tally.column_number_lines:>6}"
            f"{_pct(d['unplaced_share']):>9}{_pct(d['uncoded_share']):>8}{_pct(d['unplaceable_share']):>7}"
            f"{tally.doubtful_tables:>6}"
            f"{tally.ok_without_lines:>4}{tally.errors:>7}")


LEGEND = ("row = : rows where 合计 = 基本支出 + 项目支出 holds; parent = : parents equal to the sum of "
          "their children;\ncol# : column-number lines loaded as amounts; unplaced : unplaced cells per "
          "line; uncoded : lines named like a subject without a code in tables organised by subject;\n"
          "nocode : lines printed without a code whose name the catalogue cannot place; doubt : doubtful "
          "tables; ok∅ : documents "
          "'ok' with tables but no line; errors : the audit's error findings; fail : failed, needs_ocr, "
          "unsupported")
