"""Progress of long work (ingest, crawl and extraction, audit) on stderr, with rich: elapsed
time, rate, ETA where the total is known, and the file being read. Only on a terminal: when
stderr is a file or a pipe (tests, CI, cron) nothing is drawn, and the lines the commands print
(one per document, the summaries) are all that is written."""
from __future__ import annotations

import os
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)

_console: Console | None = None


def console() -> Console:
    """The stderr console every progress display and message of a run shares."""
    global _console
    if _console is None:
        _console = Console(stderr=True, highlight=False)
    return _console


def enabled() -> bool:
    """Draw progress only for a person at a terminal (BUDGETS_PROGRESS=0 turns it off)."""
    if os.environ.get("BUDGETS_PROGRESS", "") in ("0", "off", "no"):
        return False
    return console().is_terminal and not console().is_dumb_terminal


class _Rate(TextColumn):
    """Items per second (or per minute when slow), of whatever the task counts."""

    def __init__(self, unit: str):
        super().__init__("")
        self.unit = unit

    def render(self, task):
        from rich.text import Text

        speed = task.finished_speed or task.speed
        if not speed:
            return Text(f"– {self.unit}/s", style="progress.data.speed")
        if speed < 1:
            return Text(f"{speed * 60:.1f} {self.unit}/min", style="progress.data.speed")
        return Text(f"{speed:.1f} {self.unit}/s", style="progress.data.speed")


class Tracker:
    """One task of a Progress display, or nothing at all when progress is off."""

    def __init__(self, progress: Progress | None, task_id=None):
        self.progress, self.task_id = progress, task_id

    def reading(self, what: str) -> None:
        """Say what is being read now (shown while it is read, however long it takes)."""
        if self.progress is not None:
            self.progress.update(self.task_id, current=what)

    def advance(self, n: int = 1, **fields) -> None:
        if self.progress is not None:
            self.progress.update(self.task_id, advance=n, **fields)

    def update(self, **fields) -> None:
        if self.progress is not None:
            self.progress.update(self.task_id, **fields)

    def print(self, line: str) -> None:
        """A line above the display (or plainly on stderr when there is no display)."""
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            import sys

            print(line, file=sys.stderr, flush=True)


@contextmanager
def files(description: str, total: int | None, unit: str = "files"):
    """Progress over a known number of items: bar, done/total, rate, elapsed, ETA, current file."""
    if not enabled():
        yield Tracker(None)
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=16),
               MofNCompleteColumn(), _Rate(unit), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn(), TextColumn("{task.fields[current]}", style="cyan")]
    with Progress(*columns, console=console(), transient=True, refresh_per_second=4) as progress:
        yield Tracker(progress, progress.add_task(description, total=total, current=""))


@contextmanager
def status(message: str):
    """A spinner with elapsed time for one long step whose parts are not counted (the audit)."""
    if not enabled():
        yield
        return
    columns = [SpinnerColumn(), TextColumn(message), TimeElapsedColumn()]
    with Progress(*columns, console=console(), transient=True, refresh_per_second=4) as progress:
        progress.add_task(message, total=None)
        yield


class CrawlDisplay:
    """One display for every crawl of this process (`budgets nightly` crawls its sites at once):
    a row per site, started with the first crawl and stopped with the last."""

    _progress: Progress | None = None
    _open = 0

    @classmethod
    def site(cls, name: str) -> Tracker:
        if not enabled():
            return Tracker(None)
        if cls._progress is None:
            columns = [SpinnerColumn(), TextColumn("[bold]{task.description}"),
                       TextColumn("{task.fields[pages]} pages · {task.completed:.0f} documents · "
                                  "{task.fields[errors]} errors · {task.fields[queued]} queued"),
                       _Rate("docs"), TimeElapsedColumn(), TextColumn("{task.fields[current]}", style="cyan")]
            cls._progress = Progress(*columns, console=console(), transient=True, refresh_per_second=4)
            cls._progress.start()
        cls._open += 1
        return Tracker(cls._progress, cls._progress.add_task(name, total=None, current="", pages=0,
                                                             errors=0, queued=0))

    @classmethod
    def done(cls, tracker: Tracker) -> None:
        if tracker.progress is None or cls._progress is None:
            return
        cls._progress.remove_task(tracker.task_id)
        cls._open -= 1
        if cls._open <= 0:
            cls._progress.stop()
            cls._progress, cls._open = None, 0
