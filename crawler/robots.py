"""robots.txt as RFC 9309 reads it: a server error for /robots.txt means "disallow everything".

Scrapy parses whatever body a 5xx answer carries — usually an error page, so nothing is
disallowed and a site that is failing gets crawled harder. Here a 5xx robots.txt blocks the
whole host for this crawl (the next crawl asks again, RFC 9309 §2.3.1.3).
"""
from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)
ROBOTS_UNAVAILABLE_STAT = "budgets/robots_unavailable"  # '<host>/robots.txt answered HTTP 503', one per host


class DisallowAll(RobotParser):
    def __init__(self, status: int):
        self.status = status

    @classmethod
    def from_crawler(cls, crawler, robotstxt_body):  # pragma: no cover - built directly
        return cls(503)

    def allowed(self, url, user_agent) -> bool:
        return False


class ServerErrorRobotsMiddleware(RobotsTxtMiddleware):
    async def _parse_robots(self, response, netloc, request) -> None:
        if response.status < 500:
            await super()._parse_robots(response, netloc, request)
            return
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        self._stats.inc_value("robotstxt/server_error_disallow_all")
        unavailable = self._stats.get_value(ROBOTS_UNAVAILABLE_STAT) or []
        self._stats.set_value(ROBOTS_UNAVAILABLE_STAT, [*unavailable, f"{netloc}/robots.txt answered HTTP {response.status}"])
        logger.warning("%s answered %s for robots.txt: treating the site as disallowed (RFC 9309)",
                       netloc, response.status)
        parser = DisallowAll(response.status)
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        waiting.callback(parser)
