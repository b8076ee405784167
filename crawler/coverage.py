"""Did a crawl see the whole site? Only then may a link it did not find mean a withdrawal.
Pure functions over a crawl's settings and stats, shared by the crawl ledger
(crawler/extensions.py) and the shared frontier (crawler/scaleout.py)."""
from __future__ import annotations

from pathlib import Path

COVERAGE_STATS = ("list_pages_requested", "list_pages_read", "documents")


def holds_a_frontier(jobdir) -> bool:
    """Did a killed run leave a frontier in `jobdir` worth resuming? Only when it recorded a
    request it had seen: a run killed before its first write leaves an empty requests.seen and
    an empty disk queue, which a crawl should not take up (it starts afresh instead)."""
    seen = Path(jobdir) / "requests.seen" if jobdir else None
    return bool(seen and seen.exists() and seen.stat().st_size)


def was_resumed(settings) -> bool:
    """Does this crawl continue a frontier a killed run left in JOBDIR?"""
    return holds_a_frontier(settings.get("JOBDIR"))


def coverage_counts(stats) -> dict[str, int]:
    return {name: int(stats.get_value(f"budgets/{name}", 0)) for name in COVERAGE_STATS}


def covered_the_site(list_pages_requested: int, list_pages_read: int, documents: int) -> bool:
    """Only a crawl that read every list page it asked for, and found documents, can take a
    missing link to mean a withdrawal: a list page that failed would make everything it links
    look withdrawn."""
    return list_pages_requested > 0 and list_pages_read >= list_pages_requested and documents > 0


def whole_walk(reason: str, year, resumed: bool, stats) -> bool:
    """Did this crawl walk the whole site to its end, without alerts or failed list pages? (A
    worker of a shared frontier walks only part of it: see `covered_the_site` for the rest.)"""
    return (reason == "finished" and year is None and not resumed
            and not stats.get_value("budgets/alerts") and not stats.get_value("budgets/list_errors"))
