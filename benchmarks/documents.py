"""Documents made for the benchmarks: a large XLSX and a ZIP of many disclosures.

The XLSX is written as raw SpreadsheetML (far faster than a spreadsheet library) and shaped like
a real 部门预算 workbook: a title row, a unit row, a two-row header, then subject rows with codes,
names and amounts. Real workbooks that large owe much of their size to embedded pictures (scanned
seals, charts), so the rest of the requested size is pictures the sheets do not read."""
from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks.common import SEED_HTML

HEADER = ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "人员经费", "公用经费", "上年结转"]


def xlsx(path: Path, target_bytes: int, rows: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    sheet = io.StringIO()
    sheet.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')

    def row(r: int, cells: list) -> None:
        sheet.write(f'<row r="{r}">')
        for c, value in enumerate(cells):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, str):
                sheet.write(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
            elif value is not None:
                sheet.write(f'<c r="{ref}"><v>{value}</v></c>')
        sheet.write("</row>")

    row(1, ["重庆市潼南区某部门2026年一般公共预算财政拨款支出表"])
    row(2, ["单位：万元"])
    row(3, HEADER)
    for r in range(4, rows + 4):
        code = f"{rng.randint(201, 232)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
        basic = round(rng.lognormvariate(3, 2), 2)
        project = round(rng.lognormvariate(3, 2), 2)
        row(r, [code, f"科目{code}", round(basic + project, 2), basic, project,
                round(basic * 0.7, 2), round(basic * 0.3, 2), 0])
    sheet.write("</sheetData></worksheet>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="一般公共预算支出表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet.getvalue(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text.encode("utf-8"))
    picture = 0
    while path.stat().st_size < target_bytes:
        with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:
            size = min(8 << 20, target_bytes - path.stat().st_size)
            z.writestr(f"xl/media/image{picture + 1}.png", b"\x89PNG\r\n\x1a\n" + os.urandom(max(size - 200, 1)))
        picture += 1
    return path


def zip_of_disclosures(path: Path, members: int) -> Path:
    """`members` HTML disclosures (the seed's rendering, each made distinct by a comment)."""
    page = SEED_HTML.read_bytes()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(members):
            z.writestr(f"部门{i + 1:03d}/2026年部门预算公开.html", page + f"<!-- copy {i + 1} -->".encode())
    return path
