"""The progress store: history in, status out; undo, notes, merges and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath.errors import InvalidText, NothingToUndo, StoreError
from mlpath.store import MIGRATIONS, SCHEMA_VERSION, Change, Store, now, open_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "data" / "progress.db", create=True)
    assert opened is not None
    return opened


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    assert open_store(tmp_path / "data" / "progress.db", create=False) is None
    assert not (tmp_path / "data").exists()


def test_status_is_the_latest_change(store: Store) -> None:
    store.set_status(["a"], "doing")
    store.set_status(["a"], "done")
    assert store.statuses() == {"a": "done"}
    assert [c.status for c in store.changes(newest_first=False)] == ["doing", "done"]


def test_repeating_a_change_records_nothing(store: Store) -> None:
    assert store.set_status(["a", "b"], "done") == [("a", "todo", True), ("b", "todo", True)]
    assert store.set_status(["a"], "done") == [("a", "done", False)]
    assert len(store.changes()) == 2


def test_reset_to_todo_clears_the_status_but_keeps_history(store: Store) -> None:
    store.set_status(["a"], "done")
    store.set_status(["a"], "todo")
    assert store.statuses() == {}
    assert len(store.changes()) == 2


def test_undo_reverts_the_latest_changes_newest_first(store: Store) -> None:
    store.set_status(["a"], "doing")
    store.set_status(["a"], "done")
    store.set_status(["b"], "skipped")
    undone = store.undo(2)
    assert [(c.resource, c.status) for c in undone] == [("b", "skipped"), ("a", "done")]
    assert store.statuses() == {"a": "doing"}
    # An undo is itself history, and a second undo reaches further back.
    store.undo(1)
    assert store.statuses() == {}
    with pytest.raises(NothingToUndo):
        store.undo(1)


def test_undo_takes_back_a_whole_command(store: Store) -> None:
    store.set_status(["a"], "done")
    store.set_status(["b", "c", "d"], "skipped")
    assert sorted(c.resource for c in store.undo(1)) == ["b", "c", "d"]
    assert store.statuses() == {"a": "done"}


def test_notes_are_changes_that_undo_can_revert(store: Store) -> None:
    store.add_note("a", "hard chapter")
    assert [c.note for c in store.live_changes("a")] == ["hard chapter"]
    store.undo(1)
    assert store.live_changes("a") == []


def test_merge_adds_only_unknown_changes_and_rederives_status(store: Store) -> None:
    store.set_status(["a"], "doing")
    mine = store.changes(newest_first=False)
    theirs = Change(0, "f" * 32, now(), "a", "status", "done", None, None)
    assert store.merge([*mine, theirs]) == [theirs]
    assert store.statuses() == {"a": "done"}
    assert store.merge([*mine, theirs]) == []


def test_history_of_unknown_ids_is_kept(store: Store) -> None:
    store.set_status(["retired-resource"], "done")
    assert store.statuses() == {"retired-resource": "done"}


def test_store_from_a_newer_mlpath_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    opened = open_store(path, create=True)
    assert opened is not None
    opened.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    opened.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer mlpath"):
        open_store(path, create=True)
    assert path.read_bytes() == before


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.commit()
    other.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="database of something else; it was left untouched"):
        open_store(path, create=True)
    assert path.read_bytes() == before


def test_user_input_reaches_sql_only_as_parameters(store: Store) -> None:
    hostile = "x'); DROP TABLE changes; --"
    store.set_status([hostile], "done")
    store.add_note(hostile, "'; DELETE FROM current; --")
    assert store.statuses() == {hostile: "done"}
    assert len(store.changes()) == 2


def test_timestamps_sort_as_text_in_time_order() -> None:
    stamps = [now() for _ in range(50)]
    assert stamps == sorted(stamps)
    assert all(len(s) == 27 and s.endswith("Z") for s in stamps)


def test_an_older_store_is_migrated_on_open_keeping_its_history(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute(
        "INSERT INTO changes (uid, at, resource, action, status) "
        "VALUES ('a1', '2026-01-01T00:00:00.000000Z', 'd2l', 'status', 'done')"
    )
    old.execute("INSERT INTO current VALUES ('d2l', 'done', '2026-01-01T00:00:00.000000Z')")
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    store = open_store(path, create=False)
    assert store is not None
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    indexes = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
    assert "current_by_status" in indexes
    assert store.statuses() == {"d2l": "done"}


def test_a_note_that_is_not_text_is_refused_and_nothing_is_written(store: Store) -> None:
    with pytest.raises(InvalidText, match=r"the note is not valid text: '\\xff!'"):
        store.add_note("a", "\udcff!")  # how Python decodes the argv byte 0xff
    with pytest.raises(InvalidText, match=r"'\\ud800'"):
        store.set_status(["a"], "done", note="\ud800")
    assert store.changes() == []


def test_unit_labels_are_stored_so_that_an_export_can_carry_them(store: Store) -> None:
    store.set_status(["a"], "done", label="import /tmp/\udcff" + "x" * 500)
    store.set_status(["b"], "done", label=" \n ")
    labels = [row[0] for row in store.conn.execute("SELECT label FROM units ORDER BY seq")]
    assert labels[0].startswith("import /tmp/?x") and len(labels[0]) == 200
    assert labels[1] == "command"


@pytest.mark.usefixtures("mini_catalog")
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["done", "\udcff"], "mlpath: \\xff is not UTF-8 text"),
        (["done", "alpha", "b\udcffeta"], "mlpath: b\\xffeta is not UTF-8 text"),
        (["note", "alpha", "\udcffx"], "mlpath: \\xffx is not UTF-8 text"),
    ],
)
def test_arguments_that_are_not_text_give_one_line_and_change_nothing(
    run: Run, home: Path, argv: list[str], message: str
) -> None:
    result = run(*argv)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert payload(run("history", "--json").stdout)["changes"] == []


def test_the_schema_version_readers_check_is_the_number_of_migrations() -> None:
    # Read-only commands check a store's version without loading mlpath.store, from
    # store_files.SCHEMA_VERSION: a new migration must move that number too, or every
    # read would take an up-to-date store for an old one (or a newer one for current).
    assert SCHEMA_VERSION == len(MIGRATIONS)
