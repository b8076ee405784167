"""Format name → reader. Each reader is `extract(data: bytes, filename: str) -> Extraction`.

Readers are imported when first used, so reading one HTML page does not load the PDF stack.
Documents come in through `extractors.read.read_document`, which calls `extract` here.
"""
from __future__ import annotations

import importlib

from extractors.model import Extraction, ExtractionError

EXTRACTORS = {
    "textdump": "extractors.textdump:extract",
    "html": "extractors.html:extract",
    "pdf": "extractors.pdf:extract",
    "xlsx": "extractors.spreadsheet:extract",
    "xls": "extractors.spreadsheet:extract",
    "et": "extractors.spreadsheet:extract",
    "docx": "extractors.wordprocessing:extract",
    "doc": "extractors.wordprocessing:extract",
    "wps": "extractors.wordprocessing:extract",
    "zip": "extractors.archive:extract",
}


def extractor_for(fmt: str):
    target = EXTRACTORS.get(fmt)
    if target is None:
        raise ExtractionError(f"format {fmt!r} is not one this tool reads", status="unsupported")
    module_name, func = target.split(":")
    return getattr(importlib.import_module(module_name), func)


def extract(data: bytes, fmt: str, filename: str = "") -> Extraction:
    return extractor_for(fmt)(data, filename)
