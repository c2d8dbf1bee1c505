"""`next`, `done`, `start` and `undo` do the same work however long the history.

Measured in SQLite virtual-machine steps (a progress handler called on every step),
not in time: the count is exact and the same on any machine, and a query that reads
the history row by row shows up in it at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mlpath import cli, store_files
from mlpath.db import sqlite3
from mlpath.store import Change, open_store

TOUCHED = ("alpha", "beta", "gamma-book")
SEED_TIME = 1_790_000_000 * 10**9


@contextmanager
def counting_vm_steps() -> Iterator[list[int]]:
    """Count the VM steps of every SQLite connection opened inside the block."""
    steps = [0]
    real_connect = sqlite3.connect

    def tick() -> int:
        steps[0] += 1
        return 0  # carry on

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        conn.set_progress_handler(tick, 1)
        return conn

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        yield steps


def seed(home: Path, padding: int) -> None:
    """alpha done and beta started, after `padding` older changes that leave no status.

    The padding cycles each touched resource through started, a note, finished, an
    undo of that, and back to do, so the statuses (and so every answer) are the same
    whatever its length. `padding` is a multiple of 15, one cycle of all three.
    """
    # A fixed clock: `undo` prints the time of what it undid, the same for each length.
    store = open_store(home / "progress.db", create=True, clock=lambda: SEED_TIME)
    assert store is not None
    cycle = [
        ("status", "doing", None),
        ("note", None, "a note"),
        ("status", "done", None),
        ("undo", None, None),  # of the `done` just before, for the same resource
        ("status", "todo", None),
    ]
    filler = []
    for i in range(padding):
        action, status, note = cycle[(i // len(TOUCHED)) % len(cycle)]
        at = f"2026-01-01T00:00:00.{i:06d}Z"
        reverts = f"{i - len(TOUCHED):032x}" if action == "undo" else None
        change = Change(0, f"{i:032x}", at, TOUCHED[i % 3], action, status, note, reverts)
        filler.append(change)
    store.merge(filler)
    store.set_status(["alpha"], "done")
    store.set_status(["beta"], "doing")
    store.close()


def steps_for(command: list[str], home: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("MLPATH_HOME", str(home))
    assert cli.run(["next"]) == 0  # builds the catalog cache first: not what is counted
    with counting_vm_steps() as steps:
        assert cli.run(command) == 0
    return steps[0]


@pytest.mark.usefixtures("mini_catalog")
@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["next", "--short"],
        ["next", "--json", "-n", "3"],
        ["done", "delta"],
        ["start", "delta"],
        ["undo"],
    ],
)
def test_work_does_not_grow_with_the_history(
    command: list[str],
    fast_path: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not fast_path:
        monkeypatch.setenv(cli.DISABLE_ENV, "1")
    # The damage check before a write reads every page by design, up to a bound of its
    # own (store_files.QUICK_CHECK_WRITE_BYTES): what is counted here is the rest.
    monkeypatch.setattr(store_files, "QUICK_CHECK_WRITE_BYTES", 0)
    counts, outputs = [], []
    # Both with some padding: after an undo, what is left of the history is then
    # alike (a reset per resource) and only its length differs.
    for padding in (15, 15 * 240):
        home = tmp_path / f"home-{padding}"
        seed(home, padding)
        capsys.readouterr()
        counts.append(steps_for(command, home, monkeypatch))
        outputs.append(capsys.readouterr().out)

    assert outputs[0] == outputs[1]
    assert counts[0] > 0
    assert counts[1] == counts[0], counts


def seed_streak(home: Path, days: int, per_day: int) -> None:
    """A daily streak of `days` days ending yesterday (local), `per_day` changes a day."""
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    yesterday = date.today() - timedelta(days=1)
    history = []
    for back in range(days):
        day = yesterday - timedelta(days=back)
        for n in range(per_day):
            resource = TOUCHED[n % 3]
            at = f"{day.isoformat()}T12:{n // 60:02d}:{n % 60:02d}.000000Z"
            uid = f"{back:016x}{n:016x}"
            status = ("doing", "done")[n % 2]
            history.append(Change(0, uid, at, resource, "status", status, None, None))
    store.merge(history)
    store.close()


@pytest.mark.usefixtures("mini_catalog")
def test_progress_after_a_day_of_work_does_not_grow_with_the_streak_or_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A learner's day: progress as always, a command that records today's work, then
    # progress again. Streaks longer than the calendar (12 weeks), one ten times the
    # other, and so its history (the week's own changes, which the report reads, alike).
    monkeypatch.setattr(store_files, "QUICK_CHECK_WRITE_BYTES", 0)
    counts, streaks = [], []
    for days, per_day in ((120, 4), (1200, 4)):
        home = tmp_path / f"home-{days}"
        seed_streak(home, days, per_day)
        monkeypatch.setenv("MLPATH_HOME", str(home))
        assert cli.run(["progress"]) == 0
        assert cli.run(["done", "delta"]) == 0
        capsys.readouterr()
        with counting_vm_steps() as steps:
            assert cli.run(["progress", "--json"]) == 0
        streaks.append(json.loads(capsys.readouterr().out)["result"]["streak"]["days"])
        counts.append(steps[0])

    assert streaks == [121, 1201]  # yesterday's run, and today's work on top of it
    assert counts[0] > 0
    assert counts[1] == counts[0], counts
