"""The same page reads the same in every format.

One table, captioned several ways, is written as a real HTML page, XLSX workbook (openpyxl),
DOCX document (python-docx) and PDF (LibreOffice's rendering of that DOCX, as district offices
print their Word files), read by the real readers and normalised: title, label, unit, kind and
every budget line (amount in 分, measure, year, subject code) must be the same for all four,
and the amounts must be what the page prints in the unit it states.

The grid imitates the seed's 附件2 (重庆市潼南区 2026 budget, tests/fixtures/seed): the
一般公共预算财政拨款支出预算表 with 功能分类科目 over 科目编码/科目名称, 2025年预算数 merged down
two header rows, 2026年预算数 over 总计/基本支出/项目支出, a 合计 row, then 类/款/项 rows. The
captions are the variants real templates print: 附件2-1 (重庆 sub-attachments), 表1-2, 公开表一
and 公开03表 (江苏 and 上海), the unit with and without spaces, before a full-width or a half-width
colon, as a bare '（元）' in the grid's top-right cell and on a '部门（单位）：… 单位：万元' row.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from extractors import html, pdf, spreadsheet, wordprocessing
from extractors.normalise import normalise
from extractors.titles import parse_title

pytestmark = pytest.mark.slow  # starts processes

DOCUMENT = "重庆市某区某局2026年部门预算"
TITLE = "重庆市某区某局一般公共预算财政拨款支出预算表"
HEADER = [
    ["功能分类科目", "功能分类科目", "2025年预算数", "2026年预算数", "2026年预算数", "2026年预算数"],
    ["科目编码", "科目名称", "2025年预算数", "总计", "基本支出", "项目支出"],
]
BODY = [
    ["合计", "合计", "1,786.48", "2,207.84", "404.68", "1,803.16"],
    ["208", "社会保障和就业支出", "33.70", "52.84", "52.84", ""],
    ["20805", "行政事业单位养老支出", "33.70", "52.84", "52.84", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "20.70", "31.68", "31.68", ""],
    ["213", "农林水支出", "1,752.78", "2,155.00", "351.84", "1,803.16"],
]

# (name, lines printed above the table, rows printed inside its frame above the header,
#  header rows, expected label, expected unit)
VARIANTS = [
    ("unit-plain", ["附件2-1", TITLE, "单位：万元"], [], HEADER, "附件2-1", "万元"),
    ("unit-space-before-fullwidth-colon", ["表1-2", TITLE, "单位 ：元"], [], HEADER, "表1-2", "元"),
    ("unit-halfwidth-colon-spaced", ["公开表一", TITLE, "单位 : 万元"], [], HEADER, "公开表一", "万元"),
    ("unit-in-corner-cell", ["公开03表", TITLE], [],
     [[""] * 5 + ["（元）"]] + HEADER, "公开03表", "元"),
    ("preparer-and-unit-row", ["附件2-1", TITLE], [["部门（单位）：重庆市某区某局"] * 3 + ["单位：万元"] * 3],
     HEADER, "附件2-1", "万元"),
]
FORMATS = ["html", "xlsx", "docx", "pdf"]


def spans(rows: list[list[str]]) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) for caption and header rows: runs of one label merged,
    as the seed's header cells are."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if (r, c) in taken:
                continue
            w = 1
            while c + w < len(row) and row[c + w] == text and text:
                w += 1
            h = 1
            while r + h < len(rows) and text and all(rows[r + h][k] == text for k in range(c, c + w)) \
                    and (c == 0 or rows[r + h][c - 1] != text) and (c + w == len(row) or rows[r + h][c + w] != text):
                h += 1
            for dr in range(h):
                for dc in range(w):
                    taken.add((r + dr, c + dc))
            out.append((r, c, h, w, text))
    return out


def build_html(above, frame_rows, header) -> bytes:
    merged = frame_rows + header
    cells: dict[int, list[str]] = {}
    for r, c, h, w, text in spans(merged):
        cells.setdefault(r, []).append(f'<td rowspan="{h}" colspan="{w}">{text}</td>')
    rows = ["<tr>" + "".join(cells.get(r, [])) + "</tr>" for r in range(len(merged))]
    rows += ["<tr>" + "".join(f"<td>{t or '&nbsp;'}</td>" for t in row) + "</tr>" for row in BODY]
    paragraphs = "".join(f"<p>{line}</p>" for line in above)
    page = (f"<html><head><meta charset='utf-8'><title>{DOCUMENT}</title></head><body><h1>{DOCUMENT}</h1>"
            f"<p>一、部门基本情况</p>{paragraphs}<table border='1'>{''.join(rows)}</table></body></html>")
    return page.encode("utf-8")


def build_xlsx(above, frame_rows, header) -> bytes:
    """A sheet as finance offices fill it: the caption lines in merged rows over the table."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件"
    width = len(BODY[0])
    for r, line in enumerate(above, 1):
        sheet.cell(r, 1, line)
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    top = len(above) + 1
    merged = frame_rows + header
    for r, c, h, w, text in spans(merged):
        sheet.cell(top + r, c + 1, text or None)
        if h > 1 or w > 1:
            sheet.merge_cells(start_row=top + r, start_column=c + 1, end_row=top + r + h - 1, end_column=c + w)
    for r, row in enumerate(BODY, top + len(merged)):
        for c, text in enumerate(row, 1):
            sheet.cell(r, c, text or None)  # amounts as printed text, as many offices type them
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_docx(above, frame_rows, header) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph(DOCUMENT)
    document.add_paragraph("一、部门基本情况")
    for line in above:
        document.add_paragraph(line)
    merged = frame_rows + header
    table = document.add_table(rows=len(merged) + len(BODY), cols=len(BODY[0]))
    table.style = "Table Grid"
    for r, c, h, w, text in spans(merged):
        cell = table.cell(r, c)
        if h > 1 or w > 1:
            cell = cell.merge(table.cell(r + h - 1, c + w - 1))
        cell.text = text
    for r, row in enumerate(BODY, len(merged)):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
        paths = []
        for name, data in documents.items():
            path = Path(tmp) / f"{name}.docx"
            path.write_bytes(data)
            paths.append(str(path))
        subprocess.run([soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", tmp, *paths],
                       check=True, capture_output=True, timeout=240)
        return {name: (Path(tmp) / f"{name}.pdf").read_bytes() for name in documents}


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], bytes]:
    out = {}
    for name, above, frame_rows, header, _, _ in VARIANTS:
        out[(name, "html")] = build_html(above, frame_rows, header)
        out[(name, "xlsx")] = build_xlsx(above, frame_rows, header)
        out[(name, "docx")] = build_docx(above, frame_rows, header)
    if shutil.which("soffice") or shutil.which("libreoffice"):
        pdfs = docx_to_pdf({name: out[(name, "docx")] for name, *_ in VARIANTS})
        out.update({(name, "pdf"): data for name, data in pdfs.items()})
    return out


READERS = {
    "html": html.extract,
    "xlsx": spreadsheet.extract,
    "docx": wordprocessing.extract,
    "pdf": lambda data, name: pdf.extract(data, name, second_opinion=False),
}


def read(documents, variant: str, fmt: str):
    if (variant, fmt) not in documents:
        pytest.skip("LibreOffice (soffice) is needed to print the DOCX as a PDF")
    extraction = READERS[fmt](documents[(variant, fmt)], f"{DOCUMENT}.{fmt}")
    normalised = normalise(extraction, parse_title(DOCUMENT), f"{fmt}-{variant}".ljust(16, "0"))
    tables = [t for t in normalised.tables if t["lines"]]
    assert len(tables) == 1, f"{fmt}: {[t['title'] for t in normalised.tables]}"
    table = {k: tables[0][k] for k in ("title", "label", "unit", "table_kind")}
    lines = sorted((l["subject_code"], l["item"], l["measure"], l["year"], l["basis"], l["amount_fen"])
                   for l in normalised.lines)
    return table, lines


def expected_lines(unit: str) -> list[tuple]:
    """The lines the page prints, computed from BODY by hand rules: 1 万元 = 1,000,000 分, 1 元 = 100 分."""
    fen_per = {"万元": 1_000_000, "元": 100}[unit]
    columns = [(2025, "total"), (2026, "total"), (2026, "basic"), (2026, "project")]
    out = []
    for row in BODY:
        code = "" if row[0] == "合计" else row[0]
        item = "合计" if row[0] == "合计" else ""
        for (year, measure), text in zip(columns, row[2:]):
            if text:
                out.append((code, item, measure, year, "budget", int(Decimal(text.replace(",", "")) * fen_per)))
    return sorted(out)


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reads_title_label_unit_kind_and_lines_as_printed(documents, variant, fmt):
    _, _, _, _, label, unit = next(v for v in VARIANTS if v[0] == variant)
    table, lines = read(documents, variant, fmt)
    assert table == {"title": TITLE, "label": label, "unit": unit, "table_kind": "general_budget_expenditure"}
    assert lines == expected_lines(unit)


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
def test_all_formats_agree(documents, variant):
    readings = {fmt: read(documents, variant, fmt) for fmt in FORMATS if (variant, fmt) in documents}
    first = readings["html"]
    assert all(reading == first for reading in readings.values()), {f: r[0] for f, r in readings.items()}


def test_an_html_caption_with_a_space_before_the_full_width_colon_is_read_as_yuan(documents):
    """The bug this file was written for: '单位 ：元' was missed on HTML pages, the normaliser fell
    back to 万元 and 1,786.48 元 was stored as 1,786.48 万元."""
    table, lines = read(documents, "unit-space-before-fullwidth-colon", "html")
    assert table["unit"] == "元"
    total = next(l for l in lines if l[1] == "合计" and l[3] == 2025)
    assert total[-1] == 178_648  # 1,786.48 元 in 分
