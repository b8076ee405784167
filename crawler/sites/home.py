"""A site from its home URL alone: the link rules of every platform seen, the home page as the
only root, and the allowed hosts inferred from it (the registrable domain, so a department's
sub-sites and its entry on the city portal's host are in). Not verified against the live site."""
from __future__ import annotations

from urllib.parse import urlsplit

from crawler.links import host_of
from crawler.sites.base import AnyPlatformSite
from crawler.sites.districts import registrable


def site_from_home(url: str, name: str = "", district: str = "") -> AnyPlatformSite:
    domain = registrable(host_of(url))
    attrs = {"name": name or domain, "district": district, "allowed_domains": (domain,), "roots": (url,),
             "source": f"inferred from the home URL {url}; not verified live", "required": ("name", "allowed_domains")}
    return type("HomeSite", (AnyPlatformSite,), attrs)()


def check_home_url(url: str) -> str:
    """'' when `url` can start a crawl, else what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"--home takes a site's address, such as https://www.example.gov.cn/ (not {url!r})"
    return ""


def home_site_line(site) -> str:
    """What a crawl from a home URL will treat as the site: its name, its root and the hosts it may
    fetch from, inferred, so a user sees at once what will and will not be followed."""
    return (f"{site.name}: a site from its home URL {site.roots[0]}; allowed hosts: "
            f"{', '.join(site.allowed_domains)} and their sub-domains (inferred from the URL; not verified live)")
