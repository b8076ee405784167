"""Reading one document in a child process that can be stopped.

`extractors.read_document` does the reading; this module only isolates it. The child is
forked (it inherits the bytes without a copy), limited to ``limits.WORKER_MEMORY_MB`` of address
space (RLIMIT_AS), stopped after ``limits.PARSE_TIMEOUT_S`` seconds, and dies with its parent
(PR_SET_PDEATHSIG). A reader that crashes kills only the child; the caller gets an
``Extraction`` or an ``ExtractionError`` whose message names the file, and the run goes on.

``BUDGETS_NO_WORKER=1`` reads in-process (for a debugger); the size and container checks
still apply, the time and memory limits do not.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
from pathlib import Path

from extractors import limits
from extractors.model import Extraction, ExtractionError
from extractors.read import read_document


def use_data_dir(folder) -> None:
    """Readers that need a scratch folder (LibreOffice's conversions) use `folder`/tmp, and what a
    killed run left there is removed (budgets.db.connect calls this with the database's folder)."""
    from extractors import wordprocessing

    wordprocessing.use_scratch_root(Path(folder) / "tmp")


def extract_document(data: bytes, fmt: str, filename: str = "") -> Extraction:
    """`read_document(data, filename, fmt)` within the time and memory limits; raises
    ExtractionError for anything that fails."""
    if os.environ.get("BUDGETS_NO_WORKER"):
        return read_document(data, filename, fmt)
    return _in_child(data, fmt, filename)


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
        result = ("ok", read_document(data, filename, fmt))
    except ExtractionError as exc:
        result = ("error", (str(exc), exc.status))
    except MemoryError:
        result = ("memory", None)
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
