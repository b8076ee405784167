"""`budgets smoke --site NAME [--save DIR]`: check a site config against the live site, quickly
and without writing to the database (crawler/smoke.py). Prints, per column, the answer (status,
redirects, charset, anti-bot markers), link counts per rule, the first titles with their years,
the attachment types of two disclosure pages, and a verdict; `--save DIR` keeps every page
fetched, so it can be sent back and replayed as a replica fixture."""
from __future__ import annotations

import json
import re
from pathlib import Path

from scrapy.exceptions import NotConfigured

from budgets.cli import CommandError


def _save(directory: Path, pages) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    index = []
    for n, page in enumerate(pages):
        name = f"{n:03d}_" + re.sub(r"[^\w.-]+", "_", page.url.split("://", 1)[-1])[:150]
        (directory / name).write_bytes(page.body)
        index.append({"file": name, "url": page.url, "final_url": page.final_url, "status": page.status,
                      "redirects": page.redirects, "headers": page.headers, "error": page.error})
    (directory / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")


def describe(report) -> str:
    page = report.list_page
    head = f"{report.verdict:<15} {report.url}"
    if report.reason:
        head += f"  ({report.reason})"
    if page is None or (page.status == 0 and not page.redirects):  # no answer: the reason says why
        return head
    lines = [head, f"    HTTP {page.status}" + (f", redirected via {len(page.redirects)} to {page.final_url}"
                                                  if page.redirects else "")
             + (f", charset {page.charset}" if page.charset else "") + (f", error {page.error}" if page.error else "")]
    if report.anti_bot:
        lines.append(f"    anti-bot marker: {report.anti_bot}")
    if report.counts:
        lines.append("    links: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    if report.pager_status is not None:
        lines.append(f"    pager page: HTTP {report.pager_status}")
    for title, years in report.titles:
        lines.append(f"    {years or '(no year: from the page)'} {title}")
    if report.details_read:
        kinds = ", ".join(f"{k} ×{n}" for k, n in report.attachment_types.items()) or "none"
        lines.append(f"    {report.details_read} disclosure page(s): attachments {kinds}, {report.detail_tables} table(s)")
    return "\n".join(lines)


def run(args) -> int:
    from crawler import sites
    from crawler.settings import USER_AGENT
    from crawler.smoke import Fetcher, columns_to_check, smoke_column

    try:
        site = sites.load(args.site)
    except KeyError as exc:
        raise CommandError(str(exc).strip("'\"")) from exc
    except NotConfigured as exc:
        raise CommandError(str(exc)) from exc
    if not site.usable:
        raise CommandError(f"{args.site} has no host yet: {site.source}")
    fetcher = Fetcher(USER_AGENT, max_requests=args.max_requests, max_seconds=args.max_seconds,
                      replica=args.replica)
    reports = [smoke_column(site, fetcher, url) for url in columns_to_check(site, fetcher)]
    print(f"{site.name} ({site.district}): {len(reports)} column(s), {fetcher.requests} requests")
    for report in reports:
        print(describe(report))
    if args.save:
        _save(args.save, fetcher.pages)
        print(f"saved {len(fetcher.pages)} page(s) to {args.save}")
    return 0 if reports and all(r.verdict == "OK" for r in reports) else 1
