"""The government revenue and expenditure classification (政府收支分类科目): code structure and
the reference list shipped in data/subjects.csv.

Functional codes (功能分类) start with 2 and have 3/5/7 digits (类/款/项); economic codes
(部门经济分类) start with 3 and have 3/5 digits, and so do the government economic codes
(政府经济分类, 5…), classified `economic` as well. The reference list holds the 类 of the
functional classification with their names by year (they were renamed in 2019) and the economic
类 and 款; codes below that are taken as printed (see `budgets.reference`).
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import lru_cache

from extractors import vocabulary as v

SUBJECTS_CSV = v.SUBJECTS_CSV
SOURCE = ("政府收支分类科目 (财政部, annual editions 2007–2026): class (类) names of the functional "
          "classification with their renaming years, the 部门预算支出经济分类科目 classes and "
          "items, and the 政府预算支出经济分类科目 classes, transcribed by the project")


@lru_cache(maxsize=1)
def reference() -> list[dict]:
    with SUBJECTS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["level"] = int(row["level"])
        row["valid_from"] = int(row["valid_from"]) if row["valid_from"] else None
        row["valid_to"] = int(row["valid_to"]) if row["valid_to"] else None
        row["parent"] = row["parent"] or None
        row["source"] = SOURCE
    return rows


def classification_of(code: str) -> str:
    if not code:
        return "none"
    return "functional" if code[0] == "2" else "economic" if code[0] in "35" else "none"


def level_of(code: str) -> int | None:
    if not code:
        return None
    return {3: 1, 5: 2, 7: 3}.get(len(code))


def parent_of(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) else None


def split_code_and_name(text: str) -> tuple[str, str]:
    """A code printed in its name's cell, parted: '2010501-行政运行', '2010501 行政运行',
    '[2010501]行政运行' → ('2010501', '行政运行'); '301 02 基本工资' → ('30102', '基本工资');
    ('', text) when the cell begins with no code."""
    m = v.CODE_AND_NAME.match((text or "").strip())
    if not m:
        return "", text
    return m.group("code").replace(" ", ""), m.group("name").strip()


def subject_code_for_name(name: str) -> str:
    """A functional class (类) printed by name only, as summary tables do: '卫生健康支出' → '210'
    (any name the class has had: '农林水事务支出' → '213')."""
    return v.class_code(name)


def official_name(code: str, year: int | None, classification: str = "functional") -> str | None:
    for row in reference():
        if row["code"] == code and row["classification"] == classification:
            if year is None or ((row["valid_from"] or 0) <= year <= (row["valid_to"] or 9999)):
                return row["name"]
    return None


def carry_code_parts(rows: list[list[str]], parts: dict[int, int]) -> list[list[str]]:
    """Rows as their code columns mean them: where 类, 款 and 项 are printed in columns of their
    own (`parts` maps each such column to its part, 类 0, 款 1, 项 2) and a row leaves the 类 (and
    款) of the rows above blank, they are carried down ('', '03', '01', '行政运行' under 201 / 03
    reads 2010301). Adjacent part columns form one code; the printed rows are not changed."""
    runs: list[list[int]] = []
    for col in sorted(parts):
        if runs and runs[-1][-1] == col - 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    if not runs:
        return rows
    carried: list[dict[int, str]] = [{} for _ in runs]
    out = []
    for row in rows:
        row = list(row)
        for run, above in zip(runs, carried):
            printed = {parts[c]: row[c].strip() for c in run if c < len(row) and row[c].strip().isdigit()}
            if not printed:
                continue
            lowest = max(printed)
            consistent = all(above.get(part) == text for part, text in printed.items() if part < lowest)
            for c in run:
                part = parts[c]
                if part < lowest and part not in printed and part in above and consistent:
                    row[c] = above[part]
            known = {parts[c]: row[c].strip() for c in run if c < len(row) and row[c].strip().isdigit()}
            above.clear()
            above.update({part: text for part, text in known.items() if part <= lowest})
        out.append(row)
    return out


# ---- the catalogue the documents print (data/subjects_printed.csv) ------------------------------

PRINTED_CSV = SUBJECTS_CSV.with_name("subjects_printed.csv")
_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", "[": "【", "]": "】", "\u3000": ""})
_ASIDE = re.compile(r"^其中[:：]")


def catalogue_name(text: str) -> str:
    """A subject's name as the catalogue compares it: no spaces, no leading numbering or 其中：,
    brackets full-width ('其他共产党事务支出 (项)' and '其他共产党事务支出（项）' are one name)."""
    text = re.sub(r"\s+", "", text or "").translate(_FULL_WIDTH)
    return v.ITEM_NUMBERING.sub("", _ASIDE.sub("", text))


@lru_cache(maxsize=1)
def printed_catalogue() -> dict[str, dict[str, set[int]]]:
    """name → code → the fiscal years in which documents print that pair (data/subjects_printed.csv,
    made by scripts/harvest_subjects.py), with the 类 names of the reference list in their years."""
    names: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    if PRINTED_CSV.exists():
        with PRINTED_CSV.open(encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                year = int(row["fiscal_year"])
                official = official_name(row["code"], year, row["classification"])
                if official is None or catalogue_name(official) == row["name"]:
                    names[row["name"]][row["code"]].add(year)  # a misreading never outvotes the reference
    for row in reference():
        if row["code"].startswith("5"):
            continue  # 政府经济分类 classes share names with the department's (对个人和家庭的补助 303 | 509)
        if row["classification"] == "economic" or row["level"] == 1:
            years = range(row["valid_from"] or 2007, (row["valid_to"] or _LAST_YEAR) + 1)
            names[catalogue_name(row["name"])][row["code"]].update(years)
    return {name: dict(codes) for name, codes in names.items()}


_LAST_YEAR = 2030


@lru_cache(maxsize=1)
def usual_names() -> dict[str, str]:
    """code → the name most documents print for it (data/subjects_printed.csv), where one name
    leads: what a row's name is checked against when the rows of a table may have slipped."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if PRINTED_CSV.exists():
        with PRINTED_CSV.open(encoding="utf-8") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                counts[row["code"]][row["name"]] += int(row["documents"] or 1)
    usual = {}
    for code, names in counts.items():
        ranked = sorted(names.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            usual[code] = ranked[0][0]
    return usual


def codes_named(name: str, year: int | None) -> set[str]:
    """The codes printed under `name` in the catalogue of `year` (of any year when it is not known)."""
    codes = printed_catalogue().get(catalogue_name(name), {})
    return {code for code, years in codes.items() if year is None or year in years}


def place_name(name: str, year: int | None, context: dict[int, str]) -> str:
    """The code of a subject printed by name only, placed by the rows above it (`context`: level →
    the nearest 类 and 款 code printed or placed before it): a 项 of the current 款, a 款 of the
    current 类, a 类 (never the 类 or 款 just above: a 项 may repeat its 款's name); a name that is none of these is placed only where it has one code and
    nothing above it says where the table is. '' where the name stays ambiguous or is unknown
    (行政运行 is a 项 of many 款)."""
    candidates = codes_named(name, year) - set(context.values())
    if not candidates:
        return ""
    kuan, lei = context.get(2), context.get(1)
    fits = [c for c in candidates
            if (kuan and len(c) == 7 and c.startswith(kuan)) or (lei and len(c) == 5 and c.startswith(lei))
            or len(c) == 3]
    if len(fits) == 1:
        return fits[0]
    if not fits and not context and len(candidates) == 1:
        return next(iter(candidates))
    return ""


def prints_code_parts(line: dict) -> bool:
    """Whether the printed row begins with figures of a code that did not make one (204 | | 01
    行政运行: a 类 and a 项 without their 款): such a row has a code, just not a whole one, and no
    name from the catalogue may stand in for it."""
    printed = (line.get("source_text") or "").replace("|", " ").split()
    return bool(printed) and printed[0].isdigit() and len(printed[0]) <= 7


def recover_codes(lines: list[dict], year: int | None) -> list[dict]:
    """The lines of one table organised by subject, with the code of each row printed by name only
    taken from the catalogue (`place_name`), in printed order; `code_source` says 'catalogue'.
    A row left ambiguous keeps its name and no code."""
    context: dict[int, str] = {}
    placed: dict[tuple[int, str], str] = {}
    out = []
    for line in lines:
        code = line.get("subject_code") or ""
        if not code:
            label = catalogue_name((line.get("item") or "").split("/")[-1])
            key = (line["row_index"], label)
            if key not in placed:
                placed[key] = place_name(label, year, context) if label and not prints_code_parts(line) else ""
            code = placed[key]
            if code:
                line = {**line, "subject_code": code, "subject_name": label, "code_source": "catalogue",
                        "classification": classification_of(code), "level": level_of(code),
                        "parent_code": parent_of(code)}
        if code and classification_of(code) != "none":
            level = level_of(code) or 0
            context = {lv: code[:2 * lv + 1] for lv in (1, 2) if lv <= level}
        out.append(line)
    return out
