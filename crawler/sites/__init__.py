"""Site configs, one small module per site. `load(name)` gives a checked config."""
from __future__ import annotations

import importlib
import pkgutil

from crawler.sites.base import Site


def config_classes() -> dict[str, type[Site]]:
    classes: dict[str, type[Site]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Site) and value.__module__ == module.__name__
                    and value.name):
                classes[value.name] = value
    return dict(sorted(classes.items()))


def names() -> list[str]:
    return list(config_classes())


def load(name: str) -> Site:
    """The config of site `name`, checked; KeyError names the sites there are."""
    classes = config_classes()
    if name not in classes:
        raise KeyError(f"no site called {name!r}; configured sites: {', '.join(classes)}")
    return classes[name]()


def usable_names() -> list[str]:
    """The sites `--all` (and `budgets nightly` without --site) runs: every config marked usable,
    not the demo (it is served and crawled by `budgets demo`)."""
    return [n for n, c in config_classes().items() if n != "demo" and getattr(c, "usable", True)]
