"""Property-based tests: whatever text or bytes arrive, the parsers either return a result or raise
the project's own error (NumberError, ExtractionError), never anything else.

Example counts stay moderate so the suite is fast; FUZZ_EXAMPLES=1000 runs the slow ones longer."""
from __future__ import annotations

import importlib
import importlib.util
import io
import os
import posixpath
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from badinputs import small_docx, small_xlsx
from extractors import limits, names, registry
from extractors.archive import extract as unpack
from extractors.detect import detect_format
from extractors.model import Extraction, ExtractionError
from extractors.numbers import NumberError, clean, is_amount, parse_amount, to_fen

QUICK = settings(max_examples=200, deadline=None)
SLOW = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What amounts on disclosure pages are made of, plus the odd stray character.
AMOUNT_ALPHABET = "0123456789,.-()（）０１２３４５６７８９．，－＋+ \u00a0—…/万元合计e"
amount_texts = st.text(alphabet=AMOUNT_ALPHABET, max_size=20) | st.text(max_size=20)


@QUICK
@given(amount_texts)
def test_an_amount_parses_or_raises_number_error(text):
    try:
        value = parse_amount(text)
    except NumberError:
        assert not is_amount(text)
        return
    assert value is None or isinstance(value, Decimal)
    if value is not None:
        assert value.is_finite()


@QUICK
@given(amount_texts)
def test_is_amount_agrees_with_parse_amount(text):
    if is_amount(text):
        assert isinstance(parse_amount(text), Decimal)


@QUICK
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2), st.booleans())
def test_printed_amounts_read_back_exactly(amount, thousands):
    printed = f"{amount:,.2f}" if thousands else f"{amount:.2f}"
    assert parse_amount(printed) == amount


@QUICK
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=Decimal("-1e12"),
                   max_value=Decimal("1e12")), st.sampled_from(["元", "万元", "亿元"]))
def test_fen_is_exact_or_a_number_error(amount, unit):
    try:
        fen = to_fen(amount, unit)
    except NumberError:
        return
    assert isinstance(fen, int)
    assert Decimal(fen) == amount * {"元": 100, "万元": 1000000, "亿元": 10000000000}[unit]


@QUICK
@given(st.text(max_size=30))
def test_clean_never_raises_and_is_idempotent(text):
    assert clean(clean(text)) == clean(text)


# --- format sniffing and container checks --------------------------------------------------------

@QUICK
@given(st.binary(max_size=4096), st.sampled_from(["a.pdf", "b.xlsx", "c.xls", "d.doc", "e.docx", "f.zip",
                                                   "g.html", "h.txt", "i", ""]))
def test_detect_format_names_a_format_with_a_reader_for_any_bytes(data, name):
    assert detect_format(data, name) in set(registry.EXTRACTORS) | {"unknown"}


def _mutations():
    packages = [small_xlsx(), small_docx()]
    return st.tuples(st.sampled_from(packages), st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)),
                                                          max_size=12), st.integers(0, 10 ** 6))


@SLOW
@given(_mutations())
def test_office_package_checks_accept_or_raise_extraction_error(mutation):
    package, flips, cut = mutation
    data = bytearray(package)
    for position, value in flips:
        data[position % len(data)] = value
    data = bytes(data[: max(cut, 30)])
    try:
        limits.check_office_package(data, "fuzz.xlsx")
    except ExtractionError:
        pass


@SLOW
@given(st.binary(max_size=2048))
def test_archive_check_accepts_or_raises_extraction_error(tail):
    try:
        limits.open_container(b"PK\x03\x04" + tail, "fuzz.zip")
    except ExtractionError:
        pass


# --- names from outside ---------------------------------------------------------------------------

@QUICK
@given(st.text(max_size=300) | st.lists(st.sampled_from(["..", ".", "", "/", "\\", "C:", "a", "预算", "\x00", " "]),
                                         max_size=12).map("".join))
def test_a_safe_member_name_is_relative_plain_and_short(name):
    safe = names.safe_member_name(name)
    assert safe and not safe.startswith("/") and "\\" not in safe and len(safe) <= 180
    assert ".." not in safe.split("/") and "" not in safe.split("/")
    assert not any(ord(c) < 32 for c in safe)
    assert posixpath.normpath(safe) == safe
    assert names.safe_member_name(safe) == safe


_member_names = (st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
                 | st.sampled_from(["../a.pdf", "a.pdf", "/a.pdf", "a\\..\\a.pdf", "", "..", "C:a.pdf", "a:b.pdf"]))


def _a_file(name: str) -> bool:
    """A name a ZIP stores as a file (not a folder) that the archive reader does not skip as junk."""
    stored = name.split("\0", 1)[0]
    return not stored.endswith("/") and not any(junk in stored for junk in ("__MACOSX/", ".DS_Store", "Thumbs.db",
                                                                            "desktop.ini"))


@QUICK
@given(st.lists(_member_names.filter(_a_file), max_size=20))
def test_archive_members_leave_with_unique_safe_names(member_names):
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as archive:
        warnings.simplefilter("ignore")  # "Duplicate name": archives do hold them
        for number, name in enumerate(member_names):
            archive.writestr(zipfile.ZipInfo(name), f"member {number}")
    children = unpack(out.getvalue(), "fuzz.zip").children
    safe = [name for name, _ in children]
    assert len(safe) == len(member_names) and len(set(safe)) == len(safe)
    assert [data for _, data in children] == [f"member {n}".encode() for n in range(len(member_names))]
    for name in safe:
        assert names.safe_member_name(name) == name


@QUICK
@given(st.text(max_size=100))
def test_safe_join_never_leaves_the_root(name):
    root = Path("/srv/data").resolve()
    target = names.safe_join(root, name)
    assert target == root or root in target.parents


# --- extractors: any input gives an Extraction or an ExtractionError ------------------------------

def _extractor(module: str):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} has not landed yet")
    return importlib.import_module(module).extract

CELL_TEXT = st.sampled_from(["", "合计", "科目编码", "201", "2010101", "一般公共服务支出", "1,207.84", "-", "（一）",
                             "单位：万元", "表1", "2026年", "&nbsp;", "<b>3</b>", "项目支出", "12.3.4"])
SPAN = st.sampled_from(["", ' colspan="2"', ' rowspan="3"', ' colspan="0"', ' rowspan="-1"', ' colspan="abc"',
                        ' colspan="99999"', ' rowspan="65534"', ' colspan="2.5"'])
CELL = st.builds(lambda tag, span, text, close: f"<{tag}{span}>{text}" + (f"</{tag}>" if close else ""),
                 st.sampled_from(["td", "th"]), SPAN, CELL_TEXT, st.booleans())
ROW = st.builds(lambda cells, close: "<tr>" + "".join(cells) + ("</tr>" if close else ""),
                st.lists(CELL, max_size=6), st.booleans())
TABLE = st.builds(lambda rows, title: f"<p>{title}</p><table>{''.join(rows)}</table>",
                  st.lists(ROW, max_size=8), CELL_TEXT)
PAGE = st.builds(lambda head, tables, tail: head + "".join(tables) + tail,
                 st.sampled_from(['<html><head><meta charset="utf-8"><title>2026年部门预算</title></head><body>',
                                  "<table>", "", '<meta charset="gb2312">']),
                 st.lists(TABLE, max_size=3), st.sampled_from(["</body></html>", "</table></table>", "", "<td>"]))


@SLOW
@given(PAGE, st.sampled_from(["utf-8", "gb18030"]))
def test_html_tables_extract_or_raise_extraction_error(page, encoding):
    extract = _extractor("extractors.html")
    try:
        result = extract(page.encode(encoding), "page.html")
    except ExtractionError:
        return
    assert isinstance(result, Extraction)
    for table in result.tables:
        assert all(len(row) == table.width for row in table.header + table.rows)


TEXTDUMP_LINE = st.one_of(
    CELL_TEXT.map(lambda t: t + " |"), st.just("|"), st.just("||||"), CELL_TEXT,
    st.sampled_from(["附件1", "附件2", "重庆市潼南区财政局2026年部门预算公开", "单位:万元", "一、本年收入 |"]),
    st.text(max_size=30),
)


@SLOW
@given(st.lists(TEXTDUMP_LINE, max_size=60).map("\n".join), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_text_dumps_extract_or_raise_extraction_error(text, encoding):
    extract = _extractor("extractors.textdump")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    try:
        result = extract(data, "dump.txt")
    except ExtractionError:
        return
    assert isinstance(result, Extraction)


@SLOW
@given(st.binary(max_size=3000))
def test_text_dump_of_random_bytes_extracts_or_raises_extraction_error(data):
    extract = _extractor("extractors.textdump")
    try:
        extract(data, "dump.txt")
    except ExtractionError:
        pass


def test_the_fuzzed_packages_are_real_office_files():
    for package in (small_xlsx(), small_docx()):
        assert zipfile.ZipFile(io.BytesIO(package)).testzip() is None
        limits.check_office_package(package, "real.xlsx")


def _pdf_mutations():
    from badinputs import text_pdf

    pdf = text_pdf(["Budget 2026", "Total 1207.84"])
    return st.tuples(st.just(pdf), st.lists(st.tuples(st.integers(0, 10 ** 5), st.integers(0, 255)), max_size=8),
                     st.integers(9, 10 ** 5))


@SLOW
@given(_pdf_mutations())
def test_damaged_pdfs_extract_or_raise_extraction_error(mutation):
    extract = _extractor("extractors.pdf")
    pdf, flips, cut = mutation
    data = bytearray(pdf)
    for position, value in flips:
        data[position % len(data)] = value
    try:
        result = extract(bytes(data[:cut]), "damaged.pdf")
    except ExtractionError:
        return
    assert isinstance(result, Extraction)


def test_a_damaged_pdf_that_fails_again_as_it_closes_still_gives_an_extraction_error():
    """A font dictionary broken by one byte: pdfplumber fails reading the page, and again while
    closing it; the reader's own error must reach the caller, not the second failure."""
    from badinputs import text_pdf

    data = bytearray(text_pdf(["Budget 2026", "Total 1207.84"]))
    for position, value in [(998, 0), (5670, 1)]:
        data[position % len(data)] = value
    with pytest.raises(ExtractionError):
        _extractor("extractors.pdf")(bytes(data[:602]), "damaged.pdf")


OFFICE = st.sampled_from([("extractors.spreadsheet", "damaged.xlsx", small_xlsx()),
                           ("extractors.wordprocessing", "damaged.docx", small_docx())])


@SLOW
@given(OFFICE, st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1, max_size=6),
       st.none() | st.integers(30, 10 ** 6))
def test_damaged_office_files_extract_or_raise_extraction_error(office, flips, cut):
    module, name, package = office
    extract = _extractor(module)
    data = bytearray(package)
    for position, value in flips:
        data[position % len(data)] = value
    try:
        result = extract(bytes(data[:cut]), name)
    except ExtractionError:
        return
    assert isinstance(result, Extraction)
