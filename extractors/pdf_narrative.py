"""A PDF's text outside its tables → narrative paragraphs, and the document's title from its cover."""
from __future__ import annotations

import re

from extractors import vocabulary as v
from extractors.pdf_lines import Line, squeeze

def paragraphs_of(lines: list[Line]) -> list[str]:
    """A page's narrative lines → sentence-sized chunks (headings stay on their own)."""
    blocks: list[str] = []
    current = ""
    for line in lines:
        text = line.text.strip()
        if not text or v.PAGE_NUMBER.match(text):
            continue
        if v.NARRATIVE_HEADING.match(text) or not current or current.endswith(("。", "：", ":")):
            if current:
                blocks.append(current)
            current = text
            if v.NARRATIVE_HEADING.match(text) and len(text) <= 30 and not text.endswith(("。", "，", "、")):
                blocks.append(current)  # a heading line stands alone
                current = ""
        else:
            current += text
    if current:
        blocks.append(current)
    out = []
    for block in blocks:
        out.extend(s for s in re.split(r"(?<=[。！？；])", block) if s.strip())
    return [s.strip() for s in out]


def document_title(lines: list[Line], filename: str) -> str:
    """The document's title from its cover: '上海市普陀区司法局2026年部门预算'."""
    texts = [squeeze(ln.text) for ln in lines if not v.PAGE_NUMBER.match(ln.text.strip())]
    cover: list[str] = []
    for t in texts:
        if t.startswith("目录") or t == "目录":
            break
        cover.append(t)
    joined = "".join(cover)
    issuer = next((m.group(2) for m in map(v.COVER_ISSUER.search, cover) if m), "")
    kind = v.COVER_KIND.search(joined)
    if issuer and kind:
        return f"{issuer}{kind.group(1)}年{kind.group(2)}{kind.group(3)}"
    # the cover's lines up to the one naming the year and the stage
    title = ""
    for t in cover:
        if v.COVER_ISSUER.search(t) or re.match(r"^20\d\d年\d{1,2}月", t):
            break
        title += t
        if v.YEAR_AND_STAGE.search(title) and re.search(r"(预算|决算)(公开)?$", title):
            break
    title = re.sub(r"^(.*?)(年.*?)(20\d\d)$", r"\1\3\2", title)  # '江苏省人民检察院' '年部门预算' '2017'
    if title and v.YEAR_AND_STAGE.search(title) and len(title) <= 60 and "表" not in title[-2:]:
        return title
    return _title_from_filename(filename)


def _title_from_filename(filename: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", filename.rsplit("/", 1)[-1])
    return squeeze(stem)
