"""A subject across a renaming, as a person sees it: /-/subject in headless Chromium (as in
tests/test_browser.py) over the 江苏省人民检察院 budgets of 2017 and 2018 (../shared/corpus), loaded
with `budgets ingest`. The 2017 一般公共预算支出表 (p.14) prints 2040405 公诉和审判监督 150.00 万元; the
2018 one (p.17) prints 2040405 公诉、审判、侦查、执行等检察监督支出 1895.00: one code, two names."""
from __future__ import annotations

import pytest

import datasette_sample as sample
from conftest import CORPUS, needs_corpus

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_corpus]

from test_browser import browser, page, shot  # noqa: E402,F401  (fixtures)

PROCURATORATE = "jiangsu-open-budget/江苏省人民检察院"
DOCUMENTS = ["2017年省检察院部门预算.pdf", "2018年省检察院部门预算公开.pdf"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = CORPUS / PROCURATORATE
    path = sample.ingested(tmp_path_factory.mktemp("subject-changes") / "budgets.db",
                           *(folder / name for name in DOCUMENTS), timeout=600)
    with sample.Server(path) as running:
        yield running


def test_a_renamed_subject_is_one_series_marked_with_its_former_name_and_source(page, server):
    page.goto(server.url + "/-/subject?code=2040405")
    assert "2040405 公诉、审判、侦查、执行等检察监督支出" in page.locator("#subject-chart").inner_text()
    change = page.locator("#subject-changes li").first.inner_text()
    assert "2040405 公诉、审判、侦查、执行等检察监督支出 from 2018, was named 公诉和审判监督" in change
    assert "2017年省检察院部门预算.pdf p.12" in change  # the crosswalk's source, printed beside it
    row = page.locator("table.wide-subject tbody tr", has_text="人民检察院").inner_text()
    assert "150.00" in row and "1,895.00" in row  # both years in one row
    assert page.locator("th.printed-as").inner_text() == "2017†"
    assert "† 2017 印作 printed as 2040405 公诉和审判监督" in page.locator(".printed-as-note").inner_text()
    shot(page, "subject_2040405_renamed")


def test_a_renamed_subject_found_by_its_former_name(page, server):
    page.goto(server.url + "/-/subject?code=公诉和审判监督")
    assert "from 2018, was named 公诉和审判监督" in page.locator("#subject-changes").inner_text()
    shot(page, "subject_by_former_name")
