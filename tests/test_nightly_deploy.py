"""Scheduling: the cron line and systemd units in deploy/ say what the README says, scrapyd on
127.0.0.1 runs the spider from the project's egg. (`budgets demo` run twice on one database:
tests/test_demo_command.py.)"""
from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest

from crawler.demo.server import SiteServer
from crawling import ROOT
from test_nightly import demo_site, free_port, query

DEPLOY = ROOT / "deploy"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_the_cron_line_runs_budgets_nightly_once_a_night_one_at_a_time():
    lines = [l for l in (DEPLOY / "cron").read_text().splitlines() if l.strip() and not l.startswith("#")]
    entry = next(l for l in lines if "budgets nightly" in l)
    minute, hour, day, month, weekday, command = entry.split(None, 5)
    assert (day, month, weekday) == ("*", "*", "*") and minute.isdigit() and hour.isdigit()
    assert "flock -n" in command


@pytest.mark.slow
def test_the_systemd_timer_starts_the_nightly_service_every_night():
    service, timer = unit("budgets-nightly.service"), unit("budgets-nightly.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert "budgets nightly" in service["Service"]["ExecStart"]
    assert timer["Timer"]["OnCalendar"].startswith("*-*-*") and timer["Timer"]["Persistent"] == "true"
    assert "budgets-serve.service" in service["Service"]["ExecStopPost"]
    if shutil.which("systemd-analyze"):
        calendar = subprocess.run(["systemd-analyze", "calendar", timer["Timer"]["OnCalendar"]],
                                  capture_output=True, text=True)
        assert calendar.returncode == 0, calendar.stderr


# --- scrapyd ---------------------------------------------------------------------------------------

def load_egg_builder():
    spec = importlib.util.spec_from_file_location("egg", DEPLOY / "scrapyd" / "egg.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def api(port: int, endpoint: str, data: dict | None = None, files: dict | None = None) -> dict:
    url = f"http://127.0.0.1:{port}/{endpoint}"
    if files:  # multipart/form-data, as addversion.json wants the egg
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in (data or {}).items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
        for name, content in files.items():
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.egg\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    elif data is not None:
        request = urllib.request.Request(url, urllib.parse.urlencode(data, doseq=True).encode())
    else:
        request = url
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("scrapyd") is None, reason="scrapyd is not installed")
def test_scrapyd_runs_the_spider_from_the_project_egg(tmp_path):
    port = free_port()
    config = (DEPLOY / "scrapyd" / "scrapyd.conf").read_text().replace("6800", str(port))
    (tmp_path / "scrapyd.conf").write_text(config)
    egg = load_egg_builder().build_egg(tmp_path / "district-budgets.egg")
    db = tmp_path / "budgets.db"
    # budgets/ and extractors/ are installed where scrapyd runs (here: this checkout on the path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    scrapyd = subprocess.Popen([shutil.which("scrapyd")], cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.time() + 20
        while True:
            try:
                api(port, "daemonstatus.json")
                break
            except OSError:
                assert scrapyd.poll() is None and time.time() < deadline, "scrapyd did not start"
                time.sleep(0.1)
        added = api(port, "addversion.json", {"project": "budgets", "version": "1"}, {"egg": egg.read_bytes()})
        assert added["status"] == "ok" and "disclosures" in api(port, "listspiders.json?project=budgets")["spiders"]
        with SiteServer(demo_site(tmp_path)) as server:
            settings = [f"BUDGETS_DB={db}", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_START_DELAY=0.01",
                        "BUDGETS_PROGRESS_INTERVAL=0", "RETRY_TIMES=0"]
            job = api(port, "schedule.json", {"project": "budgets", "spider": "disclosures", "site": "demo",
                                              "replica": f"127.0.0.1:{server.port}", "setting": settings})
            assert job["status"] == "ok", job
            deadline = time.time() + 60
            while not any(j["id"] == job["jobid"] for j in api(port, "listjobs.json?project=budgets")["finished"]):
                assert time.time() < deadline, "the scrapyd job did not finish"
                time.sleep(0.3)
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=10)
    run = query(db, "SELECT * FROM crawl_runs")[-1]
    # the seed page and its renditions (four distinct files), and the PDF disclosures where the corpus is here
    assert run["site"] == "demo" and run["documents_new"] >= 4, run
