"""Bounded reference resolution for pdfminer (under pdfplumber and camelot).

pdfminer follows an indirect reference until it reaches an object (`resolve1`: `while
isinstance(x, PDFObjRef): x = x.resolve()`). An object that is a reference to itself (`4 0 obj
4 0 R endobj`), or a ring of such objects, makes that loop endless: a 1 KB file kept a reader busy
until the time limit. `guard()` makes `PDFObjRef.resolve` follow a chain of references itself and
raise `ReferenceCycle` as soon as an object repeats, so such a file fails in milliseconds with a
message naming the object. Following the chain in one call gives every caller what `resolve1`
would have given it.
"""
from __future__ import annotations

from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import PDFObjRef

MAX_CHAIN = 1000  # references in a row; real files have one or two


class ReferenceCycle(PDFSyntaxError):
    """An indirect reference that leads back to itself."""


_original = PDFObjRef.resolve


def _resolve(self: PDFObjRef, default: object = None):
    seen = [self.objid]
    x = _original(self, default)
    while isinstance(x, PDFObjRef):
        if x.objid in seen or len(seen) >= MAX_CHAIN:
            ring = " → ".join(f"{n} 0 R" for n in [*seen, x.objid][:12])
            what = "is a reference to itself" if len(seen) == 1 and x.objid == self.objid else \
                "leads back to itself through a ring of references"
            raise ReferenceCycle(f"object {self.objid} {what} ({ring}); the file is damaged")
        seen.append(x.objid)
        x = _original(x, default)
    return x


def guard() -> None:
    """Install the bounded `resolve` (idempotent)."""
    if PDFObjRef.resolve is not _resolve:
        PDFObjRef.resolve = _resolve
