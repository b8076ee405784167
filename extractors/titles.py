"""District, department, fiscal year and stage from a disclosure's title."""
from __future__ import annotations

import re
from dataclasses import dataclass

_PROVINCE = r"(?:北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,3}(?:省|自治区))"
_CITY = r"(?:[\u4e00-\u9fff]{2,4}?(?:市|州|盟|地区))"
_COUNTY = r"(?:[\u4e00-\u9fff]{1,5}?(?:区|县|旗|自治县|市))"
_YEAR = re.compile(r"(20\d\d|\d\d)\s*年度?")
_TRAILERS = re.compile(
    r"(?:\s*[（(]?(?:本级|汇总|部门汇总)[）)]?)?\s*$"
)


@dataclass
class DocumentMeta:
    district: str = ""
    department: str = ""  # canonical: no jurisdiction prefix, no (本级)/(汇总)
    department_raw: str = ""  # as the title prints it
    fiscal_year: int | None = None
    stage: str | None = None  # budget | final_account
    scope: str = ""  # 部门 | 单位 | 本级 | 汇总 | ''


def parse_title(title: str, fallback: str = "") -> DocumentMeta:
    meta = DocumentMeta()
    text = re.sub(r"\s+", "", title or "")
    if not _YEAR.search(text) and fallback:
        text = re.sub(r"\s+", "", fallback)
    meta.stage = stage_of(text)
    year = _YEAR.search(text)
    if year:
        y = int(year.group(1))
        meta.fiscal_year = y + 2000 if y < 100 else y
        head = text[: year.start()]
    else:
        head = text
    meta.scope = next((s for s in ("本级", "汇总") if s in text), "部门" if "部门" in text else "")
    district, rest = split_jurisdiction(head)
    meta.district = district
    meta.department_raw = rest
    meta.department = canonical_department(rest)
    return meta


def stage_of(text: str) -> str | None:
    if "决算" in text:
        return "final_account"
    if "预算" in text:
        return "budget"
    return None


def split_jurisdiction(name: str) -> tuple[str, str]:
    """'重庆市潼南区大数据应用发展管理局' → ('重庆市潼南区', '大数据应用发展管理局');
    '中共上海市普陀区委社会工作部' → ('上海市普陀区', '区委社会工作部')."""
    party = name.startswith("中共")
    if party:
        name = name[2:]
    m = re.match(rf"^({_PROVINCE})?({_CITY})?({_COUNTY})?", name)
    province, city, county = (m.group(1) or "", m.group(2) or "", m.group(3) or "") if m else ("", "", "")
    # 'X区人民政府办公室' and '区委' keep their own body; only a real place name is a district.
    if county and county in ("区", "县"):
        county = ""
    district = province + city + county
    rest = name[len(district):]
    if rest.startswith("委") and district:
        rest = district[-1] + rest  # 区委, 县委, 省委: the party committee of that jurisdiction
    return district, rest


def canonical_department(name: str) -> str:
    """The name without (本级)/(汇总) and without the 区/县 prefix that some titles add."""
    name = re.sub(r"[（(](本级|汇总|部门汇总)[）)]", "", name)
    name = re.sub(r"^[区县](?!委)(?=.{3,})", "", name)
    name = re.sub(r"(本级|汇总)$", "", name)
    name = re.sub(r"(部门|单位)$", "", name)
    return name.strip(" -—")
