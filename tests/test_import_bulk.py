"""A big export streamed into a store without changes: its indexes are built once the
rows are in, and the store it leaves is, row for row, the one a merge with every index
in place leaves; a failed import leaves the store as it was, indexes and all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import import_bulk, import_quick, import_stream
from mlpath.db import sqlite3
from mlpath.errors import StoreError
from mlpath.store import Store, open_store
from test_import_stream import big_export, parted  # noqa: F401 - parted: a fixture used by mark

pytestmark = pytest.mark.usefixtures("parted")  # the catalog the export names


def contents(db: Path) -> dict[str, Any]:
    """Every row of every table, the schema and the store's settings; the uid and time
    of the unit the import recorded (random, and the clock's) as placeholders."""
    conn = sqlite3.connect(db)
    try:
        ours = conn.execute("SELECT uid, at FROM units WHERE imported_by IS NULL").fetchall()
        assert len(ours) == 1, ours
        uid, at = ours[0]
        names = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        tables = {
            name: sorted(
                (
                    tuple({uid: "UID", at: "AT"}.get(v, v) if isinstance(v, str) else v for v in r)
                    for r in conn.execute(f'SELECT * FROM "{name}"')
                ),
                key=repr,
            )
            for name in names
        }
        return {
            "tables": tables,
            "schema": sorted(
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                key=repr,
            ),
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "user_version": conn.execute("PRAGMA user_version").fetchone(),
            "journal_mode": conn.execute("PRAGMA journal_mode").fetchone(),
        }
    finally:
        conn.close()


def test_a_fresh_import_leaves_every_row_a_merge_with_its_indexes_leaves(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,  # noqa: F811
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    rebuilt: list[list[str]] = []
    drop = import_bulk._drop_indexes

    def spied(conn: sqlite3.Connection) -> list[str]:
        rebuilt.append(drop(conn))
        return rebuilt[-1]

    monkeypatch.setattr(import_bulk, "_drop_indexes", spied)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "streamed"))
    assert run("import", str(path)).exit_code == 0
    # The same file read whole: Store.merge, every index kept up row by row.
    monkeypatch.setattr(import_stream, "BLOCK", 1 << 30)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", 1 << 30)
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "whole"))
    assert run("import", str(path)).exit_code == 0
    assert len(rebuilt) == 1 and len(rebuilt[0]) == 7  # changes' six, units' one
    streamed = contents(tmp_path / "streamed" / "progress.db")
    assert streamed == contents(tmp_path / "whole" / "progress.db")
    assert streamed["integrity"] == [("ok",)]
    assert len(streamed["tables"]["changes"]) > 50


def test_a_failed_fresh_import_leaves_the_store_and_its_indexes_as_they_were(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,  # noqa: F811
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    db = tmp_path / "other" / "progress.db"
    made = open_store(db, create=True)  # a store without changes: the rebuild applies
    assert made is not None
    made.close()
    conn = sqlite3.connect(db)
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    conn.close()

    def failing(conn: sqlite3.Connection, first: int, seq: int) -> None:
        raise StoreError("the disk filled up")

    monkeypatch.setattr(import_bulk, "settle_merged", failing)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "the disk filled up" in result.stderr
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall() == (
            schema
        )
        assert conn.execute("SELECT count(*) FROM changes").fetchone() == (0,)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_a_fresh_import_checks_nothing_twice_as_it_writes(
    run: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,  # noqa: F811
) -> None:
    """The copy into a store without changes does not check each row's action and
    status again (the staging did), marks what the undos revert once, and derives each
    status from an index: SQLite's virtual-machine steps, per change, pin that work."""
    path = big_export(tmp_path, run, monkeypatch, home)
    count = len(json.loads(path.read_text())["changes"])
    steps = [0]
    insert = import_bulk.insert_staged

    def tick() -> int:
        steps[0] += 1
        return 0  # carry on

    def counted(store: Store, *args: Any) -> str:
        store.conn.set_progress_handler(tick, 1)
        try:
            return insert(store, *args)
        finally:
            store.conn.set_progress_handler(None, 1)

    monkeypatch.setattr(import_bulk, "insert_staged", counted)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(f"imported {count} changes, 0 already present\n")
    # 235 a change when each row's CHECKs ran in the copy and the merge settled as
    # into a store with changes; 176 without.
    assert steps[0] <= 190 * count, steps[0] / count
