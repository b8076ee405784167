"""Reading list pages, links and encodings: pure functions, no network."""
import codecs

import pytest
from scrapy.exceptions import NotConfigured

from crawler import sites
from crawler.encoding import html_encoding
from crawler.links import attachment_type, canonical_url, filename_from, js_pager_urls
from crawler.sites.base import ChongqingDistrictSite, Site

LIST = "http://www.cqtn.gov.cn/bm/qwsjkw/zwgk_25192/fdzdgknr/ysjs_117571/ys_bm/index.html"


def test_trs_js_pager_stands_for_every_list_page_of_the_column():
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert js_pager_urls(LIST, html) == [
        LIST,
        LIST.replace("index.html", "index_1.html"),
        LIST.replace("index.html", "index_2.html"),
    ]


@pytest.mark.parametrize("script", [
    "createPageHTML('page_div', 3, 1, 'index', 'html', 52);",  # newer TRS: element id first
    "var countPage = 3; var currentPage = 0; createPageHTML(countPage, currentPage, \"index\", \"html\");",
])
def test_trs_js_pager_variants(script):
    assert len(js_pager_urls(LIST, f"<script>{script}</script>")) == 3


def test_a_page_without_js_pager_has_no_pager_urls():
    assert js_pager_urls(LIST, "<a href='index_1.html'>下一页</a>") == []


def test_mobile_twin_is_the_desktop_page():
    wap = "http://www.cqcs.gov.cn/zwgk_164/fdzdgknr/czyjs/qtbmys/202601/t20260123_15347712_wap.html"
    assert canonical_url(wap) == wap.replace("_wap.html", ".html")


def test_both_spellings_of_a_host_are_one_url():
    aliases = {"cqstl.gov.cn": "www.cqstl.gov.cn"}
    assert canonical_url("https://cqstl.gov.cn/a/t20250120_1.html#top", aliases) == \
        "https://www.cqstl.gov.cn/a/t20250120_1.html"


@pytest.mark.parametrize("href, text, kind", [
    ("/ys/202601/P020260130583917604021.pdf", "附件", "pdf"),
    ("/ys/202601/%E9%99%84%E4%BB%B61.XLSX", "附件1", "xlsx"),
    ("/module/download/downfile.jsp?classid=0&id=1", "附件：部门预算公开表.xlsx", "xlsx"),
    ("/ys/202601/a.et", "", "et"),
    ("/ys/202601/a.wps", "", "wps"),
    ("/ys/202601/t20260130_15369930.html", "重庆市…2026年部门预算", ""),
    ("/ys/index_1.html", "下一页", ""),
])
def test_attachments_are_known_by_url_or_printed_file_name(href, text, kind):
    assert attachment_type(href, text) == kind


def test_file_name_from_rfc6266_content_disposition():
    header = "attachment; filename*=UTF-8''%E9%83%A8%E9%97%A8%E9%A2%84%E7%AE%97.xlsx"
    assert filename_from("http://x/downfile.jsp?id=1", header) == "部门预算.xlsx"


def test_file_name_from_raw_gbk_content_disposition():
    header = b'attachment; filename="' + "部门决算.pdf".encode("gbk") + b'"'
    assert filename_from("http://x/download?id=2", header) == "部门决算.pdf"


def test_file_name_from_percent_encoded_chinese_url():
    assert filename_from("http://x/ys/%E9%99%84%E4%BB%B6%201.docx") == "附件 1.docx"


def test_gbk_page_labelled_utf8_is_read_as_gbk():
    body = '<meta charset="gb2312"><title>重庆市潼南区2026年部门预算</title>'.encode("gbk")
    assert html_encoding(body, "utf-8") == "gb18030"
    assert "潼南区" in body.decode(html_encoding(body, "utf-8"))


def test_gbk_page_without_any_label_is_read_as_gbk():
    body = "<title>部门决算公开</title>".encode("gbk")
    assert html_encoding(body, None) == "gb18030"


def test_utf8_page_with_bom_labelled_gbk_is_read_as_utf8():
    body = codecs.BOM_UTF8 + "<title>部门预算</title>".encode("utf-8")
    assert html_encoding(body, "gbk") == "utf-8-sig"


def test_utf8_page_labelled_gbk_is_read_as_utf8():
    assert html_encoding("<p>一般公共预算财政拨款</p>".encode("utf-8"), "gbk") == "utf-8"


@pytest.mark.parametrize("title, wanted", [
    ("重庆市潼南区大数据应用发展管理局2026年部门预算公开", True),
    ("重庆市荣昌区文化和旅游发展委员会2022年度部门决算", True),
    ("关于做好2026年部门预算公开工作的通知", False),  # a notice about disclosures
    ("潼南区2026年政府工作报告", False),
    ("部门预算", False),  # a column name: no year
    ("区大数据发展局开展数据安全培训", False),
])
def test_which_link_texts_are_disclosures(title, wanted):
    assert sites.load("cqtn").is_disclosure(title) is wanted


def test_year_filter_keeps_only_that_year():
    site = sites.load("cqtn")
    assert site.is_disclosure("重庆市潼南区卫生健康委员会2026年部门预算", year=2026)
    assert not site.is_disclosure("重庆市潼南区卫生健康委员会2025年部门预算", year=2026)


def test_a_config_missing_an_attribute_refuses_to_start():
    class NoStartUrls(ChongqingDistrictSite):
        name = "broken"
        district = "重庆市某区"
        allowed_domains = ("example.gov.cn",)
        source = "test"

    with pytest.raises(NotConfigured, match="start_urls"):
        NoStartUrls()


def test_every_configured_site_is_complete_and_says_where_it_comes_from():
    for name, config in sites.config_classes().items():
        site = sites.load(name)
        assert isinstance(site, Site)
        # a district may be documented before its host is known; it is then not usable
        assert site.source and site.district, name
        assert not site.usable or ((site.start_urls or site.roots) and site.allowed_domains), name


def test_unknown_site_names_the_configured_ones():
    with pytest.raises(KeyError, match="cqtn"):
        sites.load("nowhere")
