"""DOCX, DOC and WPS documents → narrative and tables with merged cells expanded."""
import io
import shutil
from pathlib import Path

import docx
import pytest

from extractors import wordprocessing
from extractors.detect import detect_format
from extractors.model import ExtractionError
from extractors.registry import extract

RENDITIONS = Path(__file__).parent / "fixtures" / "renditions"
BASENAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (scripts/install.sh) is not installed")


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def three_public_docx() -> bytes:
    """附件4 as a Word table: a code and a name merged down three header rows, year groups
    merged across, 公务用车购置及运行费 merged across its three sub-columns."""
    document = docx.Document()
    document.add_paragraph("重庆市潼南区大数据应用发展管理局2026年部门预算情况说明")
    document.add_paragraph("2026年“三公”经费预算5万元，比2025年减少0.5万元。")
    document.add_paragraph("附件4")
    document.add_paragraph("重庆市潼南区大数据应用发展管理局一般公共预算支出“三公”经费预算表")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=5, cols=7)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "部门编码"
    table.cell(0, 1).merge(table.cell(2, 1)).text = "部门名称"
    table.cell(0, 2).merge(table.cell(0, 6)).text = "2026年预算数"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "总计"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "因公出国(境)费用"
    table.cell(1, 4).merge(table.cell(1, 5)).text = "公务用车购置及运行费"
    table.cell(1, 6).merge(table.cell(2, 6)).text = "公务接待费"
    table.cell(2, 4).text = "公务用车购置费"
    table.cell(2, 5).text = "公务用车运行费"
    for r, row in enumerate([["合计", "", "5", "", "", "2.5", "2.5"],
                             ["741", "大数据发展局", "5", "", "", "2.5", "2.5"]], 3):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("备注：本单位无因公出国(境)费用。")
    document.add_paragraph("六、专业性名词解释")
    return save(document)


def test_vertically_merged_cells_are_repeated_down_the_rows(three_public_docx):
    table = extract(three_public_docx, "docx", "a.docx").tables[0]
    assert [row[0] for row in table.header] == ["部门编码"] * 3
    assert [row[6] for row in table.header] == ["2026年预算数", "公务接待费", "公务接待费"]


def test_horizontally_merged_cells_are_repeated_across_the_columns(three_public_docx):
    table = extract(three_public_docx, "docx", "a.docx").tables[0]
    assert table.header[0][2:] == ["2026年预算数"] * 5
    assert table.column_paths()[4] == ("2026年预算数", "公务用车购置及运行费", "公务用车购置费")
    assert table.rows == [["合计", "", "5", "", "", "2.5", "2.5"],
                          ["741", "大数据发展局", "5", "", "", "2.5", "2.5"]]


def test_paragraphs_before_a_table_caption_it_and_remarks_after_it_are_its_notes(three_public_docx):
    table = extract(three_public_docx, "docx", "a.docx").tables[0]
    assert (table.label, table.unit) == ("附件4", "万元")
    assert table.title == "重庆市潼南区大数据应用发展管理局一般公共预算支出“三公”经费预算表"
    assert table.notes == ["备注：本单位无因公出国(境)费用。"]


def test_body_paragraphs_are_the_narrative_in_reading_order(three_public_docx):
    result = extract(three_public_docx, "docx", "a.docx")
    texts = [p.text for p in result.paragraphs]
    assert texts[1] == "2026年“三公”经费预算5万元，比2025年减少0.5万元。"
    assert texts[-1] == "六、专业性名词解释"
    assert "部门编码" not in texts  # table cells are not narrative
    assert "附件4" not in texts and "单位：万元" not in texts  # nor the table's captions and notes
    assert "备注：本单位无因公出国(境)费用。" not in texts


def test_document_title_is_the_title_property_else_a_heading_else_the_first_paragraph(three_public_docx):
    assert extract(three_public_docx, "docx", "a.docx").title == "重庆市潼南区大数据应用发展管理局2026年部门预算情况说明"
    document = docx.Document(io.BytesIO(three_public_docx))
    document.paragraphs[1].insert_paragraph_before("潼南区2026年部门预算", style="Heading 1")
    assert extract(save(document), "docx", "a.docx").title == "潼南区2026年部门预算"
    document.core_properties.title = BASENAME
    assert extract(save(document), "docx", "a.docx").title == BASENAME


def test_a_table_with_cells_before_its_grid_starts_keeps_columns_aligned():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for c, text in enumerate(["科目编码", "科目名称", "合计"]):
        table.cell(0, c).text = text
    for c, text in enumerate(["208", "社会保障和就业支出", "52.84"]):
        table.cell(1, c).text = text
    row = table.rows[2]._tr  # a row that starts one grid column in (w:gridBefore)
    first = row.tc_lst[0]
    row.remove(first)
    trpr = row.get_or_add_trPr()
    before = trpr.makeelement(wordprocessing.W + "gridBefore", {wordprocessing.W + "val": "1"})
    trpr.append(before)
    row.tc_lst[0].clear_content()
    row.tc_lst[0].add_p().append(_run("就业补助"))
    row.tc_lst[1].clear_content()
    row.tc_lst[1].add_p().append(_run("1.00"))
    grid = extract(save(document), "docx", "g.docx").tables[0]
    assert grid.rows[-1] == ["", "就业补助", "1.00"]


def _run(text):
    from docx.oxml import parse_xml

    return parse_xml(f'<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                     f"<w:t>{text}</w:t></w:r>")


def test_bytes_that_are_not_a_document_raise_a_clear_error():
    with pytest.raises(ExtractionError, match="neither a DOCX nor a DOC/WPS"):
        extract(b"%PDF-1.4", "docx", "x.docx")


# --- the seed rendition ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_docx():
    return extract((RENDITIONS / f"{BASENAME}.docx").read_bytes(), "docx", f"{BASENAME}.docx")


def test_seed_docx_has_every_attachment_and_the_narrative(seed_docx):
    labels = [t.label for t in seed_docx.tables]
    assert labels[:12] == [f"附件{n}" for n in range(1, 12)] + ["附件12-1"]
    assert seed_docx.title == BASENAME
    assert any(p.text.startswith("(一)收入预算:2026年年初预算数1207.84万元") for p in seed_docx.paragraphs)


def test_seed_docx_tables_equal_the_seed_xlsx_tables(seed_docx):
    xlsx = extract((RENDITIONS / f"{BASENAME}.xlsx").read_bytes(), "xlsx", f"{BASENAME}.xlsx")
    assert [(t.label, t.title, t.unit, t.header, t.rows) for t in seed_docx.tables] == \
        [(t.label, t.title, t.unit, t.header, t.rows) for t in xlsx.tables]


# --- legacy DOC / WPS through LibreOffice ------------------------------------------------------

@needs_soffice
def test_legacy_doc_is_converted_and_reads_like_the_docx(seed_docx):
    data = (RENDITIONS / f"{BASENAME}.doc").read_bytes()
    result = extract(data, "doc", f"{BASENAME}.doc")
    assert [(t.label, t.header, t.rows) for t in result.tables] == \
        [(t.label, t.header, t.rows) for t in seed_docx.tables]


def test_without_libreoffice_a_doc_is_unsupported_with_what_to_install(monkeypatch):
    monkeypatch.setattr(wordprocessing.shutil, "which", lambda name: None)
    with pytest.raises(ExtractionError, match="libreoffice-writer-nogui") as raised:
        extract(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "doc", "x.doc")
    assert raised.value.status == "unsupported"


@needs_soffice
def test_a_conversion_that_hangs_is_stopped_at_the_time_limit():
    data = (RENDITIONS / f"{BASENAME}.doc").read_bytes()
    with pytest.raises(ExtractionError, match="took more than"):
        wordprocessing.convert_to_docx(data, "slow.doc", timeout=0.2)


@needs_soffice
def test_a_damaged_doc_is_a_clear_error():
    with pytest.raises(ExtractionError, match="could not convert|not a readable|neither"):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "doc", "broken.doc")


def rtf(text_rows: list[list[str]], before: str) -> bytes:
    """A Rich Text document as WPS saves one under a .doc name: CJK as \\uN escapes."""
    def esc(text):
        return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch)}?" for ch in text)
    rows = "".join(
        "{\\trowd" + "".join(f"\\cellx{2000 * (i + 1)}" for i in range(len(row))) + " "
        + "".join(f"\\intbl {esc(cell)}\\cell " for cell in row) + "\\row}\n"
        for row in text_rows)
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\uc1\n"
            f"{esc(before)}\\par\n{rows}}}").encode("ascii")


@needs_soffice
def test_rich_text_saved_as_doc_is_converted_too():
    data = rtf([["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", "52.84"]],
               before="附件8 部门支出总表")
    assert detect_format(data, "附件8.doc") == "doc"
    result = extract(data, "doc", "附件8.doc")
    table = result.tables[0]
    assert (table.label, table.title) == ("附件8", "部门支出总表")
    assert table.header == [["科目编码", "科目名称", "合计"]]
    assert table.rows == [["208", "社会保障和就业支出", "52.84"]]


def test_password_protected_office_files_are_unsupported_not_failed():
    # the OLE2 directory of an encrypted DOCX/XLSX names an 'EncryptedPackage' stream
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le")
    for fmt, name in (("doc", "secret.doc"), ("xls", "secret.xlsx")):
        with pytest.raises(ExtractionError, match="password-protected") as raised:
            extract(data, fmt, name)
        assert raised.value.status == "unsupported"


def test_tables_inside_a_layout_table_are_read_as_the_page():
    document = docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "附件8"
    cell.add_paragraph("重庆市潼南区大数据应用管理发展局部门支出总表")
    cell.add_paragraph("单位：万元")
    inner = cell.add_table(rows=2, cols=3)
    for c, text in enumerate(["科目编码", "科目名称", "合计"]):
        inner.cell(0, c).text = text
    for c, text in enumerate(["208", "社会保障和就业支出", "52.48"]):
        inner.cell(1, c).text = text
    result = extract(save(document), "docx", "layout.docx")
    assert len(result.tables) == 1
    table = result.tables[0]
    assert (table.label, table.unit) == ("附件8", "万元")
    assert table.title == "重庆市潼南区大数据应用管理发展局部门支出总表"
    assert table.rows == [["208", "社会保障和就业支出", "52.48"]]


def without_core_properties(data: bytes) -> bytes:
    """The same package with docProps/core.xml, its relationship and its content type removed,
    as some converters and hand-made generators save a DOCX."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "docProps/core.xml":
                continue
            content = source.read(item)
            if item.filename == "_rels/.rels":
                content = re.sub(rb'<Relationship [^>]*Target="docProps/core.xml"/>', b"", content)
            elif item.filename == "[Content_Types].xml":
                content = re.sub(rb'<Override PartName="/docProps/core.xml"[^>]*/>', b"", content)
            target.writestr(item, content)
    stripped = out.getvalue()
    assert "docProps/core.xml" not in zipfile.ZipFile(io.BytesIO(stripped)).namelist()
    return stripped


def test_a_docx_without_core_properties_takes_its_title_from_the_text(three_public_docx):
    # Issue 18 #10: python-docx answers "Word Document" for a package without docProps/core.xml.
    data = without_core_properties(three_public_docx)
    assert extract(data, "docx", "a.docx").title == "重庆市潼南区大数据应用发展管理局2026年部门预算情况说明"
    document = docx.Document(io.BytesIO(three_public_docx))
    document.paragraphs[1].insert_paragraph_before("潼南区2026年部门预算", style="Heading 1")
    assert extract(without_core_properties(save(document)), "docx", "a.docx").title == "潼南区2026年部门预算"


def test_the_placeholder_title_word_document_is_not_a_title(three_public_docx):
    document = docx.Document(io.BytesIO(three_public_docx))
    document.core_properties.title = "Word Document"
    assert extract(save(document), "docx", "a.docx").title == "重庆市潼南区大数据应用发展管理局2026年部门预算情况说明"


def test_a_docx_with_only_a_table_and_no_core_properties_is_named_by_its_file():
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "科目编码", "金额"
    table.cell(1, 0).text, table.cell(1, 1).text = "201", "1.00"
    reading = extract(without_core_properties(save(document)), "docx", f"docs/{BASENAME}.docx")
    assert reading.title == BASENAME


def test_an_ingested_docx_without_core_properties_keeps_its_year_and_department(tmp_db, three_public_docx):
    from budgets.pipeline import Source, ingest_bytes

    doc = ingest_bytes(tmp_db, without_core_properties(three_public_docx), Source(filename="附件.docx"))
    assert doc["title"] != "Word Document"
    assert doc["fiscal_year"] == 2026
    assert "大数据应用发展管理局" in (doc["department"] or "")
