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
