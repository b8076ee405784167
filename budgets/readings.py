"""One document read, ready to load, and loading it: what `budgets.pipeline` makes of bytes and
`budgets.writebehind` holds until it loads many together (neither imports the other for it)."""
from __future__ import annotations

from dataclasses import dataclass, field

from budgets import db as database


@dataclass
class Reading:
    """What the extractors made of one document's bytes, ready to load: its row, its lines and
    the rest, and the readings of its members (ZIP)."""

    document: dict
    lines: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    children: list = field(default_factory=list)


def load_reading(db, reading: Reading) -> dict:
    """Members first, the archive last: a document's row is there only once all of it is, so
    a run killed half-way through an archive reads it again next time."""
    with database.batch(db):  # one batch (unless the caller has one open), a SAVEPOINT per document
        for child in reading.children:
            load_reading(db, child)
        database.load_document(db, reading.document, reading.lines, reading.paragraphs, reading.tables,
                               reading.unplaced)
    return reading.document
