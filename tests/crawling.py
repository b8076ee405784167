"""Running the real spider in a fresh process (Twisted's reactor starts once per process)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Loopback is fast and the slow page takes 2.5 s: short delays, a 1 s timeout, one quick retry.
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_START_DELAY": "0.01",
    "AUTOTHROTTLE_MAX_DELAY": "0.05",
    "DOWNLOAD_TIMEOUT": "1",
    "RETRY_TIMES": "1",
    "RETRY_BACKOFF_BASE": "0.1",
    "BUDGETS_PROGRESS_INTERVAL": "0",
    "LOG_LEVEL": "INFO",
}


def scrapy_crawl(site: str, replica: str, db: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """`scrapy crawl disclosures -a site=SITE -a replica=ADDRESS` with the fast settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", f"site={site}",
               "-a", f"replica={replica}", "-s", f"BUDGETS_DB={db}"]
    for name, value in FAST.items():
        command += ["-s", f"{name}={value}"]
    command += list(args)
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def crawl_from_home(server, home: str, db: Path, *args: str, timeout: float = 300) -> list[str]:
    """`scrapy crawl disclosures -a home=HOME` against a running replica `server` (its hosts
    mapped to 127.0.0.1), keeping the raw files only: the URLs the server was asked for, in order.
    `args` adds spider arguments or settings."""
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosures", "-a", f"home={home}",
               "-a", f"replica=127.0.0.1:{server.port}", "-s", f"BUDGETS_DB={db}",
               "-s", 'ITEM_PIPELINES={"crawler.pipelines.RawFilesPipeline": 100}', *args]
    for name, value in FAST.items():
        command += ["-s", f"{name}={value}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return list(server.requested_urls)
