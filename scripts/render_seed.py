#!/usr/bin/env python3
"""Write the seed disclosure the way finance offices export it: XLSX, XLS, DOCX, DOC and ZIP.

    python scripts/render_seed.py [--source PATH] [--out tests/fixtures/renditions]

The tables come from the seed's faithful HTML rendering when there is one (or any file the
registry reads, via --source), else from the seed text dump. Each table is written as the
offices do: the XLSX has one sheet per table with the 附件 label, a merged title row, the unit
row (单位：万元) and header cells merged over two or three rows; the DOCX puts each table under
its 附件 caption with merged header cells (gridSpan / vMerge), after the narrative. LibreOffice
(soffice, with the Calc and Writer components) turns those into legacy XLS and DOC, and a ZIP
bundles them with a GBK-encoded member name, as Chinese Windows archivers write it.
"""
from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.detect import detect_format  # noqa: E402
from extractors.model import Extraction, ExtractionError, Table  # noqa: E402
from extractors.numbers import is_amount  # noqa: E402
from extractors.registry import extract  # noqa: E402

SEED_TEXT = ROOT.parent / "shared" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
DOCUMENT_TITLE = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
BASENAME = DOCUMENT_TITLE
FONT = "宋体"
# Fixed timestamps keep the files byte-identical from one run to the next.
FIXED_TIME = (2026, 1, 20, 9, 0, 0)


def load_seed(source: Path | None) -> tuple[Extraction, Path]:
    candidates = [source] if source else [SEED_HTML, SEED_TEXT]
    for path in candidates:
        if path and path.exists():
            data = path.read_bytes()
            try:
                extraction = extract(data, detect_format(data, path.name), path.name)
            except ExtractionError as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                continue
            if extraction.tables:
                return extraction, path
    raise SystemExit("no rendering of the seed could be read; pass --source PATH")


# --- where merged cells were ------------------------------------------------------------------

def merge_rectangles(rows: list[list[str]], body: bool = False) -> list[tuple[int, int, int, int]]:
    """(row0, col0, row1, col1) of each run of one non-empty text repeated across or down the
    rows: the grid repeats a merged cell into every cell it covered, so repeats are merges.
    In the body only labels merge ('合计' over 科目编码 and 科目名称); equal amounts side by side
    (总计 = 基本支出) are separate cells."""
    covered: set[tuple[int, int]] = set()
    rects = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if not text or (r, c) in covered or (body and is_amount(text)):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == text and (r, c1 + 1) not in covered:
                c1 += 1
            r1 = r
            while r1 + 1 < len(rows) and all(rows[r1 + 1][k] == text for k in range(c, c1 + 1)) \
                    and not any((r1 + 1, k) in covered for k in range(c, c1 + 1)):
                r1 += 1
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    covered.add((rr, cc))
            if (r1, c1) != (r, c):
                rects.append((r, c, r1, c1))
    return rects


def code_columns(table: Table) -> set[int]:
    return {i for i, path in enumerate(table.column_paths())
            if any(("编码" in label or "代码" in label or "序号" in label) for label in path)}


def number_and_format(text: str) -> tuple[float, str] | None:
    """'20.70' → (20.7, '0.00'): the number and the format that prints it back as '20.70'."""
    if not is_amount(text) or "," in text or text.strip().startswith(("(", "+")):
        return None
    value = Decimal(text.strip())
    decimals = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
    return float(value), "0" if not decimals else "0." + "0" * decimals


# --- XLSX ---------------------------------------------------------------------------------------

def sheet_name(table: Table, used: set) -> str:
    base = (table.label or f"Sheet{table.index + 1}")[:28]
    for ch in "[]:*?/\\":
        base = base.replace(ch, "")
    name, n = base, 2
    while name in used:
        name, n = f"{base} ({n})", n + 1
    used.add(name)
    return name


def write_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = Workbook()
    book.remove(book.active)
    used: set = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table, used))
        width = max(table.width, 1)
        r = 1
        if table.label:
            sheet.cell(r, 1, table.label).font = Font(name=FONT, size=10)
            r += 1
        sheet.cell(r, 1, table.title).font = Font(name=FONT, size=16, bold=True)
        sheet.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
        if width > 1:
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        sheet.row_dimensions[r].height = 30
        r += 1
        if table.unit:
            cell = sheet.cell(r, width, f"单位：{table.unit}")
            cell.font = Font(name=FONT, size=10)
            cell.alignment = Alignment(horizontal="right")
            r += 1
        top = r
        codes = code_columns(table)
        header = [row + [""] * (width - len(row)) for row in table.header]
        for i, row in enumerate(header):
            for c, text in enumerate(row):
                cell = sheet.cell(top + i, c + 1, text or None)
                cell.font = Font(name=FONT, size=10, bold=True)
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.border = border
        body_top = top + len(header)
        body = [row + [""] * (width - len(row)) for row in table.rows]
        for i, row in enumerate(body):
            for c, text in enumerate(row):
                number = None if c in codes else number_and_format(text)
                cell = sheet.cell(body_top + i, c + 1, number[0] if number else (text or None))
                if number:
                    cell.number_format = number[1]
                cell.font = Font(name=FONT, size=10)
                cell.alignment = Alignment(vertical="center", wrap_text=True)
                cell.border = border
        for first, rects in ((top, merge_rectangles(header)), (body_top, merge_rectangles(body, body=True))):
            for r0, c0, r1, c1 in rects:
                sheet.merge_cells(start_row=first + r0, start_column=c0 + 1,
                                  end_row=first + r1, end_column=c1 + 1)
        r = body_top + len(table.rows)
        for note in table.notes:
            sheet.cell(r, 1, note).font = Font(name=FONT, size=10)
            r += 1
        for c in range(1, width + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 14
        sheet.column_dimensions["B"].width = 30 if width > 1 else 14
        sheet.page_setup.orientation = "landscape" if width > 6 else "portrait"
        sheet.sheet_properties.pageSetUpPr.fitToPage = True  # one page wide, as printed
        sheet.page_setup.fitToHeight = 0
    book.properties.title = DOCUMENT_TITLE
    book.properties.creator = "重庆市潼南区大数据应用发展管理局"
    import datetime as dt

    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    out = io.BytesIO()
    book.save(out)
    return normalise_zip_times(out.getvalue())


# --- DOCX ---------------------------------------------------------------------------------------

def _cjk(run_or_style) -> None:
    from docx.oxml.ns import qn

    run_or_style.font.name = FONT
    rpr = run_or_style.element.get_or_add_rPr() if hasattr(run_or_style.element, "get_or_add_rPr") \
        else run_or_style._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), FONT)


def write_docx(tables: list[Table], narrative: list[str]) -> bytes:
    import datetime as dt

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    _cjk(normal)
    normal.font.size = Pt(10.5)
    document.add_heading(DOCUMENT_TITLE, level=0)
    for text in narrative:
        if text != DOCUMENT_TITLE:
            document.add_paragraph(text)
    for table in tables:
        document.add_page_break()
        if table.label:
            document.add_paragraph(table.label)
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(table.title)
        run.bold = True
        run.font.size = Pt(14)
        if table.unit:
            unit = document.add_paragraph(f"单位：{table.unit}")
            unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        width = max(table.width, 1)
        header = [row + [""] * (width - len(row)) for row in table.header]
        body = [row + [""] * (width - len(row)) for row in table.rows]
        grid = document.add_table(rows=len(header) + len(body), cols=width)
        grid.style = "Table Grid"
        rows = header + body
        rects = merge_rectangles(header) + [
            (r0 + len(header), c0, r1 + len(header), c1)
            for r0, c0, r1, c1 in merge_rectangles(body, body=True)]
        covered = {(r, c) for r0, c0, r1, c1 in rects for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            cells = grid.rows[r].cells
            for c, text in enumerate(row):
                if (r, c) not in covered:
                    cells[c].text = text
        for r0, c0, r1, c1 in rects:
            merged = grid.cell(r0, c0).merge(grid.cell(r1, c1))
            merged.text = rows[r0][c0]
        for note in table.notes:
            document.add_paragraph(note)
    document.add_paragraph()  # Word wants a paragraph after a closing table
    props = document.core_properties
    props.title = DOCUMENT_TITLE
    props.author = "重庆市潼南区大数据应用发展管理局"
    props.created = props.modified = dt.datetime(*FIXED_TIME)
    props.last_modified_by = ""
    out = io.BytesIO()
    document.save(out)
    return normalise_zip_times(out.getvalue())


# --- legacy formats and the archive -------------------------------------------------------------

def convert(data: bytes, suffix: str, target: str) -> bytes:
    """A file converted by LibreOffice: xlsx → xls, docx → doc."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"document{suffix}"
        source.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
             "--norestore", "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(source)],
            check=True, capture_output=True, timeout=180,
        )
        return (Path(tmp) / "out" / f"document.{target.split(':')[0]}").read_bytes()


class GbkName(zipfile.ZipInfo):
    """A member whose name is stored as GBK bytes without the UTF-8 flag."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def write_zip(members: list[tuple[str, bytes, bool]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, gbk in members:
            info = (GbkName if gbk else zipfile.ZipInfo)(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # MS-DOS, as Windows archivers write
            archive.writestr(info, data)
    return out.getvalue()


def normalise_zip_times(data: bytes) -> bytes:
    """The same container with fixed member timestamps, so renders are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            copy.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-20T09:00:00Z", data)
            archive.writestr(copy, data)
    return out.getvalue()


def narrative_of(extraction: Extraction) -> list[str]:
    if extraction.paragraphs:
        return [p.text for p in extraction.paragraphs]
    lines = []
    for line in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        if line.startswith("附件"):
            break
        lines.append(line.strip())
    return [line for line in lines if line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="a rendering of the seed to read the tables from")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "renditions")
    parser.add_argument("--no-legacy", action="store_true", help="skip the LibreOffice XLS/DOC conversions")
    args = parser.parse_args(argv)
    extraction, source = load_seed(args.source)
    tables = extraction.tables
    args.out.mkdir(parents=True, exist_ok=True)
    xlsx = write_xlsx(tables)
    docx_bytes = write_docx(tables, narrative_of(extraction))
    files = {f"{BASENAME}.xlsx": xlsx, f"{BASENAME}.docx": docx_bytes}
    if not args.no_legacy:
        files[f"{BASENAME}.xls"] = convert(xlsx, ".xlsx", "xls")
        files[f"{BASENAME}.doc"] = convert(docx_bytes, ".docx", "doc")
    files[f"{BASENAME}.zip"] = write_zip([
        (f"{BASENAME}/附件1-12 部门预算公开表.xlsx", xlsx, True),
        (f"{BASENAME}/{BASENAME}.docx", docx_bytes, False),
    ])
    for name, data in files.items():
        (args.out / name).write_bytes(data)
        print(f"{len(data):>8} bytes  {name}")
    print(f"{len(tables)} tables from {source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
