"""`name_variant`: the department printed under names other than its own, and subject names
that are not the code's official name for that year (or, without a reference list, a code
printed under two names in one disclosure)."""
from __future__ import annotations

import re
from collections import defaultdict

from budgets.audit.model import Disclosure, Finding, table_name
from extractors.constants import TableKind
from extractors.vocabulary import TABLE_LABEL as LABEL, line_classification as classification_of, plain

CHECK = "name_variant"

# Where a table title stops naming the department and starts naming the table.
TITLE_WORDS = [
    "财政拨款收支", "财政拨款支出", "财政拨款基本支出", "一般公共预算", "政府性基金", "国有资本", "部门收支",
    "部门收入", "部门支出", "收入支出", "收支总表", "收入总表", "支出总表", "收入决算", "支出决算", "政府采购",
    "项目支出", "整体绩效", "“三公”", "\"三公\"", "三公", "机关运行", "部门预算", "单位预算", "部门决算",
    "单位决算", "预算表", "决算表", "20",
]


def department_in_title(title: str, district: str) -> str:
    text = LABEL.sub("", re.sub(r"\s+", "", title or ""))
    for prefix in sorted({district or "", *re.findall(r"^.*?[省市]", district or "")}, key=len, reverse=True):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
            break
    cut = min((text.find(w) for w in TITLE_WORDS if text.find(w) >= 0), default=len(text))
    name = text[:cut].strip("-—()（）:：")
    if district and name.startswith(district[-3:]):
        name = name[len(district[-3:]):]
    return name if len(name) >= 2 else ""


ORGANISATION_ENDINGS = tuple("局委办厅院部室处会心所站队馆府校园社团") + ("办事处", "委员会")
TEMPLATE_WORDS = {"部门", "单位", "本级", "财政", "预算", "决算"}


def looks_like_department(name: str, canonical: str) -> bool:
    """A title's leading words name a department only if they end like one, or resemble the
    department's own name; '收支预算总表' and '财政拨款基本' are the table's name."""
    if name in TEMPLATE_WORDS or len(name) < 2 or name.endswith(("表", "预算", "决算")):
        return False
    if name.endswith(ORGANISATION_ENDINGS) and not name.endswith(("支出", "收入", "预算")):
        return True
    shared = sum(1 for ch in set(name) if ch in canonical)
    return shared >= max(3, int(0.6 * len(set(name))))


def extraction_noise(printed: str, official: str) -> bool:
    """'务支出社会保障和就业支出' is the official name with a neighbouring cell's tail in front:
    the extractor's doing, not the publisher's."""
    return printed != official and (printed.endswith(official) or official.endswith(printed))


def is_abbreviation(short: str, full: str) -> bool:
    """'大数据发展局' abbreviates '大数据应用发展管理局': its characters appear in order and it ends the same."""
    if not short or short[-1] != full[-1] or len(short) >= len(full):
        return False
    rest = iter(full)
    return all(ch in rest for ch in short)


def check(disclosure: Disclosure) -> list[Finding]:
    return departments(disclosure) + subjects(disclosure)


def departments(disclosure: Disclosure) -> list[Finding]:
    doc = disclosure.document
    canonical = plain(doc.get("department") or "")
    if not canonical or re.search(r"[A-Za-z0-9]", canonical):
        return []  # no department name, or a file name standing in for one
    seen: dict[str, list[str]] = defaultdict(list)
    for table in disclosure.tables:
        name = department_in_title(table.get("title") or "", doc.get("district") or "")
        if name and looks_like_department(name, canonical):
            where = " ".join(x for x in (table.get("label") or "", re.sub(r"\s+", "", table.get("title") or "")) if x)
            seen[name].append(where or f"table {table.get('table_index')}")
    for line in disclosure.lines:
        raw = plain(line.get("department_raw") or "")
        if raw and looks_like_department(raw, canonical):
            seen[raw].append(table_name(disclosure, line))
        if line.get("table_kind") == TableKind.THREE_PUBLIC_EXPENSES and not line.get("subject_code"):
            item = plain(line.get("item") or "")
            if item and item not in ("合计", "总计", "小计") and not item[0].isdigit():
                seen[item].append(f"{table_name(disclosure, line)}, row “{item}”")
    found = []
    for name, places in seen.items():
        district = doc.get("district") or ""
        bare = name[len(district):] if district and name.startswith(district) else name
        if bare == canonical or bare.endswith(("(本级)", "本级")) and bare.replace("(本级)", "").replace("本级", "") == canonical:
            continue
        places = list(dict.fromkeys(places))
        abbreviation = is_abbreviation(bare, canonical)
        found.append(Finding(
            check=CHECK, severity="info" if abbreviation else "warning",
            message=(f"The department is printed as “{bare}” where the disclosure's title names it “{canonical}”"
                     + (" (a short form)." if abbreviation else " — a different name, not a short form.")),
            evidence="; ".join(places[:6]) + (f"; and {len(places) - 6} more" if len(places) > 6 else ""),
            key=f"department|{bare}",
        ))
    return found


def same_name(a: str, b: str) -> bool:
    return plain(a).replace("、", "") == plain(b).replace("、", "")


def subjects(disclosure: Disclosure) -> list[Finding]:
    printed: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in disclosure.lines:
        code, name = line.get("subject_code") or "", plain(line.get("subject_name") or "")
        if code and name:
            printed[(classification_of(line), code)][name].append(table_name(disclosure, line))
    found = []
    year = disclosure.fiscal_year
    for (cls, code), names in printed.items():
        official = disclosure.subjects.get((cls, code))
        if official:
            for name, places in names.items():
                if same_name(name, official) or extraction_noise(plain(name), plain(official)):
                    continue
                places = list(dict.fromkeys(places))
                found.append(Finding(
                    check=CHECK, severity="warning",
                    message=f"Subject {code} is printed as “{name}”; its official name for {year} is “{official}”.",
                    evidence="; ".join(places), subject_code=code, year=year, key=f"subject|{code}|{name}",
                ))
        elif len(names) > 1:
            variants = sorted(names.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            if all(same_name(variants[0][0], other) or extraction_noise(other, variants[0][0])
                   for other, _ in variants[1:]):
                continue
            described = "; ".join(f"“{n}” in {', '.join(dict.fromkeys(p))}" for n, p in variants)
            found.append(Finding(
                check=CHECK, severity="info",
                message=f"Subject {code} is printed under {len(names)} names in this disclosure: {described}.",
                evidence=described, subject_code=code, year=year, key=f"subject|{code}|variants",
            ))
    return found
