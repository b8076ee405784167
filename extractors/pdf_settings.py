"""Every tolerance the PDF reader uses, in one place (as pdfplumber's `TableSettings`).

Distances are PDF points (1/72 inch). The defaults are what the corpus of district PDFs needs;
a template that prints tighter or looser is a new `PdfSettings(...)`, not an edit in the reader.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfSettings:
    # pdfplumber's table finder: tables are ruled; rules this close snap, join and intersect
    snap_tolerance: float = 3
    join_tolerance: float = 3
    intersection_tolerance: float = 3
    # words whose tops differ less than this are on one printed line ...
    line_tolerance: float = 3.0
    # ... and so are words that share at least this share of the shorter one's height (digits
    # set in a smaller size or a lower font box than the Chinese text of their line)
    line_overlap: float = 0.5
    # characters closer than this (horizontally) belong to one word
    x_tolerance: float = 1.5
    # a gap wider than this share of the font size between two words keeps a space between them
    word_gap: float = 0.6
    # an unruled line this close to a table's top or bottom edge is one of its rows
    row_gap: float = 8.0
    # rules closer than this are one rule
    edge_tolerance: float = 2.0
    # a grid column this narrow holds no text of its own (doubled rules make it)
    hairline: float = 8.0
    # two pages' columns are the same when both edges differ by at most this
    same_columns: float = 6.0
    # a filled box at least this thick is a cell background, not a rule
    min_fill: float = 2
    # a page whose text reads left to right less than this share is turned before reading
    min_reading_order: float = 0.5

    def table_settings(self) -> dict:
        """The settings pdfplumber's `find_tables` takes."""
        return {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
        }


SETTINGS = PdfSettings()
