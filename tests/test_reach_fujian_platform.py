"""Fujian's shared TRS platform crawled from a home URL alone: 三明's portal (www.sm.gov.cn), from its
home page through 政务公开 > 重点领域信息公开 > 财政资金 > 财政预决算及三公经费 > 预算 to the
2026年度三明市本级部门预算公开专栏 (column id 40990), every department's 2026 budget, listed by
`POST /fjdzapp/search`. The replica and where each of its pages comes from: tests/sanming_replica.py.
"""
from collections import Counter
from urllib.parse import parse_qs

import pytest

import sanming_replica as sm
from api_replicas import ApiServer
from crawling import crawl_from_home

pytestmark = pytest.mark.slow  # starts processes and servers

HOST = sm.HOST
SEARCH = f"POST {HOST}/fjdzapp/search "
# the pages the breadcrumb names, from the home page down to the column's parent
BREADCRUMB = {HOST + p for p in ("/", "/zw/", "/zw/zfxxgkzdgz/", sm.CZZJ, sm.YJS, sm.YJS + "ys/")}
# every column of budgets and final accounts below 财政资金, each read as a column
BUDGET_COLUMNS = {HOST + f for f, _, _ in sm.SCRIPT_COLUMNS} | {HOST + sm.YJS + "js/"}


@pytest.fixture(scope="module")
def requested(tmp_path_factory):
    with ApiServer(sm.resources()) as server:
        return crawl_from_home(server, sm.HOME, tmp_path_factory.mktemp("fujian") / "budgets.db",
                               "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "AUTOTHROTTLE_ENABLED=False", timeout=300)


def searched(requested, chnl: str) -> list[int]:
    forms = [parse_qs(u.removeprefix(SEARCH)) for u in requested if u.startswith(SEARCH)]
    return sorted(int(f["page"][0]) for f in forms if f["classsql"][0] == f"chnlid={chnl}")


def test_the_saved_answer_holds_the_74_records_it_announces():
    assert len(sm.records()) == 74 == len({r["docid"] for r in sm.records()})


def test_every_page_of_the_2026_budget_list_is_asked_for(requested):
    assert searched(requested, sm.CHNL) == [1, 2, 3, 4, 5]  # 74 records, 15 a page


def test_every_budget_and_final_account_column_below_the_finance_folder_is_listed(requested):
    assert BUDGET_COLUMNS <= set(requested)
    assert [c for _, _, c in sm.SCRIPT_COLUMNS if not searched(requested, c)] == []


def test_every_department_budget_and_its_file_is_fetched_from_the_home_url(requested):
    asked = set(requested)
    reached = [r for r in sm.records() if HOST + r["page"] in asked and HOST + r["href"] in asked]
    assert len(reached) == 74


def test_nothing_is_asked_twice_or_off_the_site(requested):
    assert [u for u, n in Counter(requested).items() if n > 1] == []
    assert all(u.removeprefix("POST ").startswith(HOST) for u in requested)


def test_off_the_budget_path_only_what_the_folder_rules_open_is_asked_for(requested):
    """Beyond the breadcrumb's pages, the budget columns, their lists, disclosures and files: the
    政府信息公开 platform and its 法定主动公开内容 (the way to budgets on many sites), 财政资金收支审计 (a
    财政资金 folder by its name), and the budget report the 最新文件 block links (a 预算 title).
    Nothing of the menu's 解读回应 or 互动交流, of the news, or of the footer's directory."""
    disclosures = {HOST + r[k] for r in sm.records() for k in ("page", "href")}
    on_the_path = BREADCRUMB | BUDGET_COLUMNS | disclosures | {HOST + "/robots.txt"}
    useless = sorted(u for u in requested if u not in on_the_path and not u.startswith(SEARCH))
    assert useless == sorted([HOST + "/smsrmzfbgs/smsrmzf/", HOST + "/smsrmzfbgs/smsrmzf/fdzdgk/",
                              HOST + sm.CZZJ + "qtczzj/", HOST + sm.REPORT[0]])


def test_in_a_budget_column_a_year_and_a_bodys_name_is_that_bodys_disclosure():
    from crawler.sites.home import site_from_home

    site = site_from_home(sm.HOME)
    assert not site.is_disclosure("2026年三明市人民政协办公室")
    assert site.is_disclosure_in_column("2026年三明市人民政协办公室", "budget")
    assert not site.is_disclosure_in_column("2026年三明市人民政协办公室", "")  # not known to be a budget column
    assert not site.is_disclosure_in_column("2026年三明市人民政协办公室", "budget", year=2025)
    assert not site.is_disclosure_in_column("关于三明市人民政协办公室的通知", "budget")
