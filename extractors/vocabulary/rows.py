"""Rows of budget lines as the audit reads them (the contract's columns), and the functional
classification's 类 by name."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from extractors.vocabulary.labels import label_key, plain
from extractors.vocabulary.measures import EXPENDITURE_TOTALS, TOTAL_LABELS

# ---- the functional classification's 类 by name ------------------------------------------------

SUBJECTS_CSV = Path(__file__).parents[1] / "data" / "subjects.csv"


def _class_names() -> dict[str, str]:
    """Every name a functional 类 has had (data/subjects.csv, by year), current names first."""
    with SUBJECTS_CSV.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["classification"] == "functional" and r["level"] == "1"]
    rows.sort(key=lambda r: (r["code"], -(int(r["valid_to"]) if r["valid_to"] else 9999)))
    return {r["name"]: r["code"] for r in rows}


CLASS_NAMES: dict[str, str] = _class_names()
_CLASS_BY_KEY = {label_key(name): code for name, code in CLASS_NAMES.items()}


# A row label ending …支出 that names no spending subject: the income side of a two-sided summary
# table, carry-overs, totals, a unit's own row (一般公共预算拨款收入, 本年支出合计, …局（本级）)
NOT_A_SPENDING_SUBJECT = re.compile(r"收入|拨款|结转|结余|合计|总计|小计|本级[)）]?$")


def class_code(name: str) -> str:
    """A functional class (类) printed by name only, as summary tables do: '农林水事务支出' → '213'."""
    return _CLASS_BY_KEY.get(label_key(plain(name)), "")


# ---- rows of budget lines (the audit reads lines as the contract stores them) -------------------

def row_label(line: dict) -> str:
    """A row's own label: the subject name for a coded row, else the item (whose '/' path,
    e.g. '一、本年支出/(八)社会保障和就业支出', ends with the row's own label)."""
    if line.get("subject_code") and line.get("subject_name"):
        return plain(line["subject_name"])
    return plain((line.get("item") or line.get("subject_name") or "").split("/")[-1])


def is_total_row(line: dict) -> bool:
    return not line.get("subject_code") and row_label(line) in TOTAL_LABELS


def is_expenditure_total(line: dict) -> bool:
    return not line.get("subject_code") and row_label(line) in EXPENDITURE_TOTALS


def subject_key(line: dict) -> str:
    """The subject code of a row, also for summary tables that print only the 类 name."""
    return line.get("subject_code") or class_code(line.get("subject_name") or line.get("item") or "")


def line_classification(line: dict) -> str:
    """'functional' | 'economic' | '' for a budget line, from its classification or its code."""
    cls = line.get("classification") or ""
    if cls in ("functional", "economic"):
        return cls
    code = subject_key(line)
    if code[:1] == "2":
        return "functional"
    if code[:1] in ("3", "5"):
        return "economic"
    return ""
