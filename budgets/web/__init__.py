"""What `budgets serve` shows besides the tables, shipped with the package so that any install
finds it: metadata.yml (titles, descriptions, canned queries), plugins/ (Datasette plugins),
templates/ (the charts page) and static/ (its style sheet). In a checkout these are links to
the files at the repository root; a wheel holds the files themselves."""
from pathlib import Path

WEB = Path(__file__).resolve().parent
