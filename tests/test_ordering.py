"""Order comes from the store, not from the wall clock (issue 9, section 2).

A clock that stands still, a clock set back, two machines with different clocks:
the last command is still the one `undo` takes back, and the last local change is
still the one that counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import MINI_CATALOG
from mlpath.errors import StoreError
from mlpath.store import Change, Store, open_store

NOW = 1_790_000_000 * 10**9  # 2026-09-21, in nanoseconds
DAY = 86_400 * 10**9


def stamp(nanos: int) -> str:
    """A stored time, as the store writes them."""
    moment = datetime.fromtimestamp(nanos // 10**9, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos % 10**9 // 1000:06d}Z"


class Clock:
    """A wall clock the test sets by hand."""

    def __init__(self, nanos: int = NOW) -> None:
        self.nanos = nanos

    def __call__(self) -> int:
        return self.nanos


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Store:
    opened = open_store(tmp_path / "progress.db", create=True, clock=clock)
    assert opened is not None
    return opened


def test_commands_in_one_clock_tick_are_undone_one_at_a_time(store: Store) -> None:
    store.set_status(["a"], "done")
    store.set_status(["a"], "skipped")
    store.add_note("a", "hard")
    store.set_status(["a"], "doing")

    assert [(c.resource, c.status) for c in store.undo(1)] == [("a", "doing")]
    assert store.statuses() == {"a": "skipped"}
    assert [c.note for c in store.undo(1)] == ["hard"]
    assert [c.status for c in store.undo(1)] == ["skipped"]
    assert store.statuses() == {"a": "done"}


def test_a_change_after_the_clock_went_back_still_takes_effect(store: Store, clock: Clock) -> None:
    store.set_status(["a"], "done")
    clock.nanos -= DAY
    store.set_status(["a"], "todo")
    assert store.statuses() == {}
    assert store.changes()[0].status == "todo"  # newest first by clock, not by wall time

    # The next undo takes back the reset, the last command, not the earlier done.
    assert [c.status for c in store.undo(1)] == ["todo"]
    assert store.statuses() == {"a": "done"}


def test_the_local_clock_moves_past_an_imported_change(store: Store) -> None:
    ahead = stamp(NOW + DAY // 2)
    store.merge([Change(0, "e" * 32, ahead, "a", "status", "done", None, None)])
    assert store.statuses() == {"a": "done"}
    # Made "earlier" by the wall clock, the reset is still the newer change here.
    store.set_status(["a"], "todo")
    assert store.statuses() == {}
    last = store.last_clock()
    assert last is not None and last > (NOW + DAY // 2) // 1000


def test_a_change_dated_more_than_a_day_ahead_is_refused(store: Store) -> None:
    far = Change(0, "e" * 32, stamp(NOW + DAY + 10**9), "a", "status", "done", None, None)
    with pytest.raises(StoreError, match="more than a day ahead of this machine's clock"):
        store.merge([far])
    assert store.changes() == []
    assert store.conn.execute("SELECT count(*) FROM units").fetchone() == (0,)


def test_two_machines_converge_whatever_order_they_learn_changes_in(
    tmp_path: Path, clock: Clock
) -> None:
    # Same clock on both changes: the uid breaks the tie, the same way everywhere.
    same = stamp(NOW)
    first = Change(0, "1" * 32, same, "a", "status", "done", None, None)
    second = Change(0, "2" * 32, same, "a", "status", "skipped", None, None)
    answers = []
    for name, order in (("x", [first, second]), ("y", [second, first])):
        machine = open_store(tmp_path / name / "progress.db", create=True, clock=clock)
        assert machine is not None
        for change in order:
            machine.merge([change])
        answers.append(machine.statuses())
    assert answers == [{"a": "skipped"}, {"a": "skipped"}]


def test_imported_changes_keep_their_clock(store: Store) -> None:
    older = Change(0, "1" * 32, stamp(NOW - DAY), "a", "status", "done", None, None, NOW // 1000)
    newer = Change(0, "2" * 32, stamp(NOW), "a", "status", "doing", None, None, NOW // 1000 - 1)
    store.merge([older, newer])
    # By wall time `newer` is later, but its clock says it was made before `older`.
    assert store.statuses() == {"a": "done"}


def test_the_clock_is_strictly_increasing_within_a_command(store: Store) -> None:
    store.set_status(["a", "b", "c"], "skipped")
    clocks = [c.clock for c in store.changes(newest_first=False)]
    assert clocks == [NOW // 1000, NOW // 1000 + 1, NOW // 1000 + 2]


# --- the same through real processes, with the clock patched in the child ----------

# Runs mlpath with time.time_ns replaced: a test-only stand-in for faketime.
CLOCK_WRAPPER = """
import sys, time
real = time.time_ns
mode, value = sys.argv[1], int(sys.argv[2])
time.time_ns = (lambda: value) if mode == "fixed" else (lambda: real() + value)
time.time = lambda: time.time_ns() / 1e9
sys.argv = ["mlpath", *sys.argv[3:]]
from mlpath.cli import main
main()
"""

Mlpath = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def mlpath_at(tmp_path: Path) -> Callable[[str, int], Mlpath]:
    """`mlpath_at("fixed", ns)("done", "alpha")` runs mlpath in a child whose clock says ns;
    `mlpath_at("shift", ns)` one whose clock is off by ns."""
    catalog = tmp_path / "mini.json"
    catalog.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLPATH_")}
    env.update(
        MLPATH_HOME=str(tmp_path / "home"),
        MLPATH_CACHE_DIR=str(tmp_path / "cache"),
        MLPATH_CATALOG=str(catalog),
        NO_COLOR="1",
        TZ="UTC",
    )

    def at(mode: str, value: int) -> Mlpath:
        def mlpath(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-c", CLOCK_WRAPPER, mode, str(value), *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )

        return mlpath

    return at


def status_of(mlpath: Mlpath, rid: str) -> str:
    result = mlpath("show", rid, "--json")
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["result"]["status"])


def test_undo_with_a_clock_that_does_not_move_takes_back_one_command(
    mlpath_at: Callable[[str, int], Mlpath],
) -> None:
    frozen = mlpath_at("fixed", NOW)
    for args in (("done", "alpha"), ("skip", "beta"), ("note", "alpha", "x"), ("start", "delta")):
        result = frozen(*args)
        assert result.returncode == 0, result.stderr

    result = frozen("undo")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "undid: doing delta (2026-09-21 14:13)\n"
    assert status_of(frozen, "delta") == "todo"
    assert status_of(frozen, "beta") == "skipped"
    assert status_of(frozen, "alpha") == "done"


def test_reset_after_the_clock_was_set_back_takes_effect_and_is_what_undo_undoes(
    mlpath_at: Callable[[str, int], Mlpath],
) -> None:
    now, day_back = mlpath_at("shift", 0), mlpath_at("shift", -DAY)
    assert now("done", "alpha").returncode == 0
    result = day_back("reset", "alpha")
    assert result.returncode == 0, result.stderr
    assert status_of(day_back, "alpha") == "todo"
    assert status_of(now, "alpha") == "todo"

    result = now("undo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("undid: todo alpha")
    assert status_of(now, "alpha") == "done"
