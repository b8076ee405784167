"""What `budgets serve` shows besides the tables, shipped with the package so that any install
finds it: metadata.yml (titles, descriptions, canned queries), plugins/ (Datasette plugins),
templates/ (the charts page) and static/ (its style sheet). The repository root links here."""
from pathlib import Path

WEB = Path(__file__).resolve().parent
