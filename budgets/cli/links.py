"""`budgets links PAGE.html --url URL`: what discovery and the spider make of every link of a
saved page, and the rule that decided each: a column (and its stage), followed on the way to
the columns, a disclosure page, an attachment, another page of the column, or dropped. How a
user finds out why a site yields nothing."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from budgets.cli import CommandError

ACTIONS = ("column", "follow", "document", "attachment", "pager", "dropped")


def site_for(url: str, name: str | None):
    """The named site config, or a site from the page's URL alone (crawler/sites/home.py)."""
    from crawler import sites
    from crawler.sites.home import site_from_home

    if not name:
        return site_from_home(url)
    try:
        return sites.load(name)
    except KeyError as exc:
        raise CommandError(str(exc).strip("'\"")) from exc


def report(page: Path, url: str, site=None, role: str = "", year: int | None = None) -> dict:
    from crawler.decisions import read_page
    from crawler.encoding import html_encoding

    body = Path(page).read_bytes()
    html = body.decode(html_encoding(body), errors="replace")
    site = site or site_for(url, None)
    read_as, verdicts = read_page(html, url, site, role, year)
    return {"page": str(page), "url": url, "site": site.name, "allowed_hosts": list(site.allowed_domains),
            "read_as": read_as, "counts": dict(Counter(v.action for v in verdicts)),
            "links": [{k: v for k, v in asdict(verdict).items() if v} for verdict in verdicts]}


def lines(found: dict) -> list[str]:
    counts = ", ".join(f"{found['counts'].get(a, 0)} {a}" for a in ACTIONS if found["counts"].get(a))
    out = [f"{found['page']} read as {found['read_as']} of {found['url']}",
           f"site {found['site']}, allowed hosts {', '.join(found['allowed_hosts'])}: "
           f"{len(found['links'])} links: {counts or 'none'}"]
    for link in found["links"]:
        what = link["action"] + (f" ({link['stage']})" if link.get("stage") else "")
        named = f" [{link['named_by']}]" if link.get("named_by", "text") != "text" else ""
        out.append(f"  {what:<22} {link.get('text', '') or '(no text)'}{named}  {link['url']}\n"
                   f"  {'':<22} ↳ {link['rule']}")
    return out


def run(args) -> int:
    site = site_for(args.url, args.site)
    found = report(args.page, args.url, site, args.role or "", args.year)
    if args.as_json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        print("\n".join(lines(found)))
    return 0
