"""Definitions in the store: what a key (an own resource, own parts, the goal) means.

They are changes like any other: undo takes them back, an export carries them, an
import merges them, and a store from before them is migrated with its history.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Run
from mlpath.errors import ImportFileError, StoreError
from mlpath.import_file import parse_export
from mlpath.store import GOAL_KEY, MIGRATIONS, SCHEMA_VERSION, Store, open_store

BOOK = {"title": "My own book", "section": "books", "minutes": 600}
PARTS_NOTE = json.dumps({"parts": [{"id": "my-1", "title": "One", "minutes": 60}]})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "data" / "progress.db", create=True)
    assert opened is not None
    return opened


def other_store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "other" / "progress.db", create=True)
    assert opened is not None
    return opened


def test_a_definition_is_the_latest_one_and_none_withdraws_it(store: Store) -> None:
    store.define("my-book", BOOK)
    store.define(GOAL_KEY, {"hours_per_week": 6, "scope": "core"})
    store.define(GOAL_KEY, {"hours_per_week": 4, "scope": "free"})
    assert store.defined() == {
        GOAL_KEY: {"hours_per_week": 4, "scope": "free"},
        "my-book": BOOK,
    }
    assert store.defined("my-") == {"my-book": BOOK}
    store.define("my-book", None)
    assert store.defined("my-") == {}
    # Definitions are not statuses: nothing is done or started by them.
    assert store.statuses() == {}


def test_defining_the_same_thing_again_records_nothing(store: Store) -> None:
    assert store.define("my-book", BOOK) is not None
    assert store.define("my-book", dict(reversed(BOOK.items()))) is None
    assert store.define("my-gone", None) is None
    assert len(store.changes()) == 1


def test_undo_takes_a_definition_back_to_the_one_before(store: Store) -> None:
    store.define(GOAL_KEY, {"hours_per_week": 6})
    store.define(GOAL_KEY, {"hours_per_week": 10})
    [undone] = store.undo(1)
    assert undone.action == "define"
    assert store.defined() == {GOAL_KEY: {"hours_per_week": 6}}
    store.undo(1)
    assert store.defined() == {}


def test_a_definition_and_a_status_in_one_unit_are_undone_together(store: Store) -> None:
    with store.unit("add"):
        store.define("my-book", BOOK)
        store.set_status(["my-book"], "doing")
    store.undo(1)
    assert store.defined() == {} and store.statuses() == {}


def test_merge_brings_definitions_and_their_undos(store: Store, tmp_path: Path) -> None:
    store.define("my-book", BOOK)
    store.define(GOAL_KEY, {"hours_per_week": 6})
    store.undo(1)
    other = other_store(tmp_path)
    changes = store.changes(newest_first=False)
    # An undo may arrive before the change it reverts.
    other.merge([c for c in changes if c.action == "undo"], store.units())
    other.merge(changes, store.units())
    assert other.defined() == store.defined() == {"my-book": BOOK}


def test_a_hand_edited_definition_is_explained(store: Store) -> None:
    store.define("my-book", BOOK)
    store.conn.execute("UPDATE defined SET value = '[1, 2]'")
    with pytest.raises(StoreError, match="definition of 'my-book' that is not a JSON object"):
        store.defined()


def test_a_store_of_schema_3_is_migrated_keeping_its_history(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    old = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        old.executescript(script)
    old.execute(
        "INSERT INTO units (uid, label, at) VALUES ('u1', 'done', '2026-01-01T00:00:00.000000Z')"
    )
    old.execute(
        "INSERT INTO changes (uid, at, resource, action, status, clock, unit, recorded) "
        "VALUES ('a1', '2026-01-01T00:00:00.000000Z', 'd2l', 'status', 'done', 1, 1, 1)"
    )
    old.execute("INSERT INTO current VALUES ('d2l', 'done', '2026-01-01T00:00:00.000000Z')")
    old.execute("PRAGMA user_version = 3")
    old.commit()
    old.close()
    store = open_store(path, create=False)
    assert store is not None
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.statuses() == {"d2l": "done"}
    assert [c.uid for c in store.changes()] == ["a1"]
    store.define("my-book", BOOK)
    assert store.changes()[0].seq == 2  # sequence numbers go on from the old table's
    indexes = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
    assert {"changes_by_resource", "changes_by_clock", "changes_live_by_unit"} <= indexes


def test_export_and_import_carry_definitions(
    run: Run, mini_catalog: Path, tmp_path: Path, home: Path
) -> None:
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    store.define("my-book", BOOK)
    store.define("parts:gamma-book", {"parts": [{"id": "my-1", "title": "One", "minutes": 60}]})
    store.define(GOAL_KEY, {"hours_per_week": 6})
    store.undo(1)
    store.close()
    exported = tmp_path / "out.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    document = json.loads(exported.read_text())
    assert document["version"] == 3
    assert [c["action"] for c in document["changes"]] == ["define", "define", "define", "undo"]
    export = parse_export(exported.read_bytes(), "out.json")
    other = other_store(tmp_path)
    other.merge([c.to_change() for c in export.changes], [])
    assert other.defined() == {
        "my-book": BOOK,
        "parts:gamma-book": {"parts": [{"id": "my-1", "title": "One", "minutes": 60}]},
    }


def _export(version: int, *changes: dict[str, object]) -> bytes:
    unit = {"uid": "a" * 32, "label": "add", "at": "2026-01-01T00:00:00.000000Z"}
    return json.dumps(
        {
            "format": "mlpath-export",
            "version": version,
            "exported_at": "2026-01-01T00:00:00.000000Z",
            "catalog_title": None,
            "units": [unit],
            "changes": [
                {
                    "uid": f"{i:032x}",
                    "at": "2026-01-01T00:00:00.000000Z",
                    "clock": 1_767_225_600_000_000 + i,
                    "unit": "a" * 32,
                    "resource": "my-book",
                    "action": "define",
                    "status": None,
                    "note": json.dumps(BOOK),
                    "reverts": None,
                }
                | change
                for i, change in enumerate(changes, start=1)
            ],
        }
    ).encode()


@pytest.mark.parametrize(
    ("version", "change", "problem"),
    [
        (2, {}, "version: must be 3 for a file holding 'define' changes"),
        (3, {"note": "[1]"}, "must be null or the JSON text of an object"),
        (3, {"note": "not json"}, "must be null or the JSON text of an object"),
        (3, {"resource": "d2l"}, "must be a definition's key"),
        (3, {"resource": "parts:d2l/1"}, "must name a resource, not a part"),
        (
            3,
            {"action": "status", "status": "done", "note": None, "resource": "goal:"},
            "must be a resource id",
        ),
    ],
)
def test_an_import_refuses_a_definition_that_does_not_fit(
    version: int, change: dict[str, object], problem: str
) -> None:
    with pytest.raises(ImportFileError, match=problem):
        parse_export(_export(version, change), "file.json")


def test_an_import_reads_every_kind_of_definition() -> None:
    export = parse_export(
        _export(
            3,
            {},
            {"resource": "parts:d2l", "note": PARTS_NOTE},
            {"resource": "goal:", "note": None},
        ),
        "file.json",
    )
    assert [c.resource for c in export.changes] == ["my-book", "parts:d2l", "goal:"]
