"""Every page of the shared corpus PDFium reads, as `read_page` sees it: its rules without the
filled cell backgrounds (`_is_fill`)."""
from __future__ import annotations

from collections.abc import Iterator

from conftest import CORPUS
from extractors import pdf_pdfium
from extractors.pdf_page import _is_fill


def ruled_pdfium_pages() -> Iterator[tuple[str, int, object]]:
    """(document name, page number from 1, the page without fills) for every corpus page PDFium
    reads; pages it leaves to pdfplumber are skipped."""
    for path in sorted(CORPUS.rglob("*.pdf")):
        document = pdf_pdfium.open_document(path.read_bytes())
        try:
            for index in range(len(document)):
                page = pdf_pdfium.read_pdfium_page(document, index)
                if page is not None:
                    yield path.name, index + 1, page.filter(lambda obj: not _is_fill(obj))
        finally:
            document.close()
