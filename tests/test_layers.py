"""The code stands in layers and every import runs down them, never back up:

    extractors/  ←  budgets/ (the core: db, pipeline, audit, publish …)  ←  crawler/
                 ←  budgets/cli/ (the command line) and plugins/ (the web)

The extractors read bytes and know no database; the core loads, audits and publishes; the crawler
fetches and hands what it fetched to the core; the command line and the Datasette plugin stand on
top. An import that runs back up (the core asking the crawler, the crawler asking the command
line) is what this test refuses, wherever it stands: at the top of a file or inside a function.

Inside the core, folders stand in layers too: budgets/audit/ uses the core's files (schema, db),
budgets/afterload/ uses the audit, and no two folders of budgets/ import each other in a circle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (layer, height): a file may import its own layer and any lower one. The command line and the web
# share the top floor and do not import each other.
LAYERS = {"extractors": 0, "core": 1, "crawler": 2, "command line": 3, "web": 3}


def layer_of_module(name: str) -> str | None:
    """The layer of a dotted module name of this project (None: a library)."""
    top = name.split(".")[0]
    if top == "extractors":
        return "extractors"
    if top == "crawler":
        return "crawler"
    if top == "plugins":
        return "web"
    if top == "budgets":
        return "command line" if name.split(".")[1:2] in (["cli"], ["__main__"]) else "core"
    return None


def layer_of_file(path: Path, root: Path) -> str | None:
    return layer_of_module(".".join(path.relative_to(root).with_suffix("").parts))


def _is_module(dotted: str, root: Path) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in a file, at any depth; `from a import b` names a.b
    when b is a module of its own."""
    package = list(path.relative_to(root).parent.parts)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.append((node.lineno, sub if _is_module(sub, root) else module))
    return found


def back_edges(root: Path = ROOT) -> list[str]:
    """Every import from a file to a module of a higher layer, or across the top floor."""
    edges = []
    for path in sorted(p for d in ("extractors", "budgets", "crawler", "plugins") for p in (root / d).rglob("*.py")):
        own = layer_of_file(path, root)
        for line, module in imported_modules(path, root):
            target = layer_of_module(module)
            if target is None or target == own:
                continue
            if LAYERS[target] >= LAYERS[own]:
                edges.append(f"{path.relative_to(root)}:{line} ({own}) imports {module} ({target})")
    return edges


def _folder_of_module(dotted: str, root: Path) -> str | None:
    """The folder a module's file stands in ('budgets/audit' for budgets.audit and budgets.audit.model)."""
    path = root.joinpath(*dotted.split("."))
    if (path / "__init__.py").is_file():
        return path.relative_to(root).as_posix()
    if path.with_suffix(".py").is_file():
        return path.parent.relative_to(root).as_posix()
    return None


def folder_circles(root: Path = ROOT, top: str = "budgets") -> list[list[str]]:
    """Groups of folders under `top` that import each other in a circle, each group sorted."""
    imports: dict[str, set[str]] = {}
    for path in sorted((root / top).rglob("*.py")):
        # `python -m budgets` is the command line's, whatever folder its file stands in
        own = f"{top}/cli" if path.name == "__main__.py" else path.parent.relative_to(root).as_posix()
        for _, module in imported_modules(path, root):
            folder = _folder_of_module(module, root) if module.split(".")[0] == top else None
            if folder is not None and folder != own:
                imports.setdefault(own, set()).add(folder)

    def reached(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for folder in imports.get(todo.pop(), ()):
                if folder not in seen:
                    seen.add(folder)
                    todo.append(folder)
        return seen

    reach = {folder: reached(folder) for folder in imports}
    circles = {tuple(sorted(f for f in reach if f == folder or (f in reach[folder] and folder in reach[f])))
               for folder in reach if folder in reach[folder]}
    return sorted(list(c) for c in circles)


def test_every_import_runs_down_the_layers():
    assert back_edges() == []


@pytest.mark.parametrize("module, layer", [
    ("extractors.vocabulary", "extractors"), ("budgets.db", "core"), ("budgets.progress", "core"),
    ("budgets.audit.model", "core"), ("crawler.pipelines", "crawler"), ("budgets.cli", "command line"),
    ("budgets.cli.crawl", "command line"), ("budgets.__main__", "command line"),
    ("plugins.budgets_site", "web"), ("scrapy", None),
])
def test_a_module_belongs_to_the_layer_its_folder_names(module, layer):
    assert layer_of_module(module) == layer


def test_an_import_back_up_is_caught_even_inside_a_function(tmp_path):
    for folder in ("budgets", "budgets/cli", "crawler"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "budgets" / "reports.py").write_text("def show():\n    from crawler.run import run_crawls\n")
    (tmp_path / "crawler" / "run.py").write_text("from budgets import cli\nfrom budgets import db\n")
    assert back_edges(tmp_path) == ["budgets/reports.py:2 (core) imports crawler.run (crawler)",
                                    "crawler/run.py:1 (crawler) imports budgets.cli (command line)"]


def test_no_two_folders_of_the_core_import_each_other():
    assert folder_circles() == []


def test_a_circle_between_folders_of_the_core_is_caught(tmp_path):
    for folder in ("budgets", "budgets/audit", "budgets/cli"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "budgets" / "db.py").write_text("")
    (tmp_path / "budgets" / "settle.py").write_text("def settle():\n    from budgets.audit import checks\n")
    (tmp_path / "budgets" / "audit" / "checks.py").write_text("from budgets.db import connect\n")
    (tmp_path / "budgets" / "cli" / "main.py").write_text("from budgets import settle\n"
                                                           "from budgets.audit import checks\n")
    assert folder_circles(tmp_path) == [["budgets", "budgets/audit"]]
    (tmp_path / "budgets" / "settle.py").write_text("")
    assert folder_circles(tmp_path) == []


def test_the_crawler_holds_no_sql():
    sql = ('"SELECT ', '"UPDATE ', '"DELETE FROM', '"INSERT INTO', ".rows_where(", ".upsert(", '.insert({')
    holding = sorted(f"{p.relative_to(ROOT)}: {word.strip()}" for p in (ROOT / "crawler").rglob("*.py")
                     for word in sql if word in p.read_text(encoding="utf-8"))
    assert holding == []
