"""HTML pages a site served in place of a disclosure's file, and pages that are no disclosure.

Real files of shared/cities-2026: eight Chongqing `.pdf` downloads are the article pages of
their disclosures (a list of the units' documents, an attachment link, or the disclosure
printed as pictures); two `.html` files are a bureau's site home page. Expected values are read
off the pages (their titles, the items they list, the pictures they show).
"""
from __future__ import annotations

import pytest

from conftest import SHARED
from extractors import html
from extractors.model import ExtractionError
from extractors.read import read_document

CITIES = SHARED / "cities-2026"
needs_cities = pytest.mark.skipif(not CITIES.is_dir(), reason=f"the cities-2026 files are not at {CITIES}")


def read(name: str):
    return read_document((CITIES / name).read_bytes(), name)


@needs_cities
@pytest.mark.parametrize("name, title, documents", [
    # 一、委 + （一）…（八）+ 公路事务中心 1–4 + 港航海事事务中心 1–5, as the page lists them
    ("重庆__2026年重庆市交通运输局部门预算.pdf", "重庆市交通运输委员会及委属单位2026年部门预算情况说明", 18),
    ("重庆__2026年重庆市民政局部门预算.pdf", "重庆市民政局局属单位2026年预算公开", 16),  # items 1–16
    ("重庆__2026年重庆市发展和改革局部门预算.pdf", "重庆市发展和改革委员会（含下属单位）2026年预算公开", 7),  # 7 PDFs
    ("重庆__2026年重庆市财政局部门预算.pdf", "重庆市财政局（本级）2026年单位预算公开", 1),  # 附件下载: one PDF
    ("重庆__2026年重庆市国有资产监督管理委员会部门预算.pdf", "重庆市国有资产监督管理委员会2026年部门预算情况说明", 1),
    ("重庆__2026年重庆市统计局部门预算.pdf", "国家统计局部门预算（2026）", 1),  # the national bureau's page
])
def test_a_disclosure_page_served_as_a_pdf_is_read_as_a_list_of_links(name, title, documents):
    extraction = read(name)
    assert extraction.status == "ok"
    assert extraction.title == title
    assert not extraction.tables and not extraction.paragraphs
    assert "is named .pdf but holds an HTML page" in extraction.error
    assert f"a list of links, not a disclosure: the page '{title}' prints no figure and links to {documents} documents" \
        in extraction.error


@needs_cities
def test_a_page_that_lists_its_units_by_name_is_a_list_of_links_too():
    extraction = read("重庆__2026年重庆市教育局部门预算.pdf")  # 51 units, each a link to its own page
    assert (extraction.status, extraction.tables, extraction.paragraphs) == ("ok", [], [])
    assert "a list of links, not a disclosure: the page '重庆市教育委员会部门及所属预算单位2026年预算公开'" in extraction.error


@needs_cities
def test_a_disclosure_printed_as_pictures_needs_ocr_and_its_gbk_looking_title_reads_right():
    extraction = read("重庆__2026年重庆市公安局部门预算.pdf")
    assert extraction.status == "needs_ocr"
    assert "the page prints the disclosure '重庆市公安局2026年部门预算情况说明' as 26 pictures" in extraction.error
    assert "titled '重庆市公安局2026年部门预算情况说明'" in extraction.error  # once mojibake (decoded as GBK)


@needs_cities
@pytest.mark.parametrize("name, title", [
    ("广州__财政局_2026年部门预算.html", "广州市财政局网站"),  # the bureau's home page: news, menus
    ("武汉__应急管理局_2026年部门预算.html", "安全生产 更多+"),  # the bureau's home page; its first title block
])
def test_a_site_home_page_loads_nothing_and_says_it_is_no_disclosure(name, title):
    extraction = read(name)
    assert (extraction.status, extraction.tables, extraction.paragraphs) == ("ok", [], [])
    assert f"not a disclosure: the page '{title}' names no budget year" in extraction.error


@needs_cities
def test_a_site_home_page_under_a_pdf_name_is_refused_as_not_the_file():
    data = (CITIES / "广州__财政局_2026年部门预算.html").read_bytes()
    with pytest.raises(ExtractionError, match="a page of its site that names no disclosure"):
        read_document(data, "广州__财政局_2026年部门预算.pdf")


ERROR_PAGE = "<html><head><title>404 页面不存在</title></head><body><h1>404</h1><p>您访问的页面不存在</p></body></html>"
LOGIN_PAGE = ("<html><head><meta charset='gbk'><title>用户登录</title></head><body><form>用户名 密码 验证码"
              "</form><p>请登录后下载附件</p></body></html>")


@pytest.mark.parametrize("page, heading", [(ERROR_PAGE, "404 页面不存在"), (LOGIN_PAGE, "用户登录")])
def test_an_error_or_login_page_under_a_pdf_name_is_refused_with_its_title(page, heading):
    with pytest.raises(ExtractionError, match=f"titled '{heading}', not the file: the site served an error or login page"):
        read_document(page.encode("gbk"), "某局2026年部门预算.pdf")


def test_a_narrative_with_figures_is_a_disclosure_not_a_list_of_links():
    page = ("<html><head><title>某局2026年部门预算公开</title></head><body><h1>某局2026年部门预算公开</h1>"
            "<p>2026年收入预算1,234.56万元，支出预算1,234.56万元。</p><a href='a.pdf'>附件.pdf</a></body></html>")
    root = html.parse(page.encode())
    assert html.not_a_disclosure(root, html.page_title(root)) is None
