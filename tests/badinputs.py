"""A corpus of bad inputs like the ones government sites serve, generated at test time.

    python tests/badinputs.py OUT_DIR      # write them, then: python -m budgets ingest OUT_DIR

Each input is small on disk (the 2 GB ZIP bomb is 2 MB; the 3 GB file is sparse) and says
which statuses are acceptable and which words its recorded error must contain. Formats whose
extractor is not installed yet may answer 'unsupported'; `reader` names that extractor.
"""
from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from textpdf import write

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
MB = 1024 * 1024
GB = 1024 * MB
BAD = ("failed", "unsupported", "needs_ocr")


@dataclass
class BadInput:
    name: str
    what: str
    data: bytes = b""
    statuses: tuple[str, ...] = BAD
    says: tuple[str, ...] = ()  # words the error must contain (any case), when `reader` can read it
    reader: str = ""  # extractor module the expectation needs, e.g. 'extractors.pdf'
    sparse_size: int = 0  # write a sparse file of this size instead of `data`
    extra: dict = field(default_factory=dict)


def _random(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


def seed_text() -> bytes:
    return SEED.read_bytes()


# --- PDF -----------------------------------------------------------------------------------

def text_pdf(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF with Latin text (no fonts needed)."""
    body = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    content = body.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return write(objects)


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Budget 2026", "Total 1207.84"]))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_table_image(fmt: str) -> bytes:
    """A 'scan': a ruled table drawn as pixels, no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(150, 700, 50):
        draw.line([(80, y), (770, y)], fill=0, width=2)
    for x in (80, 250, 520, 770):
        draw.line([(x, 150), (x, 650)], fill=0, width=2)
    for y in range(165, 650, 50):
        for x in (100, 270, 540):
            draw.rectangle([x, y, x + 90, y + 18], fill=90)  # smudges where digits would be
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, resolution=100)
    return buffer.getvalue()


# --- ZIP, XLSX, DOCX -------------------------------------------------------------------------

def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    """A ZIP whose member names are written exactly as given ('../x', '/etc/x', 'C:\\x')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(name, archive.read(name)) for name in archive.namelist()]


def deflated_zeros(size: int, byte: bytes = b"\0") -> tuple[bytes, int]:
    """Raw deflate data inflating to `size` copies of `byte`, made in milliseconds: after a full
    flush the compressor forgets its history, so every 16 MB block compresses to the same bytes."""
    block = byte * (16 * MB)
    assert size % len(block) == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = unit * (size // len(block)) + compressor.flush()
    crc = 0
    for _ in range(size // len(block)):
        crc = zlib.crc32(block, crc)
    return stream, crc


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP from already-deflated members: (name, deflated, crc, inflated size)."""
    local, central = b"", b""
    for name, deflated, crc, size in members:
        encoded = name.encode("utf-8")
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x5C21, crc,
                             len(deflated), size, len(encoded), 0) + encoded + deflated
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x5C21, crc,
                               len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(local), 0)
    return local + central + end


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def small_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["科目编码", "科目名称", "合计"])
    sheet.append(["201", "一般公共服务支出", 1207.84])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_docx(text: str = "2026年部门预算") -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_members(package: bytes, replacements: dict[str, bytes]) -> bytes:
    members = [(name, replacements.get(name, data)) for name, data in zip_members(package)]
    members += [(name, data) for name, data in replacements.items() if name not in dict(members)]
    return zip_of(members)


BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
).encode()


def entity_bomb_xlsx() -> bytes:
    return replace_members(small_xlsx(), {"xl/sharedStrings.xml": BILLION_LAUGHS})


def xxe_docx() -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return replace_members(small_docx(), {"word/document.xml": document})


def bomb_xlsx(size: int = 2 * GB) -> bytes:
    """A real workbook whose sheet XML inflates to gigabytes of spaces."""
    members = [(name, *_deflate(data)) for name, data in zip_members(small_xlsx())
               if name != "xl/worksheets/sheet1.xml"]
    stream, crc = deflated_zeros(size, b" ")
    return raw_zip(members + [("xl/worksheets/sheet1.xml", stream, crc, size)])


def nested_zip(depth: int, leaf: tuple[str, bytes]) -> bytes:
    data, name = leaf[1], leaf[0]
    for level in range(depth, 0, -1):
        data, name = zip_of([(name, data)]), f"level-{level}.zip"
    return data


def external_links_docx(url: str) -> bytes:
    """A DOCX that links an image, a hyperlink and its template to `url` (TargetMode External)."""
    package = small_docx("预算 see attachment")
    rels = zip_members(package)
    relations = dict(rels)["word/_rels/document.xml.rels"].decode()
    extra = (f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/image" Target="{url}/image.png" TargetMode="External"/>'
             f'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/hyperlink" Target="{url}/link" TargetMode="External"/>'
             f'<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/attachedTemplate" Target="{url}/template.dotm" TargetMode="External"/>')
    relations = relations.replace("</Relationships>", extra + "</Relationships>")
    return replace_members(package, {"word/_rels/document.xml.rels": relations.encode(),
                                     "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really macros"})


def external_links_xlsx(url: str) -> bytes:
    """An XLSX with an external workbook link and a macro part: neither may be followed or run."""
    package = small_xlsx()
    members = dict(zip_members(package))
    relations = members["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>",
        '<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>')
    link = ('<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames>'
            '</externalBook></externalLink>')
    link_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                 'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                 'schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
                 f'Target="{url}/book.xlsx" TargetMode="External"/></Relationships>')
    return replace_members(package, {
        "xl/_rels/workbook.xml.rels": relations.encode(),
        "xl/externalLinks/externalLink1.xml": link.encode(),
        "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels.encode(),
        "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really macros",
    })


def external_links_html(url: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><link rel="stylesheet" href="{url}/style.css">'
            f'<script src="{url}/app.js"></script><title>2026年部门预算</title></head><body>'
            f'<img src="{url}/logo.png"><iframe src="{url}/frame.html"></iframe>'
            f'<table><tr><td>科目编码</td><td>合计</td></tr><tr><td><a href="{url}/more">201</a></td>'
            '<td>1.00</td></tr></table></body></html>').encode()


# --- HTML ----------------------------------------------------------------------------------

ERROR_PAGE = (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found"
              b"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
CHINESE_ERROR_PAGE = ('<!DOCTYPE html><html><head><meta charset="gbk"><title>系统提示</title></head>'
                      "<body><div class=\"error\">您访问的页面不存在或已被删除！</div>"
                      '<a href="/">返回首页</a></body></html>').encode("gbk")


def good_html_table() -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>重庆市潼南区大数据应用发展管理局'
        "2026年部门预算公开</title></head><body><h1>重庆市潼南区大数据应用发展管理局2026年部门预算公开</h1>"
        "<p>表3 一般公共预算财政拨款支出预算表</p><p>单位：万元</p><table border=1>"
        '<tr><td colspan="2">功能分类科目</td><td rowspan="2">2025年执行数</td><td colspan="3">2026年预算数</td></tr>'
        "<tr><td>科目编码</td><td>科目名称</td><td>小计</td><td>基本支出</td><td>项目支出</td></tr>"
        "<tr><td></td><td>合计</td><td>779.09</td><td>1207.84</td><td>404.68</td><td>803.16</td></tr>"
        "<tr><td>208</td><td>社会保障和就业支出</td><td>40.00</td><td>52.84</td><td>52.84</td><td></td></tr>"
        "<tr><td>210</td><td>卫生健康支出</td><td>18.00</td><td>20.70</td><td>20.70</td><td></td></tr>"
        "<tr><td>221</td><td>住房保障支出</td><td>20.00</td><td>23.99</td><td>23.99</td><td></td></tr>"
        "<tr><td>215</td><td>资源勘探工业信息等支出</td><td>701.09</td><td>1110.31</td><td>307.15</td><td>803.16</td></tr>"
        "</table></body></html>"
    ).encode()


def gbk_page_labelled_gb2312() -> bytes:
    """Labelled gb2312, but 镕 喆 堃 珺 exist only in GBK: a strict gb2312 decoder fails or drops them."""
    text = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>重庆市潼南区镕喆堃珺管理局2026年部门预算公开</title></head><body>"
        "<p>表1 部门收支总表</p><p>单位：万元</p><table><tr><td>项目</td><td>预算数</td></tr>"
        "<tr><td>镕喆堃珺专项</td><td>12.50</td></tr><tr><td>合计</td><td>12.50</td></tr></table>"
        "</body></html>"
    )
    return text.encode("gbk")


BROKEN_MARKUP = (
    '<html><head><meta charset="utf-8"><title>2026年部门预算</title><body>'
    "<table><tr><td>科目编码<td>科目名称<td>合计"  # never closed
    '<tr><td rowspan="abc">201<td colspan="-2">一般公共服务支出<td>1,207.84'
    '<tr><td rowspan="0">2010101</td><td colspan="x7">行政运行</td><td>12.3.4</td></tr>'
    "<tr><td><table><tr><td>嵌套表</td></tr></table></td><td></td></tr>"
    "</table></table></td></tr><tr><td>孤立的行</td></tr><td>孤立的格</td></body></html>"
).encode()

TABLE_BOMB = (
    '<html><head><meta charset="utf-8"><title>2026年部门预算</title></head><body><table>'
    '<tr><td colspan="99999" rowspan="65534">合计</td><td colspan="99999">1</td></tr>'
    + '<tr><td colspan="99999">2</td></tr>' * 200 + "</table></body></html>"
).encode()

XHTML_ENTITY_BOMB = (
    '<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + ']>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>2026年部门预算</title></head>'
    "<body><table><tr><td>&j;</td><td>1.00</td></tr></table></body></html>"
).encode()

NEWS_PAGE = (
    '<html><head><meta charset="utf-8"><title>潼南区召开2026年春季农业生产工作会议</title></head><body>'
    "<p>3月12日，区政府召开全区春季农业生产工作会议，部署春耕备耕工作。</p>"
    "<table><tr><td>日期</td><td>最高气温</td><td>最低气温</td></tr><tr><td>3月12日</td><td>18</td>"
    "<td>9</td></tr></table></body></html>"
).encode()

LISTING_PAGE = (
    '<html><head><meta charset="utf-8"><title>部门预算 - 重庆市潼南区人民政府</title></head><body><ul>'
    + "".join(f'<li><a href="/zwgk/{n}.html">潼南区第{n}个部门2026年部门预算公开</a><span>2026-02-0{n % 9 + 1}'
              "</span></li>" for n in range(1, 30))
    + '</ul><div class="page">共5页 <a href="index_1.html">下一页</a></div></body></html>'
).encode()

LOGIN_PAGE = ('<html><head><meta charset="utf-8"><title>统一身份认证平台</title></head><body><form method="post">'
              '<input name="user"><input type="password" name="pwd"><button>登录</button></form>'
              "</body></html>").encode()


# --- the corpus ----------------------------------------------------------------------------

def bad_inputs() -> list[BadInput]:
    pdf = text_pdf(["Budget 2026", "Total 1207.84"] * 20)
    xlsx, docx = small_xlsx(), small_docx()
    many = zip_of([(f"f{n}.txt", b"") for n in range(6000)])
    bomb, bomb_crc = deflated_zeros(2 * GB)
    # Every member's bytes differ from every other input's: the same bytes are the same document.
    traversal_members = [
        ("../../evil-relative.html", good_html_table() + b"<!-- relative -->"),
        ("/tmp/budgets-evil-absolute.html", good_html_table() + b"<!-- absolute -->"),
        ("C:\\Windows\\evil-drive.html", NEWS_PAGE + b"<!-- drive -->"),
        ("..\\..\\evil-backslash.html", NEWS_PAGE + b"<!-- backslash -->"),
        ("good/预算.html", good_html_table() + b"<!-- plain -->"),
    ]
    return [
        BadInput("empty.pdf", "an empty file named .pdf", b"", ("failed",), ("empty",)),
        BadInput("truncated.pdf", "a PDF cut off at 60%", pdf[: len(pdf) * 6 // 10], reader="extractors.pdf"),
        BadInput("garbage-after-header.pdf", "a PDF header followed by random bytes",
                 b"%PDF-1.7\n" + _random(20000, 1), reader="extractors.pdf"),
        BadInput("encrypted.pdf", "a PDF that needs a password to open", encrypted_pdf("secret"),
                 ("failed",), ("password",), reader="extractors.pdf"),
        BadInput("scanned.pdf", "an image-only PDF (a scan, no text layer)", scanned_table_image("PDF"),
                 ("needs_ocr",), ("ocr",), reader="extractors.pdf"),
        BadInput("scan.jpg", "a scanned table as a JPEG", scanned_table_image("JPEG"), ("needs_ocr",), ("ocr",)),
        BadInput("error-page.pdf", "an nginx 404 page saved as .pdf", ERROR_PAGE, ("failed",),
                 ("html", "404 not found")),
        BadInput("error-page.xlsx", "a Chinese error page (GBK) saved as .xlsx", CHINESE_ERROR_PAGE,
                 ("failed",), ("html", "系统提示")),
        BadInput("login-page.docx", "a login form saved as .docx", LOGIN_PAGE, ("failed",), ("html",)),
        BadInput("random.xls", "random bytes named .xls", _random(30000, 2), ("failed",), (".xls", "broken")),
        BadInput("random.xlsx", "random bytes named .xlsx", _random(30000, 3), ("failed",), (".xlsx", "broken")),
        BadInput("random.docx", "random bytes named .docx", _random(30000, 4), ("failed",), (".docx", "broken")),
        BadInput("random-ole.xls", "an OLE2 header followed by random bytes",
                 b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _random(30000, 5), reader="extractors.spreadsheet"),
        BadInput("random-zip.xlsx", "a ZIP signature followed by random bytes",
                 b"PK\x03\x04" + _random(30000, 6), ("failed",), ("damaged",)),
        BadInput("truncated.xlsx", "an XLSX cut in half", xlsx[: len(xlsx) // 2], ("failed",), ("damaged",)),
        BadInput("truncated.docx", "a DOCX cut in half", docx[: len(docx) // 2], ("failed",), ("damaged",)),
        BadInput("entity-bomb.xlsx", "an XLSX whose shared strings are a billion-laughs entity bomb",
                 entity_bomb_xlsx(), ("failed",), ("entit",)),
        BadInput("xxe.docx", "a DOCX with an external entity reading /etc/passwd", xxe_docx(),
                 ("failed",), ("entit",)),
        BadInput("bomb.xlsx", "an XLSX whose sheet inflates to 2 GB", bomb_xlsx(), ("failed",), ("bomb",)),
        BadInput("bomb.zip", "a 2 MB ZIP inflating to 2 GB", raw_zip([("budget.txt", bomb, bomb_crc, 2 * GB)]),
                 ("failed",), ("bomb",)),
        BadInput("many-members.zip", "a ZIP with 6000 members", many, ("failed",), ("6000 files",)),
        BadInput("traversal.zip", "a ZIP with ../, absolute, drive and backslash member names",
                 zip_of(traversal_members), ("ok", "partial", "unsupported"), reader="extractors.archive",
                 extra={"members": [name for name, _ in traversal_members]}),
        BadInput("nested.zip", "ZIPs nested six deep with the seed at the bottom",
                 nested_zip(6, ("seed.txt", seed_text() + "\n附：嵌套\n".encode())), ("ok", "partial", "unsupported"),
                 reader="extractors.archive"),
        BadInput("archive.rar", "a RAR archive", b"Rar!\x1a\x07\x01\x00" + _random(500, 7), ("unsupported",),
                 ("rar",)),
        BadInput("garbage.txt", "random bytes named .txt (read as a text dump)", _random(20000, 8),
                 ("ok", *BAD), reader="extractors.textdump"),
        BadInput("gb2312-gbk.html", "a page labelled gb2312 using GBK-only characters (镕喆堃珺)",
                 gbk_page_labelled_gb2312(), ("ok", "partial", "unsupported"), reader="extractors.html"),
        BadInput("broken-markup.html", "tables with unclosed tags, bad spans, nested and orphan cells",
                 BROKEN_MARKUP, ("ok", *BAD, "partial"), reader="extractors.html"),
        BadInput("table-bomb.html", "a table with colspan=99999 and rowspan=65534", TABLE_BOMB,
                 ("ok", *BAD, "partial"), reader="extractors.html"),
        BadInput("xhtml-entity-bomb.html", "an XHTML page with a billion-laughs DTD", XHTML_ENTITY_BOMB,
                 ("ok", *BAD, "partial"), reader="extractors.html"),
        BadInput("news.html", "a news article with a weather table, not a disclosure", NEWS_PAGE,
                 ("ok", *BAD, "partial"), reader="extractors.html"),
        BadInput("listing.html", "a list of links to disclosures, not a disclosure", LISTING_PAGE,
                 ("ok", *BAD, "partial"), reader="extractors.html"),
        BadInput("huge.pdf", "a 300 MB file (sparse on disk), over the document size limit",
                 sparse_size=300 * MB, statuses=("failed",), says=("300.0 mb", "limit")),
    ]


def good_inputs() -> list[tuple[str, bytes]]:
    return [("seed.txt", seed_text()), ("good-table.html", good_html_table())]


def write_corpus(folder: Path) -> list[BadInput]:
    folder.mkdir(parents=True, exist_ok=True)
    inputs = bad_inputs()
    for item in inputs:
        path = folder / item.name
        if item.sparse_size:
            with open(path, "wb") as handle:
                handle.truncate(item.sparse_size)
        else:
            path.write_bytes(item.data)
    for name, data in good_inputs():
        (folder / name).write_bytes(data)
    return inputs


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    for item in write_corpus(Path(sys.argv[1])):
        print(f"{item.name:<24} {item.what}")
