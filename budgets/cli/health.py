"""`budgets health`: how well what is loaded agrees with the documents' own arithmetic."""
from __future__ import annotations

import json

from budgets import db as database
from budgets.health import HEADER, LEGEND, format_row, health


def run(args) -> int:
    db = database.connect(args.db)
    report = health(db)
    if args.json:
        print(json.dumps({
            "whole": report.whole.as_dict(),
            "groups": {name: tally.as_dict() for name, tally in report.groups.items()},
            "documents": [{"id": doc["id"], "path": doc["raw_path"] or doc["url"], "status": doc["status"],
                           **tally.as_dict()} for doc, tally in report.documents],
        }, ensure_ascii=False, indent=1))
        return 0
    print(HEADER)
    for name, tally in report.groups.items():
        print(format_row(name, tally))
    print(format_row("all", report.whole))
    if args.documents:
        print()
        print(HEADER)
        for doc, tally in report.documents:
            name = (doc["raw_path"] or doc["url"] or doc["id"]).rsplit("/", 1)[-1]
            print(format_row(name, tally) + f"  {name}")
    if args.misses:
        for doc, tally in report.documents:
            for check, line in tally.misses:
                print(f"{check} miss  p{line['page']} t{line['table_index']} r{line['row_index']} "
                      f"{line['subject_code'] or line['item']} {line['measure']}  "
                      f"{(doc['raw_path'] or doc['url']).rsplit('/', 1)[-1]}  | {line['source_text']}")
    print()
    print(LEGEND)
    return 0
