"""A site from its home URL alone (`scrapy crawl disclosures -a home=URL`), crawled by the real
spider on loopback from a real page: 温州's 2026 budget of its 公安局
(../shared/pages/home-pages-2026), served under its own URL.

Its breadcrumb (政务公开 > 重点领域信息公开 > 财政信息 > 部门预算 > 2026年 > 市级部门预算) is the way
in. The Hanweb column pages it links to were not saved: they are rebuilt the way Hanweb writes
its lists (rows as `<record><![CDATA[<li><a …>]]></record>` in a `<script type="text/xml">`
datastore, as tests/replicas.py does for 上虞). 财政信息 lists 部门预算 and a 部门决算 column whose id
and single 2024 决算 page are invented, to show the catalogue folder leads to the sibling
column. The PDF the page's viewer script opens was not saved either: the real 2026 budget PDF of
郑州's 城市管理和综合执法局 from the same set stands in for its bytes.
"""
import html

import pytest

from conftest import SHARED
from crawler.demo.server import Resource, SiteServer
from crawling import crawl_from_home

PAGES = SHARED / "pages" / "home-pages-2026"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"the real pages are not at {PAGES}")

HOST = "www.wenzhou.gov.cn"
HOME = f"https://{HOST}/zwgk/zdlyxxgk/czxx/bmys/2026n/sjbmys/art/2026/art_4bac3f333a66ac93b1c3b782c1221d95.html"
PDF = "/cms_files/filemanager/1544130/attach/20262/56571FC6B3E537667EF4719DFC2DAC18.pdf"
FINAL = "/col/col1229249299/art/2025/art_0123456789abcdef0123456789abcdef.html"  # invented


def hanweb_list(title: str, rows: list[tuple[str, str]]) -> Resource:
    records = "".join(f'<record><![CDATA[<li><a href="{u}" title="{html.escape(t)}" target="_blank">'
                      f'{html.escape(t)}</a><span>2026-03-02</span></li>]]></record>' for u, t in rows)
    body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            '<div id="277"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
            f'<recordset>{records}</recordset></datastore></script></div></body></html>')
    return Resource(body.encode(), "text/html; charset=utf-8")


def resources() -> dict[str, Resource]:
    page = (PAGES / "温州__公安局_2026年部门预算.html").read_bytes()
    pdf = (PAGES / "郑州__城市管理和综合执法局_2026年部门预算.html").read_bytes()
    return {
        HOME.split("://", 1)[1]: Resource(page, "text/html; charset=utf-8"),
        HOST + PDF: Resource(pdf, "application/pdf"),
        HOST + "/col/col1218667/index.html": hanweb_list("财政信息", [
            ("/col/col1229249208/index.html", "部门预算"), ("/col/col1229249299/index.html", "部门决算")]),
        HOST + "/col/col1229249208/index.html": hanweb_list("部门预算", [
            ("/col/col1229249208/2026n/index.html", "2026年")]),
        HOST + "/col/col1229249208/2026n/index.html": hanweb_list("2026年", [
            ("/zwgk/zdlyxxgk/czxx/bmys/2026n/sjbmys/index.html", "市级部门预算")]),
        HOST + "/zwgk/zdlyxxgk/czxx/bmys/2026n/sjbmys/index.html": hanweb_list("市级部门预算", [
            (HOME, "温州市公安局2026年部门预算")]),
        HOST + "/col/col1229249299/index.html": hanweb_list("部门决算", [(FINAL, "温州市公安局2024年部门决算")]),
        HOST + FINAL: Resource("<html><head><title>温州市公安局2024年部门决算</title></head><body></body></html>"
                               .encode(), "text/html; charset=utf-8"),
    }


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    with SiteServer(resources()) as server:
        return crawl_from_home(server, HOME, tmp_path_factory.mktemp("home") / "budgets.db",
                               "-a", "site=wenzhou", timeout=120)


def test_the_pdf_the_home_pages_viewer_opens_is_fetched(requested):
    assert HOST + PDF in requested


def test_the_catalogue_folder_leads_to_the_sibling_final_account_column(requested):
    assert HOST + "/col/col1218667/index.html" in requested
    assert HOST + FINAL in requested


def test_nothing_is_asked_twice_or_off_the_sites_host(requested):
    assert len(requested) == len(set(requested))
    assert all(url.startswith(HOST + "/") for url in requested)
