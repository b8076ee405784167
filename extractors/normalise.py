"""Any table → budget lines. Placeholder until the normaliser lands."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Normalised:
    lines: list[dict] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)


def normalise(extraction, meta, document_id, url=""):
    return Normalised()
