"""The same bytes at two URLs are one document that remembers both (`document_urls`).

The demo site on 127.0.0.1 serves the seed disclosure's page (重庆市潼南区大数据应用发展管理局
2026年部门预算); here its list page names, in place of the mobile copy (which the crawler folds
into the page's own address), a second page of the column that serves the same bytes, as a TRS
site does when a disclosure is published again under a new article id. `budgets nightly` runs
against it three times; on the third night the list page names the copy before the page itself.
"""
from __future__ import annotations

import hashlib

import pytest

from crawler.demo import site as demo
from crawler.demo.server import Resource, SiteServer
from test_nightly import URL, demo_site, nightly, query

pytestmark = pytest.mark.slow  # starts processes or servers

COPY = f"{demo.BUDGETS}/202601/t20260130_15366099.html"
PAGE, WAP = URL + demo.SEED_PAGE, URL + COPY


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    db = tmp_path_factory.mktemp("document-urls") / "budgets.db"
    resources = demo_site()
    seed = resources[demo.SEED_PAGE]
    resources[COPY] = Resource(seed.body, seed.content_type)
    seed_id = hashlib.sha256(seed.body).hexdigest()
    listing = resources[f"{demo.BUDGETS}/index.html"]
    assert demo.SEED_WAP in listing.body.decode("gbk")
    listing.body = listing.body.decode("gbk").replace(demo.SEED_WAP, COPY).encode("gbk")
    runs, states = [], []
    with SiteServer(resources) as server:
        for night in range(3):
            if night == 2:  # the mobile copy listed first
                text = listing.body.decode("gbk")
                wap_item = text[text.rindex("<li", 0, text.index(COPY)):]
                wap_item = wap_item[:wap_item.index("</li>") + 5]
                first = text.index("<li")
                listing.body = (text[:first] + wap_item + text[first:].replace(wap_item, "", 1)).encode("gbk")
            runs.append(nightly(db, server, timeout=300))
            states.append({
                "stderr": runs[-1].stderr,
                "document": query(db, "SELECT url, parent_id FROM documents WHERE id = ?", [seed_id]),
                "urls": query(db, "SELECT url, first_seen_at, last_seen_at FROM document_urls "
                                  "WHERE document_id = ? ORDER BY url", [seed_id]),
                "run": query(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0],
                "fetched_pages": query(db, "SELECT count(*) AS n FROM documents WHERE bytes IS NOT NULL "
                                           "AND instr(url, '#') = 0")[0]["n"],
            })
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
    return {"db": db, "id": seed_id, "states": states}


def test_the_same_bytes_at_two_urls_are_one_document_with_both_urls(nights):
    first = nights["states"][0]
    assert len(first["document"]) == 1
    assert [u["url"] for u in first["urls"]] == sorted([PAGE, WAP])


def test_the_document_keeps_the_url_it_was_first_seen_at(nights):
    urls = {u["url"]: u for u in nights["states"][0]["urls"]}
    primary = nights["states"][0]["document"][0]["url"]
    assert primary in (PAGE, WAP)
    assert urls[primary]["first_seen_at"] <= min(u["first_seen_at"] for u in urls.values())
    for state in nights["states"][1:]:  # whatever order the site lists them in later
        assert state["document"][0]["url"] == primary
        assert [u["url"] for u in state["urls"]] == sorted([PAGE, WAP])


def test_known_bytes_are_extracted_once(nights):
    first, second, third = nights["states"]
    # the first night extracts each new set of bytes once: the copy is not read again
    assert first["run"]["documents_extracted"] == first["run"]["documents_new"]
    twins = [line for line in first["stderr"].splitlines() if PAGE in line or WAP in line]
    assert sum(f"same bytes as {PAGE}" in line or f"same bytes as {WAP}" in line for line in twins) == 1
    assert not any("unchanged" in line for line in twins)
    for night in (second, third):
        assert night["run"]["documents_extracted"] == 0
        assert night["run"]["documents_new"] == 0


def test_every_url_is_seen_again_each_night(nights):
    last = {u["url"]: u["last_seen_at"] for u in nights["states"][-1]["urls"]}
    first = {u["url"]: u["last_seen_at"] for u in nights["states"][0]["urls"]}
    assert all(last[url] >= first[url] for url in first)
    assert {u["url"]: u["first_seen_at"] for u in nights["states"][-1]["urls"]} == \
        {u["url"]: u["first_seen_at"] for u in nights["states"][0]["urls"]}
