"""The seed disclosure as the HTML page a district site serves: the faithful rendering of the
real page, with the tables' rowspan/colspan markup, shipped in crawler/demo/content/."""
from __future__ import annotations

from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
SEED_HTML = CONTENT / "tongnan-2026-bigdata-bureau-budget.html"
TITLE = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"


def seed_page() -> tuple[str, str]:
    """(HTML text, the file it was made from)."""
    return SEED_HTML.read_text(encoding="utf-8"), f"crawler/demo/content/{SEED_HTML.name}"
