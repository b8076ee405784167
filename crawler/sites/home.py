"""A site from its home URL alone: the link rules of every platform seen, the home page as the
only root, and the allowed hosts inferred from it (the registrable domain, so a department's
sub-sites and its entry on the city portal's host are in). Not verified against the live site."""
from __future__ import annotations

from crawler.links import host_of
from crawler.sites.base import AnyPlatformSite
from crawler.sites.districts import registrable


def site_from_home(url: str, name: str = "", district: str = "") -> AnyPlatformSite:
    domain = registrable(host_of(url))
    attrs = {"name": name or domain, "district": district, "allowed_domains": (domain,), "roots": (url,),
             "source": f"inferred from the home URL {url}; not verified live", "required": ("name", "allowed_domains")}
    return type("HomeSite", (AnyPlatformSite,), attrs)()
