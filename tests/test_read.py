"""One way in for bytes: `extractors.read_document` decides what a file is from its bytes, refuses
what is too large or unsafe to open with a sentence that names the file, reads the rest with the
format's reader, and hands back archive members under safe, distinct names.

Inputs are the project's renditions of the real 潼南 2026 disclosure (tests/fixtures/renditions),
the faithful HTML rendering of that page (tests/fixtures/seed), and the rebuilt error pages,
bombs and archives of tests/badinputs.py (each says which real file it imitates).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from badinputs import (CHINESE_ERROR_PAGE, ERROR_PAGE, LOGIN_PAGE, bomb_xlsx, entity_bomb_xlsx,
                       scanned_table_image, text_pdf, zip_of)
from budgets.pipeline import Source, ingest_bytes
from extractors import limits, read_document, registry
from extractors.detect import detect_format
from extractors.limits import MB, LimitExceeded, Limits
from extractors.model import ExtractionError
from test_archive import GbkName, make_zip

ROOT = Path(__file__).resolve().parents[1]
RENDITIONS = ROOT / "tests" / "fixtures" / "renditions"
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
BASENAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
# The labels the seed disclosure prints over its tables (its two 绩效目标 tables carry none).
SEED_LABELS = [f"附件{n}" for n in range(1, 12)] + ["附件12-1"]


def rendition(ext: str) -> bytes:
    return (RENDITIONS / f"{BASENAME}.{ext}").read_bytes()


def labels(extraction) -> list[str]:
    return [table.label for table in extraction.tables if table.label]


@pytest.fixture
def small_limits(monkeypatch):
    """Replace the run's limits (what BUDGETS_* would set) with the ones a test names."""
    def use(**changes):
        monkeypatch.setattr(limits, "DEFAULT", Limits(**changes))
    return use


# --- the format is in the bytes, not the name ------------------------------------------------------

@pytest.mark.parametrize("ext, name", [
    ("xlsx", f"{BASENAME}.xls"),   # an XLSX saved under the old extension
    ("xls", f"{BASENAME}.xlsx"),   # and the other way round
    ("xls", f"{BASENAME}.et"),     # WPS's spreadsheet name for an Excel 97 file
    ("docx", f"{BASENAME}.doc"),
    ("xlsx", "download.do"),       # a site's download script, no file name at all
])
def test_a_mislabelled_file_is_read_as_what_its_bytes_are(ext, name):
    assert labels(read_document(rendition(ext), name)) == SEED_LABELS


def test_an_html_page_saved_as_text_is_read_as_html():
    assert labels(read_document(SEED_HTML.read_bytes(), f"{BASENAME}.txt")) == SEED_LABELS


def test_a_pdf_named_as_a_spreadsheet_is_read_as_a_pdf():
    extraction = read_document(text_pdf(["Budget 2026", "Total 1207.84"]), "附件3.xls")
    assert (extraction.status, extraction.pages) == ("ok", 1) and "1207.84" in extraction.text


@pytest.mark.parametrize("name, fmt", [("附件.doc", "doc"), ("附件.wps", "doc"), ("附件.xls", "xls"),
                                       ("附件.et", "xls"), ("附件", "xls")])
def test_the_name_only_decides_what_the_bytes_cannot(name, fmt):
    """Excel 97, Word 97 and WPS files are all OLE2 compound files: only the name tells them apart."""
    assert detect_format(rendition("xls"), name) == fmt


def test_the_content_type_decides_for_bytes_without_magic_or_name():
    text = "重庆市潼南区大数据应用发展管理局2026年部门预算公开\n单位：万元\n".encode()
    assert detect_format(text, "", "text/plain; charset=utf-8") == "textdump"
    assert detect_format(text, "", None) == "unknown"


# --- an HTML page under a binary file's name -------------------------------------------------------

@pytest.mark.parametrize("name, page, heading", [
    ("附件1.pdf", ERROR_PAGE, "404 Not Found"),
    ("附件1.xlsx", CHINESE_ERROR_PAGE, "系统提示"),
    ("附件1.docx", LOGIN_PAGE, "统一身份认证平台"),
    ("附件1.zip", ERROR_PAGE, "404 Not Found"),
    ("附件1.xls", ERROR_PAGE, "404 Not Found"),  # read as HTML first (see below): no table, so an error page
])
def test_an_error_page_saved_under_a_binary_name_is_refused_with_its_heading(name, page, heading):
    with pytest.raises(ExtractionError) as caught:
        read_document(page, name)
    ext = name.rsplit(".", 1)[1]
    assert str(caught.value).startswith(f"{name} is named .{ext} but holds an HTML page titled '{heading}', "
                                        "not the file")
    assert caught.value.status == "failed"


@pytest.mark.parametrize("name", [f"{BASENAME}.xls", f"{BASENAME}.doc"])
def test_html_tables_exported_as_xls_or_doc_are_read_as_html(name):
    """Old report systems write an HTML table and call it .xls (or .doc) so Excel opens it."""
    assert labels(read_document(SEED_HTML.read_bytes(), name)) == SEED_LABELS


# --- what this tool does not read ------------------------------------------------------------------

@pytest.mark.parametrize("name, data, status, says", [
    ("附件1.pdf", b"", "failed", "附件1.pdf is empty (0 bytes); the download failed: fetch it again"),
    ("附件.rar", b"Rar!\x1a\x07\x01\x00" + bytes(200), "unsupported",
     "附件.rar is a RAR archive, which this tool does not read; unpack it and ingest the folder"),
    ("附件1.jpg", scanned_table_image("JPEG"), "needs_ocr",
     "附件1.jpg is a JPEG image, which this tool does not read; its tables need OCR"),
    ("附件1.xlsx", bytes(range(256)) * 4, "failed",
     "附件1.xlsx is named .xlsx but its bytes are not a XLSX file nor any format this tool reads "
     "(they start 00 01 02 03 04 05 06 07)"),
    ("附件1", bytes(range(256)) * 4, "unsupported",
     "附件1 is not a format this tool reads (its bytes start 00 01 02 03 04 05 06 07)"),
])
def test_bytes_no_reader_takes_get_a_worded_refusal(name, data, status, says):
    with pytest.raises(ExtractionError) as caught:
        read_document(data, name)
    assert caught.value.status == status
    assert str(caught.value).startswith(says)


def test_a_readers_error_is_given_the_file_name_on_one_line():
    undecodable = bytes(range(0x80, 0x100)) * 40  # neither UTF-8 nor GB18030
    with pytest.raises(ExtractionError) as caught:
        read_document(undecodable, "附件.txt")
    assert str(caught.value).startswith("附件.txt: ") and "\n" not in str(caught.value)


def test_a_reader_that_breaks_is_reported_as_a_bug_with_the_file(monkeypatch):
    def broken(data, fmt, filename=""):
        raise KeyError("合计")
    monkeypatch.setattr(registry, "extract", broken)
    with pytest.raises(ExtractionError, match=r"^KeyError while reading 附件.html as html: '合计' \(a bug"):
        read_document(ERROR_PAGE, "附件.html")


# --- sizes and containers ------------------------------------------------------------------------

def test_a_document_over_the_size_limit_is_refused_before_any_reader(small_limits, monkeypatch):
    data = rendition("xls")
    small_limits(max_document_bytes=40_000)
    monkeypatch.setattr(registry, "extract", lambda *a: pytest.fail("a reader was called"))
    with pytest.raises(LimitExceeded) as caught:
        read_document(data, "附件.xls")
    assert str(caught.value) == (f"附件.xls is {len(data) / 1024:.1f} KB, larger than the 39.1 KB limit for one "
                                 "document; raise BUDGETS_MAX_DOCUMENT_MB if it is a real disclosure")


def test_an_archive_with_more_members_than_allowed_is_refused(small_limits):
    small_limits(max_members=1)
    with pytest.raises(LimitExceeded, match=r"^a\.zip holds 2 files, above the limit of 1 \(BUDGETS_ZIP_MAX_MEMBERS\)$"):
        read_document(rendition("zip"), "a.zip")


def test_the_inflated_size_limit_names_the_member_as_its_author_typed_it(small_limits):
    small_limits(max_total_bytes=20_000)  # the first member, the GBK-named XLSX, is 31 KB inflated
    with pytest.raises(LimitExceeded) as caught:
        read_document(rendition("zip"), "a.zip")
    assert str(caught.value) == (f"a.zip inflates to more than 19.5 KB (reached at member '{BASENAME}/附件1-12 "
                                 "部门预算公开表.xlsx'); refused as a possible zip bomb (BUDGETS_ZIP_MAX_MB)")


def test_an_office_file_that_would_inflate_like_a_bomb_is_refused_before_its_reader(monkeypatch):
    monkeypatch.setattr(registry, "extract", lambda *a: pytest.fail("a reader was called"))
    with pytest.raises(LimitExceeded, match=r"^bomb\.xlsx: member 'xl/worksheets/sheet1\.xml' inflates \d+ times "
                                            r"its compressed size \(limit 100, BUDGETS_ZIP_MAX_RATIO\); refused"):
        read_document(bomb_xlsx(32 * MB), "bomb.xlsx")


def test_an_office_file_declaring_entities_is_refused_before_its_reader(monkeypatch):
    monkeypatch.setattr(registry, "extract", lambda *a: pytest.fail("a reader was called"))
    with pytest.raises(ExtractionError, match=r"^entities\.xlsx: part 'xl/sharedStrings\.xml' declares an XML DTD"):
        read_document(entity_bomb_xlsx(), "entities.xlsx")


@pytest.mark.parametrize("ext", ["xlsx", "docx", "zip"])
def test_a_container_cut_short_says_it_is_damaged(ext):
    data = rendition(ext)
    with pytest.raises(ExtractionError) as caught:
        read_document(data[: len(data) // 2], f"附件.{ext}")
    assert str(caught.value).startswith(f"附件.{ext} is not a readable ZIP archive (")
    assert str(caught.value).endswith("): it is damaged or the download was cut short; fetch it again")


# --- archive members: safe and distinct names -------------------------------------------------------

def test_archive_members_come_out_decoded_safe_and_distinct():
    first, second, third = (f"<html><body><table><tr><td>{n}</td></tr></table></body></html>".encode()
                            for n in ("一", "二", "三"))
    inner = zip_of([("附件1.html", third)])
    data = make_zip([(name, member, GbkName) for name, member in [
        ("2026年预算/附件1.html", first), ("2026年预算\\附件1.html", second), ("../附件1.html", first),
        ("C:\\附件1.html", second), ("更多附件.zip", inner), ("说明:草稿.html", third), ("说明_草稿.html", first)]])
    assert [name for name, _ in read_document(data, "a.zip").children] == [
        "2026年预算/附件1.html", "2026年预算/附件1-2.html", "附件1.html", "附件1-2.html",
        "更多附件.zip/附件1.html", "说明_草稿.html", "说明_草稿-2.html"]


def test_repeated_member_names_reach_the_database_as_distinct_urls(tmp_db):
    members = [("附件1.xlsx", rendition("xlsx")), ("附件1.xlsx", rendition("xls"))]  # one archive, one name twice
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_of(members)
    parent = ingest_bytes(tmp_db, data, Source(filename=f"{BASENAME}.zip", url="http://127.0.0.1/a.zip"))
    children = list(tmp_db.query("select url, format, tables from documents where parent_id = ? order by url",
                                 [parent["id"]]))
    assert [(c["url"], c["format"]) for c in children] == [
        ("http://127.0.0.1/a.zip#附件1-2.xlsx", "xls"), ("http://127.0.0.1/a.zip#附件1.xlsx", "xlsx")]
