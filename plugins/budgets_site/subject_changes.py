"""A subject across editions of the classification: what the crosswalk (`subject_changes`) says a
code was before and became after, and one department's row joined across a moved code."""
from __future__ import annotations

JOINED = ("renamed", "moved")


async def changes_of(db, code: str) -> tuple[list[dict], list[dict]]:
    """The changes that lead to `code` (what it was) and from it (what it became), oldest first."""
    if not code or not await db.table_exists("subject_changes"):
        return [], []
    rows = [dict(r) for r in (await db.execute(
        "select * from subject_changes where new_code = :code or old_code = :code order by from_year, old_code",
        {"code": code})).rows]
    earlier = [r for r in rows if r["new_code"] == code and (r["old_code"] != code or r["old_name"] != r["new_name"])]
    later = [r for r in rows if r["old_code"] == code and r["new_code"] != code]
    return earlier, later


def change_text(change: dict) -> str:
    """What a code was: '30113 住房公积金 from 2018, was 30311 住房公积金'; '20805 行政事业单位养老支出
    from 2023, was named 行政事业单位离退休 (last printed 2019)'."""
    gap = f" (last printed {change['old_until']})" if change["old_until"] < change["from_year"] - 1 else ""
    if change["old_code"] == change["new_code"] and change["kind"] in JOINED:
        return (f"{change['new_code']} {change['new_name']} from {change['from_year']}, "
                f"was named {change['old_name']}{gap}")
    if change["kind"] not in JOINED:
        return (f"{change['new_code']} {change['new_name']} from {change['from_year']}, split from "
                f"{change['old_code']} {change['old_name']}{gap}: the years before are not joined")
    return (f"{change['new_code']} {change['new_name']} from {change['from_year']}, "
            f"was {change['old_code']} {change['old_name']}{gap}")


def later_text(change: dict) -> str:
    """What an old code became: '2130135 … until 2018; from 2019 see 2130153 …'."""
    return (f"{change['old_code']} {change['old_name']} until {change['old_until']}; "
            f"from {change['from_year']} see {change['new_code']} {change['new_name']} ({change['kind']})")


def join_moved(rows: list[dict], old_rows: list[dict], change: dict, years: list[int]) -> list[dict]:
    """Each department's row of the new code with the years before the move taken from the old
    code's row (a department printing only the old code keeps its row, under the new code);
    `joined_from` names the old code on every row that took a figure from it."""
    by_key = {(r["district"], r["department"]): dict(r) for r in rows}
    before = [y for y in years if y < change["from_year"]]
    for old in old_rows:
        key = (old["district"], old["department"])
        row = by_key.setdefault(key, {**{k: v for k, v in old.items() if not k.startswith(("budget_", "final_"))},
                                      "subject_code": change["new_code"], "subject_name": change["new_name"]})
        took = False
        for year in before:
            for prefix in ("budget", "final"):
                column = f"{prefix}_{year}"
                if row.get(column) is None and old.get(column) is not None:
                    row[column] = old[column]
                    took = True
        if took:
            row["joined_from"] = change["old_code"]
    return sorted(by_key.values(), key=lambda r: (r["district"], r["department"]))
