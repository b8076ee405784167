"""The Scrapy side: one spider (`disclosures`) driven by one small config per site (`crawler/sites/`).

Raw bytes are stored first (`data/raw/<site>/<sha256>.<ext>`), then handed to
`budgets.pipeline.ingest_bytes`, the one path from bytes to the database.
"""
