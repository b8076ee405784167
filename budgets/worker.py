"""Extraction of one document in a child process that can be killed.

Every format's extractor runs here, behind the checks in ``extractors.limits``: a file that
would take too long is stopped after ``PARSE_TIMEOUT_S`` seconds, one that would eat the
machine's memory hits ``WORKER_MEMORY_MB`` (RLIMIT_AS in the child), and one that crashes the
parser kills only the child. Whatever happens, the caller gets an ``Extraction`` or an
``ExtractionError`` whose message names the file and says what to do; the run goes on.

``BUDGETS_NO_WORKER=1`` runs extractors in-process (for a debugger); the checks still apply.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
import resource
import signal

from extractors import limits, registry
from extractors.model import Extraction, ExtractionError

# Formats that name a binary file: an HTML page with one of these names is usually an error page.
_BINARY_NAMES = ("pdf", "xls", "xlsx", "doc", "docx", "zip", "et", "wps", "rar", "7z", "ofd")
_READABLE_NAMES = ("pdf", "xls", "xlsx", "doc", "docx", "zip", "et", "wps", "html", "htm", "txt")
_MAGIC = [  # formats this tool does not read, for a clearer message than "unknown"
    (b"Rar!\x1a\x07", "a RAR archive", "unsupported", "unpack it and ingest the folder"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "unsupported", "unpack it and ingest the folder"),
    (b"\x1f\x8b", "a gzip file", "unsupported", "unpack it and ingest the result"),
    (b"\x89PNG", "a PNG image", "needs_ocr", "its tables need OCR"),
    (b"\xff\xd8\xff", "a JPEG image", "needs_ocr", "its tables need OCR"),
    (b"GIF8", "a GIF image", "needs_ocr", "its tables need OCR"),
    (b"II*\x00", "a TIFF image", "needs_ocr", "its tables need OCR"),
    (b"MM\x00*", "a TIFF image", "needs_ocr", "its tables need OCR"),
    (b"{\\rtf", "an RTF document", "unsupported", "save it as DOCX or PDF and ingest that"),
]


def extract_document(data: bytes, fmt: str, filename: str = "") -> Extraction:
    """Extract one document within the limits; raises ExtractionError for anything that fails."""
    name = filename or "the document"
    limits.check_document_size(len(data), name)
    if os.environ.get("BUDGETS_NO_WORKER"):
        return extract_checked(data, fmt, filename)
    return _in_child(data, fmt, filename)


def extract_checked(data: bytes, fmt: str, filename: str = "") -> Extraction:
    """What the child does: container checks, the format's extractor, then checks on its result."""
    name = filename or "the document"
    extension = filename.lower().rpartition(".")[2] if "." in filename else ""
    if not data:
        raise ExtractionError(f"{name} is empty (0 bytes); the download failed: fetch it again")
    if fmt == "unknown":
        raise _unknown_format(data, name, extension)
    if fmt == "zip":
        limits.check_archive(data, name)
    if fmt in ("xlsx", "docx"):
        limits.check_office_package(data, name)
    disguised = fmt == "html" and extension in _BINARY_NAMES
    if disguised and extension not in ("xls", "doc", "et", "wps"):
        raise _error_page(data, name, extension)
    try:
        extraction = registry.extract(data, fmt, filename)
    except ExtractionError as exc:
        raise ExtractionError(_naming(str(exc), name), exc.status) from None
    if disguised and not extraction.tables:  # old report systems do export HTML tables as .xls
        raise _error_page(data, name, extension)
    extraction.error = _naming(extraction.error, name) if extraction.error else extraction.error
    extraction.children = safe_children(extraction.children, name)
    return extraction


def safe_children(children: list[tuple[str, bytes]], parent: str) -> list[tuple[str, bytes]]:
    """Archive members as the pipeline may store them: safe, unique names, bounded in number and
    in total size, whatever the archive's own directory claimed."""
    bounds = limits.DEFAULT
    if len(children) > bounds.max_members:
        raise ExtractionError(f"{parent} yielded {len(children)} members, more than the "
                              f"{bounds.max_members} limit (BUDGETS_ZIP_MAX_MEMBERS)")
    total = sum(len(member) for _, member in children)
    if total > bounds.max_total_bytes:
        raise ExtractionError(f"{parent} inflated to {limits.human_size(total)}, more than the "
                              f"{limits.human_size(bounds.max_total_bytes)} limit (BUDGETS_ZIP_MAX_MB)")
    seen: set[str] = set()
    safe = []
    for number, (member_name, member) in enumerate(children, 1):
        clean = limits.safe_member_name(member_name, fallback=f"member-{number}")
        candidate, copy = clean, 1
        while candidate in seen:
            copy += 1
            stem, dot, ext = clean.rpartition(".")
            candidate = f"{stem}~{copy}.{ext}" if dot else f"{clean}~{copy}"
        seen.add(candidate)
        safe.append((candidate, member))
    return safe


def _naming(message: str, name: str) -> str:
    """Every error names its file, whichever extractor wrote it."""
    message = " ".join(message.split())
    return message if name in message else f"{name}: {message}"


def _unknown_format(data: bytes, name: str, extension: str) -> ExtractionError:
    for magic, what, status, todo in _MAGIC:
        if data.startswith(magic):
            return ExtractionError(f"{name} is {what}, which this tool does not read; {todo}", status)
    head = data[:8].hex(" ")
    if extension in _READABLE_NAMES:
        return ExtractionError(
            f"{name} is named .{extension} but its bytes are not a {extension.upper()} file nor any "
            f"format this tool reads (they start {head}); the download is probably broken or the "
            "site mislabelled it: fetch it again or open it by hand"
        )
    return ExtractionError(
        f"{name} is not a format this tool reads (its bytes start {head}); convert it to PDF, "
        "XLSX or DOCX to ingest it", status="unsupported")


def _error_page(data: bytes, name: str, extension: str) -> ExtractionError:
    text = data[:65536].decode("utf-8", errors="replace")
    if "\ufffd" in text:  # Chinese sites' error pages are often GBK
        text = data[:65536].decode("gb18030", errors="replace")
    match = re.search(r"<title[^>]*>(.*?)</title>|<h1[^>]*>(.*?)</h1>", text, re.I | re.S)
    heading = " ".join(re.sub(r"<[^>]+>", " ", next(g for g in match.groups() if g is not None)).split()) if match else ""
    said = f" titled {heading[:80]!r}" if heading else ""
    return ExtractionError(
        f"{name} is named .{extension} but holds an HTML page{said}, not the file: the site served "
        "an error or login page instead; check the link and fetch it again"
    )


# --- the child process -------------------------------------------------------------------

def _in_child(data: bytes, fmt: str, filename: str) -> Extraction:
    name = filename or "the document"
    timeout = limits.PARSE_TIMEOUT_S
    memory_mb = limits.WORKER_MEMORY_MB
    context = multiprocessing.get_context("fork")  # the child inherits `data` without a copy
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main,
                            args=(sender, data, fmt, filename, memory_mb, os.getpid()),
                            name=f"extract {name}", daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ExtractionError(
                f"reading {name} took longer than {timeout:g} s and was stopped; the file may be "
                "pathological, or raise BUDGETS_PARSE_TIMEOUT_S if it is just very large"
            )
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            raise ExtractionError(_death(child.exitcode, name, fmt, memory_mb)) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return payload
    if kind == "memory":
        raise ExtractionError(
            f"reading {name} needed more than {memory_mb:g} MB of memory and was stopped; raise "
            "BUDGETS_WORKER_MEMORY_MB if the machine has room and the file is a real disclosure"
        )
    message, status = payload
    raise ExtractionError(message, status)


def _child_main(sender, data: bytes, fmt: str, filename: str, memory_mb: float, parent: int) -> None:
    _die_with_parent(parent)
    _limit_memory(memory_mb)
    name = filename or "the document"
    try:
        result = ("ok", extract_checked(data, fmt, filename))
    except ExtractionError as exc:
        result = ("error", (str(exc), exc.status))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # a bug or a file no extractor foresaw: recorded, the run goes on
        detail = " ".join(str(exc).split())[:300]
        result = ("error", (f"{type(exc).__name__} while reading {name} as {fmt}: {detail} "
                            "(a bug in this tool's reader: please report it with the file)", "failed"))
    try:
        sender.send(result)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # e.g. a result that cannot be pickled
        sender.send(("error", (f"{type(exc).__name__} while returning what was read from {name}: {exc}",
                               "failed")))
    sender.close()
    os._exit(0)  # skip the parent's atexit handlers, inherited through fork


def _die_with_parent(parent: int) -> None:
    """If the run is killed, its worker goes too (Linux); no orphan keeps parsing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(memory_mb: float) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = int(memory_mb * limits.MB)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _death(exitcode: int | None, name: str, fmt: str, memory_mb: float) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = signal.Signals(-exitcode).name
        except ValueError:
            how = f"signal {-exitcode}"
        return (f"the {fmt} reader crashed ({how}) while reading {name}, possibly out of memory "
                f"(limit {memory_mb:g} MB); the file is probably damaged: open it by hand, and "
                "please report it with the file")
    return (f"the {fmt} reader stopped (exit code {exitcode}) without a result while reading "
            f"{name}; please report it with the file")
