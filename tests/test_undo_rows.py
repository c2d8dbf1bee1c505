"""Undo rows stay out of the index a key's status is found by (schema 5), and every read
of the history by key still sees them where it did."""

from __future__ import annotations

from pathlib import Path

from mlpath.db import sqlite3
from mlpath.store import MIGRATIONS, SCHEMA_VERSION, Store, open_store
from test_undo import wal_pages_of_undo


def index_sql(store: Store, name: str) -> str:
    row = store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
    ).fetchone()
    assert row is not None, name
    return " ".join(str(row[0]).split())


def test_an_undo_beside_a_long_history_writes_a_quarter_fewer_pages(tmp_path: Path) -> None:
    # Each of 5,000 resources has two earlier changes, then one command changes them
    # all. Its undo rows, entered between those changes in the index of each key's
    # changes by clock, had every page of that index written again: 876 pages of WAL.
    # Kept out of it (and entered in a narrow index of keys only), 648.
    store = open_store(tmp_path / "progress.db", create=True)
    assert store is not None
    keys = [f"res-{i:06d}" for i in range(5_000)]
    store.set_status(keys, "doing")
    store.set_status(keys, "skipped")
    store.set_status(keys, "done")
    pages = wal_pages_of_undo(store)
    assert pages < 700, pages
    assert set(store.statuses().values()) == {"skipped"}


def test_a_resource_s_history_and_status_reads_still_see_its_undo_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path / "progress.db", create=True)
    assert store is not None
    store.set_status(["a", "b"], "doing")
    store.set_status(["a"], "done")
    store.undo(1)
    assert [(c.action, c.status) for c in store.changes("a")] == [
        ("undo", None),
        ("status", "done"),
        ("status", "doing"),
    ]
    assert [c.action for c in store.changes("b")] == ["status"]
    assert [c.status for c in store.live_changes("a")] == ["doing"]
    assert store.statuses() == {"a": "doing", "b": "doing"}
    # The reads by key take the index that answers them, not a scan or a sort.
    plan = " ".join(
        str(row[3])
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT x.seq FROM changes x WHERE x.resource = 'a' "
            "AND x.action = 'status' AND x.action != 'undo' AND x.reverted = 0 "
            "ORDER BY x.clock DESC, x.uid DESC LIMIT 1"
        )
    )
    assert plan == "SEARCH x USING INDEX changes_by_resource (resource=?)", plan


def test_a_store_of_the_previous_release_is_migrated_keeping_its_undo_rows(
    tmp_path: Path,
) -> None:
    # Schema 4 as the previous release wrote it: r1 and r2 started, then finished, and
    # r1's finish undone.
    path = tmp_path / "progress.db"
    old = sqlite3.connect(path)
    for script in MIGRATIONS[:4]:
        old.executescript(script)
    at = "2026-01-01T00:00:0{}.000000Z"
    old.executemany(
        "INSERT INTO units (uid, label, at) VALUES (?, ?, ?)",
        [
            ("u1", "start", at.format(1)),
            ("u2", "done", at.format(2)),
            ("u3", "undo", at.format(3)),
        ],
    )
    old.executemany(
        "INSERT INTO changes (uid, at, resource, action, status, reverts, clock, unit, "
        "recorded, reverted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("a1", at.format(1), "r1", "status", "doing", None, 1, 1, 1, 0),
            ("a2", at.format(1), "r2", "status", "doing", None, 2, 1, 1, 0),
            ("b1", at.format(2), "r1", "status", "done", None, 3, 2, 2, 1),
            ("b2", at.format(2), "r2", "status", "done", None, 4, 2, 2, 0),
            ("c1", at.format(3), "r1", "undo", None, "b1", 5, 3, 3, 0),
        ],
    )
    old.executemany(
        "INSERT INTO current VALUES (?, ?, ?)",
        [("r1", "doing", at.format(1)), ("r2", "done", at.format(2))],
    )
    old.executescript("PRAGMA user_version = 4")  # commits what is above first
    old.close()

    store = open_store(path, create=True)
    assert store is not None
    version = store.conn.execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION == 5
    assert index_sql(store, "changes_by_resource").endswith("WHERE action != 'undo'")
    assert index_sql(store, "changes_by_key").endswith("ON changes (resource)")
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert [c.uid for c in store.changes("r1")] == ["c1", "b1", "a1"]
    assert [c.uid for c in store.live_changes()] == ["a1", "a2", "b2"]
    assert store.statuses() == {"r1": "doing", "r2": "done"}
    # The undo passes over the undo unit and takes back what is left of `done`.
    assert [c.uid for c in store.undo(1)] == ["b2"]
    assert store.statuses() == {"r1": "doing", "r2": "doing"}
    assert [c.uid for c in store.undo(1)] == ["a2", "a1"]
    assert store.statuses() == {}
