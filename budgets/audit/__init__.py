"""The audit: where a disclosure contradicts itself, and exactly where.

    audit_documents(db, document_ids)   after a crawl or ingest, for the documents that changed
    audit_all(db)                        `budgets audit`: recompute every finding

Each check is a module with a pure ``check(disclosure) -> list[Finding]``; this module reads
the database, runs the checks, and writes `findings` (ids are deterministic, so re-running never
duplicates) and `completeness` (one row per disclosure).
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from budgets.audit import (
    comparison_word, cross_table, empty_table, hierarchy_sum, missing_table, name_variant, narrative, placeholder,
    punctuation, rate_base, restated_figure, row_identity, stated_change, stated_total, subject_name, year_mention,
    year_over_year,
)
from budgets.audit.bounded import findings_within_limits
from budgets.audit.model import READING, THREE_PUBLIC_MEASURES, Disclosure, Finding
from budgets.db import insert_rows
from budgets.reference import SEEN  # subjects copied from disclosures are no reference for them
from budgets.schema import COMPLETENESS_COLUMNS, CURRENT_IDS, FINDING_COLUMNS, ensure_audit
from budgets.transaction import transaction
from extractors.constants import Stage, TableKind
from extractors.reading import DOUBTFUL

CHECKS = {
    "row_identity": row_identity.check,
    "hierarchy_sum": hierarchy_sum.check,
    "cross_table": cross_table.check,
    "narrative": narrative.check,
    "year_over_year": year_over_year.check,
    "missing_table": missing_table.check,
    "name_variant": name_variant.check,
    "stated_change": stated_change.check,
    "comparison_word": comparison_word.check,
    "rate_base": rate_base.check,
    "restated_figure": restated_figure.check,
    "stated_total": stated_total.check,
    "empty_table": empty_table.check,
    "subject_name": subject_name.check,
    "year_mention": year_mention.check,
    "placeholder": placeholder.check,
    "punctuation": punctuation.check,
}

CATALOGUE = Path(__file__).resolve().parents[2] / "docs" / "AUDIT.md"


def explain(name: str) -> str | None:
    """The catalogue's section on one check (docs/AUDIT.md), None for a check that is not there."""
    if name not in CHECKS:
        return None
    sections = re.split(r"^## ", CATALOGUE.read_text(encoding="utf-8"), flags=re.M)
    return next((f"## {s.strip()}" for s in sections if s.split("\n", 1)[0].strip() == name), None)


@dataclass
class AuditResult:
    documents: int = 0
    findings: int = 0
    by_severity: dict = field(default_factory=dict)
    by_check: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # checks that could not run on a document

    def add(self, rows: list[dict]) -> None:
        self.documents += 1
        self.findings += len(rows)
        for row in rows:
            self.by_severity[row["severity"]] = self.by_severity.get(row["severity"], 0) + 1
            self.by_check[row["check"]] = self.by_check.get(row["check"], 0) + 1


def run_checks(disclosure: Disclosure, result: AuditResult | None = None) -> list[Finding]:
    """Every check on one disclosure, trusting only the tables whose reading is not doubtful
    (`extractors.reading`): what the checks find only once a doubtful table's figures are let in
    is most likely our misreading, and is recorded as such (severity `reading`), never as the
    document's error or warning."""
    doubtful = {t.get("table_index") for t in disclosure.tables if t.get("confidence") == DOUBTFUL}
    if not doubtful:
        return _run_checks(disclosure, result)
    trusted = replace(disclosure, lines=[ln for ln in disclosure.lines if ln.get("table_index") not in doubtful],
                      memo={})
    findings = _run_checks(trusted, result)
    every = _run_checks(disclosure, None)
    known = {(f.check, f.key or f.evidence) for f in findings}
    shown = {(f.check, f.key or f.evidence) for f in every}
    for index, finding in enumerate(findings):
        # a sentence that disagrees with the trusted tables but agrees with a doubtful one: the
        # figure it needs is there, read in a table we doubt
        if (finding.check in TEXT_AGAINST_TABLES and finding.severity in ("error", "warning")
                and (finding.check, finding.key or finding.evidence) not in shown):
            findings[index] = replace(finding, severity=READING, message=(
                "Probably our misreading, not the document's: a table we doubt prints the figure the text "
                f"states. {finding.message}"))
    for finding in every:
        if (finding.check, finding.key or finding.evidence) in known or finding.severity not in ("error", "warning"):
            continue
        findings.append(replace(finding, severity=READING, message=(
            "Probably our misreading, not the document's: a table involved does not add up as this tool read "
            f"it. {finding.message}")))
    return findings


# the checks that hold what the text states against the tables' figures
TEXT_AGAINST_TABLES = {"narrative", "year_over_year", "restated_figure", "stated_total", "subject_name"}


def _run_checks(disclosure: Disclosure, result: AuditResult | None = None) -> list[Finding]:
    """Every check on one disclosure; a check that fails on odd data is reported, not raised."""
    findings: list[Finding] = []
    for name, check in CHECKS.items():
        try:
            findings += check(disclosure)
        except Exception as exc:  # one odd document must not stop the audit of the rest
            message = f"{name} could not run on {disclosure.document.get('id', '')[:12]}: {type(exc).__name__}: {exc}"
            print(f"audit: {message}", file=sys.stderr)
            if result is not None:
                result.problems.append(message)
    return findings


# A document whose error findings exceed this share of its lines is flagged in documents.audit_flag:
# its figures disagree with themselves too often to be read as printed (a garbled text layer,
# digits out of order, columns read into the wrong measure); fewer than FLAG_MIN_ERRORS never are.
FLAG_SHARE = 0.2
FLAG_MIN_ERRORS = 5


def audit_flag(errors: int, lines: int) -> str | None:
    """What documents.audit_flag says about a document with this many error findings and lines."""
    if errors >= FLAG_MIN_ERRORS and errors > FLAG_SHARE * max(lines, 0):
        return (f"{errors} audit errors and doubtful readings on {lines} lines (more than {FLAG_SHARE:.0%}): the "
                "figures disagree with themselves too often; check the text layer and the columns read")
    return None


def related(catalogue: "Catalogue", documents: list[dict]) -> list[str]:
    """The other current documents whose findings depend on these: the rest of their disclosure
    (which tables the disclosure has, which member reports its completeness) and the next year's
    (audited against these as the previous year)."""
    found: dict[str, None] = {}
    for document in documents:
        key = disclosure_key(document)
        district, department, year, stage = key
        following = (district, department, year + 1, stage) if year else None
        for member in catalogue.members(key) + (catalogue.members(following) if following else []):
            found[member["id"]] = None
    return list(found)


def audit_documents(db, document_ids, done=None) -> AuditResult:
    """Recompute the findings of these documents, of the documents whose findings depend on them
    (`related`), and the completeness of their disclosures. One document at a time: its findings,
    its flag and its disclosure's completeness are written together, then `done(document_id)` is
    called (the settle queue forgets it); a document the audit fails on is reported and flagged,
    and the audit goes on. The related documents are audited first, so a run killed half-way has
    every document it has not finished still queued."""
    ensure_audit(db)
    result = AuditResult()
    catalogue = Catalogue(db)
    wanted = list(dict.fromkeys(document_ids))
    documents = {i: row(db, "SELECT * FROM documents WHERE id = ?", [i]) for i in wanted}
    documents = {i: d for i, d in documents.items() if d is not None}
    others = [i for i in related(catalogue, list(documents.values())) if i not in documents]
    written: set[tuple] = set()
    for document_id in others + wanted:
        document = documents.get(document_id) or row(db, "SELECT * FROM documents WHERE id = ?", [document_id])
        if document is not None:  # the related documents are audited again, not counted
            audit_one(db, document, catalogue, result if document_id in documents else AuditResult(), written)
        if done is not None and document_id in documents:
            done(document_id)
    return result


def audit_one(db, document: dict, catalogue: "Catalogue", result: AuditResult, written: set) -> None:
    """One document's findings, flag and disclosure completeness, in one transaction."""
    document_id = document["id"]
    key = disclosure_key(document)
    try:
        # in a child within the audit's time and memory budget (budgets/audit/bounded.py)
        found, lines, problems = findings_within_limits(
            db, document, lambda db_, document_: document_findings(db_, document_, catalogue))
        result.problems += problems
        errors = sum(1 for f in found if f["severity"] in ("error", READING))  # a misreading counts too
        with transaction(db.conn):
            write_findings(db, document_id, found)
            db.conn.execute("UPDATE documents SET audit_flag = ? WHERE id = ?", [audit_flag(errors, lines), document_id])
            if key not in written:
                write_completeness(db, key, catalogue)
        written.add(key)
        result.add(found)
    except Exception as exc:  # e.g. MemoryError on a huge document: reported, flagged, the rest is audited
        message = f"the audit could not run on {document_id[:12]}: {type(exc).__name__}: {exc}"
        print(f"audit: {message}", file=sys.stderr)
        result.problems.append(message)
        db.conn.execute("UPDATE documents SET audit_flag = ? WHERE id = ?", [message, document_id])


def document_findings(db, document: dict, catalogue: "Catalogue") -> tuple[list[dict], int, list[str]]:
    """One document's finding rows, the lines they were found on, and the checks that could not run."""
    checked = AuditResult()
    disclosure = load_disclosure(db, document, catalogue=catalogue)
    found = [f.row(document) for f in run_checks(disclosure, checked)]
    return found, len(disclosure.lines), checked.problems


def audit_all(db) -> AuditResult:
    """Recompute every finding from what is loaded."""
    ensure_audit(db)
    ids = [r[0] for r in db.conn.execute("SELECT id FROM documents ORDER BY id")]
    db.conn.execute("DELETE FROM findings WHERE document_id NOT IN (SELECT id FROM documents)")
    db.conn.execute("DELETE FROM completeness")
    return audit_documents(db, ids)


# ---- reading -----------------------------------------------------------------------------

def rows(db, sql: str, params=()) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def row(db, sql: str, params=()) -> dict | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def disclosure_key(document: dict) -> tuple:
    return (document.get("district") or "", document.get("department") or "",
            document.get("fiscal_year"), document.get("stage") or "")


class Catalogue:
    """The current documents and their disclosure keys, read once per audit run: which
    documents make up a disclosure (same district, department, year and stage; of the revisions
    at one URL only the current one, budgets/revisions.py), without a query per document."""

    def __init__(self, db):
        self.groups: dict[tuple, list[dict]] = defaultdict(list)
        self.current: set[str] = set()
        for doc in rows(db, f"""SELECT id, url, fetched_at, tables, district, department, fiscal_year, stage
                                FROM documents WHERE id IN ({CURRENT_IDS}) ORDER BY fetched_at DESC, id"""):
            self.groups[disclosure_key(doc)].append(doc)
            self.current.add(doc["id"])

    def members(self, key: tuple) -> list[dict]:
        district, department, year, stage = key
        if not department or not year:
            return []
        return list(self.groups.get(key, []))


def kinds_of(db, document_ids: list[str]) -> set:
    if not document_ids:
        return set()
    marks = ",".join("?" for _ in document_ids)
    kinds = {r[0] for r in db.conn.execute(f"SELECT DISTINCT table_kind FROM tables WHERE document_id IN ({marks})",
                                           document_ids)}
    kinds |= {r[0] for r in db.conn.execute(
        f"SELECT DISTINCT table_kind FROM budget_lines WHERE document_id IN ({marks})", document_ids)}
    three = ",".join(f"'{m}'" for m in THREE_PUBLIC_MEASURES)
    if db.conn.execute(f"SELECT 1 FROM budget_lines WHERE document_id IN ({marks}) AND measure IN ({three}) LIMIT 1",
                       document_ids).fetchone():
        kinds.add(TableKind.THREE_PUBLIC_EXPENSES)  # printed under a title the normaliser did not know
    return {k for k in kinds if k}


def load_disclosure(db, document: dict, with_context: bool = True, catalogue: Catalogue | None = None) -> Disclosure:
    doc_id = document["id"]
    disclosure = Disclosure(
        document=document,
        lines=rows(db, """SELECT * FROM budget_lines WHERE document_id = ? AND amount_fen IS NOT NULL
                          AND measure IS NOT NULL ORDER BY table_index, row_index, column_index""", [doc_id]),
        paragraphs=rows(db, "SELECT * FROM paragraphs WHERE document_id = ? ORDER BY page, position", [doc_id]),
        tables=rows(db, "SELECT * FROM tables WHERE document_id = ? ORDER BY table_index", [doc_id]),
    )
    if not with_context:
        return disclosure
    year = document.get("fiscal_year")
    if year:
        disclosure.subjects = {
            (r["classification"], r["code"]): r["name"]
            for r in rows(db, """SELECT code, name, classification FROM subjects
                                 WHERE IFNULL(valid_from, 0) <= ? AND IFNULL(valid_to, 9999) >= ?
                                 AND IFNULL(source, '') != ?""", [year, year, SEEN])
        }
    catalogue = catalogue or Catalogue(db)
    members = catalogue.members(disclosure_key(document))
    if len(members) > 1:
        disclosure.disclosure_kinds = kinds_of(db, [m["id"] for m in members])
        primary = max(members, key=lambda m: (m["tables"] or 0, m["id"]))
        disclosure.reports_completeness = primary["id"] == doc_id
    elif doc_id not in catalogue.current:
        disclosure.reports_completeness = False  # an older revision at its URL
    if year and document.get("department"):
        earlier = catalogue.members(disclosure_key({**document, "fiscal_year": year - 1}))
        if earlier:
            best = max(earlier, key=lambda m: (m["tables"] or 0, m["id"]))
            previous_doc = row(db, "SELECT * FROM documents WHERE id = ?", [best["id"]])
            disclosure.previous = load_disclosure(db, previous_doc, with_context=False)
    return disclosure


# ---- writing -----------------------------------------------------------------------------

def write_findings(db, document_id: str, rows_: list[dict]) -> None:
    with transaction(db.conn) as conn:
        conn.execute("DELETE FROM findings WHERE document_id = ?", [document_id])
        insert_rows(conn, "findings", FINDING_COLUMNS, rows_)


def write_completeness(db, key: tuple, catalogue: Catalogue) -> None:
    district, department, year, stage = key
    members = catalogue.members(key)
    ident = "|".join(str(k) for k in key)
    db.conn.execute("DELETE FROM completeness WHERE id = ?", [ident])
    if not members or stage not in (Stage.BUDGET, Stage.FINAL_ACCOUNT):
        return
    present = kinds_of(db, [m["id"] for m in members])
    score = missing_table.completeness(district, stage, present)
    recognised = bool(present - {TableKind.OTHER})  # nothing recognised: a text-only file or a failed extraction
    insert_rows(db.conn, "completeness", COMPLETENESS_COLUMNS, [{
        "id": ident, "district": district, "department": department, "fiscal_year": year, "stage": stage,
        "family": score["family"], "mandated": score["mandated"],
        "present": score["present"] if recognised else None,
        "missing": ", ".join(score["missing"]) if recognised else "no table recognised in these documents",
        "score": score["score"] if recognised else None,
        "documents": ", ".join(sorted(m["id"] for m in members)),  # not in the order they were fetched
    }])
