"""Build the egg scrapyd runs, without the setup.py that `scrapyd-deploy` would write into the
repository: the Scrapy project (`crawler/`) and the entry point naming its settings. The rest of
the tool (`budgets/`, `extractors/`) reads data files that a zipped egg cannot hand out, so it is
installed on the scrapyd machine as usual (`pip install .` or scripts/install.sh), as any
dependency of a scrapyd project is.

    python deploy/scrapyd/egg.py build/district-budgets.egg
    curl http://127.0.0.1:6800/addversion.json -F project=budgets -F version=$(date +%s) \
         -F egg=@build/district-budgets.egg
    curl http://127.0.0.1:6800/schedule.json -d project=budgets -d spider=disclosures -d site=cqtn \
         -d setting=BUDGETS_DB=/srv/district-budgets/data/budgets.db
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("crawler",)


def build_egg(target: Path, version: str = "1.0", root: Path = ROOT) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as egg:
        for package in PACKAGES:
            for path in sorted((root / package).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                    egg.write(path, path.relative_to(root).as_posix())
        egg.writestr("EGG-INFO/PKG-INFO",
                     f"Metadata-Version: 1.1\nName: district-budgets\nVersion: {version}\n")
        egg.writestr("EGG-INFO/entry_points.txt", "[scrapy]\nsettings = crawler.settings\n")
        egg.writestr("EGG-INFO/top_level.txt", "\n".join(PACKAGES) + "\n")
        egg.writestr("EGG-INFO/zip-safe", "\n")
    return target


if __name__ == "__main__":
    print(build_egg(Path(sys.argv[1] if len(sys.argv) > 1 else "build/district-budgets.egg")))
