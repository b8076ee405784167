"""Render the seed text dump back into the HTML page it was copied from.

The text dump in ../shared/seed lost the page's table structure; this writes a faithful HTML
page with real <table> markup (merged header cells as rowspan/colspan, 合计 over the code and name
columns, &nbsp; in empty cells, the title and 单位 rows inside the table as Chongqing pages print
them) from the columns the text-dump extractor rebuilt. Where a cell could not be placed with
certainty it is put in its first candidate column, and the page says so in a comment.

    python scripts/render_seed_html.py [OUT]
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.columns import interpret_columns  # noqa: E402
from extractors.textdump import extract  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
OUT = ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html"


def merged_cells(grid: list[list[str]]):
    """(row, col, rowspan, colspan, text) for a header grid whose merged cells are repeated."""
    covered = set()
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            colspan = 1
            while c + colspan < len(row) and row[c + colspan] == text and text and all(
                    grid[k][c + colspan] == grid[k][c] for k in range(r)):
                colspan += 1
            rowspan = 1
            while r + rowspan < len(grid) and all(grid[r + rowspan][c + k] == text for k in range(colspan)) and text:
                rowspan += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, c + dc))
            yield r, c, rowspan, colspan, text


def td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<td{attrs}>{html.escape(text) if text else '&nbsp;'}</td>"


def render_table(table) -> str:
    width = table.width
    out = ['<table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">']
    out.append(f"<tr>{td(table.title, colspan=width)}</tr>")
    if table.unit:
        out.append(f"<tr>{td('单位:' + table.unit, colspan=width)}</tr>")
    rows = {r: [] for r in range(len(table.header))}
    for r, c, rs, cs, text in merged_cells(table.header):
        rows[r].append(td(text, rs, cs))
    out += [f"<tr>{''.join(cells)}</tr>" for cells in rows.values()]
    specs = interpret_columns(table.column_paths()) if table.header else []
    placed = {(u.row_index, u.text): u for u in table.unplaced}
    for r, row in enumerate(table.rows):
        row = list(row)
        for u in table.unplaced:
            if u.row_index == r and u.candidates:
                col = [ "/".join(p) for p in table.column_paths()].index(u.candidates[0])
                row[col] = u.text
                out.append(f"<!-- {html.escape(u.text)}: the text dump does not say whether this is "
                           f"{' or '.join(u.candidates)}; shown under the first -->")
        cells, c = [], 0
        while c < len(row):
            text = row[c]
            is_total_label = specs and specs[c].role == "code" and text in ("合计", "总计")
            if is_total_label and c + 1 < len(row) and not row[c + 1]:
                cells.append(td(text, colspan=2))
                c += 2
                continue
            cells.append(td(text))
            c += 1
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</table>")
    return "\n".join(out)


def render(seed: Path) -> str:
    extraction = extract(seed.read_bytes(), seed.name)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(extraction.title)}</title></head><body>",
        "<!-- Rendered by scripts/render_seed_html.py from the real page's text dump, "
        "../shared/seed/tongnan-2026-bigdata-bureau-budget.txt -->",
        f"<h1>{html.escape(extraction.title)}</h1>",
    ]
    parts += [f"<p>{html.escape(p.text)}</p>" for p in extraction.paragraphs[1:]]
    for table in extraction.tables:
        if table.label:
            parts.append(f"<p>{html.escape(table.label)}</p>")
        if not table.header:  # performance tables: their rows as printed
            parts.append('<table border="1" cellspacing="0">')
            parts.append(f"<tr>{td(table.title, colspan=max(table.width, 1))}</tr>")
            parts += [f"<tr>{''.join(td(c) for c in row if c)}</tr>" for row in table.rows]
            parts.append("</table>")
        else:
            parts.append(render_table(table))
        parts += [f"<p>{html.escape(n)}</p>" for n in table.notes if n.startswith("(")]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(SEED), encoding="utf-8")
    print(f"wrote {out}")
