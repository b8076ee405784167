"""The seed disclosure as the HTML page a district site serves.

The faithful rendering (tests/fixtures/seed/…html, with the tables' real rowspan/colspan
markup) is used when the repository has it. Until then the page is rebuilt from the seed's text
dump: paragraphs as <p>, each `|`-row as a <tr> with its printed cells, padded to the table's
width (the dump lost merged cells, so this placeholder's tables are approximate).
"""
from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SEED_TEXT = SHARED / "seed" / "tongnan-2026-bigdata-bureau-budget.txt"
SEED_HTML_CANDIDATES = [
    ROOT / "tests" / "fixtures" / "seed" / "tongnan-2026-bigdata-bureau-budget.html",
    ROOT / "tests" / "fixtures" / "tongnan-2026-bigdata-bureau-budget.html",
]
TITLE = "重庆市潼南区大数据应用发展管理局2026年部门预算公开"


def seed_page() -> tuple[str, str]:
    """(HTML text, the file it was made from)."""
    for path in SEED_HTML_CANDIDATES:
        if path.exists():
            return path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
    return render_text_dump(SEED_TEXT.read_text(encoding="utf-8")), "../shared/seed/" + SEED_TEXT.name


def render_text_dump(text: str) -> str:
    lines = text.splitlines()
    title = lines[0].strip() if lines else TITLE
    out: list[str] = []
    rows: list[list[str]] = []

    def flush_table():
        if rows:
            width = max(len(r) for r in rows)
            out.append("<table border=\"1\" cellspacing=\"0\">")
            for row in rows:
                cells = row + [""] * (width - len(row))
                out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
            out.append("</table>")
            rows.clear()

    for line in lines[1:]:
        stripped = line.strip()
        if stripped == "|":
            rows.append([])  # a lone pipe starts a table row
        elif rows and stripped.strip("|") == "":
            rows[-1].extend([""] * len(stripped))  # a run of pipes: empty cells
        elif rows and stripped.endswith("|"):
            cell, _, pipes = stripped.partition(" |")
            rows[-1].append(cell.strip())
            rows[-1].extend([""] * pipes.count("|"))
        else:
            flush_table()
            if stripped:
                out.append(f"<p>{html.escape(stripped)}</p>")
    flush_table()
    body = "\n".join(out)
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n"
            f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")
