"""Finding a district's 预算/决算 columns from its home page, department directory and 政府信息公开
tree: pure functions over link texts, URLs and breadcrumbs. No I/O, no Scrapy.

On the Chongqing platform (docs/REAL-SITES.md §2.1) a unit's disclosures are a few hops from the
district's home: home → 部门/镇街 directory → the unit's sub-site → 政务公开 → 法定主动公开内容 →
预算/决算 → 预算 | 决算. Columns are named in their links and breadcrumbs (预算/决算, 预决算公开,
财政预决算, 部门预算, 单位预算, 部门决算, 街镇预算 …); what sits in a column's folder (per-year or
per-department sub-folders, `ys`/`js` below `ysjs`) belongs to it.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.links import ANY_DETAIL_URL, attachment_type, clean_text
from crawler import navigation as nav
from extractors.constants import Stage

# a column's name is short and names a budget or final account; a document's title is long
_MAX_COLUMN_TEXT = 16
_MAX_CRUMB_COLUMN_TEXT = 24
_YEAR_FOLDER = re.compile(r"^20\d\d\s*年?度?$")

# links worth following towards the columns: the 政府信息公开 tree and directories of units
_MAX_NAV_TEXT = 30
_CRUMB_SEP = re.compile(r"\s*(?:>|＞|»|›|/(?!决算))\s*")


def column_stage(text: str, max_length: int = _MAX_COLUMN_TEXT) -> str | None:
    """'budget' | 'final_account' | 'both' for a column's name, None for anything else:
    '预算/决算' → both, '决算公开' → final_account, '2026年部门预算情况说明' (a document) → None."""
    text = clean_text(text)
    if nav.COLUMN_NAME_END.search(text):  # '2026年度三明市本级部门预算公开专栏': long, and a column
        max_length = max(max_length, _MAX_CRUMB_COLUMN_TEXT)
    if not text or len(text) > max_length or not nav.COLUMN_WORD.search(text) or nav.NOT_A_COLUMN.search(text):
        return None
    budget, final = "预算" in text or "预决算" in text, "决算" in text
    return "both" if budget and final else (Stage.BUDGET if budget else Stage.FINAL_ACCOUNT)


def is_folder_url(url: str) -> bool:
    """A list page or folder (`…/ysjs/`, `…/index.html`, `…/index_2.html`, and the catalogue
    pages of other platforms: `…/zwgk.shtml`, `xxgkml_bm.shtml?deptcode=…`, `…?number=A07`,
    `/class/FMDNHCDC`, `/col/col1218667/index.html`), not a document or file."""
    parts = urlsplit(url)
    path = parts.path
    if ANY_DETAIL_URL.search(path) or attachment_type(path, ""):
        return False
    if any(shape.search(path) for shape in nav.FOLDER_URL_SHAPES):
        return True
    last = path.rsplit("/", 1)[-1]
    if parts.query and nav.FOLDER_QUERY.search(parts.query) and re.search(r"(^|\.s?html?|\.jsp|\.do)$", last):
        return True
    return last == "" or "." not in last or bool(re.match(r"^(index|default|list)(_\d+)?\.s?html?$", last))


def is_home_page(url: str) -> bool:
    """A host's own home page (`http://www.qingdao.gov.cn/`, `…/index.html`), not a sub-site's."""
    parts = urlsplit(url)
    return not parts.query and re.fullmatch(r"/?(index\.s?html?|default\.s?html?)?", parts.path) is not None


def folder_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"


def is_under(url: str, column_url: str) -> bool:
    """A folder below a column's (`…/qjbmys/2026/` below `…/qjbmys/`), not the column itself."""
    return folder_of(url).startswith(folder_of(column_url)) and folder_of(url) != folder_of(column_url)


def is_nav_text(text: str) -> bool:
    """Link texts on the way to a column: the 政府信息公开 tree and the catalogue folders budgets
    are filed under (财政信息, 资金信息 …), directories, and units' names."""
    text = clean_text(text)
    if not text or len(text) > _MAX_NAV_TEXT or nav.SKIP_TEXT.search(text) or is_not_disclosure_folder(text):
        return False
    return bool(nav.NAV_TEXT.search(text) or nav.CATALOGUE_FOLDER.search(text) or nav.UNIT_NAME.search(text))


def is_site_furniture(text: str) -> bool:
    """首页, 新闻动态, 政民互动, 网站地图 …: a site's own pages and other services, never the way."""
    return bool(nav.SKIP_TEXT.search(clean_text(text)))


def is_not_disclosure_folder(text: str) -> bool:
    """信息公开指南, 信息公开年报, 信息公开制度, 依申请公开: never a disclosure inside."""
    return bool(nav.NOT_DISCLOSURE_FOLDER.search(clean_text(text)))


def is_portal_name(text: str) -> bool:
    return bool(nav.PORTAL_NAME.search(clean_text(text)))


def is_unit_name(text: str) -> bool:
    text = clean_text(text)
    return bool(text) and len(text) <= _MAX_NAV_TEXT and bool(nav.UNIT_NAME.search(text)) \
        and not nav.NAV_TEXT.fullmatch(text) and not nav.SKIP_TEXT.search(text)


def is_year_folder(text: str) -> bool:
    return bool(_YEAR_FOLDER.match(clean_text(text)))


def breadcrumb_segments(text: str) -> list[str]:
    """'您当前的位置：首页 > 部门 > 区卫健委 > 政务公开 > 法定主动公开内容 > 预算/决算 > 决算公开'
    → ['首页', '部门', '区卫健委', …, '预算/决算', '决算公开']."""
    text = clean_text(text)
    m = nav.CRUMB_MARK.search(text)
    if m:
        text = text[m.end():].lstrip(":： ")
    return [s for s in (clean_text(p) for p in _CRUMB_SEP.split(text)) if s]


def breadcrumb_stage(segments: list[str]) -> str | None:
    """The stage of the column a page's breadcrumb ends in, if it ends in one. A crumb names a
    column, never a document, so a longer name is still one: a year's 专栏
    (三明: 2026年度三明市本级部门预算公开专栏, 17 characters)."""
    return column_stage(segments[-1], _MAX_CRUMB_COLUMN_TEXT) if segments else None


def breadcrumb_unit(segments: list[str]) -> str:
    """The unit a breadcrumb passes through ('区卫生健康委员会'), if any."""
    for segment in segments[1:]:
        if is_unit_name(segment) and not column_stage(segment):
            return segment
    return ""
