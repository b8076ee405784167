"""The line a command prints after the audit, counting findings as the site does.

A disclosure is often published several times (the page, its PDF, the same tables in an XLSX
and in a ZIP), and the audit checks every copy; the published views count each finding once per
disclosure (`published_findings`, budgets/views.py). The line gives that count, so the command
line and the site agree, and mentions the count over every copy once when it differs:

    audited 12 documents: 25 findings as published (18 error, 2 warning, 5 info); 100 counting
    every copy of each disclosure (80 error)
"""
from __future__ import annotations

import json
import sqlite3

SEVERITIES = ("error", "warning", "info", "reading")

# the disclosures of the given documents, keyed as published_findings picks one copy of each
_PUBLISHED_OF_DOCUMENTS = """
    select pf.severity, count(*) from published_findings pf join documents d on d.id = pf.document_id
    where exists (
      select 1 from documents a where a.id in (select value from json_each(?))
        and coalesce(a.district, '') = coalesce(d.district, '')
        and coalesce(nullif(a.department, ''), a.id) = coalesce(nullif(d.department, ''), d.id)
        and coalesce(a.fiscal_year, '') = coalesce(d.fiscal_year, '')
        and coalesce(a.stage, '') = coalesce(d.stage, ''))
    group by pf.severity
"""
_PUBLISHED = "select severity, count(*) from published_findings group by severity"


def published_severities(db, document_ids: list[str] | None = None) -> dict[str, int] | None:
    """Findings per severity as `published_findings` counts them, for the disclosures of
    `document_ids` (all when None); None when the database has no published views yet."""
    try:
        if document_ids is None:
            rows = db.execute(_PUBLISHED).fetchall()
        else:
            rows = db.execute(_PUBLISHED_OF_DOCUMENTS, [json.dumps(document_ids)]).fetchall()
    except sqlite3.OperationalError:  # not prepared for publishing: no such view
        return None
    return {severity: n for severity, n in rows}


def _listed(by_severity: dict[str, int]) -> str:
    ordered = [s for s in SEVERITIES if by_severity.get(s)] + sorted(set(by_severity) - set(SEVERITIES))
    return ", ".join(f"{by_severity[s]} {s}" for s in ordered if by_severity[s])


def summary_line(documents: int, raw: dict[str, int], published: dict[str, int] | None) -> str:
    """`raw`: findings per severity over every copy (what the audit wrote); `published`: as the
    views count them, or None to say only the raw count."""
    raw_total = sum(raw.values())
    if published is None:
        return f"audited {documents} documents: {raw_total} findings" + (f" ({_listed(raw)})" if raw_total else "")
    shown = sum(published.values())
    line = f"audited {documents} documents: {shown} findings as published" + (
        f" ({_listed(published)})" if shown else "")
    if raw_total != shown:
        errors = f" ({raw.get('error', 0)} error)" if raw.get("error") else ""
        line += f"; {raw_total} counting every copy of each disclosure{errors}"
    return line
