"""Document metadata of disclosures whose title does not say everything: CMS pages whose <title>
is only the column and the site name, titles that start with their year, district names longer
than five characters, county-level units of a provincial party body, and monthly or quarterly
三公 execution pages.

The pages are rebuilt from the templates of real county sites (Hanweb/大汉 and TRS article pages
of 2014–2018: `<title>部门预决算_XX县人民政府</title>`, `<meta name="ArticleTitle">`, the article's
title in `.article-title`, `#title` or `td.bt`, a `发布时间：… 来源：… 浏览次数` line above the text,
tables inline in the page). Names are placeholders; the expected values are read off the pages.
"""
from __future__ import annotations

import pytest

from budgets.pipeline import Source, read_bytes
from extractors.model import Extraction, Paragraph, Table
from extractors.titles import document_meta, parse_title

SITE = "某县人民政府"
TABLE = """<table border="1">
<tr><td>项目</td><td>本年预算数</td><td>上年预算数</td></tr>
<tr><td>合计</td><td>12.50</td><td>13.00</td></tr>
<tr><td>公务接待费</td><td>2.50</td><td>3.00</td></tr>
</table>"""


def page(head: str = "", body: str = "", title: str = f"部门预决算_{SITE}") -> bytes:
    """A CMS article page: the site's logo in an <h1>, a column breadcrumb, the article."""
    return f"""<html><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>
<div class="header"><h1 class="logo">{SITE}</h1></div>
<div class="crumb">当前位置：首页 &gt; 信息公开 &gt; 部门预决算</div>
<div class="article">{body}
<div class="info"><span>发布时间：2017-03-01</span> <span>浏览次数：120</span></div>
<p>一、部门基本情况</p>
{TABLE}
</div></body></html>""".encode("utf-8")


@pytest.fixture(autouse=True)
def in_process(monkeypatch):
    monkeypatch.setenv("BUDGETS_NO_WORKER", "1")


def read(data: bytes, **source) -> dict:
    return read_bytes(data, Source(filename=source.pop("filename", "content.html"), **source)).document


def meta_of(document: dict) -> tuple:
    return document["title"], document["district"], document["department"], document["fiscal_year"], \
        document["stage"]


# ---- the real title of a CMS page ----------------------------------------------------------------

def test_article_title_meta_is_the_title_not_the_column_and_site_name():
    """Hanweb and TRS pages carry the article's title in <meta name="ArticleTitle">."""
    doc = read(page(head='<meta name="ArticleTitle" content="某县财政局2016年部门预算公开">'))
    assert meta_of(doc) == ("某县财政局2016年部门预算公开", "某县", "财政局", 2016, "budget")


@pytest.mark.parametrize("element", [
    '<div class="article-title">{}</div>',  # Hanweb/大汉
    '<h2 id="title">{}</h2>',  # TRS
    '<table><tr><td class="bt">{}</td></tr></table>',  # older TRS templates
    '<div class="title">{}</div>',
])
def test_the_article_title_element_is_the_title(element):
    doc = read(page(body=element.format("某县教育局2017年部门决算公开")))
    assert meta_of(doc) == ("某县教育局2017年部门决算公开", "某县", "教育局", 2017, "final_account")


def test_the_link_text_that_led_to_the_page_is_the_title_when_the_page_names_none():
    """The list page's link said '某县林业局2018年部门预算'; the page itself only the column."""
    doc = read(page(), title_hint="某县林业局2018年部门预算")
    assert meta_of(doc) == ("某县林业局2018年部门预算", "某县", "林业局", 2018, "budget")


# ---- titles that start with their year -----------------------------------------------------------

def test_department_after_the_year():
    meta = parse_title("2014年某县水务局“三公”经费公开")
    assert (meta.district, meta.department, meta.fiscal_year) == ("某县", "水务局", 2014)
    meta = parse_title("2018年某县石柱乡1月份“三公”经费支出情况")
    assert (meta.district, meta.department, meta.fiscal_year) == ("某县", "石柱乡", 2018)


def test_department_from_the_preparer_row_of_its_table():
    """'2014年“三公”经费公开' names no department; the table's '部门（单位）：' row does."""
    table = TABLE.replace("<tr><td>项目</td>", "<tr><td colspan=\"2\">部门（单位）：某县水务局</td>"
                                              "<td>单位：万元</td></tr><tr><td>项目</td>")
    data = page(body="<div class=\"article-title\">2014年“三公”经费公开</div>").replace(
        TABLE.encode(), table.encode())
    doc = read(data)
    assert (doc["title"], doc["district"], doc["department"], doc["fiscal_year"]) == \
        ("2014年“三公”经费公开", "某县", "水务局", 2014)


def test_department_from_the_source_line():
    data = page(body="<div class=\"article-title\">2014年“三公”经费公开</div>").replace(
        "<span>浏览次数".encode(), "<span>来源：某县水务局</span> <span>浏览次数".encode())
    doc = read(data)
    assert (doc["district"], doc["department"], doc["fiscal_year"]) == ("某县", "水务局", 2014)


def test_department_from_a_pdf_cover_line():
    """A provincial final account's cover: '2019年部门决算' over '部门：中共贵州省委办公厅'."""
    extraction = Extraction(title="2019年部门决算", paragraphs=[
        Paragraph("2019年部门决算", 1), Paragraph("部门：中共贵州省委办公厅", 1), Paragraph("2020年9月", 1)])
    title, meta = document_meta(extraction, "", "2019-juesuan.pdf")
    assert (title, meta.district, meta.department, meta.fiscal_year, meta.stage) == \
        ("2019年部门决算", "贵州省", "省委办公厅", 2019, "final_account")


def test_a_table_title_or_a_file_name_is_never_the_department():
    """An XLS attachment titles itself by its first table; its file name is the CMS's number."""
    extraction = Extraction(title="收入决算表", tables=[Table("收入决算表", [["项目", "合计"]], [["合计", "1.00"]])])
    _, meta = document_meta(extraction, "", "P020170612384756.xls")
    assert meta.department == ""
    _, meta = document_meta(extraction, "2016年某县民政局部门决算 附件2", "P020170612384756.xls")
    assert (meta.district, meta.department, meta.fiscal_year, meta.stage) == ("某县", "民政局", 2016, "final_account")


@pytest.mark.parametrize("title, district, department", [
    ("重庆市万盛经济技术开发区财政局2016年部门预算", "重庆市万盛经济技术开发区", "财政局"),
    ("福建省平潭综合实验区财政金融局2019年部门决算", "福建省平潭综合实验区", "财政金融局"),
    ("重庆市两江新区管理委员会2018年部门预算", "重庆市两江新区", "管理委员会"),
    # a provincial party body's unit for one county-level zone
    ("中共贵州省纪委贵安新区工作委员会2019年部门决算", "贵州省贵安新区", "省纪委贵安新区工作委员会"),
])
def test_long_district_names_and_county_units_of_a_provincial_body(title, district, department):
    meta = parse_title(title)
    assert (meta.district, meta.department) == (district, department)


# ---- monthly and quarterly execution pages -------------------------------------------------------

EXECUTION_TABLE = """<table border="1">
<tr><td>项目</td><td>本月支出数</td><td>累计支出数</td></tr>
<tr><td>合计</td><td>1.20</td><td>3.60</td></tr>
<tr><td>公务接待费</td><td>0.20</td><td>0.60</td></tr>
</table>"""


@pytest.mark.parametrize("title", ["2018年某县石柱乡1月份“三公”经费支出情况",
                                   "2018年某县石柱乡第一季度“三公”经费支出情况"])
def test_a_monthly_or_quarterly_execution_page_is_neither_budget_nor_final_account(title):
    data = page(body=f'<div class="article-title">{title}</div>').replace(TABLE.encode(), EXECUTION_TABLE.encode())
    reading = read_bytes(data, Source(filename="content.html"))
    assert (reading.document["department"], reading.document["stage"]) == ("石柱乡", "execution")
    assert reading.lines and {line["stage"] for line in reading.lines} == {"execution"}
    assert {line["basis"] for line in reading.lines} == {"actual"}


def test_execution_columns_decide_the_stage_when_the_title_names_none():
    data = page(body='<div class="article-title">2014年某县水务局“三公”经费公开</div>').replace(
        TABLE.encode(), EXECUTION_TABLE.replace("本月", "本期").encode())
    assert read(data)["stage"] == "execution"


def test_a_title_that_appends_the_site_name_loses_it():
    """Older TRS pages print '文章标题_站点名' in <title> and nothing else naming the article."""
    doc = read(page(title=f"某县农业农村局2015年部门预算_{SITE}"))
    assert meta_of(doc) == ("某县农业农村局2015年部门预算", "某县", "农业农村局", 2015, "budget")


def test_a_provincial_cover_that_names_its_level_and_its_issuer():
    """The cover of 江苏省委办公厅2018年度部门预算公开表.pdf (shared corpus) reads, as one title line,
    '江苏省2018年度省级部门预算公开报表 部门:中共江苏省委办公厅 江苏省财政厅印制': the department
    is the issuer, never '省级', and the printer is no part of its name."""
    meta = parse_title("江苏省2018年度省级部门预算公开报表部门:中共江苏省委办公厅江苏省财政厅印制")
    assert (meta.district, meta.department, meta.fiscal_year, meta.stage) == ("江苏省", "省委办公厅", 2018, "budget")


def test_a_year_misprinted_without_nian_still_counts():
    """江苏省政协办公厅2018度部门预算公开表.pdf (shared corpus) prints '2018度'."""
    meta = parse_title("江苏省政协办公厅2018度部门预算公开表")
    assert (meta.district, meta.department, meta.fiscal_year) == ("江苏省", "政协办公厅", 2018)
