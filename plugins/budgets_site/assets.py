"""extra_body_script: the canned queries' parameters offer the values in the data (datalists.js),
and their column headers say in Chinese and English what each column is (column_labels.js)."""
from __future__ import annotations

import json
from pathlib import Path

from datasette import hookimpl

from extractors.constants import Stage, TableKind

from . import DATABASE
from .column_labels import COLUMN_LABELS

# The script with `%s` where the lists go.
DATALIST_SCRIPT = "\n" + (Path(__file__).parent / "datalists.js").read_text(encoding="utf-8")
LABEL_SCRIPT = "\n" + (Path(__file__).parent / "column_labels.js").read_text(encoding="utf-8") % json.dumps(
    COLUMN_LABELS, ensure_ascii=False).replace("</", "<\\/")


@hookimpl
def extra_body_script(template, database, datasette):
    """The canned queries' parameters offer the subjects, departments and districts in the data
    (datalists), a query that matched nothing says so under its form, and the column headers carry
    their Chinese and English labels above the SQL names."""
    if template != "query.html" or database != DATABASE:
        return None

    async def script():
        db = datasette.get_database(DATABASE)
        try:
            codes = [[r[0], f"{r[0]} {r[1]}"] for r in (await db.execute(
                "select subject_code, max(subject_name) from published_lines where subject_code != '' "
                f"and table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' group by subject_code order by subject_code"
            )).rows]
            departments = [[r[0], r[0]] for r in (await db.execute(
                "select distinct department from published_documents where coalesce(department, '') != '' "
                "order by department")).rows]
            districts = [[r[0], r[0]] for r in (await db.execute(
                "select distinct district from published_documents where coalesce(district, '') != '' "
                "order by district")).rows]
        except Exception:  # a database not prepared with the published views
            return LABEL_SCRIPT
        lists = {"code": codes, "department": departments, "district": districts,
                 "stage": [[Stage.BUDGET, "预算 budget"], [Stage.FINAL_ACCOUNT, "决算 final account"]]}
        return DATALIST_SCRIPT % json.dumps(lists, ensure_ascii=False).replace("</", "<\\/") + LABEL_SCRIPT
    return script
