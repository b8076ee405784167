"""Rebuilt copies of real district sites' disclosure columns, for testing their configs on
loopback (there is no internet here).

Each disclosure below is a real page: its URL, unit, year and stage are as listed in
docs/REAL-SITES.md (§1A) or shared/corpus/SOURCES.md. What was not stored is rebuilt the way the
platform builds it: TRS list pages (`index.html`, `index_1.html`, pager `createPageHTML`), the
detail page's breadcrumb, metadata block (索引号 … 体裁分类 财政预算、决算 … 发布日期) and a
narrative that opens like the stored excerpts. Items marked `invented` exist only to exercise
paging and filtering (a second list page, a notice); their ids are made up.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from conftest import CORPUS as SHARED_CORPUS
from crawler.demo.server import Resource

CORPUS = SHARED_CORPUS / "putuo-govbudgetchecker"


@dataclass
class Page:
    url: str  # as listed (the documented spelling)
    title: str
    date: str
    fiscal_year: int
    stage: str
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (url, text, corpus file)
    invented: bool = False


@dataclass
class Column:
    list_url: str
    pages: list[list[Page]]  # list page → its items
    notices: list[tuple[str, str]] = field(default_factory=list)  # (url, title) to be skipped
    cms: str = "trs"  # how its list pages are written: trs | hanweb


CQ = "重庆市"
SITES: dict[str, list[Column]] = {
    "cqtn": [Column(
        "http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/index.html",
        [[Page("http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/202601/t20260130_15369930.html",
               f"{CQ}潼南区卫生健康委员会2026年部门预算情况说明", "2026-01-30", 2026, "budget")],
         [Page("http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/202502/t20250214_14310001.html",
               f"{CQ}潼南区卫生健康委员会2025年部门预算情况说明", "2025-02-14", 2025, "budget", invented=True)]],
        notices=[("http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/202601/t20260105_15300001.html",
                  "关于做好2026年部门预算公开工作的通知")],
    )],
    "cqjlp": [
        Column("http://cqjlp.gov.cn/bmjz/qzfbm_97119/qwsjkw_97728/zwgk_97124/fdzdgknr_97126/ysjs/ys/index.html",
               [[Page("http://cqjlp.gov.cn/bmjz/qzfbm_97119/qwsjkw_97728/zwgk_97124/fdzdgknr_97126/ysjs/ys/202602/t20260210_15409428.html",
                      f"{CQ}九龙坡区华岩镇卫生院2026年单位预算情况说明", "2026-02-10", 2026, "budget")]]),
        Column("https://cqjlp.gov.cn/bmjz/qzfbm_97119/dsjfzj/zwgk_97124/fdzdgknr_97126/ysjs/ys/index.html",
               [[Page("https://cqjlp.gov.cn/bmjz/qzfbm_97119/dsjfzj/zwgk_97124/fdzdgknr_97126/ysjs/ys/202602/t20260210_15415843.html",
                      f"{CQ}九龙坡区大数据应用发展管理局(本级)2026年单位预算情况说明", "2026-02-10", 2026, "budget")]]),
        Column("http://cqjlp.gov.cn/zwgk_251/zfxxgkml/czyjs/bmczyjsqk/ysjs12/index.html",
               [[Page("http://cqjlp.gov.cn/zwgk_251/zfxxgkml/czyjs/bmczyjsqk/ysjs12/202501/t20250123_14198052.html",
                      f"{CQ}九龙坡区港航事务中心2025年单位预算情况说明", "2025-01-23", 2025, "budget")]]),
    ],
    "jiangjin": [
        Column("http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/ys/index.html",
               [[Page("http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/ys/202502/t20250224_14335364.html",
                      f"{CQ}江津区中心医院(本级)2025年单位预算情况说明", "2025-02-24", 2025, "budget")]]),
        Column("http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/index.html",
               [[Page("http://www.jiangjin.gov.cn/bm/qwsjkw_69019/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/202508/t20250820_14918526.html",
                      f"{CQ}江津区嘉平镇卫生院2024年度决算公开说明", "2025-08-20", 2024, "final_account")]]),
        Column("http://www.jiangjin.gov.cn/bm/qtjj_69023/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/index.html",
               [[Page("http://www.jiangjin.gov.cn/bm/qtjj_69023/zwgk_81474/fdzdgknr_81476/ysjs_81483/js/202510/t20251014_15080648.html",
                      f"{CQ}江津区统计局2024年部门决算情况说明", "2025-10-14", 2024, "final_account")]]),
        Column("http://www.jiangjin.gov.cn/jz/xhzrmzf_69055/zwgk_81486/fdzdgknr_81488/czyjs/js/index.html",
               [[Page("http://www.jiangjin.gov.cn/jz/xhzrmzf_69055/zwgk_81486/fdzdgknr_81488/czyjs/js/202509/t20250925_15042597.html",
                      f"{CQ}江津区西湖镇人民政府(本级)2024年度决算公开说明", "2025-09-25", 2024, "final_account")]]),
    ],
    "rongchang": [
        Column("http://www.rongchang.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/ysgk/index.html",
               [[Page("http://www.rongchang.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/ysgk/202502/t20250210_14283786.html",
                      f"{CQ}荣昌区荣昌中学校2025年单位预算情况说明", "2025-02-10", 2025, "budget"),
                 Page("http://www.rongchang.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/ysgk/202502/t20250210_14285203.html",
                      f"{CQ}荣昌区清升镇初级中学2025年单位预算情况说明", "2025-02-10", 2025, "budget")]]),
        Column("http://www.rongchang.gov.cn/bm/qwhlyw/zwgk_70831/fdzdgknr_70834/ysjs/jsgk/index.html",
               [[Page("http://rongchang.gov.cn/bm/qwhlyw/zwgk_70831/fdzdgknr_70834/ysjs/jsgk/202310/t20231010_12413499.html",
                      f"{CQ}荣昌区文化和旅游发展委员会2022年部门决算情况说明", "2023-10-10", 2022, "final_account")]]),
        Column("http://www.rongchang.gov.cn/jz/yjz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/index.html",
               [[Page("http://rongchang.gov.cn/jz/yjz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/202502/t20250210_14283337.html",
                      f"{CQ}荣昌区远觉镇人民政府本级 2025年单位预算情况说明", "2025-02-10", 2025, "budget")]]),
        Column("http://www.rongchang.gov.cn/jz/gsz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/index.html",
               [[Page("http://www.rongchang.gov.cn/jz/gsz/zwgk_70755/fdzdgknr_70758/ysjs/ysgk/202602/t20260227_15460969.html",
                      f"{CQ}荣昌区观胜镇产业发展服务中心2026年单位预算情况说明", "2026-02-27", 2026, "budget")]]),
    ],
    "shpt": [Column(
        "https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/index.html",
        # (its 部门预算 page …/2026/69/202297.html is left out: one real PDF is enough here, and
        # reading PDFs is the slow part of these tests)
        [[Page("https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/2026/69/202298.html", "上海市普陀区司法局2026年单位预算",
               "2026-03-10", 2026, "budget",
               [("https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/2026/69/202298/b0fd8c9eee7a4ce7b26cf9bcfa234254.pdf",
                 "上海市普陀区司法局2026年单位预算.pdf", "unit_budget.pdf")])]],
        notices=[("https://www.shpt.gov.cn/zhengwu/sfjbb-sfj/2026/12/199001.html", "普陀区司法局2026年工作会议召开")],
    )],
    "shangyu": [Column(
        "http://www.shangyu.gov.cn/col/col1229415861/index.html",
        [[Page("http://www.shangyu.gov.cn/art/2022/9/7/art_1229415861_3955429.html",
               "绍兴市上虞区统计局(汇总)2021年度部门决算", "2022-09-07", 2021, "final_account"),
          Page("http://www.shangyu.gov.cn/art/2025/2/14/art_1229415861_4012345.html",
               "绍兴市上虞区统计局2025年部门预算", "2025-02-14", 2025, "budget", invented=True)]],
        notices=[("http://www.shangyu.gov.cn/art/2025/1/6/art_1229415861_4000001.html",
                  "关于做好2025年度部门预算公开工作的通知")],
        cms="hanweb",
    )],
}


def _detail(page: Page, column: Column) -> str:
    crumb = "首页 &gt; 部门 &gt; 政务公开 &gt; 法定主动公开内容 &gt; 预算/决算"
    links = "".join(f'<p><a href="{u}">{html.escape(t)}</a></p>' for u, t, _ in page.attachments)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(page.title)}</title></head>
<body><div class="crumb">您当前的位置：{crumb}</div>
<table class="gkxx"><tr><td>[ 索引号 ]</td><td>11500000MB0000000X/2026-00000</td><td>[ 发文字号 ]</td><td></td></tr>
<tr><td>[ 主题分类 ]</td><td>财政</td><td>[ 体裁分类 ]</td><td>财政预算、决算</td></tr>
<tr><td>[ 发布日期 ]</td><td>{page.date}</td><td>[ 有效性 ]</td><td>有效</td></tr></table>
<h1>{html.escape(page.title)}</h1>
<div class="TRS_Editor"><p>一、单位基本情况</p><p>（一）职能职责。</p><p>（二）单位构成。</p>
<p>二、单位收支总体情况</p>{links}</div></body></html>"""


def _list(column: Column, n: int) -> str:
    items = column.pages[n]
    rows = [(p.url, p.title, p.date) for p in items]
    if n == 0:
        rows += [(u, t, "2026-01-05") for u, t in column.notices]
        rows += [(p.url.replace(".html", "_wap.html"), p.title, p.date) for p in items if "/t20" in p.url]
    lis = [f'<li><a href="{u}" title="{html.escape(t)}" target="_blank">{html.escape(t[:24])}</a>'
           f'<span>{d}</span></li>' for u, t, d in rows]
    if column.cms == "hanweb":  # the items travel in an XML datastore that a script renders
        records = "".join(f"<record><![CDATA[\n{li}\n]]></record>" for li in lis)
        return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>财政信息</title></head><body>'
                '<div id="277"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
                f'<recordset>{records}</recordset></datastore></script></div></body></html>')
    pager = f'<script>createPageHTML({len(column.pages)}, {n}, "index", "html");</script>'
    return (f'<!DOCTYPE html><html><head><meta charset="gb2312"><title>预算/决算</title></head><body>'
            f'<ul class="list">{"".join(lis)}</ul><div class="page">{pager}</div></body></html>')


def build(site: str) -> dict[str, Resource]:
    from crawler import sites

    config = sites.load(site)

    def canonical_key(url: str) -> str:
        """Where the copy keeps a URL: the host spelling the config records, and the path."""
        parts = urlsplit(config.canonical(url))
        return parts.netloc + parts.path

    resources: dict[str, Resource] = {}
    for root in config.roots:  # a home page that leads nowhere new: the columns are the listed ones
        resources[canonical_key(root)] = Resource(
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>首页</title></head><body>'
            '<a href="/xwzx/index.html">新闻中心</a></body></html>'.encode("utf-8"), "text/html; charset=utf-8")
    for column in SITES[site]:
        for n, items in enumerate(column.pages):
            name = "index.html" if n == 0 else f"index_{n}.html"
            list_url = urljoin(column.list_url, name)
            encoding = "utf-8" if column.cms == "hanweb" else "gbk"
            resources[canonical_key(list_url)] = Resource(_list(column, n).encode(encoding), "text/html")
            for page in items:
                resources[canonical_key(page.url)] = Resource(_detail(page, column).encode("utf-8"),
                                                                    "text/html; charset=utf-8")
                for url, _text, corpus_file in page.attachments:
                    if (CORPUS / corpus_file).exists():
                        resources[canonical_key(url)] = Resource((CORPUS / corpus_file).read_bytes(),
                                                                       "application/pdf")
        for url, title in column.notices:
            resources[canonical_key(url)] = Resource(_detail(Page(url, title, "2026-01-05", 0, ""), column)
                                                           .encode("utf-8"), "text/html; charset=utf-8")
    return resources


def build_all() -> dict[str, Resource]:
    resources: dict[str, Resource] = {}
    for site in SITES:
        resources.update(build(site))
    return resources


def expected_pages(site: str) -> list[Page]:
    return [p for column in SITES[site] for items in column.pages for p in items]
