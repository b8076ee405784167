"""Reference tables rebuilt from what is loaded: `subjects` and `departments`."""
from __future__ import annotations

import json

from budgets.db import insert_rows
from budgets.schema import DEPARTMENT_COLUMNS, SUBJECT_CHANGE_COLUMNS, SUBJECT_COLUMNS
from budgets.transaction import transaction
from extractors.subject_changes import catalogue_rows, changes
from extractors.subjects import level_of, parent_of

SEEN = "printed in loaded disclosures (code and name as published; not the official list)"


def refresh(db) -> None:
    """Subjects: the shipped reference list with the names the crosswalk dates, plus every code
    seen with its printed name; subject_changes: the crosswalk.
    Departments: one row per district and canonical name, with the names it was printed under."""
    with transaction(db.conn) as conn:
        conn.execute("DELETE FROM subjects")
        rows = [dict(r) for r in catalogue_rows()]
        known = {(r["code"], r["classification"]) for r in rows}
        seen = conn.execute(
            "SELECT subject_code, classification, min(subject_name), min(fiscal_year), max(fiscal_year) "
            "FROM budget_lines WHERE subject_code != '' AND subject_name != '' "
            "GROUP BY subject_code, classification").fetchall()
        for code, classification, name, first, last in seen:
            if (code, classification) not in known:
                rows.append({"code": code, "name": name, "level": level_of(code), "parent": parent_of(code),
                             "classification": classification, "valid_from": first, "valid_to": None,
                             "source": SEEN})
        insert_rows(conn, "subjects", SUBJECT_COLUMNS, rows)
        conn.execute("DELETE FROM subject_changes")
        insert_rows(conn, "subject_changes", SUBJECT_CHANGE_COLUMNS, changes())
        conn.execute("DELETE FROM departments")
        departments = conn.execute(
            "SELECT district, department, json_group_array(DISTINCT department_raw), count(*), "
            "count(DISTINCT document_id) FROM budget_lines GROUP BY district, department").fetchall()
        insert_rows(conn, "departments", DEPARTMENT_COLUMNS, [
            {"id": f"{district}/{department}", "district": district, "department": department,
             "variants": json.dumps(sorted(v for v in json.loads(variants) if v), ensure_ascii=False),
             "codes": None, "documents": documents, "lines": lines}
            for district, department, variants, lines, documents in departments
        ])
