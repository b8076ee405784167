"""The 100 large cities of `中国百强城市排行榜_含官网.xlsx` (../shared/cities-2026), each a site from its
home URL (crawler/sites/home.py): every platform's rules, the home page as the root, the column the
list names as a start URL where it names one, the registrable domain of both as the allowed hosts.
None is verified live (`verified` is empty, as for the district configs): `budgets smoke --site
NAME` before trusting one. The list is kept as data in cities_2026.csv beside this module."""
from __future__ import annotations

import csv
from pathlib import Path

from crawler.links import host_of
from crawler.sites.base import AnyPlatformSite
from crawler.sites.districts import registrable

SOURCE = "中国百强城市排行榜_含官网.xlsx (../shared/cities-2026): the city's official site"


class CitySite(AnyPlatformSite):
    """A city's government site, known by its home URL alone."""

    name = ""  # a base, not a config


def city_rows(path: Path = Path(__file__).with_name("cities_2026.csv")) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _make(row: dict) -> type[CitySite]:
    home, column = row["home"], row["budget_column"]
    domains = tuple(dict.fromkeys(registrable(host_of(u)) for u in (home, column) if u))
    slug = domains[0].split(".")[0]
    return type(f"City_{slug}", (CitySite,), {
        "name": f"city-{slug}", "district": f"{row['city']}市", "roots": (home,),
        "start_urls": (column,) if column else (), "allowed_domains": domains,
        "source": f"{SOURCE} (rank {row['rank']}): home {home}" + (f", budget column {column}" if column else ""),
        "verified": "", "__module__": __name__, "__doc__": f"{row['city']}市 (rank {row['rank']})",
    })


GENERATED = {cls.name: cls for cls in map(_make, city_rows())}
globals().update({cls.__name__: cls for cls in GENERATED.values()})
