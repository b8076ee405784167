"""`budgets crawl --site NAME ... | --all | --home URL [--name NAME] [--year N]`: the disclosures
spider over configured sites, or over a site known by its home URL alone (the same spider as
`scrapy crawl disclosures -a site=NAME` / `-a home=URL`), storing raw files under
data/raw/<site>/ and loading what they hold."""
from __future__ import annotations

from scrapy.exceptions import NotConfigured

from budgets.cli import CommandError
from crawler import sites


def choose_sites(names: list[str], everything: bool) -> list[str]:
    """The sites asked for, each checked now, so a bad config fails before any request."""
    if everything:
        names = sites.usable_names()  # not the demo (`budgets demo`), nor configs with no host yet
    elif "demo" in names:
        raise CommandError("the demo site is served and crawled by `budgets demo`")
    if not names:
        raise CommandError(f"say which sites: --site NAME (one of {', '.join(sites.names())}) or --all")
    for name in names:
        try:
            sites.load(name)
        except KeyError as exc:
            raise CommandError(str(exc).strip("'\"")) from exc
        except NotConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not getattr(sites.config_classes()[name], "usable", True):
            raise CommandError(f"{name} is not usable yet: {sites.config_classes()[name].source}")
    return names


def summary(runs: list[dict]) -> str:
    return "\n".join(f"{r['site']}: {r['status']} — {r['message']}" for r in runs)


def from_home(args) -> tuple[list[str], list[tuple[str, dict]]]:
    """`--home URL [--name NAME]`: one site from its home URL; its inferred hosts are printed."""
    from crawler.sites.home import check_home_url, home_site_line, site_from_home

    if args.site or args.all:
        raise CommandError("--home crawls one site from its address: give it without --site or --all")
    if problem := check_home_url(args.home):
        raise CommandError(problem)
    site = site_from_home(args.home, name=args.name or "")
    print(home_site_line(site))
    return [site.name], [(site.name, {"home": args.home})]


def run(args) -> int:
    from crawler.run import run_crawls

    if getattr(args, "home", None):
        names, jobs = from_home(args)
    elif getattr(args, "name", None):
        raise CommandError("--name names a site crawled from --home URL")
    else:
        names = choose_sites(args.site, args.all)
        jobs = [(name, {}) for name in names]
    runs, audit = run_crawls(jobs, args.db, year=args.year)
    print(summary(runs))
    if audit:
        print(audit)
    if len(runs) < len(names):
        raise CommandError("a crawl did not finish; see the messages above")
    if all(r["status"] == "failed" for r in runs):
        from budgets.cli.sites import last_error

        reasons = sorted({last_error(r) for r in runs} - {""})
        why = "; ".join(reasons) if reasons else "see crawl_runs for why"
        raise CommandError(f"nothing was crawled from {', '.join(names)}: {why}")
    if args.strict and any(r["documents_failed"] for r in runs):
        raise CommandError("some documents failed (--strict)")
    return 0
