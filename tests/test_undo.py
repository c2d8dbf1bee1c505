"""Commands are units: undo takes back the last ones recorded here, an import is one,
and `with store.unit(...)` lets a caller report before anything is committed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import MINI_CATALOG, Run, payload
from mlpath.db import sqlite3
from mlpath.errors import NothingToUndo
from mlpath.store import Change, Store, _undo_targets, open_store
from test_ordering import stamp


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "progress.db", create=True)
    assert opened is not None
    return opened


def older_export(path: Path) -> None:
    """An export from another machine: alpha started and finished there, long ago."""
    changes = [
        Change(0, f"{n:032x}", f"2026-01-0{n}T09:00:00.000000Z", "alpha", "status", s, None, None)
        for n, s in ((1, "doing"), (2, "done"))
    ]
    path.write_text(
        json.dumps(
            {
                "format": "mlpath-export",
                "version": 1,
                "exported_at": "2026-01-03T00:00:00.000000Z",
                "catalog_title": None,
                "changes": [c.to_json() for c in changes],
            }
        ),
        encoding="utf-8",
    )


def test_undo_after_an_import_takes_back_the_import(
    run: Run, mini_catalog: Path, tmp_path: Path
) -> None:
    path = tmp_path / "older.json"
    older_export(path)
    assert run("done", "beta").exit_code == 0
    assert run("import", str(path)).exit_code == 0

    result = run("undo")
    assert result.exit_code == 0, result.stderr
    # Both imported changes, and not the local `done`, though it is the newest by time.
    assert result.stdout.splitlines() == [
        "undid: done alpha (2026-01-02 09:00)",
        "undid: doing alpha (2026-01-01 09:00)",
    ]
    shown = payload(run("list", "--json").stdout)["resources"]
    assert {r["id"]: r["status"] for r in shown if r["status"] != "todo"} == {"beta": "done"}


def test_undo_n_takes_back_n_commands_and_then_says_there_is_nothing(store: Store) -> None:
    store.set_status(["a"], "done")
    store.set_status(["b", "c"], "skipped")
    store.add_note("a", "n")
    undone = store.undo(2)
    assert [(c.resource, c.action) for c in undone] == [
        ("a", "note"),
        ("c", "status"),
        ("b", "status"),
    ]
    assert store.statuses() == {"a": "done"}
    store.undo(99_999_999_999_999_999_999)
    with pytest.raises(NothingToUndo):
        store.undo(1)


def test_each_command_is_one_labelled_unit(store: Store) -> None:
    store.set_status(["a", "b"], "skipped", label="skip --section books")
    store.set_status(["a"], "done")
    store.undo(1)
    rows = store.conn.execute("SELECT seq, label FROM units ORDER BY seq").fetchall()
    assert [label for _, label in rows] == ["skip --section books", "done", "undo"]
    per_unit = store.conn.execute(
        "SELECT recorded, count(*) FROM changes GROUP BY recorded ORDER BY recorded"
    ).fetchall()
    assert [n for _, n in per_unit] == [2, 1, 1]
    # A command that changes nothing records no unit.
    store.set_status(["a"], "skipped")  # undo left a skipped
    assert store.conn.execute("SELECT count(*) FROM units").fetchone() == (3,)


def test_writes_inside_a_unit_block_are_one_unit_committed_at_its_end(
    store: Store, tmp_path: Path
) -> None:
    with store.unit("done") as unit:
        store.set_status(["a"], "done")
        store.add_note("a", "finally")
        other = open_store(tmp_path / "progress.db", create=False)
        assert other is not None
        assert other.statuses() == {}  # nothing committed yet: a reader sees nothing
        other.close()
    assert unit.label == "done"
    assert store.statuses() == {"a": "done"}
    assert sorted(c.action for c in store.undo(1)) == ["note", "status"]
    assert store.statuses() == {}


def test_a_unit_block_that_raises_leaves_the_store_as_it_was(store: Store) -> None:
    store.set_status(["a"], "doing")
    before = store.changes()
    with pytest.raises(OSError), store.unit("done"):
        store.set_status(["a"], "done")
        raise OSError(28, "No space left on device")  # the report could not be written
    assert store.changes() == before
    assert store.statuses() == {"a": "doing"}
    assert store.conn.execute("SELECT count(*) FROM units").fetchone() == (1,)
    # The store is usable afterwards: the transaction was ended, not left open.
    store.set_status(["a"], "done")
    assert store.statuses() == {"a": "done"}


def test_a_failed_write_inside_a_block_rolls_back_the_earlier_ones(store: Store) -> None:
    with pytest.raises(NothingToUndo), store.unit("undo"):
        store.set_status(["a"], "done")
        store.undo(5)
        store.undo(1)  # nothing left
    assert store.changes() == []


def big_unit(store: Store, size: int) -> None:
    """One command of `size` changes, one per resource, as `skip --section` writes them."""
    at = stamp(time.time_ns() - 10**15)
    store.merge(
        Change(0, f"{i:032x}", at, f"r{i}", "status", "done", None, None) for i in range(size)
    )


def steps_of(store: Store, work: Callable[[], object]) -> int:
    """SQLite VM steps `work` takes on the store's connection: work counted, not timed
    (machines here are noisy)."""
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += 1
        return 0

    store.conn.set_progress_handler(tick, 1)
    try:
        work()
    finally:
        store.conn.set_progress_handler(None, 1)
    return steps


def undo_steps(store: Store) -> int:
    """SQLite VM steps one `undo` takes."""
    return steps_of(store, lambda: store.undo(1))


def test_undo_takes_back_a_large_command_whole(store: Store) -> None:
    big_unit(store, 20_000)
    store.set_status(["a"], "done")
    store.undo(1)
    undone = store.undo(1)
    assert len(undone) == 20_000
    assert store.statuses() == {}


def test_undo_work_grows_linearly_with_the_command(tmp_path: Path) -> None:
    counted = []
    for size in (2_000, 8_000):
        machine = open_store(tmp_path / f"m{size}" / "progress.db", create=True)
        assert machine is not None
        big_unit(machine, size)
        counted.append(undo_steps(machine))
        machine.close()
    # Four times the changes: about four times the work (quadratic would be sixteen).
    assert counted[1] < 5 * counted[0], counted


def test_reimporting_the_same_changes_writes_nothing(store: Store) -> None:
    big_unit(store, 5_000)
    units, changes = (
        store.conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("units", "changes")
    )
    assert store.merge(store.changes(newest_first=False)) == []
    assert store.conn.execute("SELECT count(*) FROM units").fetchone() == units
    assert store.conn.execute("SELECT count(*) FROM changes").fetchone() == changes


def test_a_writer_beside_a_large_undo_waits_for_it(tmp_path: Path) -> None:
    home = tmp_path / "machine"
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    big_unit(store, 20_000)
    store.close()
    catalog = tmp_path / "mini.json"
    catalog.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLPATH_")}
    env.update(
        MLPATH_HOME=str(home), MLPATH_CACHE_DIR=str(tmp_path / "c"), MLPATH_CATALOG=str(catalog)
    )
    assert subprocess.run([sys.executable, "-m", "mlpath", "next"], env=env).returncode == 0

    def start(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "mlpath", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    undo = start("undo")
    done = start("done", "alpha")
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in (undo, done)]
    assert results == [(0, ""), (0, "")]
    store = open_store(home / "progress.db", create=False)
    assert store is not None
    # One ran after the other, in either order: undo took back the big command or the done.
    big = {f"r{i}": "done" for i in range(20_000)}
    assert store.statuses() in ({"alpha": "done"}, big)


def test_a_workspace_unit_that_fails_to_report_records_nothing(
    mini_catalog: Path, home: Path
) -> None:
    from mlpath.workspace import Workspace

    ws = Workspace(mini_catalog)
    try:
        with pytest.raises(BrokenPipeError), ws.unit("done"):
            ws.set_status(["alpha"], "done", label="done")
            raise BrokenPipeError  # what writing "done: alpha" to a closed pipe raises
        assert ws.statuses() == {}
        with ws.unit("done"):
            ws.set_status(["alpha"], "done", label="done")
        assert ws.statuses() == {"alpha": "done"}
    finally:
        ws.close()


def test_undo_of_zero_or_fewer_commands_takes_back_nothing(store: Store) -> None:
    store.set_status(["a"], "done")
    for count in (0, -1):
        with pytest.raises(NothingToUndo):
            store.undo(count)
    assert store.statuses() == {"a": "done"}


def stores_with_a_big_command(tmp_path: Path, sizes: tuple[int, ...]) -> Iterator[Store]:
    for size in sizes:
        machine = open_store(tmp_path / f"m{size}" / "progress.db", create=True)
        assert machine is not None
        big_unit(machine, size)
        yield machine
        machine.close()


def test_finding_the_command_to_undo_does_not_read_its_changes(tmp_path: Path) -> None:
    # One index seek per command passed, however many changes the last one made.
    counted = []
    for machine in stores_with_a_big_command(tmp_path, (1_000, 10_000)):
        machine.set_status(["a"], "done")
        conn = machine.conn
        counted.append(steps_of(machine, lambda c=conn: _undo_targets(c, 2)))  # type: ignore[misc]
    assert counted[0] == counted[1], counted


# SQLite VM steps per change an undo takes back: reading it twice (what is shown, and
# what is taken back, sorted), writing its undo row, marking it reverted, and deriving
# its resource's status again. Row by row through CHECK constraints and a window
# function, as undo once wrote them, it was 289. Marking the changes reverted by the
# rowids of that sorted list takes 2 steps more per change than walking the live
# changes' index, but fewer instructions (6.55G → 6.47G for a 100,000-change undo).
# Since undo rows stay out of the index of each key's changes by clock and go into the
# narrow index of every row's key, each costs 4 steps more (237 before): an entry of
# its key and rowid instead of its key, clock, uid and rowid, a fifth fewer pages written.
STEPS_PER_UNDONE_CHANGE = 241


def test_undo_work_per_change_stays_within_its_budget(tmp_path: Path) -> None:
    counted = [
        steps_of(machine, lambda m=machine: m.undo(1))  # type: ignore[misc]
        for machine in stores_with_a_big_command(tmp_path, (1_000, 10_000))
    ]
    per_change = (counted[1] - counted[0]) / 9_000
    assert per_change <= STEPS_PER_UNDONE_CHANGE, counted
    # What does not depend on the command's size stays small beside it.
    assert counted[0] - 1_000 * per_change < 20_000, counted


def test_a_big_undo_that_is_rolled_back_leaves_the_store_as_it_was(store: Store) -> None:
    # Its statements write without statement journals: the whole undo goes, or none.
    big_unit(store, 3_000)
    before = (store.changes(), store.statuses())
    with pytest.raises(OSError), store.unit("undo"):
        store.undo(1)
        raise OSError(28, "No space left on device")  # the report could not be written
    assert (store.changes(), store.statuses()) == before
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_undo_leaves_the_checks_of_later_writes_on(store: Store) -> None:
    big_unit(store, 2_000)
    store.undo(1)
    assert store.conn.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO changes (uid, at, resource, action) "
            "VALUES ('x', '2026-01-01T00:00:00.000000Z', 'a', 'bogus')"
        )


def wal_pages_of_undo(store: Store) -> int:
    """Pages the undo of the last command writes to the WAL (none checkpointed yet)."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.undo(1)
    return int(store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def test_a_big_undo_writes_the_pages_it_frees_no_more(store: Store) -> None:
    # Statuses of 20,000 resources taken back empty `current` and most of the live
    # changes' index: their pages go to the free list unwritten, even where SQLite is
    # built to zero deleted content (as Debian's is). Zeroed and written, as they once
    # were, this undo wrote 2,676 pages; without them, 2,341.
    store.conn.execute("PRAGMA secure_delete = ON")
    big_unit(store, 20_000)
    pages = wal_pages_of_undo(store)
    assert pages < 2_450, pages
    assert store.statuses() == {}
    assert store.conn.execute("PRAGMA secure_delete").fetchone() == (1,)  # put back


def test_an_undo_of_most_statuses_keeps_the_others_and_finds_the_earlier_ones(
    store: Store,
) -> None:
    store.set_status(["kept", "r1"], "doing")
    store.set_status(["r2"], "skipped")
    big_unit(store, 3_000)  # most of what `current` holds: rewritten whole
    store.set_status(["after"], "done")
    store.undo(1)
    assert len(store.statuses()) == 3_000 + 1  # r1 and r2 among the 3,000
    store.undo(1)
    assert store.statuses() == {"kept": "doing", "r1": "doing", "r2": "skipped"}


def test_an_undo_of_a_few_statuses_beside_many_leaves_the_rest(store: Store) -> None:
    big_unit(store, 3_000)
    store.set_status(["r1", "extra"], "skipped")  # a few beside 3,000: row by row
    store.undo(1)
    assert store.statuses() == {f"r{i}": "done" for i in range(3_000)}
