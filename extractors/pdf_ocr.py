"""Optional OCR for pages that have no text layer (scans), with RapidOCR's bundled ONNX models.

Off unless asked for (`extract(..., ocr=True)` or BUDGETS_OCR=1 in the environment): OCR is
slow on two cores (seconds per page) and a scan's tables are not rebuilt from it — the page's
words come back as text lines for the narrative and the document title, and the document is
marked partial. Needs the optional extra `ocr` (rapidocr-onnxruntime).
"""
from __future__ import annotations

import os
from functools import lru_cache

SCALE = 2.0  # render at 144 dpi: small Chinese print needs it


def enabled(requested: bool | None) -> bool:
    return requested if requested is not None else os.environ.get("BUDGETS_OCR") == "1"


def available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_words(data: bytes, index: int) -> list[dict]:
    """The words OCR reads on one page, positioned in PDF points like pdfplumber's words."""
    import numpy as np
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        image = document[index].render(scale=SCALE).to_pil()
    finally:
        document.close()
    found, _ = _engine()(np.array(image.convert("RGB")))
    words = []
    for box, text, _score in found or []:
        xs = [p[0] / SCALE for p in box]
        ys = [p[1] / SCALE for p in box]
        words.append({"text": text, "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)})
    return words
