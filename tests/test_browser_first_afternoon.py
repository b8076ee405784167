"""The pages as a researcher finds them on a first afternoon (issue 34): what was wrong or silent,
in headless Chromium like tests/test_browser.py, over its database (tests/published_sample.py) and
over the demo site's content alone, a database with budgets and no final accounts."""
from __future__ import annotations

import re

import pytest

import datasette_sample as sample
from test_browser import browser, page, server, shot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def budgets_only(tmp_path_factory):
    """`budgets ingest` of the demo site's content: one disclosure, six formats, no 决算."""
    from published_sample import DEMO_CONTENT

    path = sample.ingested(tmp_path_factory.mktemp("budgets-only") / "budgets.db", DEMO_CONTENT)
    with sample.Server(path) as running:
        yield running


def test_final_account_charts_without_final_accounts_say_there_are_none(browser, budgets_only):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(budgets_only.url + "/-/charts?code=2210201&stage=final_account")
        notice = page.locator(".nothing-matched").inner_text()
        assert "没有 决算 final account 数据" in notice and "no disclosure of this stage" in notice
        assert "None" not in page.locator("body").inner_text()
        assert page.locator("input[name=year]").get_attribute("placeholder") == ""
        assert "None" not in page.locator("svg.bar-chart .chart-title").text_content()
        shot(page, "charts_no_final_accounts")
    finally:
        context.close()


def test_charts_say_a_typed_subject_matched_nothing_as_the_subject_page_does(page, server):
    page.goto(server.url + "/-/subject?code=abc")
    on_subject_page = page.locator(".nothing-matched").inner_text()
    page.goto(server.url + "/-/charts?code=abc")
    assert page.locator(".nothing-matched").inner_text() == on_subject_page
    assert "abc" in on_subject_page
    assert page.locator("svg.chart").count() == 0  # no other subject drawn in its place
    assert page.locator("section.chart-block").count() == 0
    shot(page, "charts_nothing_matched")

    page.goto(server.url + "/-/charts?code=住房")
    assert page.locator("ul.matches a").count() >= 2
    assert page.locator("svg.chart").count() == 0
    page.locator("ul.matches a", has_text="2210201").click()
    page.wait_for_load_state()
    assert page.locator("svg.bar-chart rect.bar").count() == 3


@pytest.mark.parametrize("view", ["published_lines", "published_findings"])
def test_published_views_show_the_document_title_linked_not_its_hash(page, server, view):
    page.goto(server.url + f"/budgets/{view}?_size=20")
    cells = page.locator("table.rows-and-columns tbody td.col-document_id")
    assert cells.count() > 0
    for i in range(cells.count()):
        cell = cells.nth(i)
        text = cell.inner_text()
        assert not re.search(r"[0-9a-f]{16}", text), text
        assert re.search(r"\d{4}年.*(预算|决算)", text), text
        href = cell.locator("a").get_attribute("href")
        assert re.fullmatch(r"/budgets/documents/[0-9a-f]{64}", href)
    shot(page, f"{view}_document_titles")


def test_a_wide_table_scrolls_in_its_own_box_under_its_title(browser, server):
    for width in (1280, 700):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(f"{server.url}/-/document/{server.ids['page']}")
            section = page.locator("section.document-table", has_text="“三公”经费").first
            section.scroll_into_view_if_needed()
            title_x = section.locator("h3").bounding_box()["x"]
            box = section.locator("table").evaluate("""table => {
                const box = table.parentElement;
                box.scrollLeft = box.scrollWidth;
                return {overflow: getComputedStyle(box).overflowX, page: document.documentElement.scrollWidth};
            }""")
            assert box["overflow"] in ("auto", "scroll")
            assert box["page"] <= width  # the page itself never scrolls sideways
            last = section.locator("thead th").last.bounding_box()
            assert last["x"] >= 0 and last["x"] + last["width"] <= width  # the last column can be reached
            assert section.locator("h3").bounding_box()["x"] == title_x  # the title did not scroll away
            shot(page, f"document_three_public_{width}")
        finally:
            context.close()


def test_canned_query_columns_are_labelled_in_chinese_and_english(page, server):
    page.goto(server.url + "/budgets/department_year_over_year?department=大数据")
    header = page.locator("table.rows-and-columns thead th.col-change_wan").inner_text()
    assert "增减" in header and "change" in header and "change_wan" in header
    percent = page.locator("table.rows-and-columns thead th.col-change_pct").inner_text()
    assert "增减（%）" in percent and "change_pct" in percent
    shot(page, "canned_query_bilingual_headers")
    csv_header = page.request.get(server.url + "/budgets/department_year_over_year.csv?department=大数据"
                                  ).text().splitlines()[0]
    assert "change_wan" in csv_header and "增减" not in csv_header  # exports keep the CONTRACT's names


def test_every_line_of_a_chart_is_named_where_it_ends_in_its_own_colour(page, server):
    page.goto(server.url + "/-/subject?code=2210201")
    series = page.locator("svg.line-chart g.series")
    labels = page.locator("svg.line-chart g.end-label")
    assert series.count() >= 4 and labels.count() == series.count()
    colours = {g.locator("circle").first.evaluate("c => getComputedStyle(c).fill") for g in series.all()}
    assert len(colours) == series.count()
    boxes = [labels.nth(i).locator("text").bounding_box() for i in range(labels.count())]
    assert not any(overprint(a, b) for n, a in enumerate(boxes) for b in boxes[n + 1:])
    shot(page, "subject_lines_named_at_their_ends")


def overprint(a, b) -> bool:
    """Two text boxes share more than a pixel's sliver."""
    across = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    down = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return across > 1 and down > 1
