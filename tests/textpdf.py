"""PDFs with Chinese text, written byte by byte at test time (no PDF writer or font needed).

Text is set in one Type0 font (Identity-H, not embedded) whose ToUnicode map says which character
each glyph code is, exactly as the text layer of a real disclosure printed from Word or WPS: a
reader learns the text from that map alone. `unicode=` changes the map the way broken publishing
tools do: no map (glyphs read as `(cid:N)`), private-use code points, or digits swapped.
Ruling lines are stroked paths, as in the corpus's tables.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field


@dataclass
class Text:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    size: float = 12.0


@dataclass
class Page:
    texts: list[Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, top, x1, bottom
    width: float = 595.0
    height: float = 842.0

    def text(self, x: float, y: float, text: str, size: float = 12.0) -> "Page":
        self.texts.append(Text(x, y, text, size))
        return self

    def grid(self, xs: list[float], ys: list[float]) -> "Page":
        """A ruled table: a vertical rule at every x, a horizontal one at every y (from the top)."""
        for x in xs:
            self.rules.append((x, ys[0], x, ys[-1]))
        for y in ys:
            self.rules.append((xs[0], y, xs[-1], y))
        return self

    def cells(self, xs: list[float], ys: list[float], rows: list[list[str]], size: float = 9.0) -> "Page":
        """Text of a ruled table, one row between each pair of horizontal rules, left-aligned."""
        for (top, bottom), row in zip(zip(ys, ys[1:]), rows):
            for (left, _), cell in zip(zip(xs, xs[1:]), row):
                if cell:
                    self.text(left + 2, bottom - (bottom - top - size) / 2 - 1, cell, size)
        return self


DIGIT_SWAP = str.maketrans("0123456789", "7391085426")


def pdf(pages: list[Page], unicode: str = "ok") -> bytes:
    """The PDF. `unicode`: 'ok', 'none' (no ToUnicode map), 'pua' (every glyph maps to a
    private-use code point) or 'digits' (the map swaps the digits, DIGIT_SWAP)."""
    chars = sorted({c for page in pages for t in page.texts for c in t.text})
    code = {c: i + 1 for i, c in enumerate(chars)}
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 page tree: filled in below
    font_id = _add(objects, b"")  # the font, once its descendants exist
    descendant = _add(objects, b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                               b"/FontDescriptor %d 0 R /DW 1000 /CIDToGIDMap /Identity >>" % (len(objects) + 2))
    _add(objects, b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] "
                  b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>")
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R]" % descendant)
    if unicode != "none":
        cmap = _to_unicode(code, unicode)
        font += b" /ToUnicode %d 0 R" % _add(objects, _stream(cmap))
    objects[font_id - 1] = font + b" >>"
    kids = []
    for page in pages:
        ops = []
        for x0, top, x1, bottom in page.rules:
            ops.append(f"{x0:.2f} {page.height - top:.2f} m {x1:.2f} {page.height - bottom:.2f} l S")
        for t in page.texts:
            glyphs = "".join(f"{code[c]:04X}" for c in t.text)
            ops.append(f"BT /F1 {t.size:g} Tf {t.x:.2f} {page.height - t.y:.2f} Td <{glyphs}> Tj ET")
        content = _add(objects, _stream(("0.5 w\n" + "\n".join(ops)).encode("ascii")))
        kids.append(_add(objects, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] "
                                  b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                                  % (page.width, page.height, font_id, content)))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return write(objects)


def write(objects: list[bytes], root: int = 1) -> bytes:
    """Numbered objects (1, 2, …) → a PDF file with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return out


def _add(objects: list[bytes], obj: bytes) -> int:
    objects.append(obj)
    return len(objects)


def _stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def _to_unicode(code: dict[str, int], how: str) -> bytes:
    def target(c: str) -> str:
        if how == "pua":
            return chr(0xE000 + code[c])
        if how == "digits":
            return c.translate(DIGIT_SWAP)
        return c

    entries = [f"<{code[c]:04X}> <{ord(target(c)):04X}>" for c in code]
    body = "".join(f"{len(entries[i:i + 100])} beginbfchar\n" + "\n".join(entries[i:i + 100]) + "\nendbfchar\n"
                   for i in range(0, len(entries), 100))
    return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}endcmap CMapName currentdict /CMap defineresource pop end end\n").encode("ascii")
