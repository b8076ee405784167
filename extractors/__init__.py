"""Bytes in, tables and budget lines out. Nothing here imports Scrapy or touches the database."""
