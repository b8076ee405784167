"""Chinese district budget and final-account disclosures, crawled, extracted and published."""

__version__ = "0.1.0"
