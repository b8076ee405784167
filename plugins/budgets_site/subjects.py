"""The subject lookups the pages share: what a typed code or name means, the subjects to offer,
and one subject's amounts by department and year (the wide view)."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.constants import Stage, TableKind

from . import WIDE_VIEW
from .subject_changes import join_moved


async def subject_choices(db) -> list[dict]:
    """The subjects the published lines print, for the pages' datalists."""
    rows = await db.execute(
        "select subject_code as code, max(subject_name) as name from published_lines "
        f"where subject_code != '' and table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' group by subject_code "
        "order by subject_code")
    return [dict(row) for row in rows.rows]


async def resolve_subject(db, typed: str) -> tuple[str, list[dict]]:
    """A code, or a name or part of one: the code when exactly one subject matches (or the typed
    text is a code), otherwise "" and the subjects that match (none: nothing matched)."""
    typed = typed.strip()
    if not typed:
        return "", []
    first = typed.split()[0]
    if first.isdigit():
        return first, []
    rows = (await db.execute(
        "select subject_code as code, max(subject_name) as name from published_lines "
        "where subject_code != '' and subject_name like '%' || ? || '%' "
        f"and table_kind = '{TableKind.GENERAL_BUDGET_EXPENDITURE}' and classification = 'functional' "
        "group by subject_code order by length(subject_code), subject_code limit 50", [typed])).rows
    if not rows:
        rows = (await db.execute(
            "select code, name from subjects where name like '%' || ? || '%' and classification = 'functional' "
            "order by length(code), code limit 50",
            [typed])).rows
    rows = [dict(row) for row in rows]
    exact = [row for row in rows if row["name"] == typed]
    if len(rows) == 1 or len(exact) == 1:
        return (exact or rows)[0]["code"], []
    return "", rows


@dataclass(frozen=True)
class SubjectQuery:
    """What a page's subject box asked for: the code it resolved to, or the subjects to pick from,
    or nothing at all. Every page that takes a subject reads it by this one rule."""
    typed: str
    code: str = ""
    matches: list[dict] = field(default_factory=list)

    @property
    def nothing_matched(self) -> bool:
        """Text was typed and names no subject: the page says so and draws nothing in its place."""
        return bool(self.typed) and not self.code and not self.matches


async def read_subject_query(db, typed: str) -> SubjectQuery:
    code, matches = await resolve_subject(db, typed)
    return SubjectQuery(typed.strip(), code, matches)


async def wide_year_columns(db) -> list[int]:
    names = [row[1] for row in (await db.execute(f"pragma table_info([{WIDE_VIEW}])")).rows]
    return sorted({int(n.split("_", 1)[1]) for n in names if n.startswith(("budget_", "final_"))})


async def subject_series(db, code, district="", department="", stages=(Stage.BUDGET, Stage.FINAL_ACCOUNT), moves=()):
    """The subject × department × year rows of one code, and one series per department and stage;
    `moves` (crosswalk changes to `code` from another code) join the old code's earlier years."""
    years = await wide_year_columns(db)
    rows = await wide_rows(db, code, district, department)
    for change in moves:
        rows = join_moved(rows, await wide_rows(db, change["old_code"], district, department), change, years)
    series = []
    for row in rows:
        for stage in stages:
            prefix = "budget" if stage == Stage.BUDGET else "final"
            points = [(year, row[f"{prefix}_{year}"]) for year in years if row.get(f"{prefix}_{year}") is not None]
            if points:
                name = f"{row['district']} {row['department']}" + (" · 决算" if stage != Stage.BUDGET else " · 预算")
                series.append({"name": name, "points": points, "dashed": stage != Stage.BUDGET})
    return series, rows, years


async def wide_rows(db, code, district="", department="") -> list[dict]:
    return [dict(row) for row in (await db.execute(
        f"select * from [{WIDE_VIEW}] where subject_code = :code and (:district = '' or district = :district) "
        "and (:department = '' or department = :department) order by district, department",
        {"code": code, "district": district, "department": department})).rows]


async def subject_name(db, code) -> str:
    row = (await db.execute("select name from subjects where code = ? order by valid_from desc limit 1",
                            [code])).first()
    return row[0] if row else ""


async def latest_year(db, stage) -> int | None:
    row = (await db.execute("select max(fiscal_year) from published_documents where stage = ?", [stage])).first()
    return row[0] if row else None
