"""PDF pages read with PDFium (pypdfium2): the same chars, rules and words pdfplumber gives, at the
speed of a C parser.

pdfplumber reads a page through pdfminer, a content-stream interpreter in pure Python; most of
the PDF reader's time went there. PDFium parses the same page in C. This module turns what
PDFium gives into exactly the objects `extractors.pdf_page` reads from a pdfplumber page:

- chars: the page's text in one `FPDFText_GetText` call; each glyph's box with pdfminer's
  conventions — left, right and bottom from PDFium's loose char box (the font's descent line),
  top = bottom + size·|d| (size the font size, d the vertical scale of the char's matrix: |d|,
  not √(c²+d²), or the skewed CJK fonts that fake italics get the wrong height); `upright` as
  pdfminer decides it; the page's /Rotate applied through the same transform pdfminer uses.
- rules: the page's path objects, forms descended and their matrices composed, clip-only paths
  skipped; each path is handed to pdfminer's own `paint_path` and pdfplumber's own
  `process_object`, so lines, rects and curves (and their edges) come out as pdfplumber makes
  them. The table finder is pdfplumber's own `TableFinder`, its cell step in `pdf_cells`.

What PDFium cannot give the same way stays with pdfplumber, page by page (`page_or_none` says
None): text that is not upright (a sideways table, a page whose /Rotate disagrees with its
content) and glyphs without a Unicode mapping, where pdfminer's `(cid:N)` tells the document
checks the text layer is garbled.
"""
from __future__ import annotations

import ctypes
import re
from types import SimpleNamespace

from pdfplumber import utils as plumber_utils
from pdfplumber.container import Container

from extractors import pdf_cells

try:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
except ModuleNotFoundError:  # pragma: no cover - a dependency of pdfplumber and camelot
    pdfium = raw = None

_TEXT, _PATH, _IMAGE, _FORM = 1, 2, 3, 5
_MOVETO, _LINETO, _BEZIERTO = 2, 0, 1
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# a code point PDFium gives a glyph it could not map (pdfminer prints "(cid:N)" for those)
_UNMAPPED = {0, 0xFFFD, 0xFFFE, 0xFFFF}


def _address_binding(name: str):
    """PDFium's function `name` (one returning a page object) giving a plain address, an int
    or None: pypdfium2's binding wraps each result in a new pointer object, which cannot be a
    key. The same C function, called through a prototype of our own."""
    if raw is None:  # pragma: no cover
        return None
    function = getattr(raw, name)
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, *function.argtypes)
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_text_object_address = _address_binding("FPDFText_GetTextObject")


class PdfiumPasswordError(Exception):
    """The PDF is encrypted and opens only with a password."""


class PdfiumFormatError(Exception):
    """The bytes are not a PDF PDFium can read (damaged, truncated or another format)."""


def available() -> bool:
    return raw is not None


def open_document(data: bytes):
    """A PDFium document of these bytes; its password and format errors as the two errors above."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower() or "security" in text.lower():
            raise PdfiumPasswordError(text) from None
        raise PdfiumFormatError(text) from None


# ---- geometry --------------------------------------------------------------------------------

def _mult(m, n):
    """m then n, as pdfminer's mult_matrix(m, n)."""
    a1, b1, c1, d1, e1, f1 = m
    a0, b0, c0, d0, e0, f0 = n
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _rotation_ctm(rotate: int, mediabox) -> tuple:
    """The transform pdfminer starts a page with (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = mediabox
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _f(v: float) -> float:
    """PDFium keeps coordinates as 32-bit floats: 56.7 comes back as 56.70000076. Four decimals
    give back the number the content stream printed, so rules that meet in the file meet here."""
    return round(v, 4)


def _matrix(obj) -> tuple:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (round(m.a, 4), round(m.b, 4), round(m.c, 4), round(m.d, 4), round(m.e, 4), round(m.f, 4))  # as _f


class _PageGeometry:
    """What pdfplumber's `Page.process_object` needs to turn pdfminer objects into dicts."""

    def __init__(self, page_number: int, mediabox, height: float, initial_doctop: float):
        self.page_number = page_number
        self.mediabox = mediabox
        self.height = height
        self.initial_doctop = initial_doctop
        self.pdf = SimpleNamespace(unicode_norm=None)
        self.point2coord = lambda pt: (mediabox[0] + pt[0], mediabox[1] + height - pt[1])


# ---- the page --------------------------------------------------------------------------------

class PdfiumPage(Container):
    """A page as pdfplumber shows it to `pdf_page.read_page`: chars, lines, rects, curves,
    images; `filter`, `extract_words` and `find_tables` as pdfplumber's."""

    reader = "pdfium"
    reading_order: float | None = None  # set by pdf_page.PdfPages once computed

    def __init__(self, objects: dict, bbox, page_number: int, rotation: int = 0):
        self._all = objects
        self.bbox = bbox
        self.mediabox = bbox
        self.page_number = page_number
        self.rotation = rotation

    @property
    def objects(self) -> dict:
        return self._all

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    def filter(self, test) -> "PdfiumPage":
        kept = {kind: [o for o in objs if test(o)] for kind, objs in self._all.items()}
        return PdfiumPage(kept, self.bbox, self.page_number, self.rotation)

    def extract_words(self, **kwargs) -> list[dict]:
        return plumber_utils.extract_words(self.chars, **kwargs)

    def find_tables(self, table_settings=None) -> list:
        return pdf_cells.find_tables(self, table_settings)

    def flush_cache(self, properties=None) -> None:
        super().flush_cache(properties)

    def close(self) -> None:
        self.flush_cache()


def read_pdfium_page(document, index: int, initial_doctop: float = 0.0) -> PdfiumPage | None:
    """Page `index` (from 0) of a PDFium document as a PdfiumPage, or None when its text needs
    pdfplumber (a glyph that is not upright, or one PDFium could not map to Unicode)."""
    page = document[index]
    try:
        rotate = page.get_rotation() % 360
        raw_box = page.get_mediabox()
        x0, x1 = sorted((raw_box[0], raw_box[2]))
        y0, y1 = sorted((raw_box[1], raw_box[3]))
        ctm = _rotation_ctm(rotate, (x0, y0, x1, y1))
        box = (y0, x0, y1, x1) if rotate in (90, 270) else (x0, y0, x1, y1)
        height = box[3] - box[1]
        mediabox = (box[0], height - box[3], box[2], height - box[1])  # pdfplumber's _invert_box
        geometry = _PageGeometry(index + 1, mediabox, mediabox[3] - mediabox[1], initial_doctop)
        chars = _chars(page, ctm, geometry)
        if chars is None:
            return None
        paths: list = []
        images: list = []
        _walk(page, ctm, geometry, paths, images)
        objects = {"char": chars, "image": images}
        for obj in paths:
            objects.setdefault(obj["object_type"], []).append(obj)
        return PdfiumPage(objects, mediabox, index + 1, rotate)
    finally:
        page.close()


def _chars(page, ctm, geometry: _PageGeometry) -> list[dict] | None:
    textpage = raw.FPDFText_LoadPage(page.raw)
    if not textpage:
        return []
    try:
        n = raw.FPDFText_CountChars(textpage)
        if n <= 0:
            return []
        buffer = ctypes.create_string_buffer((n + 1) * 2)
        got = raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: max(got - 1, 0) * 2].decode("utf-16-le", "surrogatepass")
        if len(text) != n:  # a character outside the BMP: one code unit per char no longer holds
            return None
        height, doctop0 = geometry.height, geometry.initial_doctop
        mb_x0, mb_top = geometry.mediabox[0], geometry.mediabox[1]
        rotated = ctm != (1, 0, 0, 1, 0, 0)
        ra, rb, rc, rd, re_, rf = ctm
        rect = raw.FS_RECTF()
        m = raw.FS_MATRIX()
        chars = []
        is_generated, map_error = raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError
        loose_box, text_object = raw.FPDFText_GetLooseCharBox, _text_object_address
        # a glyph's matrix and font size are its text object's: read once per object
        styles: dict[int | None, tuple] = {}
        for i in range(n):
            ch = text[i]
            code = ord(ch)
            # PDFium adds spaces and line breaks of its own between text objects
            if code <= 0x20 and is_generated(textpage, i):
                continue
            if code in _UNMAPPED or map_error(textpage, i):
                return None  # pdfminer would print (cid:N) here: the document checks need it
            if ch in "\r\n":
                continue
            loose_box(textpage, i, rect)
            owner = text_object(textpage, i)
            style = styles.get(owner) if owner else None
            if style is None:
                style = _style(textpage, i, m, ctm if rotated else None)
                if owner:
                    styles[owner] = style
            matrix, rise = style
            if rise is None:
                # sideways, mirrored or upside-down text (pdfminer calls the last upright, but
                # it advances leftwards): pdfplumber's reading, and its turning of the page
                return None
            left, right, bottom, top = round(rect.left, 4), round(rect.right, 4), round(rect.bottom, 4), rect.top
            if rotated:
                xs, ys = [], []
                for px, py in ((left, bottom), (right, bottom), (left, top), (right, top)):
                    xs.append(ra * px + rc * py + re_)
                    ys.append(rb * px + rd * py + rf)
                left, right, bottom = min(xs), max(xs), min(ys)
            y1 = bottom + rise
            top_ = (height - y1) + mb_top
            chars.append({
                "object_type": "char", "page_number": geometry.page_number, "text": ch,
                "size": y1 - bottom, "upright": True,
                "x0": left + mb_x0, "y0": bottom, "x1": right + mb_x0, "y1": y1,
                "width": right - left, "height": y1 - bottom,
                "top": top_, "bottom": (height - bottom) + mb_top, "doctop": doctop0 + top_,
                "matrix": matrix,
            })
        return chars
    finally:
        raw.FPDFText_ClosePage(textpage)


def _style(textpage, i, m, rotation) -> tuple:
    """(matrix, rise) of glyph i's text object: rise is how far its top is above its bottom
    (font size · |d|), None when the text is not upright and left to right once the page's
    /Rotate (`rotation`, a matrix, or None) is applied."""
    raw.FPDFText_GetMatrix(textpage, i, m)
    matrix = (m.a, m.b, m.c, m.d, m.e, m.f)
    a, b, c, d = matrix[:4]
    if rotation is not None:
        ra, rb, rc, rd = rotation[:4]
        a, b, c, d = a * ra + b * rc, a * rb + b * rd, c * ra + d * rc, c * rb + d * rd
    if not (a * d > 0 and b * c <= 0) or a < 0:
        return matrix, None
    return matrix, raw.FPDFText_GetFontSize(textpage, i) * abs(d)


def _walk(page, ctm, geometry: _PageGeometry, paths: list, images: list) -> None:
    """Every path (as pdfplumber's line/rect/curve dicts) and image on the page, forms descended."""
    get_type, buffers = raw.FPDFPageObj_GetType, _PathBuffers()
    stack = [(raw.FPDFPage_CountObjects(page.raw), page.raw, raw.FPDFPage_GetObject, ctm)]
    while stack:
        count, owner, get, outer = stack.pop()
        for i in range(count):
            obj = get(owner, i)
            kind = get_type(obj)
            if kind == _PATH:
                _path(obj, outer, geometry, paths, buffers)
            elif kind == _FORM:
                inner = _mult(_matrix(obj), outer)
                stack.append((raw.FPDFFormObj_CountObjects(obj), obj, raw.FPDFFormObj_GetObject, inner))
            elif kind == _IMAGE:
                images.append({"object_type": "image", "page_number": geometry.page_number})


class _PathBuffers:
    """The C out-parameters `_path` reads into, made once per page rather than once per path."""

    def __init__(self):
        self.fill_mode, self.stroke = ctypes.c_int(0), ctypes.c_int(0)
        self.width, self.x, self.y = ctypes.c_float(0), ctypes.c_float(0), ctypes.c_float(0)


def _path(obj, outer, geometry: _PageGeometry, out: list, buffers: _PathBuffers) -> None:
    fill_mode, stroke = buffers.fill_mode, buffers.stroke
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    fill, stroke_ = fill_mode.value != 0, bool(stroke.value)
    if not fill and not stroke_:
        return  # a clipping path (W n): pdfminer paints nothing for it
    width = buffers.width
    raw.FPDFPageObj_GetStrokeWidth(obj, width)
    n = raw.FPDFPath_CountSegments(obj)
    a, b, c, d, e, f = _mult(_matrix(obj), outer)
    x, y = buffers.x, buffers.y
    get_segment, get_point = raw.FPDFPath_GetPathSegment, raw.FPDFPathSegment_GetPoint
    get_kind, get_close = raw.FPDFPathSegment_GetType, raw.FPDFPathSegment_GetClose
    segments: list[tuple] = []
    bezier: list[float] = []
    for i in range(n):
        seg = get_segment(obj, i)
        get_point(seg, x, y)
        px, py = round(x.value, 4), round(y.value, 4)  # as _f
        qx, qy = a * px + c * py + e, b * px + d * py + f
        kind = get_kind(seg)
        if kind == _MOVETO:
            segments.append(("m", qx, qy))
        elif kind == _LINETO:
            segments.append(("l", qx, qy))
        elif kind == _BEZIERTO:
            bezier += (qx, qy)
            if len(bezier) == 6:
                segments.append(("c", *bezier))
                bezier = []
        if get_close(seg):
            segments.append(("h",))
    if segments:
        _paint(segments, stroke_, fill, fill_mode.value == 1, _f(width.value), geometry, out)


_SUBPATH = re.compile(r"m[^m]+")


def _paint(path: list[tuple], stroke: bool, fill: bool, evenodd: bool, linewidth: float,
           geometry: _PageGeometry, out: list) -> None:
    """pdfminer's `PDFLayoutAnalyzer.paint_path` (points already in page space) followed by
    pdfplumber's `Page.process_object`: one line, rect or curve dict per subpath."""
    shape = "".join(seg[0] for seg in path)
    if shape[:1] != "m":
        return
    if shape.count("m") > 1:
        for m in _SUBPATH.finditer(shape):
            _paint(path[m.start(0): m.end(0)], stroke, fill, evenodd, linewidth, geometry, out)
        return
    pts = [seg[-2:] if seg[0] != "h" else path[0][-2:] for seg in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in ("mlh", "ml"):
        kind, pts = "line", pts[:2]
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                 or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
            kind, pts = "rect", [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    height, (mb_x0, mb_top) = geometry.height, geometry.mediabox[:2]
    top = (height - y1) + mb_top
    out.append({
        "object_type": kind, "page_number": geometry.page_number,
        "x0": x0 + mb_x0, "y0": y0, "x1": x1 + mb_x0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
        "top": top, "bottom": (height - y0) + mb_top, "doctop": geometry.initial_doctop + top,
        "pts": [(px + mb_x0, mb_top + height - py) for px, py in pts],
        "linewidth": linewidth, "stroke": stroke, "fill": fill, "evenodd": evenodd,
    })
