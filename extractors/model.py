"""The one table model every format produces.

An extractor turns a document's bytes into an ``Extraction``: its title, its tables and its
narrative. A table is a grid: header rows and body rows of equal width, merged cells repeated
into every column they cover, empty cells as ``''``. Whatever the format, the normaliser only
ever sees this grid.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Unplaced:
    """A cell the extractor saw but could not put in a column with certainty."""

    row_index: int
    text: str
    candidates: list[str]
    reason: str


@dataclass
class Table:
    title: str
    header: list[list[str]]
    rows: list[list[str]]
    unit: str | None = None  # '万元' | '元' | None when the table does not say
    page: int | None = None
    index: int = 0  # position of the table in its document, from 0
    label: str = ""  # what the document numbers it: 附件2, 表1, 公开03表 ...
    source_rows: list[str] = field(default_factory=list)  # each body row as printed
    notes: list[str] = field(default_factory=list)  # remarks printed with the table
    issuer: str = ""  # the department its caption names: '部门（单位）：某局  单位：万元'
    unplaced: list[Unplaced] = field(default_factory=list)

    @property
    def width(self) -> int:
        lengths = [len(r) for r in self.header + self.rows]
        return max(lengths, default=0)

    def column_paths(self) -> list[tuple[str, ...]]:
        """Each column's header labels from top to bottom, repeats of a merged cell folded."""
        paths = []
        for col in range(self.width):
            path: list[str] = []
            for row in self.header:
                label = row[col].strip() if col < len(row) else ""
                if label and (not path or path[-1] != label):
                    path.append(label)
            paths.append(tuple(path))
        return paths


@dataclass
class Paragraph:
    text: str
    page: int | None = None


@dataclass
class Extraction:
    """What one document yields."""

    title: str = ""
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    status: str = "ok"  # ok | partial | failed | needs_ocr | unsupported
    error: str = ""
    pages: int | None = None
    children: list[tuple[str, bytes]] = field(default_factory=list)  # (name, bytes) of ZIP members
    page_readers: dict[str, int] = field(default_factory=dict)  # PDF pages read per reader (pdfium, pdfplumber)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


class ExtractionError(Exception):
    """A document could not be read; the message says what and what to do."""

    def __init__(self, message: str, status: str = "failed"):
        super().__init__(message)
        self.status = status
