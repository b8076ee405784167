"""PDF disclosures → the table model.

Every page is read once (`pdf_page`: PDFium by default, pdfplumber for the pages PDFium cannot
give, chosen per page and counted): its ruled cells become grids
(`pdf_grid`), the text lines (`pdf_lines`) outside the grids give each table its title, label
(表1 / 公开01表 / 附件N), unit (单位：元 / 单位：万元) and notes through the framing stage, tables
running over pages are joined (`pdf_join`), and what is left is the narrative (`pdf_narrative`).
Every tolerance is in `pdf_settings.PdfSettings`. A page without a text layer is reported,
never guessed at.
"""
from __future__ import annotations


from extractors import pdf_ocr, pdf_refs, text_quality
from extractors.model import Extraction, ExtractionError, Paragraph
from extractors.pdf_camelot import better_reading
from extractors.pdf_join import (  # noqa: F401 (public)
    join_tables, label_of, realign, title_of, unit_of, unplaced_by_page, unruled_continuations,
)
from extractors.pdf_lines import Line, squeeze, text_lines  # noqa: F401 (public)
from extractors.pdf_narrative import _title_from_filename, document_title, paragraphs_of
from extractors.pdf_page import PageTable, read_page, reading_order_score, upright_page  # noqa: F401
from extractors.pdf_page import PdfPages
from extractors.pdf_settings import SETTINGS, PdfSettings  # noqa: F401 (public)

TABLE_SETTINGS = SETTINGS.table_settings()  # kept for code that reads the old name
pdf_refs.guard()  # a reference to itself fails at once instead of looping until the time limit


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
            cycle = _cause(exc, pdf_refs.ReferenceCycle)
            if cycle is not None:
                raise ExtractionError(f"{filename or 'the PDF'} is not a readable PDF: {cycle}") from exc
            raise ExtractionError(f"{filename or 'PDF'}: could not be read ({type(exc).__name__}: {exc})") from exc


def _cause(exc: BaseException, kind: type) -> BaseException | None:
    """`exc` or the first exception of `kind` it wraps (pdfplumber wraps pdfminer's errors)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, kind):
            return e
        todo.extend([e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))])
    return None


def _open_error(exc: Exception, filename: str) -> str:
    name = filename or "the PDF"
    cycle = _cause(exc, pdf_refs.ReferenceCycle)
    if cycle is not None:
        return f"{name} is not a readable PDF: {cycle}"
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
    blank: list[int] = []  # pages with neither text nor an image
    read_by_ocr: list[int] = []
    printed: dict[int, list[str]] = {}  # every text of the layer, page by page, for its plausibility
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
        elif not found and not lines:
            blank.append(number)  # has_text without a word: no image either
        if number not in read_by_ocr:
            printed[number] = [line.text for line in lines] + [
                cell for table in found for row in table.layout.header + table.layout.rows for cell in row]
        if number == 1:
            first_lines = lines
        used: set[int] = set()
        for table in found:
            used.update(id(line) for line in table.above + table.below)
        page_tables.extend(found)
        narrative.append((number, [line for line in lines if id(line) not in used]))
        page.flush_cache()
    if len(blank) == n_pages:
        return Extraction(
            title=_title_from_filename(filename), status="failed", pages=n_pages,
            error=f"no text and no image on any page ({n_pages} pages): nothing to read; "
                  "its text may be drawn as outlines",
        )
    if textless and len(textless) + len(blank) == n_pages:
        return Extraction(
            title=_title_from_filename(filename), status="needs_ocr", pages=n_pages,
            error=f"none of the {n_pages} pages has a text layer (a scan); OCR is needed",
        )
    why = text_quality.garbled(text_quality.measure("\n".join(t for texts in printed.values() for t in texts)))
    if why and not read_by_ocr:
        return Extraction(
            title=_title_from_filename(filename), status="needs_ocr", pages=n_pages,
            error=f"the text layer is garbled: {why}; its tables and text are not loaded, OCR is needed",
        )
    page_tables, narrative, uncut = unruled_continuations(page_tables, narrative)
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
    garbled_pages = {n: text_quality.garbled(text_quality.measure("\n".join(texts))) for n, texts in printed.items()}
    garbled_pages = {n: why for n, why in garbled_pages.items() if why}
    if garbled_pages:
        first = min(garbled_pages)
        several = len(garbled_pages) > 1
        problems.append(f"page{'s' if several else ''} {', '.join(map(str, sorted(garbled_pages)))} "
                        f"{'have' if several else 'has'} a garbled text layer "
                        f"(page {first}: {garbled_pages[first]}); what they print needs OCR")
    problems.extend(uncut)
    problems.extend(unplaced_by_page(tables))
    if problems:
        extraction.status = "partial"
        extraction.error = "; ".join(problems)
    return extraction
