"""Spidermon monitors run when a crawl closes: they decide whether a run needs a person.

A crawl whose every request failed at the network level (DNS, refused, unreachable) is one
alert naming the host and the cause, and says nothing about the site; so is a robots.txt that
answered a server error (the whole site disallowed, RFC 9309). Otherwise a site that
yields no documents, far fewer than its last complete crawl, an error rate that
jumps, or list pages that no longer yield links all mean the site changed under us. Failed
monitors are recorded by `RecordAlerts` in the crawl's stats (`budgets/alerts`); the crawl ledger
stores them in `crawl_runs.alerts` and `budgets nightly` exits non-zero when there are any.

Thresholds are settings: BUDGETS_ALERT_MIN_SHARE (documents this run / last complete run,
default 0.5), BUDGETS_ALERT_ERROR_RATE (fetch errors / requests, default 0.2) and
BUDGETS_ALERT_ERROR_JUMP (rise over the last run's rate, default 0.1).
"""
from __future__ import annotations

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import FinishReasonMonitor
from spidermon.core.actions import Action

from budgets import db as database
from budgets import crawl_ledger
from crawler.pipelines import db_path
from crawler.robots import ROBOTS_UNAVAILABLE_STAT


def last_complete_run(crawler, site: str) -> dict | None:
    """The site's last crawl that finished whole (not resumed, not a single year)."""
    db = database.connect(db_path(crawler.settings))
    try:
        return crawl_ledger.last_complete_run(db, site)
    finally:
        db.conn.close()


def documents_of(run: dict) -> int:
    return sum(run.get(k) or 0 for k in ("documents_new", "documents_changed", "documents_unchanged",
                                         "documents_same_bytes", "documents_failed"))


def error_rate(errors: int, requests: int) -> float:
    return errors / requests if requests else 0.0


def network_failure(stats) -> str:
    """The one-line reason when every request of the crawl failed at the network level (DNS,
    refused, unreachable: crawler/middlewares.NetworkFailureMiddleware) and nothing answered;
    '' otherwise. Such a crawl says nothing about the site's layout."""
    if stats.get("budgets/network_failures", 0) and not stats.get("downloader/response_count", 0):
        return stats.get("budgets/network_error") or "the site could not be reached (network)"
    return ""


def robots_unavailable(stats) -> str:
    """The one-line reason when a robots.txt answered a server error, which disallows its whole
    host (crawler/robots.py, RFC 9309); '' otherwise. Such a crawl fetched nothing there, whatever
    the site's layout."""
    answered = stats.get(ROBOTS_UNAVAILABLE_STAT) or []
    if not answered:
        return ""
    return (f"robots.txt unavailable: {'; '.join(answered)}, which disallows the whole site (RFC 9309), so "
            "nothing there was fetched; the next crawl asks again")


class SiteMonitor(Monitor):
    longMessage = False  # the message alone, not "True is not false : …"

    @property
    def site(self) -> str:
        return self.data.spider.site.name

    def stat(self, name: str, default=0):
        return self.data.stats.get(name, default)

    def setting(self, name: str, default: float) -> float:
        return self.data.crawler.settings.getfloat(name, default)

    def skip_if_unreachable(self):
        if network_failure(self.data.stats):
            self.skipTest("the site could not be reached: the network monitor says why")
        if robots_unavailable(self.data.stats) and not self.stat("budgets/documents"):
            self.skipTest("robots.txt disallowed the site: the robots monitor says why")


@monitors.name("network")
class NetworkMonitor(SiteMonitor):
    @monitors.name("the site can be reached")
    def test_site_can_be_reached(self):
        reason = network_failure(self.data.stats)
        self.assertFalse(reason, f"{self.site}: {reason}")


@monitors.name("robots")
class RobotsMonitor(SiteMonitor):
    @monitors.name("robots.txt answers")
    def test_robots_txt_answers(self):
        reason = robots_unavailable(self.data.stats)
        self.assertFalse(reason, f"{self.site}: {reason}")


@monitors.name("documents")
class DocumentsMonitor(SiteMonitor):
    @monitors.name("the site yields documents")
    def test_site_yields_documents(self):
        if self.data.crawler.settings.getbool("BUDGETS_SHARED_FRONTIER"):
            self.skipTest("one of several workers: `budgets nightly` checks their sum")
        if self.stat("budgets/resumed") and self.data.crawler.settings.getbool("BUDGETS_SWEEP_FOLLOWS"):
            # a SIGKILL leaves requests marked seen that were never fetched, so a resumed crawl may
            # find nothing the killed run did not: the sweep that follows is judged instead
            self.skipTest("a sweep of the whole site follows this resumed crawl")
        self.skip_if_unreachable()
        pages = self.stat("budgets/pages")
        # a resumed crawl is judged with what it resumes: the killed run may have fetched it all
        self.assertTrue(self.stat("budgets/documents") + self.stat("budgets/resumed_documents") > 0,
                        f"{self.site} yielded no documents ({pages} pages read): its columns may have "
                        "moved or changed their layout; check the site config")

    @monitors.name("no far fewer documents than last time")
    def test_not_far_fewer_than_last_time(self):
        if (self.stat("budgets/resumed") or getattr(self.data.spider, "year", None)
                or self.data.crawler.settings.getbool("BUDGETS_SHARED_FRONTIER")):
            self.skipTest("a resumed, single-year or shared-frontier crawl sees part of the site")
        self.skip_if_unreachable()
        last = last_complete_run(self.data.crawler, self.site)
        if last is None:
            self.skipTest("no earlier complete crawl")
        before, now = documents_of(last), self.stat("budgets/documents")
        share = self.setting("BUDGETS_ALERT_MIN_SHARE", 0.5)
        self.assertFalse(before and now < share * before,
                         f"{self.site} yielded {now} documents, last complete crawl {before} "
                         f"(run {last['id']}, {last['finished_at']}): fewer than {share:.0%}")


@monitors.name("errors")
class ErrorRateMonitor(SiteMonitor):
    @monitors.name("the error rate does not jump")
    def test_error_rate_does_not_jump(self):
        if self.data.crawler.settings.getbool("BUDGETS_SHARED_FRONTIER"):
            self.skipTest("one of several workers: `budgets nightly` checks their sum")
        self.skip_if_unreachable()
        errors, requests = self.stat("budgets/errors"), self.stat("downloader/request_count")
        rate = error_rate(errors, requests)
        last = last_complete_run(self.data.crawler, self.site)
        before = error_rate(last.get("errors") or 0, last.get("requests") or 0) if last else 0.0
        limit = self.setting("BUDGETS_ALERT_ERROR_RATE", 0.2)
        jump = self.setting("BUDGETS_ALERT_ERROR_JUMP", 0.1)
        self.assertFalse(rate > limit and rate > before + jump,
                         f"{self.site}: {errors} of {requests} requests failed ({rate:.0%}, last complete "
                         f"crawl {before:.0%})")


@monitors.name("list pages")
class ListPagesMonitor(SiteMonitor):
    @monitors.name("list pages keep their shape")
    def test_list_pages_yield_links(self):
        empty = self.stat("budgets/list_pages_empty_urls", []) or []
        self.assertFalse(empty, f"{self.site}: {len(empty)} list page(s) answered but yielded no link "
                                f"(layout changed?): {', '.join(empty[:3])}")


@monitors.name("reach")
class ReachMonitor(SiteMonitor):
    @monitors.name("the list-page cap is not hit")
    def test_list_page_cap_not_hit(self):
        capped = self.stat("budgets/list_pages_capped")
        cap = self.data.spider.site.max_list_pages
        self.assertFalse(capped, f"{self.site}: {capped} list page(s) not fetched: the site's max_list_pages "
                                 f"({cap}) was reached; raise it in the config if the columns are real")

    @monitors.name("no column vanished")
    def test_no_column_vanished(self):
        gone = self.stat("budgets/columns_vanished_urls", []) or []
        self.assertFalse(gone, f"{self.site}: {len(gone)} column(s) found before are gone (moved or "
                               f"removed?): {', '.join(gone[:3])}")


class RecordAlerts(Action):
    """Puts one line per failed monitor into the crawl's stats."""

    def run_action(self):
        alerts = []
        for result in self.result.monitors_failed_results:
            reason = (result.error or "").strip().splitlines()[-1] if result.error else ""
            reason = reason.split("AssertionError: ", 1)[-1]
            alerts.append(f"{result.monitor.name}: {reason}")
        self.data.crawler.stats.set_value("budgets/alerts", alerts)


class CrawlMonitors(MonitorSuite):
    monitors = [FinishReasonMonitor, NetworkMonitor, RobotsMonitor, DocumentsMonitor, ErrorRateMonitor, ListPagesMonitor, ReachMonitor]
    monitors_failed_actions = [RecordAlerts]
