"""The hand-labelled links of the 34 real pages of ../shared/pages/home-pages-2026 and what the
rules make of them (tests/fixtures/home_pages_2026/links.csv; how the labels were made is in the
README beside it). Each page is read as the spider reads a page it starts from, with the site a
home URL alone gives (crawler/sites/home.py)."""
from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from pathlib import Path

from conftest import SHARED

PAGES = SHARED / "pages" / "home-pages-2026"
LABELS = Path(__file__).parent / "fixtures" / "home_pages_2026" / "links.csv"
# three real home pages of other cities (广州 财政局, 武汉 应急管理局, 济南 气象局), labelled the same
# way but kept apart: the rules were not written from them
HELD_OUT_PAGES = SHARED / "cities-2026"
HELD_OUT_LABELS = LABELS.with_name("held_out.csv")
LEADING = ("column", "leads", "disclosure")  # labels of links that lead to the disclosures


def labelled_pages(labels: Path = LABELS) -> dict[str, tuple[str, dict[str, str]]]:
    """page file → (page URL, {link URL: label})."""
    pages: dict[str, tuple[str, dict[str, str]]] = {}
    with labels.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            pages.setdefault(row["page"], (row["page_url"], {}))[1][row["url"]] = row["label"]
    return pages


def page_verdicts(page: str, page_url: str, folder: Path = PAGES) -> dict:
    """link URL → its verdict (a link printed twice: the one that reaches furthest)."""
    from crawler.decisions import read_page
    from crawler.sites.home import site_from_home

    html = (folder / page).read_text(encoding="utf-8", errors="replace")
    _role, verdicts = read_page(html, page_url, site_from_home(page_url))
    best: dict = {}
    for v in verdicts:
        if v.url not in best or (v.reached and not best[v.url].reached):
            best[v.url] = v
    return best


def measure(labels_file: Path = LABELS, folder: Path = PAGES) -> dict:
    counts = defaultdict(int)
    useless_per_page, misses = [], []
    for page, (page_url, labels) in labelled_pages(labels_file).items():
        verdicts = page_verdicts(page, page_url, folder)
        useless = 0
        for url, label in labels.items():
            v = verdicts.get(url)
            reached = bool(v and v.reached)
            counts[label] += 1
            if label == "column":
                counts["column_taken"] += bool(v and v.action == "column")
            elif v and v.action == "column":
                counts["false_columns"] += 1
                misses.append((page, url, label, v.action, v.rule))
            if label in LEADING:
                counts["leading_reached"] += reached
                if not reached:
                    misses.append((page, url, label, v.action if v else "-", v.rule if v else "not a link the rules see"))
            elif reached:
                useless += 1
                misses.append((page, url, label, v.action, v.rule))
        useless_per_page.append(useless)
    leading = sum(counts[label] for label in LEADING)
    return {
        "columns_taken": f"{counts['column_taken']}/{counts['column']}",
        "columns_taken_share": counts["column_taken"] / counts["column"],
        "leading_reached": f"{counts['leading_reached']}/{leading}",
        "leading_reached_share": counts["leading_reached"] / leading,
        "false_columns": counts["false_columns"],
        "useless_followed_median": statistics.median(useless_per_page),
        "useless_followed_max": max(useless_per_page),
        "misses": misses,
    }
