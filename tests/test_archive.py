"""ZIP archives → member files ingested one by one, safely."""
import io
import zipfile
from pathlib import Path

import pytest

from budgets.pipeline import Source, ingest_bytes
from extractors.archive import extract
from extractors.names import member_name
from extractors.limits import MB, LimitExceeded, Limits
from extractors.model import ExtractionError

RENDITIONS = Path(__file__).parent / "fixtures" / "renditions"
BASENAME = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"


class GbkName(zipfile.ZipInfo):
    """A member name stored as GBK bytes without the UTF-8 flag, as Chinese Windows writes it."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


class RawUtf8Name(zipfile.ZipInfo):
    """A UTF-8 name without the UTF-8 flag (some Linux and macOS tools)."""

    def _encodeFilenameFlags(self):  # noqa: N802
        return self.filename.encode("utf-8"), self.flag_bits & ~0x800


def make_zip(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for member in members:
            name, data = member[:2]
            info = member[2](name) if len(member) > 2 else zipfile.ZipInfo(name)
            info.compress_type = compression
            archive.writestr(info, data)
    return out.getvalue()


def names(result):
    return [name for name, _ in result.children]


def test_gbk_member_names_without_the_utf8_flag_are_decoded():
    data = make_zip([("2026年预算/附件1 财政拨款收支总表.xlsx", b"x", GbkName)])
    assert names(extract(data, "a.zip")) == ["2026年预算/附件1 财政拨款收支总表.xlsx"]


def test_utf8_member_names_with_or_without_the_flag_are_kept():
    data = make_zip([("说明.docx", b"x"), ("附件.xlsx", b"y", RawUtf8Name)])
    assert names(extract(data, "a.zip")) == ["说明.docx", "附件.xlsx"]


def test_plain_ascii_names_are_left_alone():
    info = zipfile.ZipInfo("Budget 2026.xlsx")
    assert member_name(info) == "Budget 2026.xlsx"


@pytest.mark.parametrize("stored, safe", [
    ("../../etc/passwd", "etc/passwd"),
    ("/etc/cron.d/job", "etc/cron.d/job"),
    ("C:\\Windows\\system.ini", "Windows/system.ini"),
    ("a/./b/../c.xlsx", "a/b/c.xlsx"),
    ("..\\..\\附件1.xls", "附件1.xls"),
    ("ok/name\x07.xls", "ok/name_.xls"),  # control characters, ':' and device names as extractors.names says
    ("2026:附件1.xls", "2026_附件1.xls"),
    ("CON.xls", "_CON.xls"),
])
def test_member_paths_cannot_point_outside_the_archive(stored, safe):
    assert names(extract(make_zip([(stored, b"x")]), "a.zip")) == [safe]


def test_traversal_names_arrive_sanitised_and_distinct():
    data = make_zip([("../附件1.xlsx", b"1"), ("附件1.xlsx", b"2"), ("./..", b"3")])
    assert names(extract(data, "a.zip")) == ["附件1.xlsx", "附件1-2.xlsx", "member-3"]


def test_folders_and_macos_resource_forks_are_not_members():
    data = make_zip([("预算/", b""), ("预算/附件1.xlsx", b"1"), ("__MACOSX/预算/._附件1.xlsx", b"junk"),
                     ("预算/.DS_Store", b"junk")])
    assert names(extract(data, "a.zip")) == ["预算/附件1.xlsx"]


def test_a_zip_bomb_small_on_disk_is_refused_before_inflating():
    bomb = make_zip([("附件1.xlsx", b"\0" * (50 * MB))])
    assert len(bomb) < 100_000
    with pytest.raises(LimitExceeded, match="inflates .* times its compressed size .*zip bomb"):
        extract(bomb, "bomb.zip")


def test_total_inflated_size_is_limited_across_members():
    data = make_zip([(f"附件{n}.txt", bytes(range(256)) * 400) for n in range(5)], zipfile.ZIP_STORED)
    with pytest.raises(LimitExceeded, match="inflates to more than"):
        extract(data, "big.zip", limits=Limits(max_total_bytes=300_000))


def test_member_count_is_limited():
    data = make_zip([(f"{n}.txt", b"x") for n in range(6)])
    with pytest.raises(LimitExceeded, match="holds 6 files, above the limit of 5"):
        extract(data, "many.zip", limits=Limits(max_members=5))


def test_nested_zips_are_opened_in_place_with_their_path():
    inner = make_zip([("附件2.xlsx", b"2")])
    data = make_zip([("附件1.xlsx", b"1"), ("更多附件.zip", inner)])
    result = extract(data, "a.zip")
    assert result.status == "ok"
    assert result.children == [("附件1.xlsx", b"1"), ("更多附件.zip/附件2.xlsx", b"2")]


def test_nesting_beyond_the_depth_limit_is_reported_not_followed():
    level3 = make_zip([("deep.txt", b"x")])
    level2 = make_zip([("l3.zip", level3)])
    level1 = make_zip([("l2.zip", level2), ("ok.txt", b"y")])
    result = extract(level1, "a.zip", limits=Limits(max_depth=1))
    assert names(result) == ["ok.txt"]
    assert result.status == "partial"
    assert "l2.zip/l3.zip is a ZIP nested deeper than 1 levels" in result.error


def test_limits_count_nested_members_too():
    inner = make_zip([(f"{n}.txt", b"x") for n in range(4)])
    data = make_zip([("a.txt", b"x"), ("inner.zip", inner)])
    with pytest.raises(LimitExceeded, match="holds 6 files"):
        extract(data, "a.zip", limits=Limits(max_members=5))


def test_an_empty_archive_is_partial_and_says_so():
    result = extract(make_zip([]), "empty.zip")
    assert (result.status, result.error) == ("partial", "empty.zip holds no files")


def test_bytes_that_are_not_a_zip_raise_a_clear_error():
    with pytest.raises(ExtractionError, match="not a readable ZIP archive"):
        extract(b"PK\x03\x04garbage", "bad.zip")


def test_seed_archive_members_are_ingested_as_documents_of_their_own(tmp_db):
    data = (RENDITIONS / f"{BASENAME}.zip").read_bytes()
    parent = ingest_bytes(tmp_db, data, Source(filename=f"{BASENAME}.zip", url="http://127.0.0.1/x.zip"))
    children = list(tmp_db.query(
        "select url, format, status, fiscal_year, district, tables from documents "
        "where parent_id = ? order by format desc", [parent["id"]]))
    assert parent["format"] == "zip" and parent["status"] == "ok"
    assert [(c["format"], c["status"], c["fiscal_year"], c["district"], c["tables"]) for c in children] == [
        ("xlsx", "ok", 2026, "重庆市潼南区", 14),
        ("docx", "ok", 2026, "重庆市潼南区", 14),
    ]
    assert children[0]["url"] == f"http://127.0.0.1/x.zip#{BASENAME}/附件1-12 部门预算公开表.xlsx"


def test_limits_can_be_raised_for_a_run_from_the_environment():
    from extractors.limits import from_environment

    limits = from_environment({"BUDGETS_ZIP_MAX_MB": "500", "BUDGETS_ZIP_MAX_RATIO": "5000"})
    assert (limits.max_total_bytes, limits.max_ratio, limits.max_members) == (500 * MB, 5000, 2000)
    bomb = make_zip([("附件1.xlsx", b"\0" * (5 * MB))])
    assert names(extract(bomb, "big.zip", limits=limits)) == ["附件1.xlsx"]
    with pytest.raises(ValueError, match="BUDGETS_ZIP_MAX_MB='lots' is not a number"):
        from_environment({"BUDGETS_ZIP_MAX_MB": "lots"})


def test_members_whose_own_titles_lack_the_year_take_it_from_the_archive(tmp_db):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["部门收入总表"])  # no department, no year: the archive's name has them
    sheet.append(["科目编码", "科目名称", "总计"])
    sheet.append(["合计", "", 1207.84])
    out = io.BytesIO()
    book.save(out)
    data = make_zip([("附件7.xlsx", out.getvalue(), GbkName)])
    parent = ingest_bytes(tmp_db, data, Source(filename="重庆市潼南区大数据应用发展管理局2026年部门预算公开.zip"))
    child = next(tmp_db.query("select fiscal_year, district, stage from documents where parent_id = ?",
                              [parent["id"]]))
    assert child == {"fiscal_year": 2026, "district": "重庆市潼南区", "stage": "budget"}


def test_an_unreadable_inner_zip_is_a_failed_member_and_its_siblings_are_kept(tmp_db):
    """A year's bundle whose inner 更多附件.zip was cut short by the uploader (it begins like a ZIP
    and ends after a few bytes): the good members are read, the inner ZIP is a document of its
    own whose row says it failed and why, and the bundle is partial, naming it."""
    cut_short = make_zip([("附件2.xlsx", b"2" * 4000)])[:60]
    data = make_zip([("附件1.txt", "单位：万元".encode()), ("更多附件.zip", cut_short), ("附件3.txt", b"3")])
    result = extract(data, "bundle.zip")
    assert names(result) == ["附件1.txt", "更多附件.zip", "附件3.txt"]
    assert result.status == "partial" and "更多附件.zip could not be opened" in result.error

    parent = ingest_bytes(tmp_db, data, Source(filename="bundle.zip", url="http://127.0.0.1/bundle.zip"))
    assert parent["status"] == "partial"
    members = {r["url"]: r for r in tmp_db.query("select url, status, error from documents where parent_id = ?",
                                                 [parent["id"]])}
    assert set(members) == {f"http://127.0.0.1/bundle.zip#{n}" for n in ("附件1.txt", "更多附件.zip", "附件3.txt")}
    bad = members["http://127.0.0.1/bundle.zip#更多附件.zip"]
    assert bad["status"] == "failed" and "not a readable ZIP archive" in bad["error"]


def test_an_encrypted_part_of_an_office_package_is_a_worded_refusal():
    """An XLSX whose workbook part carries the encryption flag (a password-protected or damaged
    package): refused as encrypted, not a RuntimeError from zipfile."""
    from extractors.limits import check_office_package

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(out.getvalue())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set bit 0 of the flags of every xl/workbook.xml header
        start = 0
        while (at := data.find(header, start)) >= 0:
            flags = at + (6 if header == b"PK\x03\x04" else 8)
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if data[name_at:name_at + 15] == b"xl/workbook.xml":
                data[flags] |= 1
            start = at + 4
    with pytest.raises(ExtractionError, match="xl/workbook.xml' is encrypted") as raised:
        check_office_package(bytes(data), "locked.xlsx")
    assert raised.value.status == "unsupported"
