"""What the spider hands to the pipelines: one fetched (or unfetchable) document."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


def now() -> str:
    """UTC, to the second, as every timestamp in the database."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class FetchedDocument:
    url: str
    site: str
    district_hint: str
    title_hint: str  # the link text that pointed here (and, for attachments, the page's title)
    fetched_at: str
    parent_id: str | None = None  # sha256 of the page that linked this attachment
    body: bytes = b""
    id: str = ""  # sha256 of body: the documents.id it will have
    filename: str = ""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""  # set when the fetch failed; then there is no body
    raw_path: str = ""  # set by RawFilesPipeline
