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

# a column's name is short and names a budget or final account; a document's title is long
_COLUMN_WORD = re.compile(r"预决算|预算|决算")
_NOT_A_COLUMN = re.compile(r"通知|公告|报告|执行|调整|审查|解读|征求意见|绩效|工作")
_MAX_COLUMN_TEXT = 16
_YEAR_FOLDER = re.compile(r"^20\d\d\s*年?度?$")

# links worth following towards the columns: the 政府信息公开 tree and directories of units
_NAV_TEXT = re.compile(r"政务公开|信息公开|公开目录|法定主动公开|主动公开内容|部门|单位|镇街|街镇|乡镇|街道|镇乡|政府部门")
_UNIT_NAME = re.compile(r"..(局|委|委员会|办|办公室|中心|镇|乡|街道|政府|法院|检察院|院|所|站|队|馆|学校|校|中学|小学|"
                        r"幼儿园|会|社|部|处|园区|管委会|团|台|联|公司)(本级)?$")
_SKIP_TEXT = re.compile(r"新闻|动态|要闻|互动|办事服务|在线服务|便民服务|服务指南|在线办事|留言|信箱|专题|图片|视频|English|无障碍|登录|注册|首页|返回|"
                        r"上一页|下一页|尾页|末页|政策|解读|通知|公告|招聘|招标|采购|地图|网站|邮箱|app|微信|微博", re.I)
_MAX_NAV_TEXT = 30
_CRUMB_MARK = re.compile(r"当前位置|您的位置|所在位置|当前栏目")
_CRUMB_SEP = re.compile(r"\s*(?:>|＞|»|›|/(?!决算))\s*")


def column_stage(text: str) -> str | None:
    """'budget' | 'final_account' | 'both' for a column's name, None for anything else:
    '预算/决算' → both, '决算公开' → final_account, '2026年部门预算情况说明' (a document) → None."""
    text = clean_text(text)
    if not text or len(text) > _MAX_COLUMN_TEXT or not _COLUMN_WORD.search(text) or _NOT_A_COLUMN.search(text):
        return None
    budget, final = "预算" in text or "预决算" in text, "决算" in text
    return "both" if budget and final else ("budget" if budget else "final_account")


def is_folder_url(url: str) -> bool:
    """A list page or folder (`…/ysjs/`, `…/index.html`, `…/index_2.html`), not a document or file."""
    path = urlsplit(url).path
    if ANY_DETAIL_URL.search(path) or attachment_type(path, ""):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or "." not in last or bool(re.match(r"^(index|default|list)(_\d+)?\.s?html?$", last))


def folder_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"


def is_under(url: str, column_url: str) -> bool:
    """A folder below a column's (`…/qjbmys/2026/` below `…/qjbmys/`), not the column itself."""
    return folder_of(url).startswith(folder_of(column_url)) and folder_of(url) != folder_of(column_url)


def is_nav_text(text: str) -> bool:
    """Link texts on the way to a column: the 政府信息公开 tree, directories, and units' names."""
    text = clean_text(text)
    if not text or len(text) > _MAX_NAV_TEXT or _SKIP_TEXT.search(text):
        return False
    return bool(_NAV_TEXT.search(text) or _UNIT_NAME.search(text))


def is_unit_name(text: str) -> bool:
    text = clean_text(text)
    return bool(text) and len(text) <= _MAX_NAV_TEXT and bool(_UNIT_NAME.search(text)) \
        and not _NAV_TEXT.fullmatch(text) and not _SKIP_TEXT.search(text)


def is_year_folder(text: str) -> bool:
    return bool(_YEAR_FOLDER.match(clean_text(text)))


def breadcrumb_segments(text: str) -> list[str]:
    """'您当前的位置：首页 > 部门 > 区卫健委 > 政务公开 > 法定主动公开内容 > 预算/决算 > 决算公开'
    → ['首页', '部门', '区卫健委', …, '预算/决算', '决算公开']."""
    text = clean_text(text)
    m = _CRUMB_MARK.search(text)
    if m:
        text = text[m.end():].lstrip(":： ")
    return [s for s in (clean_text(p) for p in _CRUMB_SEP.split(text)) if s]


def breadcrumb_stage(segments: list[str]) -> str | None:
    """The stage of the column a page's breadcrumb ends in, if it ends in one."""
    return column_stage(segments[-1]) if segments else None


def breadcrumb_unit(segments: list[str]) -> str:
    """The unit a breadcrumb passes through ('区卫生健康委员会'), if any."""
    for segment in segments[1:]:
        if is_unit_name(segment) and not column_stage(segment):
            return segment
    return ""
