"""The seed rewritten as XLSX, XLS, DOCX, DOC and ZIP reads back as the same tables and the
same budget lines, whatever the format."""
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from budgets.pipeline import Source, ingest_bytes
from extractors.archive import extract as extract_zip
from extractors.detect import detect_format
from extractors.numbers import is_amount
from extractors.registry import extract

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
SEED_HTML = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"
RENDITIONS = ROOT / "tests" / "fixtures" / "renditions"
BASENAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"
FORMATS = ["xlsx", "xls", "docx", "doc"]
# The DOC goes through LibreOffice (seconds per file); test_wordprocessing checks that it reads
# as the DOCX, so the checks here that repeat for every format leave it out.
READ_BACK = ["xlsx", "xls", "docx"]
REGENERATE = "the renditions no longer match how the seed is read: run python scripts/render_seed.py"


def rendition(ext: str) -> bytes:
    return (RENDITIONS / f"{BASENAME}.{ext}").read_bytes()


def comparable(table):
    """A table's content with what formats may print differently folded: trailing empty
    columns, and '20.70' versus '20.7' (XLS keeps no number formats)."""
    def cells(rows):
        out = []
        for row in rows:
            row = [str(Decimal(c).normalize()) if is_amount(c) and "." in c else c for c in row]
            while row and row[-1] == "":
                row.pop()
            out.append(row)
        return out
    return (table.label, table.title, table.unit, cells(table.header), cells(table.rows))


@pytest.fixture(scope="module")
def seed_tables():
    return [comparable(t) for t in extract(SEED_HTML.read_bytes(), "html", SEED_HTML.name).tables]


def read(ext: str):
    data = rendition(ext)
    return extract(data, detect_format(data, f"{BASENAME}.{ext}"), f"{BASENAME}.{ext}")


@pytest.mark.parametrize("ext", FORMATS)
def test_rendition_is_detected_as_its_format(ext):
    assert detect_format(rendition(ext), f"{BASENAME}.{ext}") == ext


@pytest.mark.parametrize("ext", READ_BACK)
def test_rendition_reads_back_as_the_seed_tables(ext, seed_tables):
    result = read(ext)
    assert result.status == "ok", result.error
    assert [comparable(t) for t in result.tables] == seed_tables, REGENERATE


def test_zip_rendition_holds_the_xlsx_under_a_gbk_name_and_the_docx():
    members = dict(extract_zip(rendition("zip"), f"{BASENAME}.zip").children)
    assert members == {
        f"{BASENAME}/附件1-12 部门预算公开表.xlsx": rendition("xlsx"),
        f"{BASENAME}/{BASENAME}.docx": rendition("docx"),
    }


def test_seed_figures_survive_every_rendition():
    """Figures read straight off the seed text dump, whatever any reader makes of them."""
    text = SEED.read_text(encoding="utf-8")
    for ext in ["xlsx", "docx"]:
        tables = {t.label: t for t in read(ext).tables}
        assert tables["附件2"].rows[0][2:] == ["786.48", "1207.84", "404.68", "803.16"]
        assert tables["附件3"].unit == "万元"
        assert ["2150599", "其他工业和信息产业支出", "500", "803.16", "", "803.16"] in tables["附件2"].rows
        assert "|\n2150599 |\n其他工业和信息产业支出 |\n500 |\n803.16 |\n803.16 |" in text


# --- the same budget lines through the one pipeline -------------------------------------------

LINE_KEY = "table_kind, subject_code, measure, year, amount_fen"


def lines_of(db, document_id):
    rows = db.execute(f"select {LINE_KEY} from budget_lines where document_id in "
                      "(select id from documents where id = ? or parent_id = ?)",
                      [document_id, document_id]).fetchall()
    return Counter(tuple(r) for r in rows)


@pytest.fixture(scope="module")
def seed_lines(tmp_path_factory):
    """The lines of the faithful HTML rendering of the seed."""
    from budgets import db as database

    db = database.connect(tmp_path_factory.mktemp("seed") / "budgets.db")
    document = ingest_bytes(db, SEED_HTML.read_bytes(), Source(filename=SEED_HTML.name))
    lines = lines_of(db.conn, document["id"])
    assert sum(lines.values()) > 200
    return lines


@pytest.mark.parametrize("ext", READ_BACK + ["zip"])
def test_rendition_loads_the_same_budget_lines_as_the_html_rendering(ext, seed_lines, tmp_db):
    document = ingest_bytes(tmp_db, rendition(ext), Source(filename=f"{BASENAME}.{ext}"))
    lines = lines_of(tmp_db.conn, document["id"])
    if ext == "zip":  # the XLSX and the DOCX inside each carry every line once
        lines = Counter({key: n // 2 for key, n in lines.items()})
    assert lines == seed_lines


def test_docx_narrative_is_the_html_rendering_narrative():
    html = extract(SEED_HTML.read_bytes(), "html", SEED_HTML.name)
    assert [p.text for p in read("docx").paragraphs] == [p.text for p in html.paragraphs]
