"""PDF disclosures → the table model.

Every page is read once with pdfplumber (`pdf_page`): its ruled cells become grids
(`pdf_grid`), the text lines (`pdf_lines`) outside the grids give each table its title, label
(表1 / 公开01表 / 附件N), unit (单位：元 / 单位：万元) and notes through the framing stage, tables
running over pages are joined (`pdf_join`), and what is left is the narrative (`pdf_narrative`).
Every tolerance is in `pdf_settings.PdfSettings`. A page without a text layer is reported,
never guessed at.
"""
from __future__ import annotations

import io

from extractors import pdf_ocr
from extractors.model import Extraction, ExtractionError, Paragraph
from extractors.pdf_camelot import better_reading
from extractors.pdf_join import join_tables, label_of, realign, title_of, unit_of  # noqa: F401 (public)
from extractors.pdf_lines import Line, squeeze, text_lines  # noqa: F401 (public)
from extractors.pdf_narrative import _title_from_filename, document_title, paragraphs_of
from extractors.pdf_page import PageTable, read_page, reading_order_score, upright_page  # noqa: F401
from extractors.pdf_page import PdfPages
from extractors.pdf_settings import SETTINGS, PdfSettings  # noqa: F401 (public)

TABLE_SETTINGS = SETTINGS.table_settings()  # kept for code that reads the old name


def extract(data: bytes, filename: str = "", *, second_opinion: bool = True, ocr: bool | None = None) -> Extraction:
    """A PDF's bytes → its tables, narrative and title.

    `second_opinion` lets camelot re-read a one-page table whose arithmetic fails, keeping
    camelot's grid only where it agrees better. `ocr` reads pages without a text layer with
    RapidOCR (default: the BUDGETS_OCR environment variable; see extractors.pdf_ocr).
    """
    try:
        import pdfplumber
    except ModuleNotFoundError as exc:  # pragma: no cover - a dependency of the project
        raise ExtractionError(f"pdfplumber is not installed ({exc})") from exc
    try:
        pdf = PdfPages(data)  # PDFium per page, pdfplumber where PDFium cannot give the same
        n_pages = len(pdf.pages)
    except Exception as exc:
        raise ExtractionError(_open_error(exc, filename)) from exc
    with pdf:
        try:
            extraction = _extract_pages(pdf, filename, n_pages, data, second_opinion, pdf_ocr.enabled(ocr))
            extraction.page_readers = pdf.note()
            return extraction
        except ExtractionError:
            raise
        except Exception as exc:
            raise ExtractionError(f"{filename or 'PDF'}: could not be read ({type(exc).__name__}: {exc})") from exc


def _open_error(exc: Exception, filename: str) -> str:
    name = filename or "the PDF"
    chain = [exc, exc.__cause__, exc.__context__, *getattr(exc, "args", ())]
    kinds = " ".join(type(e).__name__ for e in chain if e is not None)
    if "Password" in kinds or "Encrypt" in kinds:
        return f"{name} is encrypted (password protected); ask the publisher for an open copy"
    return f"{name} is not a readable PDF ({type(exc).__name__}: {exc or 'damaged file'})"


def _extract_pages(pdf, filename: str, n_pages: int, data: bytes, second_opinion: bool,
                   ocr: bool) -> Extraction:
    page_tables: list[PageTable] = []
    narrative: list[tuple[int, list[Line]]] = []
    textless: list[int] = []
    read_by_ocr: list[int] = []
    first_lines: list[Line] = []
    ocr = ocr and pdf_ocr.available()
    for number, page in enumerate(pdf.pages, start=1):
        if reading_order_score(page) < SETTINGS.min_reading_order:
            page = upright_page(data, number - 1) or page
        found, lines, has_text = read_page(page, number)
        if not has_text and ocr:
            lines = text_lines(pdf_ocr.ocr_words(data, number - 1))
            read_by_ocr.append(number)
        elif not has_text:
            textless.append(number)
        if number == 1:
            first_lines = lines
        used: set[int] = set()
        for table in found:
            used.update(id(line) for line in table.above + table.below)
        page_tables.extend(found)
        narrative.append((number, [line for line in lines if id(line) not in used]))
        page.flush_cache()
    if len(textless) == n_pages:
        return Extraction(
            title=_title_from_filename(filename), status="needs_ocr", pages=n_pages,
            error=f"none of the {n_pages} pages has a text layer (a scan); OCR is needed",
        )
    tables, spans = join_tables(page_tables)
    if second_opinion:
        for i, table in enumerate(tables):
            if table.rows and len(spans.get(i, {table.page})) == 1:
                rival = better_reading(data, table)
                if rival is not None:
                    tables[i] = rival
    paragraphs = [Paragraph(text, number) for number, lines in narrative for text in paragraphs_of(lines)]
    extraction = Extraction(
        title=document_title(first_lines, filename), tables=tables, paragraphs=paragraphs, pages=n_pages,
    )
    inner = [n for n in textless if n != 1]
    problems = []
    if inner:
        problems.append(f"pages {', '.join(map(str, inner))} have no text layer (scanned); their content is missing")
    if read_by_ocr:
        problems.append(f"pages {', '.join(map(str, read_by_ocr))} were read by OCR: their text is kept, "
                        "their tables are not extracted")
    if problems:
        extraction.status = "partial"
        extraction.error = "; ".join(problems)
    return extraction
