"""The 100 large cities of ../shared/cities-2026's list, each a site from its home URL
(crawler/sites/cities.py), listed by `budgets sites` without a database and marked as not yet
verified live. The expected values are read off the list (中国百强城市排行榜_含官网.xlsx)."""
from crawler import sites
from crawler.sites.cities import GENERATED


def test_there_are_100_city_sites_each_known_by_its_home_url():
    assert len(GENERATED) == 100
    guangzhou = sites.load("city-gz")  # rank 5: http://www.gz.gov.cn/ and its 2026 部门预算 column
    assert guangzhou.district == "广州市" and guangzhou.roots == ("http://www.gz.gov.cn/",)
    assert guangzhou.start_urls == ("https://www.gz.gov.cn/zwgk/zdly/czzj/bmyjshsgjf/ys/2026n/index.html",)
    assert guangzhou.allowed_domains == ("gz.gov.cn",)


def test_a_city_the_list_gives_no_column_for_starts_from_its_home_alone():
    jingzhou = sites.load("city-jingzhou")  # rank 100: https://www.jingzhou.gov.cn/
    assert jingzhou.roots == ("https://www.jingzhou.gov.cn/",) and jingzhou.start_urls == ()


def test_no_city_site_is_verified_yet_and_each_says_where_it_comes_from():
    for cls in GENERATED.values():
        assert cls.verified == "" and "中国百强城市排行榜_含官网.xlsx" in cls.source, cls.name


def test_budgets_sites_lists_them_without_a_database(tmp_path, monkeypatch, capsys):
    from budgets.cli import main

    monkeypatch.chdir(tmp_path)  # no data/budgets.db here
    assert main(["sites"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("city-")]
    assert len(rows) == 100
    assert all("not verified live" in row and "never crawled" in row for row in rows)
    assert list(tmp_path.iterdir()) == []  # and creates nothing
