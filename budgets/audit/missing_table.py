"""`missing_table`: a table the disclosure's template family mandates is absent. The score per
disclosure (present ÷ mandated) is stored in the `completeness` table."""
from __future__ import annotations

from budgets.audit.model import Disclosure, Finding
from extractors.constants import TableKind
from extractors.vocabulary import TABLE_NAMES, family_name, mandated_tables

CHECK = "missing_table"


def completeness(district: str | None, stage: str | None, present: set) -> dict:
    mandated = mandated_tables(district, stage)
    missing = [kind for kind in mandated if kind not in present]
    return {
        "family": family_name(district, stage),
        "mandated": len(mandated),
        "present": len(mandated) - len(missing),
        "missing": missing,
        "score": round((len(mandated) - len(missing)) / len(mandated), 3) if mandated else None,
    }


def check(disclosure: Disclosure) -> list[Finding]:
    doc = disclosure.document
    present = disclosure.kinds_present()
    # Nothing recognised at all is an extraction problem (or a text-only file), not a defect.
    if not disclosure.reports_completeness or not (present - {TableKind.OTHER}):
        return []
    score = completeness(doc.get("district"), doc.get("stage"), present)
    found = []
    for kind in score["missing"]:
        found.append(Finding(
            check=CHECK, severity="warning",
            message=(f"No {TABLE_NAMES.get(kind, kind)} ({kind}) was found in this disclosure, which the "
                     f"{score['family']} template mandates; {score['present']} of {score['mandated']} mandated tables "
                     "are present."),
            evidence="tables recognised: " + ", ".join(sorted(present)),
            table_kind=kind, year=doc.get("fiscal_year"), key=f"missing|{kind}",
        ))
    return found
