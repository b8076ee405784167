"""Discovery's reading of link texts, URLs and breadcrumbs (pure), on the names REAL-SITES shows."""
import pytest

from crawler.discovery import (breadcrumb_segments, breadcrumb_stage, breadcrumb_unit, column_stage, is_folder_url,
                               is_nav_text, is_under)
from crawler.listing import JsonList


@pytest.mark.parametrize("text, stage", [
    ("预算/决算", "both"), ("预决算公开", "both"), ("财政预决算", "both"), ("部门预算", "budget"),
    ("单位预算", "budget"), ("部门决算", "final_account"), ("街镇预算", "budget"), ("决算公开", "final_account"),
    ("区级部门预算", "budget"), ("历史预算", "budget"),
    ("重庆市潼南区卫生健康委员会2026年部门预算情况说明", None),  # a document, not a column
    ("预算执行", None), ("关于做好2026年部门预算公开工作的通知", None), ("新闻中心", None),
    ("2026年度三明市本级部门预算公开专栏", "budget"), ("2025年度三明市本级部门决算公开专栏", "final_account"),  # 三明's years
    ("关于2026年度部门预算公开专栏建设工作的通知", None),
])
def test_columns_are_known_by_their_names(text, stage):
    assert column_stage(text) == stage


@pytest.mark.parametrize("text, follow", [
    ("政务公开", True), ("政府信息公开", True), ("法定主动公开内容", True), ("区政府部门", True), ("镇街", True),
    ("区卫生健康委员会", True), ("荣昌区财政第3服务中心", True), ("远觉镇人民政府", True), ("昌元街道办事处", True),
    ("新闻中心", False), ("部门动态", False), ("政策文件", False), ("机构职能", False), ("首页", False),
])
def test_links_towards_the_columns(text, follow):
    assert is_nav_text(text) is follow


def test_folders_and_documents():
    assert is_folder_url("http://x.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/")
    assert is_folder_url("http://x.gov.cn/bm/qjw/zwgk_70831/fdzdgknr_70834/ysjs/index_2.html")
    assert not is_folder_url("http://x.gov.cn/bm/qjw/ysjs/ysgk/202502/t20250210_14283786.html")
    assert not is_folder_url("http://x.gov.cn/bm/qjw/ysjs/ysgk/202502/P020250210.pdf")


def test_year_folders_are_under_their_column():
    col = "http://www.ddk.gov.cn/bm/qczj/zwgk_56734/fdzdgknr_56736/qjysjs/qjbmys/index.html"
    assert is_under("http://www.ddk.gov.cn/bm/qczj/zwgk_56734/fdzdgknr_56736/qjysjs/qjbmys/2026/index.html", col)
    assert not is_under(col.replace("index.html", "index_1.html"), col)
    assert not is_under("http://www.ddk.gov.cn/bm/qczj/zwgk_56734/fdzdgknr_56736/ghxx/index.html", col)


def test_breadcrumbs_name_the_column_and_the_unit():
    # 江津 §1A #26 and 潼南 §1A #41
    segments = breadcrumb_segments("您当前的位置：首页 > 部门 > 区卫生健康委员会 > 政务公开 > 法定主动公开内容 > 预算/决算 > 决算公开")
    assert segments[-2:] == ["预算/决算", "决算公开"]
    assert breadcrumb_stage(segments) == "final_account"
    assert breadcrumb_unit(segments) == "区卫生健康委员会"
    assert breadcrumb_stage(breadcrumb_segments("首页>政府信息公开>法定主动公开内容>预算/决算")) == "both"
    assert breadcrumb_stage(breadcrumb_segments("首页 > 新闻中心 > 部门动态")) is None


def test_a_trs_search_api_by_get_pages_to_the_count_it_announces():
    # /fjdzapp/search?chnlid=<id>&page=N&size=15 (REAL-SITES §5.2)
    api = JsonList(url="/fjdzapp/search?chnlid={channel}&page={page}&size={size}", items="data.list",
                   url_key="url", title_key="title", date_key="time", total_pages="data.pages",
                   channel=__import__("re").compile(r"chnlid\s*=\s*(\d+)"))
    column = "http://www.example.gov.cn/zwgk/bmys/index.html"
    first = api.first_calls(column, "<script>var chnlid = 4521;</script>")
    assert [c.url for c in first] == ["http://www.example.gov.cn/fjdzapp/search?chnlid=4521&page=1&size=15"]
    answer = '{"data": {"pages": 3, "list": [{"url": "./202502/t20250210_1.html", "title": "某局2025年部门预算", "time": "2025-02-10"}]}}'
    links, more = api.parse(first[0], answer)
    assert links == [("http://www.example.gov.cn/zwgk/bmys/202502/t20250210_1.html", "某局2025年部门预算", "2025-02-10")]
    assert [c.page for c in more] == [2, 3] and more[1].url.endswith("page=3&size=15")


# Issue 33: the national catalogue's names, other platforms' URL shapes, links without text ------

@pytest.mark.parametrize("text", ["财政信息", "财政资金", "资金信息", "财务公开", "财务管理", "重点领域信息公开", "预决算公开统一平台"])
def test_the_catalogues_budget_folders_are_opened(text):
    assert is_nav_text(text) and column_stage(text) is None


@pytest.mark.parametrize("text", ["政府信息公开指南", "政府信息公开年报", "政府信息公开制度", "依申请公开"])
def test_the_guide_the_annual_report_the_rules_and_the_request_form_are_not(text):
    assert not is_nav_text(text)


@pytest.mark.parametrize("url", [
    "http://www.example.gov.cn/bm/czj/zwgk.shtml",
    "http://www.example.gov.cn/xxgk/nav_list.shtml",
    "http://www.example.gov.cn/xxgk/xxgkml_bm.shtml?deptcode=11320500014160143J",
    "http://www.example.gov.cn/zfxxgk/catalog.html?number=A07",
    "http://www.example.gov.cn/class/FMDNHCDC",
    "http://www.example.gov.cn/gi_class/czyjs",
    "https://public.zhengzhou.gov.cn/?d=1704",
])
def test_other_platforms_folder_urls_are_folders(url):
    assert is_folder_url(url)


def test_a_hanweb_detail_page_is_no_folder():
    assert not is_folder_url("http://www.example.gov.cn/art/2026/3/2/art_1229249208_59001.html")


def links_of(html, url="http://www.example.gov.cn/bm/czj/index.html"):
    from crawler.decisions import page_links

    return {link.url.removeprefix("http://www.example.gov.cn/bm/czj/"): link for link in page_links(html, url)}


def test_an_image_button_is_read_by_its_alt_or_its_file_name():
    found = links_of('<a href="a/"><img src="/images/x.png" alt="财政预决算"></a>'
                     '<a href="b/"><img src="/images/yjsgk.png"></a>')
    assert (found["a/"].text, found["a/"].named_by) == ("财政预决算", "alt")
    assert (found["b/"].text, found["b/"].named_by) == ("yjsgk", "image")


@pytest.mark.parametrize("more", ["更多>>", "更多+", "进入专栏>>", "more"])
def test_a_more_link_takes_the_heading_of_its_block(more):
    html = (f'<div class="box"><div class="hd"><span>部门预决算</span><a href="bmyjs/index.html">{more}</a></div>'
            '<ul><li><a href="bmyjs/202602/t20260210_1.html">某局2026年部门预算</a></li></ul></div>')
    link = links_of(html)["bmyjs/index.html"]
    assert (link.text, link.named_by) == ("部门预决算", "heading")


def test_a_footer_directory_of_other_departments_is_not_followed():
    from crawler.decisions import discovery_verdicts
    from crawler.sites.home import site_from_home

    site = site_from_home("http://czj.example.gov.cn/")
    html = ('<div class="nav"><a href="/zwgk/">政务公开</a></div>'
            '<div class="footer"><a href="http://fgw.example.gov.cn/">市发展和改革委员会</a>'
            '<a href="http://www.example.gov.cn/">某某市人民政府</a></div>')
    from crawler.decisions import page_links

    verdicts = {v.url: v for v in discovery_verdicts(page_links(html, "http://czj.example.gov.cn/"), site,
                                                       site.allowed_domains)}
    assert verdicts["http://czj.example.gov.cn/zwgk/"].action == "follow"
    assert verdicts["http://fgw.example.gov.cn/"].action == "dropped"
    assert verdicts["http://www.example.gov.cn/"].action == "dropped"


def test_a_departments_entry_on_the_portal_is_followed_but_not_the_rest_of_the_portal():
    from crawler.decisions import PageLink, discovery_verdicts
    from crawler.sites.home import site_from_home

    site = site_from_home("http://fgw.example.gov.cn/")
    entry = "http://www.example.gov.cn/xxgk/xxgkml_bm.shtml?deptcode=FGW"
    first = discovery_verdicts([PageLink(entry, "信息公开")], site, site.allowed_domains)[0]
    assert (first.action, first.entry) == ("follow", entry)
    on_portal = [PageLink("http://www.example.gov.cn/xxgk/xxgkml_bm.shtml?deptcode=FGW&number=A07", "财政信息"),
                 PageLink("http://www.example.gov.cn/zwgk/index.html", "政务公开")]
    verdicts = discovery_verdicts(on_portal, site, site.allowed_domains, depth=1, entry=entry)
    assert [v.action for v in verdicts] == ["follow", "dropped"]
    assert verdicts[1].rule == "the portal beyond the department's entry"
