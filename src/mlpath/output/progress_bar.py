"""A progress bar on stderr for long work at a terminal (a big export, say).

Shown only when stderr is a terminal and the output is not --json, and only once the
work has taken `after` seconds: a quick run never flickers, a pipe or a script never
sees it. Rich is imported only when a bar is actually shown.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TextIO, TypeVar

    T = TypeVar("T")

# Seconds of work before a bar appears.
AFTER = 0.5


def wanted(stream: TextIO | None, as_json: bool) -> bool:
    """A bar on `stream` helps a person watching it, and disturbs nobody else."""
    if as_json or stream is None:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def tracked(
    items: Iterable[T],
    total: int,
    label: str,
    stream: TextIO | None,
    as_json: bool = False,
    after: float = AFTER,
    since: float | None = None,
) -> Iterator[T]:
    """`items`, as they come; `after` seconds past `since` (the work's start, by
    time.monotonic; by default the first item asked for), with a bar of `total` on
    `stream`."""
    if not wanted(stream, as_json) or total <= 0:
        yield from items
        return
    start = time.monotonic() if since is None else since
    bar = None
    task = None
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            if bar is None and time.monotonic() - start >= after:
                from rich.console import Console
                from rich.progress import Progress

                bar = Progress(console=Console(file=stream), transient=True)
                bar.start()
                task = bar.add_task(label, total=total, completed=done)
            elif bar is not None and task is not None and done % 256 == 0:
                bar.update(task, completed=done)
    finally:
        if bar is not None:
            bar.stop()
