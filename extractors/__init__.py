"""Bytes in, tables and budget lines out. Nothing here imports Scrapy or touches the database.

A document's bytes come in through `read_document` (extractors/read.py), which detects the
format, checks sizes and containers, dispatches to the format's reader and words the errors.
"""
from extractors.read import read_document

__all__ = ["read_document"]
