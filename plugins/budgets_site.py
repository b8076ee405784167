"""Datasette plugin for the budgets site: the pages, charts, links to sources, menu entries and
the read-only guards. The code is the package beside this file (budgets_site/, one module per
page and per hook family); this file is what `--plugins-dir plugins` loads (budgets serve does).

Datasette runs each *.py file of a plugins folder as a module of its own, outside any package,
so this one imports the package from its folder and names the hooks for Datasette to find.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

PACKAGE = "budgets_site"


def load_package():
    """The package beside this file, imported once per process (Datasette runs this file again
    for every Datasette it makes)."""
    if PACKAGE not in sys.modules:
        folder = Path(__file__).resolve().with_suffix("")
        spec = importlib.util.spec_from_file_location(PACKAGE, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    return sys.modules[PACKAGE]


load_package()

from budgets_site.asgi import asgi_wrapper  # noqa: E402,F401
from budgets_site.assets import extra_body_script  # noqa: E402,F401
from budgets_site.authorizer import prepare_connection  # noqa: E402,F401
from budgets_site.errors import handle_exception  # noqa: E402,F401
from budgets_site.exports import table_actions  # noqa: E402,F401
from budgets_site.rendering import render_cell  # noqa: E402,F401
from budgets_site.routes import menu_links, register_routes  # noqa: E402,F401
