"""The seed disclosure as the HTML page a district site serves: the faithful rendering of the
real page (tests/fixtures/seed/, with the tables' rowspan/colspan markup)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
TITLE = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"


def seed_page() -> tuple[str, str]:
    """(HTML text, the file it was made from)."""
    return SEED_HTML.read_text(encoding="utf-8"), str(SEED_HTML.relative_to(ROOT))
