"""The link rules against every page docs/REAL-SITES.md lists (a test reads the document): the
official disclosure pages are accepted, mirrors, proxies, news and reports are not.

REAL-SITES gives a page's URL and its unit, year and stage; the title a list shows is rebuilt
the way §3.4 says Chongqing titles are written (`<区县><单位><YYYY>年度<stage>`), without a year
where the document says the year was only inferred from the publication date. §5.1 prints the
titles themselves; those are used as printed.
"""
import re

import pytest
from conftest import SHARED

from conftest import SHARED
from crawler.links import disclosure_years, official_host
from crawler.sites.base import AnyPlatformSite

DOC = SHARED / "docs" / "REAL-SITES.md"
RULES = AnyPlatformSite.__new__(AnyPlatformSite)  # the rules only: no site to crawl

pytestmark = pytest.mark.skipif(not DOC.exists(), reason="../shared/docs/REAL-SITES.md is not here")


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^#{3} (\d[A-G]|5\.\d)\b", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def table_rows(section: str) -> list[dict]:
    lines = [line for line in section.splitlines() if line.startswith("|")]
    if not lines:  # the document is not here (the module is skipped) or lacks the section
        return []
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        rows.append(dict(zip(header, cells)))
    return rows


def rebuilt_title(row: dict) -> str:
    district = row.get("district") or row.get("region") or ""
    district = re.sub(r"^重庆 ", "重庆市", district).replace(" ", "")
    unit = row.get("department / unit") or row.get("publisher") or row.get("body") or ""
    unit = re.sub(r"\s*\(.*?\)", "", unit)
    year = row.get("year", "")
    year_text = f"{year[:4]}年度" if re.match(r"^20\d\d(/20\d\d)?$", year) else ""
    stage = re.sub(r"\s*\(.*?\)", "", row.get("stage", "")).replace(" ", "")
    if stage in ("预算", "决算"):
        stage = "部门" + stage
    return f"{district}{unit}{year_text}{stage}情况说明"


TEXT = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
SECTIONS = sections(TEXT)
LIST_PAGES = {"94", "95"}  # columns, not documents: discovery's business (test_reach_discovery)
NOT_DISCLOSURES = {"62"}  # 荣昌 财政局 news: the disclosure work is complete (§5.1: skip it)
PROXIES = {"120"}  # beijing.gov.cn/gate/big5/: a traditional-Chinese copy of a page


def official_pages() -> list[tuple[str, str, str]]:
    pages = []
    for key in ("1A", "1B", "1C", "1E"):
        for row in table_rows(SECTIONS.get(key, "")):
            if row.get("#") in LIST_PAGES | NOT_DISCLOSURES | PROXIES:
                continue
            pages.append((row["#"], row["URL"], rebuilt_title(row)))
    for row in table_rows(SECTIONS.get("5.1", "")):
        host, path, title = row["host"].split()[0], row["path (ids as seen)"].strip("`"), row["title"]
        if "…" in path or len(title) < 12 or not re.search("预算|决算", title):
            # a shortened path, or a description ('长寿区社会工作服务中心 2026') rather than a title
            continue
        pages.append(("5.1", f"http://{host}{path}", title))
    return pages


def rejected_pages() -> list[tuple[str, str, str]]:
    pages = []
    for key in ("1D", "1F"):
        for row in table_rows(SECTIONS.get(key, "")):
            pages.append((row["#"], row["URL"], rebuilt_title(row)))
    for key in ("1A", "1B", "1E"):
        for row in table_rows(SECTIONS.get(key, "")):
            if row.get("#") == "62":
                pages.append(("62", row["URL"], "我区2024年度部门决算公开工作圆满完成"))
            if row.get("#") in PROXIES:
                pages.append((row["#"], row["URL"], rebuilt_title(row)))
    for url in re.findall(r"^- (https?://\S+)", SECTIONS.get("1G", ""), flags=re.M):
        title = "2025年政府工作报告" if "zfgzbg" in url or "zfbg" in url else \
            "关于2024年国民经济和社会发展计划执行情况与2025年计划草案的报告"
        pages.append(("1G", url, title))
    return pages


# §3.9: whitelist `*.gov.cn`, plus the 梧州 预决算公开平台 on its bare IP
EXTRA_HOSTS = ("117.141.250.58",)


def accepts(url: str, title: str) -> bool:
    return official_host(url, EXTRA_HOSTS) and RULES.is_detail_url(url) and RULES.is_disclosure(title)


def test_the_document_is_read_whole():
    assert len(official_pages()) >= 108
    assert len(rejected_pages()) >= 6 + 17 + 2


def test_at_least_98_percent_of_the_official_disclosure_pages_are_accepted():
    missed = [(n, url, title) for n, url, title in official_pages() if not accepts(url, title)]
    share = 1 - len(missed) / len(official_pages())
    assert share >= 0.98, f"{share:.1%} accepted; missed: {missed}"
    # the misses are official sites off gov.cn (a hospital, 广州人大's rd.gz.cn): a config for
    # them would name the host
    assert {n for n, _u, _t in missed} <= {"103", "121"}


@pytest.mark.parametrize("number, url, title", rejected_pages())
def test_every_mirror_proxy_and_non_disclosure_is_rejected(number, url, title):
    assert not accepts(url, title), (number, url, title)


@pytest.mark.parametrize("title", [
    "重庆市梁平区安胜镇人民政府(本级)决算公开说明及公开报表",  # no year: the page's date says
    "开州金府发〔2026〕18号 关于2026年部门预算情况公开的公示",
    "中国人民政治协商会议天津市委员会办公厅 2025年部门预算",  # 会议 is part of the body's name
    "重庆市长寿区洪湖镇人民政府2024部门决算情况说明",  # no 年 after the year
    "【财政预决算公开】重庆市大足区人民法院2022年部门预算情况说明",
])
def test_titles_section_5_says_a_crawler_must_accept(title):
    assert RULES.is_disclosure(title)


def test_news_about_the_disclosure_work_is_skipped():
    assert not RULES.is_disclosure("我区2024年度部门决算公开工作圆满完成")


def test_a_list_rows_date_is_not_the_disclosure_year():
    # the row reads '…部门预算情况说明 2026-01-30': the title has no year, the date is not one
    assert not RULES.is_disclosure("重庆市潼南区卫生健康委员会部门预算情况说明 2025-01-30", year=2025) or \
        RULES.is_disclosure("重庆市潼南区卫生健康委员会部门预算情况说明 2025-01-30", year=2026)
    assert RULES.is_disclosure("重庆市潼南区卫生健康委员会2026年部门预算 2025-12-30", year=2026)
    assert not RULES.is_disclosure("重庆市潼南区卫生健康委员会2026年部门预算 2025-12-30", year=2025)


def test_a_year_missing_from_the_title_comes_from_breadcrumb_or_publication_date():
    assert disclosure_years("重庆市梁平区安胜镇人民政府(本级)决算公开说明及公开报表",
                            published="2025-10-21") == {2024}
    assert disclosure_years("区政府办公室部门预算", breadcrumb="首页>预算/决算>2026年部门预算") == {2026}
    assert disclosure_years("区政府办公室部门预算", published="2026-02-11") == {2026}
