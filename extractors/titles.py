"""District, department, fiscal year and stage from a disclosure's title — and, where the title
does not say, from what the document and the crawl know besides (`document_meta`)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors import vocabulary as v
from extractors.constants import Stage

_PROVINCE = r"(?:北京市|天津市|上海市|重庆市|[\u4e00-\u9fff]{2,3}(?:省|自治区))"
_CITY = r"(?:[\u4e00-\u9fff]{2,4}?(?:市|州|盟|地区))"
# A county-level name: '潼南区', '石柱土家族自治县', and the longer zones '万盛经济技术开发区',
# '平潭综合实验区', '两江新区' — never a party body ('纪委某区' is no place).
_PLACE_CHAR = r"(?:(?![区县市省委])[\u4e00-\u9fff])"
_ZONE = r"(?:经济技术开发区|高新技术产业开发区|综合实验区|综合改革示范区|开发区|新区|实验区|示范区)"
_COUNTY = rf"(?:{_PLACE_CHAR}{{2,8}}?{_ZONE}|(?:(?!委)[\u4e00-\u9fff]){{1,5}}?(?:区|县|旗|自治县|市))"
_YEAR = re.compile(r"(20\d\d|\d\d)\s*(?:年度?|(?<=20\d\d)度)")  # '2018度': a cover's misprint
# '中共某省纪委某区工作委员会': a provincial party body's unit for one county-level place.
_PARTY_UNIT = re.compile(rf"^(纪委|委)({_COUNTY})(?=\S*(?:工作委员会|工委))")
_TRAILERS = re.compile(
    r"(?:\s*[（(]?(?:本级|汇总|部门汇总)[）)]?)?\s*$"
)


@dataclass
class DocumentMeta:
    district: str = ""
    department: str = ""  # canonical: no jurisdiction prefix, no (本级)/(汇总)
    department_raw: str = ""  # as the title prints it
    fiscal_year: int | None = None
    stage: str | None = None  # budget | final_account | execution
    scope: str = ""  # 部门 | 单位 | 本级 | 汇总 | ''


def parse_title(title: str, fallback: str = "", hints: list[str] | tuple[str, ...] = ()) -> DocumentMeta:
    """`fallback` is read when the title names no year (a link text, a file name); `hints` are
    other texts that may name the department or the stage: an issuer line ('部门（单位）：某局',
    '来源：某局', a cover's '部门：…'), the parent page's title, the file name."""
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
    if year and not is_department(rest):
        # '…省级部门预算公开报表部门:中共某省委办公厅' names its issuer; '2014年某局“三公”经费…',
        # '2018年某乡1月份…': the department follows the year
        issuer = issuer_in(text[year.end():])
        district, rest = split_jurisdiction(issuer or department_after_year(text[year.end():]))
        district = district or split_jurisdiction(head)[0]
    meta.district = district
    meta.department_raw = rest if is_department(rest) else ""
    meta.department = canonical_department(meta.department_raw)
    for hint in hints:
        _complete_from(meta, hint)
    return meta


def _complete_from(meta: DocumentMeta, hint: str) -> None:
    """Fill what the title left open from one other text (an issuer line, a parent title)."""
    text = re.sub(r"\s+", " ", hint or "").strip()
    if not text:
        return
    if not meta.department:
        name = issuer_in(text)
        if name:
            district, rest = split_jurisdiction(name)
        else:
            other = parse_title(text)
            district, rest = other.district, other.department_raw
        if is_department(rest):
            meta.department_raw, meta.department = rest, canonical_department(rest)
            meta.district = meta.district or district
    if meta.fiscal_year is None:
        year = _YEAR.search(re.sub(r"\s+", "", text))
        if year and re.match(r"20\d\d", year.group(1)):
            meta.fiscal_year = int(year.group(1))
    if meta.stage is None:
        meta.stage = stage_of(re.sub(r"\s+", "", text))


def issuer_in(text: str) -> str:
    """'部门（单位）：某县财政局 单位：万元' → '某县财政局'; '来源：某县财政局' → '某县财政局'."""
    m = v.ISSUER_LINE.search(text or "")
    if not m:
        return ""
    name = m.group(1).strip()
    if re.search(r"印制|监制", text[m.end(1):m.end(1) + 2]):
        printer = v.PRINTER_SUFFIX.sub("", name)
        place = next((printer[-k:] for k in (4, 3, 2) if len(printer) > k and printer[-k:] in printer[:-k]
                      and printer[-1] in "省市区县"), "")
        name = printer[: len(printer) - len(place)] if place else name  # '…办公厅江苏省财政厅印制' 
    return name


def department_after_year(tail: str) -> str:
    """'某局“三公”经费公开' → '某局'; '某乡1月份“三公”经费支出情况' → '某乡'; '“三公”经费公示' → ''."""
    m = v.AFTER_DEPARTMENT.search(tail)
    return (tail[: m.start()] if m else tail).strip(" -—:：、“”\"")


def is_department(name: str) -> bool:
    """A department's name, not a table's title ('收入决算表'), a table label, a file name or a
    CMS column ('部门预决算')."""
    name = (name or "").strip()
    return len(name) >= 2 and not v.NOT_A_DEPARTMENT.search(name)


def stage_of(text: str) -> str | None:
    if "决算" in text:
        return Stage.FINAL_ACCOUNT
    if v.EXECUTION_TITLE.search(text):
        return Stage.EXECUTION
    if "预算" in text:
        return Stage.BUDGET
    return None


def split_jurisdiction(name: str) -> tuple[str, str]:
    """'重庆市潼南区大数据应用发展管理局' → ('重庆市潼南区', '大数据应用发展管理局');
    '中共上海市普陀区委社会工作部' → ('上海市普陀区', '区委社会工作部');
    '中共某省纪委某区工作委员会' → ('某省某区', '省纪委某区工作委员会')."""
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
    elif party and district and not county and (unit := _PARTY_UNIT.match(rest)):
        rest = district[-1] + rest  # 省纪委某区工作委员会: the province's body, the county's place
        district += unit.group(2)
    return district, rest


def canonical_department(name: str) -> str:
    """The name without (本级)/(汇总) and without the 区/县 prefix that some titles add."""
    name = re.sub(r"[（(](本级|汇总|部门汇总)[）)]", "", name)
    name = re.sub(r"^[区县](?!委)(?=.{3,})", "", name)
    name = re.sub(r"(本级|汇总)$", "", name)
    name = re.sub(r"(部门|单位)$", "", name)
    return name.strip(" -—")


# ---- the document's metadata from everything known about it ---------------------------------

def best_title(own: str, link_text: str = "", filename: str = "") -> str:
    """The title to record: the document's own, unless it names no year and the link that led
    to it does (a CMS whose <title> is only the column and the site)."""
    own, link_text = (own or "").strip(), (link_text or "").strip()
    if own and not _YEAR.search(re.sub(r"\s+", "", own)) and link_text \
            and _YEAR.search(re.sub(r"\s+", "", link_text)):
        return link_text
    return own or link_text or filename


def document_meta(extraction, link_text: str = "", filename: str = "", folders=()) -> tuple[str, DocumentMeta]:
    """(title, meta) of one extracted document: the title as `best_title` picks it, read by
    `parse_title` with the link text or file name as fallback, and completed from the issuer
    the document names, the link text (for an attachment: its page's title), the file name and
    the folders a local file was kept in (`folder_department`).
    A page whose tables count 本月/本期/累计 amounts and whose title names no stage is `execution`."""
    title = best_title(extraction.title, link_text, filename)
    hints = [h for h in (document_issuer(extraction), link_text, _stem(filename), folder_department(folders)) if h]
    meta = parse_title(title, fallback=link_text or filename, hints=hints)
    if meta.stage is None and any(v.EXECUTION_COLUMN.search(" ".join(sum(t.header, [])))
                                  for t in extraction.tables):
        meta.stage = Stage.EXECUTION
    return title, meta


def folder_department(folders) -> str:
    """The department a folder of downloaded files is named after ('江苏省政协办公厅/2017年度部门预算公开表.pdf'),
    nearest folder first; '' when no folder is named like an organisation ('corpus', '2017')."""
    for name in reversed(list(folders)):
        name = (name or "").strip()
        if v.ORGANISATION_NAME.fullmatch(name) and is_department(name):
            return name
    return ""


def document_issuer(extraction, lines: int = 30) -> str:
    """The department a document names besides its title: a table caption's '部门（单位）：某局',
    else an issuer line among its first paragraphs (a PDF cover's '部门：…', a page's '来源：…')."""
    for table in extraction.tables:
        if getattr(table, "issuer", ""):
            return table.issuer
    for paragraph in extraction.paragraphs[:lines]:
        name = issuer_in(paragraph.text)
        if name:
            return name
    return ""


def _stem(filename: str) -> str:
    return re.sub(r"\.[A-Za-z0-9]{2,5}$", "", (filename or "").rsplit("/", 1)[-1])
