"""One stage of one document run in a child process that can be stopped.

The child is forked (it inherits what the stage needs without a copy), may map `memory_mb` of
address space beyond what it inherited (RLIMIT_AS), is stopped after `timeout_s` seconds, and dies with its parent
(PR_SET_PDEATHSIG). Reading and normalising (budgets/worker.py) and auditing
(budgets/audit/bounded.py) each run one document this way, so nothing one document does can
take the run's memory or time, or stop the next document.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
from dataclasses import dataclass
from typing import Any, Callable

from extractors import limits


@dataclass
class Outcome:
    """How the child ended: `done` (its answer in `value`), `memory` (it ran out of its memory
    limit), `raised` (`error`: the exception's type and message), `unsendable` (its answer could
    not be sent back: `error`), `timeout`, or `died` (`exitcode`)."""

    kind: str
    value: Any = None
    error: tuple[str, str] = ("", "")
    exitcode: int | None = None


def run_limited(work: Callable[[], Any], *, name: str, timeout_s: float, memory_mb: float) -> Outcome:
    """`work()` in a forked child within the limits; never raises for what the child does."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, work, memory_mb, os.getpid()),
                            name=name, daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            return Outcome("timeout")
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            child.join(5)
            return Outcome("died", exitcode=child.exitcode)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "done":
        return Outcome("done", value=payload)
    return Outcome(kind, error=payload or ("", ""))


def _child_main(sender, work: Callable[[], Any], memory_mb: float, parent: int) -> None:
    _die_with_parent(parent)
    _limit_memory(memory_mb)
    try:
        result = ("done", work())
    except BaseException as exc:
        result = ("memory", None) if out_of_memory(exc) else ("raised", (type(exc).__name__, str(exc)))
    try:
        sender.send(result)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # e.g. an answer that cannot be pickled
        sender.send(("unsendable", (type(exc).__name__, str(exc))))
    sender.close()
    os._exit(0)  # skip the parent's atexit handlers, inherited through fork


def out_of_memory(exc: BaseException) -> bool:
    """The error is the memory limit's doing: a MemoryError, or the SystemError ('… returned
    NULL without setting an exception') a C extension raises when an allocation fails, however
    deep a reader wrapped it."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, MemoryError) or (isinstance(e, SystemError) and "NULL" in str(e)):
            return True
        todo.extend([e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))])
    return False


def _die_with_parent(parent: int) -> None:
    """If the run is killed, its child goes too (Linux); no orphan keeps working."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(memory_mb: float) -> None:
    """`memory_mb` more than the child inherited: the budget is the document's, whatever the
    parent already maps (a crawl's or a test runner's libraries and threads can map gigabytes)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = address_space() + int(memory_mb * limits.MB)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def address_space() -> int:
    """Bytes of address space this process maps now (VmSize), 0 where /proc cannot say."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def signal_name(exitcode: int) -> str:
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"signal {-exitcode}"
