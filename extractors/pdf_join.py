"""Tables found page by page → the document's tables.

A table whose page shows no title continues the table before it: its repeated header is
dropped and its columns are matched to the first page's by position. Captions (title, label,
unit) and remarks come from the framing stage, read from the lines around each page table.
"""
from __future__ import annotations

from extractors import framing
from extractors import vocabulary as v
from extractors.model import Table, Unplaced
from extractors.numbers import is_amount
from extractors.pdf_grid import Layout, is_body_row
from extractors.pdf_lines import Line, squeeze
from extractors.pdf_page import PageTable
from extractors.pdf_settings import SETTINGS


def title_of(lines: list[Line], frame_rows: list[str]) -> str:
    """The table title: one printed in its frame, or the title-like line nearest above it."""
    return framing.title_above([ln.text for ln in lines], frame_rows)


def label_of(lines: list[Line], frame_rows: list[str]) -> str:
    return framing.label_above([ln.text for ln in lines], frame_rows)


def unit_of(lines: list[Line], frame_rows: list[str]) -> str | None:
    return framing.unit_above([ln.text for ln in lines], frame_rows)


def join_tables(page_tables: list[PageTable]) -> tuple[list[Table], dict[int, set[int]]]:
    """Page tables → document tables, and the pages each table was printed on.

    A page's first table continues the table the previous page ended with (`continues`); a table
    on a page after pages without one (the text between 表12 and 重点项目绩效目标 in 广州's
    disclosures) starts anew.
    """
    tables: list[Table] = []
    spans: dict[int, set[int]] = {}
    foot: list[Line] = []  # lines below the last table of the previous page (a label printed early)
    start: PageTable | None = None  # the page table the current table started with
    last_page = 0
    carried: list[Line] = []  # a title printed at the foot of a page whose table starts overleaf
    for pt in page_tables:
        frame = pt.layout.title_rows
        first_on_page = pt.page != last_page
        if first_on_page and carried and pt.page == last_page + 1 and not title_of(pt.above, frame):
            pt.above = carried + pt.above
        carried = []
        previous_foot = foot if first_on_page and pt.page == last_page + 1 else []
        if first_on_page:
            foot = []
        last_page = pt.page
        title = title_of(pt.above, frame)
        label = label_of(pt.above, frame)
        notes = [squeeze(ln.text) for ln in pt.below]
        if pt.after and title_of(pt.after, []):
            carried = pt.after[-3:]
        if pt.after:
            foot = pt.after
        overleaf = bool(tables) and pt.page == max(spans[len(tables) - 1]) + 1  # never across a page of text
        if start is not None and first_on_page and overleaf and continues(pt, title, label, tables[-1], start):
            table = tables[-1]
            if not table.rows and pt.layout.rows and len(pt.columns) > table.width:
                # only the top of the header fitted on the previous page: the finer grid overleaf
                # is the table's; the earlier header rows spread over the columns they cover
                above = realign(pt.columns, start.columns, table.header, len(pt.columns), spread=True)
                table.header = above + pt.layout.header
                table.rows = list(pt.layout.rows)
                table.source_rows = list(pt.layout.source_rows)
                table.notes.extend(n for n in notes if n not in table.notes)
                spans[len(tables) - 1].add(pt.page)
                start = pt
                continue
            lost: list[tuple[int, str]] = []
            rows = realign(start.columns, pt.columns, pt.layout.header + pt.layout.rows, table.width, lost=lost)
            header_rows = [[squeeze(c) for c in h] for h in table.header]
            repeated = False
            while rows and [squeeze(c) for c in rows[0]] in header_rows:
                rows.pop(0)  # the header repeated on the continuation page
                repeated = True
            if repeated and table.rows and rows and _same_row(rows[0], table.rows[0]):
                rows.pop(0)  # and the row under it (栏次 1 2 3 …, ** ** 1 2), repeated with it
            rows = [r for r in rows if any(c.strip() for c in r)]
            if table.rows or any(is_body_row(r) for r in rows):
                table.unplaced.extend(
                    Unplaced(len(table.rows), text, [], f"page {pt.page}: printed outside the columns of page {start.page}")
                    for _, text in lost)
                table.rows.extend(rows)
                table.source_rows.extend(" ".join(dict.fromkeys(c for c in r if c)) for r in rows)
                table.notes.extend(n for n in notes if n not in table.notes)
                spans[len(tables) - 1].add(pt.page)
                continue
        layout = pt.layout
        tables.append(Table(
            title=title,
            header=layout.header,
            rows=layout.rows,
            unit=unit_of(pt.above, frame) or framing.header_unit(layout.header),
            page=pt.page,
            index=len(tables),
            label=label or label_of(previous_foot[-2:], []),
            source_rows=list(layout.source_rows),
            notes=notes,
        ))
        spans[len(tables) - 1] = {pt.page}
        start = pt
    return tables, spans


def continues(pt: PageTable, title: str, label: str, table: Table, start: PageTable) -> bool:
    """Whether the first table of a page continues the table the previous page ended with.

    A page that prints no title continues it unless it prints a label of its own (预算05表,
    公开表6, 表3: a new table starts). A page that repeats the table's captions (title, label,
    the 单位/部门名称 lines) and its header continues it too (深圳's 收支总表 over two pages,
    广州's 绩效目标表 over 140), unless the table closed with its 合计/总计 row: what a new table
    of the same title would print differently (another unit's name) is in those captions.
    """
    if not title:
        return not label or v.label_key(label) == v.label_key(table.label)
    if title != table.title or v.label_key(label) != v.label_key(table.label) or not pt.layout.header:
        return False
    if table.rows and _is_total_row(table.rows[-1]):
        return False  # the table closed with its total: the same captions again print another copy
    earlier = {squeeze(ln.text) for ln in start.above} | {squeeze(t) for t in start.layout.title_rows}
    captions = [squeeze(ln.text) for ln in pt.above if not v.PAGE_NUMBER.match(ln.text.strip())]
    captions += [squeeze(t) for t in pt.layout.title_rows]
    if not all(c in earlier for c in captions):
        return False
    header = [[squeeze(c) for c in row] for row in realign(start.columns, pt.columns, pt.layout.header, table.width)]
    # all of the header, or its lower rows (the group headings above them are carried down)
    return header == [[squeeze(c) for c in row] for row in table.header][-len(header):]


def _same_row(a: list[str], b: list[str]) -> bool:
    return [squeeze(c) for c in a] == [squeeze(c) for c in b]


def _is_total_row(row: list[str]) -> bool:
    first = next((c for c in row if c.strip()), "")
    return v.label_key(first) in v.CLOSING_TOTALS


def realign(reference: list[tuple[float, float]], columns: list[tuple[float, float]],
            rows: list[list[str]], width: int, spread: bool = False,
            lost: list[tuple[int, str]] | None = None) -> list[list[str]]:
    """Rows of a continuation page re-cut to the columns of the page the table started on.

    Each column goes to the earlier page's column it overlaps most; the two pages' rules rarely
    coincide to the point, and a page may lack a column's hairline or add one.
    """
    if len(columns) == width and _same_columns(reference, columns):
        return [list(r) for r in rows]
    if len(columns) == len(reference):  # the same grid, moved (another grid is not aligned)
        columns = aligned(reference, columns)
    if len(columns) == width and _same_columns(reference, columns):
        return [list(r) for r in rows]
    if spread:  # coarse rows onto a finer grid: each cell repeated over the columns it covers
        owner = []
        for x0, x1 in reference:
            overlaps = [max(0.0, min(x1, c1) - max(x0, c0)) for c0, c1 in columns]
            owner.append(max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else 0)
        return [[row[owner[k]] if owner[k] < len(row) else "" for k in range(width)] for row in rows]
    mapping = []
    for x0, x1 in columns:
        overlaps = [max(0.0, min(x1, p1) - max(x0, p0)) for p0, p1 in reference]
        best = max(range(len(overlaps)), key=overlaps.__getitem__) if overlaps else None
        mapping.append(best if best is not None and overlaps[best] > 0 and best < width else None)
    out = []
    for r, row in enumerate(rows):
        new = [""] * width
        for k, text in enumerate(row):
            target = mapping[k] if k < len(mapping) else None
            if target is None and text and lost is not None:
                lost.append((r, text))  # printed where the first page has no column
            if target is None or not text or new[target] == text:
                continue
            new[target] = new[target] + text if new[target] else text
        out.append(new)
    return out


def aligned(reference: list[tuple[float, float]], columns: list[tuple[float, float]],
            tolerance: float = SETTINGS.same_columns) -> list[tuple[float, float]]:
    """A continuation page's columns moved onto the ruling lines of the page the table started on.

    Pages printed with mirrored margins, or re-centred, carry the same rules some points to the
    left or right; mapped by overlap as they stand, every cell would land one column off. The
    shift chosen is the one that lays the most of this page's rules onto the earlier page's
    (no shift unless another one lays strictly more).
    """
    ref = sorted({x for c in reference for x in c})
    own = sorted({x for c in columns for x in c})
    if not ref or not own:
        return columns

    def laid(d: float) -> int:
        return sum(any(abs(e + d - r) <= tolerance for r in ref) for e in own)

    best, best_laid = 0.0, laid(0.0)
    for d in sorted({r - e for r in ref for e in own}, key=abs):
        n = laid(d)
        if n > best_laid:
            best, best_laid = d, n
    if best == 0.0 or best_laid < min(len(own), 3):
        return columns
    return [(x0 + best, x1 + best) for x0, x1 in columns]


def unruled_continuations(page_tables: list[PageTable], narrative: list[tuple[int, list[Line]]],
                          settings=SETTINGS) -> tuple[list[PageTable], list[tuple[int, list[Line]]], list[str]]:
    """Rows of a table printed overleaf without vertical rules, cut by the previous page's rules.

    A page with no ruled table whose first lines (after a page number) read as body rows of the
    table the previous page ended with, when cut at that table's column edges, continues that
    table; without this its rows were narrative text and the table ended a page early. The repeated
    header, printed the same way, is read too (the join drops it).
    """
    by_page: dict[int, list[PageTable]] = {}
    for pt in page_tables:
        by_page.setdefault(pt.page, []).append(pt)
    out_tables = list(page_tables)
    out_narrative = []
    problems: list[str] = []
    header: list[list[str]] = []
    for number, lines in narrative:
        previous = by_page.get(number - 1, [])
        if by_page.get(number) or not previous or any(not v.PAGE_NUMBER.match(ln.text.strip()) and not v.is_note(ln.text)
                                                      for ln in previous[-1].after):
            out_narrative.append((number, lines))
            if by_page.get(number):
                header = by_page[number][-1].layout.header or header
            continue
        last = previous[-1]
        header = last.layout.header or header
        rows, taken, heads, failed = [], [], [], []
        for line in lines:
            if not rows and v.PAGE_NUMBER.match(line.text.strip()):
                continue
            if v.PART_HEADING.search("".join(line.text.split())):
                break  # the next part of the disclosure begins overleaf: cut at the rules it reads as a row
            row = _cut(line.words, last.columns, settings)
            if row is None and rows and any(is_amount(w["text"]) for w in line.words):
                failed.append(line)  # a row with a word beyond the rules: said, never guessed
                continue
            if row is None:
                break
            if not rows and row in header and not heads:
                heads.append(row)
            elif is_body_row(row):
                rows.append(row)
            else:
                break
            taken.append(line)
        if not rows:
            out_narrative.append((number, lines))
            continue
        layout = Layout(header=heads, rows=rows, source_rows=[ln.text for ln in taken if _cut(ln.words, last.columns, settings) in rows])
        pt = PageTable(number, taken[0].top, taken[-1].bottom, layout, list(last.columns))
        pt.after = [ln for ln in lines if ln.top >= taken[-1].bottom - 1 and ln not in taken]
        by_page[number] = [pt]
        if failed:
            problems.append(f"page {number}: {len(failed)} rows printed without column rules could not be cut "
                            f"at the columns of page {last.page} (kept as text: {squeeze(failed[0].text)[:40]}…)")
        out_tables.append(pt)
        out_narrative.append((number, [ln for ln in lines if all(ln is not t for t in taken)]))
    out_tables.sort(key=lambda t: (t.page, t.top))
    return out_tables, out_narrative, problems


def unplaced_by_page(tables: list[Table]) -> list[str]:
    """What the join could not place, page by page: 'page 7: 67 cells of 支出决算表 …'."""
    counts: dict[tuple[int, str, str], int] = {}
    for table in tables:
        for cell in table.unplaced:
            head, _, rest = cell.reason.partition(": ")
            if head.startswith("page ") and head[5:].isdigit():
                key = (int(head[5:]), table.title or "(untitled)", rest)
                counts[key] = counts.get(key, 0) + 1
    return [f"page {page}: {n} cells of {title} {why}" for (page, title, why), n in sorted(counts.items())]


def _cut(words: list[dict], columns: list[tuple[float, float]], settings=SETTINGS) -> list[str] | None:
    """A printed line's words placed in the columns their centres fall in (None: one falls outside)."""
    if not columns:
        return None
    row = [""] * len(columns)
    for w in words:
        cx = (w["x0"] + w["x1"]) / 2
        k = next((i for i, (x0, x1) in enumerate(columns) if x0 <= cx <= x1), None)
        if k is None:
            return None
        row[k] += w["text"]
    return row


def _same_columns(a, b, tolerance: float = SETTINGS.same_columns) -> bool:
    return len(a) == len(b) and all(
        abs(x[0] - y[0]) <= tolerance and abs(x[1] - y[1]) <= tolerance for x, y in zip(a, b)
    )
