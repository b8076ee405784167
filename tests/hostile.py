"""Hostile documents built at test time from real ones, for the stages after reading.

- `huge_paragraph_page`: the seed disclosure's HTML rendition (重庆市潼南区大数据应用发展管理局, 表3,
  tests/badinputs.good_html_table) with, above the table, its own narrative sentence (the 一般公共预算 paragraph of the
  seed text) repeated into one paragraph of `chars` characters, joined by commas so that no
  sentence ever ends: one paragraph, one sentence, a statement every ~40 characters.
- `garbled_layer` / `permuted_digits`: a real corpus PDF (上海市普陀区司法局 2026 budget, 23 pages)
  whose ToUnicode maps are rewritten the way broken publishing tools write them: every glyph read
  as a random CJK character (no digits left), or the ten digits permuted.
"""
from __future__ import annotations

import io
import random
import re

from badinputs import SEED, good_html_table
from conftest import CORPUS

CORPUS_PDF = CORPUS / "putuo-govbudgetchecker" / "shpt_sfj_2026_budget.pdf"
# 0, 2, 5 and 6 stay, so that every year (2025年, 2026年) still reads as one: only amounts change
DIGIT_PERMUTATION = dict(zip("0123456789", "0729156843"))


def seed_sentence() -> str:
    """'2026年一般公共预算财政拨款收入1207.84万元,…' from the seed text, without its full stops."""
    line = next(ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.startswith("2026年一般公共预算财政拨款收入"))
    return line.replace("。", "，")


def huge_paragraph_page(chars: int) -> bytes:
    sentence = seed_sentence()
    paragraph = (sentence * (chars // len(sentence) + 1))[:chars]
    page = good_html_table().decode()
    return page.replace("<p>表3", f"<p>{paragraph}。</p><p>表3", 1).encode()


def _rewrite_maps(data: bytes, destination) -> bytes:
    """The PDF with every ToUnicode bfchar/bfrange destination replaced by `destination(code)`."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    done: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object().values() if fonts is not None else ()):
            font = font.get_object()
            if "/ToUnicode" not in font:
                continue
            stream = font["/ToUnicode"].get_object()
            if id(stream) in done:
                continue
            done.add(id(stream))
            cmap = stream.get_data().decode("latin-1")
            stream.set_data(_rewrite_cmap(cmap, destination).encode("latin-1"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rewrite_cmap(cmap: str, destination) -> str:
    def chars(block: re.Match) -> str:
        return re.sub(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                      lambda m: f"<{m.group(1)}> <{destination(int(m.group(2), 16)):04X}>", block.group(0))

    def ranges(block: re.Match) -> str:  # each range becomes single characters
        body = block.group(1)
        singles = []
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", body):
            for offset in range(int(hi, 16) - int(lo, 16) + 1):
                singles.append(f"<{int(lo, 16) + offset:04X}> <{destination(int(dst, 16) + offset):04X}>")
        return "".join(f"{len(part)} beginbfchar\n" + "\n".join(part) + "\nendbfchar\n"
                       for part in (singles[i:i + 100] for i in range(0, len(singles), 100)))

    cmap = re.sub(r"beginbfchar.*?endbfchar", chars, cmap, flags=re.S)
    return re.sub(r"\d+\s+beginbfrange(.*?)endbfrange", ranges, cmap, flags=re.S)


def garbled_layer(data: bytes | None = None, seed: int = 32) -> bytes:
    """Every glyph of the text layer read as a random CJK ideograph: no digit is left."""
    chosen: dict[int, int] = {}
    rng = random.Random(seed)
    return _rewrite_maps(data or CORPUS_PDF.read_bytes(),
                         lambda code: chosen.setdefault(code, rng.randrange(0x4E00, 0x9FA5)))


def permuted_digits(data: bytes | None = None) -> bytes:
    """The ten digits of the text layer permuted (DIGIT_PERMUTATION); everything else as printed."""
    return _rewrite_maps(data or CORPUS_PDF.read_bytes(),
                         lambda code: ord(DIGIT_PERMUTATION.get(chr(code), chr(code))))
