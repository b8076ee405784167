"""When a crawl may take a link it did not find to mean a withdrawal (crawler/coverage.py): only
after walking the whole site to its end, reading every list page it asked for and finding
documents. Scrapy's own stats collector and settings, no crawl."""
from scrapy.utils.test import get_crawler

from crawler.coverage import coverage_counts, covered_the_site, was_resumed, whole_walk


def stats(**values):
    collector = get_crawler().stats
    for name, value in values.items():
        collector.set_value(f"budgets/{name}", value)
    return collector


def test_a_crawl_that_read_every_list_page_it_asked_for_and_found_documents_covered_the_site():
    assert covered_the_site(**coverage_counts(stats(list_pages_requested=4, list_pages_read=4, documents=12)))


def test_one_list_page_that_failed_makes_nothing_look_withdrawn():
    assert not covered_the_site(**coverage_counts(stats(list_pages_requested=4, list_pages_read=3, documents=12)))


def test_a_crawl_that_found_no_documents_or_asked_for_no_list_page_covered_nothing():
    assert not covered_the_site(**coverage_counts(stats(list_pages_requested=4, list_pages_read=4)))
    assert not covered_the_site(**coverage_counts(stats(documents=12)))


def test_counts_a_crawl_never_recorded_are_zero():
    assert coverage_counts(stats()) == {"list_pages_requested": 0, "list_pages_read": 0, "documents": 0}


def test_only_a_finished_walk_of_every_year_without_alerts_or_failed_list_pages_is_whole():
    assert whole_walk("finished", None, False, stats())
    assert not whole_walk("shutdown", None, False, stats())  # stopped by a signal or a limit
    assert not whole_walk("finished", 2026, False, stats())  # `--year 2026` walks one year
    assert not whole_walk("finished", None, True, stats())  # resumed: the first run saw the rest
    assert not whole_walk("finished", None, False, stats(alerts=1))
    assert not whole_walk("finished", None, False, stats(list_errors=2))


def test_a_crawl_resumes_only_a_frontier_that_holds_requests(tmp_path):
    assert not was_resumed(get_crawler().settings)  # no JOBDIR
    assert not was_resumed(get_crawler(settings_dict={"JOBDIR": str(tmp_path)}).settings)  # a new one
    (tmp_path / "requests.seen").write_text("")
    assert not was_resumed(get_crawler(settings_dict={"JOBDIR": str(tmp_path)}).settings)
    (tmp_path / "requests.seen").write_text("5f1c0a2e9b\n")
    assert was_resumed(get_crawler(settings_dict={"JOBDIR": str(tmp_path)}).settings)
