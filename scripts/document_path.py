"""Which files one document's bytes pass through on their way from the spider to SQLite, traced at run time.

    python scripts/document_path.py                       # the demo site's first PDF disclosure
    python scripts/document_path.py --tree ../old-checkout --reading-from extractors.read:read_document
    python scripts/document_path.py --json                # the summary as JSON

The bundled demo site (crawler/demo) is served on 127.0.0.1 and crawled by the real spider in this
process, with every pipeline and extension of crawler/settings.py, into a fresh database. A profile
function (sys.setprofile, in every thread and in the forked readers) writes a record, as it happens
(a reader may leave by os._exit), of every call into a project file (crawler/, budgets/, extractors/,
plugins/) made with:

  bytes    the document's body, the same bytes object: an argument, or an attribute, tuple element
           or dict value of an argument (one level deep: a Response, a FetchedDocument, a Source);
  reading  what `--reading-from` (extractors.document:read_whole) returned when called with those
           bytes, or a part of it (its attributes), or what a project function returned when called
           with it or returned containing it, across the reader's pipe too; followed until its rows
           are written (`database`: sqlite3's execute/executemany from a frame that holds it).

A call's caller is the nearest project frame below it (`outside`: Scrapy, Twisted, the thread pool).
The document moves between folders by a call (caller's folder → callee's) and by a return that carries
it into another folder (returning function's folder → caller's). A move X → Y is a *back edge* when
the document had already gone from Y to X: the earlier moves lead from Y to X, so the folders'
arrows would form a circle. The files counted are those entered by a call.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sqlite3
import sys
import tempfile
import threading
from dataclasses import dataclass
from enum import Enum
from numbers import Number
from pathlib import Path
from urllib.parse import unquote, urlsplit

FOLDERS = ("crawler", "budgets", "extractors", "plugins")
OUTSIDE, DATABASE = "outside", "database"
RESUMABLE = 0x20 | 0x80 | 0x100 | 0x200  # CO_GENERATOR, CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR
PRIMITIVE = (str, bytes, bytearray, int, float, bool, complex, type(None))
LOOPBACK = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_START_DELAY": "0.01", "AUTOTHROTTLE_MAX_DELAY": "0.05",
            "RETRY_BACKOFF_BASE": "0.1", "BUDGETS_PROGRESS_INTERVAL": "0", "LOG_LEVEL": "WARNING"}


# -- counting: records in, the path out (pure)

@dataclass(frozen=True)
class Route:
    files: list[str]  # project files entered, in the order first entered
    edges: list[tuple[str, str, str]]  # (from folder, to folder, the first call or return that moved it so)
    folders: list[str]  # the folders it is in, in time order, repeats in a row merged
    back_edges: list[tuple[str, str, str]]  # edges into a folder the document had left for the caller's


def folder_of(file: str) -> str:
    return file.split("/", 1)[0] if "/" in file else file


def path_of(records: list[dict], kind: str) -> Route:
    """The path of the records of one `kind` ('bytes' or 'reading'), in the order they were written:
    a call moves the document from its caller's folder into the callee's, a return that carries it
    from the returning function's folder into its caller's."""
    mine = [r for r in records if r["kind"] == kind and r["file"] != DATABASE]
    files = list(dict.fromkeys(r["file"] for r in mine if r["event"] in ("call", "made")))
    edges, seen, folders = [], set(), []
    for r in mine:
        if r["event"] == "made":
            start = end = folder_of(r["file"])
            how = ""
        elif r["event"] == "return":
            start, end = folder_of(r["file"]), folder_of(r["caller"])
            how = f"{r['file']}:{r['function']} returns it to {r['caller']}:{r['caller_function']}"
        else:
            start, end = folder_of(r["caller"]), folder_of(r["file"])
            how = f"{r['caller']}:{r['caller_function']} → {r['file']}:{r['function']}"
        if start != end and start != OUTSIDE and (start, end) not in seen:
            seen.add((start, end))
            edges.append((start, end, how))
        if not folders or folders[-1] != end:
            folders.append(end)
    return Route(files, edges, folders, back_edges(edges))


def entered_by(records: list[dict], kind: str) -> dict[str, str]:
    """Each file entered, with the first call that entered it: 'caller file:function → file:function'."""
    first = {}
    for r in records:
        if r["kind"] == kind and r["event"] in ("call", "made") and r["file"] != DATABASE:
            first.setdefault(r["file"], f"{r['caller']}:{r['caller_function']} → {r['file']}:{r['function']}")
    return first


def per_folder(files: list[str]) -> dict[str, int]:
    counts = {folder: sum(folder_of(f) == folder for f in files) for folder in FOLDERS}
    return {folder: n for folder, n in counts.items() if n}


def from_the_spider(records: list[dict]) -> list[dict]:
    """The records from the first call into the spider (crawler/spiders/) on: what the downloader
    middlewares did with the response before is the download, not yet the spider's."""
    first = next((i for i, r in enumerate(records) if r["file"].startswith("crawler/spiders/")), 0)
    return records[first:]


def database_writes(records: list[dict]) -> list[str]:
    """The calls that write the reading into SQLite: 'budgets/db.py:Loader._load → sqlite3 executemany'."""
    return list(dict.fromkeys(f"{r['caller']}:{r['caller_function']} → sqlite3 {r['function']}"
                              for r in records if r["kind"] == "reading" and r["file"] == DATABASE))


def back_edges(edges: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Edges X → Y such that the edges before it already lead from Y to X."""
    found, before = [], []
    for edge in edges:
        caller, callee, _ = edge
        if reaches(before, callee, caller):
            found.append(edge)
        before.append((caller, callee))
    return found


def reaches(edges: list[tuple[str, str]], start: str, goal: str) -> bool:
    todo, seen = [start], {start}
    while todo:
        here = todo.pop()
        if here == goal:
            return True
        for a, b in edges:
            if a == here and b not in seen:
                seen.add(b)
                todo.append(b)
    return False


def revisits(folders: list[str]) -> list[str]:
    """Folders entered again after the document went on to another one."""
    return [f for i, f in enumerate(folders) if f in folders[:i]]


def summary(records: list[dict]) -> dict:
    out = {}
    for kind in ("bytes", "reading"):
        p = path_of(records, kind)
        out[kind] = {"files": p.files, "per_folder": per_folder(p.files), "entered_by": entered_by(records, kind),
                     "folders": p.folders, "revisits": revisits(p.folders),
                     "edges": [list(e) for e in p.edges], "back_edges": [list(e) for e in p.back_edges]}
    out["bytes"]["files_from_the_spider"] = path_of(from_the_spider(records), "bytes").files
    out["reading"]["database_writes"] = database_writes(records)
    out["files"] = list(dict.fromkeys(out["bytes"]["files"] + out["reading"]["files"]))
    return out


def report(result: dict) -> str:
    lines = []
    for kind, what in (("bytes", "called with the document's bytes"),
                       ("reading", "called with its reading, until its rows are written")):
        part = result[kind]
        counts = ", ".join(f"{folder} {n}" for folder, n in part["per_folder"].items())
        lines.append(f"{len(part['files'])} files {what} ({counts}), in the order first entered:")
        lines += [f"  {f:<32} by {part['entered_by'][f]}" for f in part["files"]]
        lines.append(f"  folders in time order: {' → '.join(part['folders']) or '(none)'}")
        lines.append("  edges between folders:")
        lines += [f"    {a} → {b}   first: {how}" for a, b, how in part["edges"]] or ["    (none)"]
        lines.append(f"  back edges: {len(part['back_edges'])}")
        lines += [f"    {a} → {b}   {how}" for a, b, how in part["back_edges"]]
        if part["revisits"]:
            lines.append(f"  folders it is in again after leaving them: "
                         f"{', '.join(part['revisits'])}")
        if "files_from_the_spider" in part:
            lines.append(f"  from the spider's first call on (not counting the downloader middlewares): "
                         f"{len(part['files_from_the_spider'])} files")
        if "database_writes" in part:
            lines.append("  written by: " + ("; ".join(part["database_writes"]) or "(never written)"))
        lines.append("")
    lines.append(f"{len(result['files'])} files in all, bytes and reading")
    return "\n".join(lines) + "\n"


# -- tracing: a profile function writing records as they happen

class Tracer:
    """Follows one document, found as the body of the Response for `url_path`, through the calls."""

    def __init__(self, root: Path, records: Path, url_path: str, producer, send_code, recv_code):
        self.root = f"{root}{os.sep}"
        self.fd = os.open(records, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self.sent = Path(f"{records}.sent")
        self.sent_seen = 0
        self.url_path = url_path
        self.producer, self.send_code, self.recv_code = producer, send_code, recv_code
        self.body: bytes | None = None
        self.reading: dict[int, object] = {}  # id → object, kept alive so an id is never reused
        self.watch: dict[int, str] = {}  # frames whose return is followed: id(frame) → 'made' | 'passed'
        self.carrying: set[int] = set()  # frames called with the reading (their sqlite3 calls write it)
        self.files: dict[object, str | None] = {}  # code → project file, None outside
        self.resumable: dict[int, object] = {}  # generator and coroutine frames recorded: a resumption is no new call

    def file_of(self, code) -> str | None:
        try:
            return self.files[code]
        except KeyError:
            name = code.co_filename
            rel = name[len(self.root):] if name.startswith(self.root) else None
            self.files[code] = rel if rel and folder_of(rel) in FOLDERS else None
            return self.files[code]

    def caller(self, frame) -> tuple[str, str]:
        frame = frame.f_back
        while frame is not None:
            if (file := self.file_of(frame.f_code)) is not None:
                return file, frame.f_code.co_qualname
            frame = frame.f_back
        return OUTSIDE, ""

    def write(self, kind: str, file: str, function: str, caller: tuple[str, str], event: str = "call") -> None:
        caller, caller_function = caller
        record = {"kind": kind, "event": event, "file": file, "function": function, "caller": caller,
                  "caller_function": caller_function, "pid": os.getpid()}
        os.write(self.fd, (json.dumps(record) + "\n").encode())

    def __call__(self, frame, event, arg):
        if event == "call":
            self.on_call(frame)
        elif event == "return":
            file = self.file_of(frame.f_code)
            if self.watch and id(frame) in self.watch:
                self.on_return(frame, arg, self.watch.pop(id(frame)))
            elif self.reading and arg is not None and file and self.holds_reading(arg):
                self.track(arg)  # a project function returned something that contains the reading
            if frame.f_code is self.recv_code and self.reading_was_sent():
                self.track(arg)  # the reader's answer, unpickled from the pipe
            self.carrying.discard(id(frame))
            if file and arg is not None:
                self.on_handed_back(frame, file, arg)
        elif event == "c_call" and self.carrying and id(frame) in self.carrying:
            if getattr(arg, "__name__", "") in ("execute", "executemany") and isinstance(
                    getattr(arg, "__self__", None), (sqlite3.Connection, sqlite3.Cursor)):
                self.write("reading", DATABASE, arg.__name__, (self.file_of(frame.f_code), frame.f_code.co_qualname))

    def on_call(self, frame) -> None:
        code = frame.f_code
        if code is self.send_code and self.reading and any(self.holds_reading(v) for v in arguments(frame)):
            with open(self.sent, "a") as sent:  # read by the parent when its recv returns
                sent.write(f"{os.getpid()}\n")
            return
        file = self.file_of(code)
        if file is None:
            return
        values = arguments(frame)
        if self.body is None:
            self.body = next((b for v in values if (b := self.body_for(v)) is not None), None)
        with_bytes = self.body is not None and any(self.holds(v, self.body) for v in values)
        with_reading = bool(self.reading) and any(self.holds_reading(v) for v in values)
        if not (with_bytes or with_reading):
            return
        if code.co_flags & RESUMABLE:
            if self.resumable.get(id(frame)) is frame:
                return
            self.resumable[id(frame)] = frame
        if with_bytes:
            self.write("bytes", file, code.co_qualname, self.caller(frame))
            if code is self.producer:
                self.watch[id(frame)] = "made"
        if with_reading:
            self.write("reading", file, code.co_qualname, self.caller(frame))
            self.watch.setdefault(id(frame), "passed")
            self.carrying.add(id(frame))

    def on_return(self, frame, value, how: str) -> None:
        if how == "made":
            self.track(value)  # the reading starts in the folder that makes it
            code = frame.f_code
            self.write("reading", self.file_of(code), code.co_qualname, self.caller(frame), event="made")
        elif value is not None:
            self.track(value)

    def on_handed_back(self, frame, file: str, value) -> None:
        """A return that carries the document into another folder is a move of the document too."""
        kinds = [kind for kind, held in (("bytes", self.body is not None and self.holds(value, self.body)),
                                         ("reading", bool(self.reading) and self.holds_reading(value))) if held]
        caller = self.caller(frame) if kinds else (OUTSIDE, "")
        if caller[0] != OUTSIDE and folder_of(caller[0]) != folder_of(file):
            for kind in kinds:
                self.write(kind, file, frame.f_code.co_qualname, caller, event="return")

    def body_for(self, value) -> bytes | None:
        """The body of a Scrapy response for the followed URL."""
        if not type(value).__module__.startswith("scrapy.http"):
            return None
        url, body = getattr(value, "url", None), getattr(value, "body", None)
        if isinstance(url, str) and isinstance(body, bytes) and body and unquote(urlsplit(url).path) == self.url_path:
            return body
        return None

    def holds(self, value, target) -> bool:
        return value is target or any(part is target for part in parts(value))

    def holds_reading(self, value) -> bool:
        return id(value) in self.reading or any(id(part) in self.reading for part in parts(value))

    def track(self, value) -> None:
        """The value and its parts, two levels deep: the reading's own parts (its lines, its row)
        are the reading too, wherever they are passed on."""
        for part in (value, *parts(value)):
            for piece in (part, *parts(part)):
                if followable(piece):
                    self.reading[id(piece)] = piece

    def reading_was_sent(self) -> bool:
        try:
            count = len(self.sent.read_text().split())
        except OSError:
            return False
        new, self.sent_seen = count > self.sent_seen, count
        return new


def followable(value) -> bool:
    """Objects of one document's own: not values that many share (constants, empty tuples, classes,
    functions, enum members)."""
    return not isinstance(value, PRIMITIVE + (tuple, frozenset, type, Number, Enum)) and not callable(value)


def arguments(frame) -> list:
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
    local = frame.f_locals
    return [local[name] for name in code.co_varnames[:count] if name in local]


def parts(value) -> list:
    """What an argument holds one level deep: attributes, tuple elements (tuples within tuples too,
    the way answers travel) and dict values."""
    if isinstance(value, PRIMITIVE):
        return []
    if isinstance(value, tuple):
        return [p for item in value for p in (item, *(parts(item) if isinstance(item, tuple) else ()))]
    if isinstance(value, dict):
        return list(value.values())
    found = []
    held = getattr(value, "__dict__", None)
    if isinstance(held, dict):
        found += held.values()
    for klass in type(value).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if name not in ("__weakref__", "__dict__") and isinstance(getattr(type(value), name, None), _SLOT):
                try:
                    found.append(getattr(value, name))
                except AttributeError:
                    pass
    return found


_SLOT = type(type("_S", (), {"__slots__": ("x",)}).x)


def function_code(spec: str):
    module, _, name = spec.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target.__code__


# -- the crawl

def crawl(tree: Path, url_path: str, records: Path, reading_from: str) -> None:
    """Serve the demo site on 127.0.0.1 and crawl it with the real spider under the tracer."""
    from multiprocessing.connection import Connection

    from crawler.demo import site as demo
    from crawler.demo.server import SiteServer
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    tracer = Tracer(tree, records, url_path, function_code(reading_from),
                    Connection.send.__code__, Connection.recv.__code__)
    with tempfile.TemporaryDirectory(prefix="document-path-") as tmp, SiteServer(demo.build()) as server:
        settings = get_project_settings()
        settings.setdict({**LOOPBACK, "BUDGETS_DB": str(Path(tmp) / "budgets.db")}, priority="cmdline")
        process = CrawlerProcess(settings)
        process.crawl("disclosures", site="demo", replica=f"127.0.0.1:{server.port}")
        threading.setprofile(tracer)
        sys.setprofile(tracer)
        try:
            process.start()
        finally:
            sys.setprofile(None)
            threading.setprofile(None)


def first_pdf() -> str:
    from crawler.demo import site as demo

    return demo.PDF_PAGES[0].pdf_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the checkout whose code is traced (default: this one)")
    parser.add_argument("--url-path", help="the demo URL path of the document (default: its first PDF)")
    parser.add_argument("--reading-from", default="extractors.document:read_whole",
                        help="module:function whose answer to the bytes is the reading (default: %(default)s)")
    parser.add_argument("--records", type=Path, help="keep the call records here (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    with tempfile.TemporaryDirectory(prefix="document-path-records-") as tmp:
        records = args.records or Path(tmp) / "records.jsonl"
        records.unlink(missing_ok=True)
        Path(f"{records}.sent").unlink(missing_ok=True)
        crawl(tree, args.url_path or first_pdf(), records, args.reading_from)
        result = summary([json.loads(line) for line in records.read_text().splitlines()])
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
