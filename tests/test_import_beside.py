"""A big import into no store at all builds the store beside its place, with no journal,
and links it there as it commits (mlpath.store_beside): the same store, the same report
and the same undo as an import into an empty store, each page written once, and a
failure leaves no store behind."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import import_bulk, store_beside, store_files, workspace
from mlpath import store as store_mod
from mlpath.db import sqlite3
from mlpath.errors import StoreError
from mlpath.output.env import output_error
from mlpath.store import open_store
from test_import_stream import big_export, parted  # noqa: F401 - a fixture


def wal_at_commit(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bytes of the store's WAL as each run has committed, before its connections
    close and the last one checkpoints it: what the run wrote twice."""
    sizes: list[int] = []
    close = workspace.Workspace._close_connections

    def measured(ws: workspace.Workspace) -> None:
        try:
            sizes.append(os.stat(ws.store_path + "-wal").st_size)
        except FileNotFoundError:
            sizes.append(0)
        close(ws)

    monkeypatch.setattr(workspace.Workspace, "_close_connections", measured)
    return sizes


def left_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture
def exported(
    run: Run,
    parted: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
) -> Path:
    """A big export (it streams), to import where no store is yet: tmp_path/fresh."""
    path = big_export(tmp_path, run, monkeypatch, home)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "fresh"))
    return path


def test_a_big_import_into_no_store_is_the_import_into_an_empty_one_written_once(
    run: Run, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = exported
    count = len(json.loads(path.read_text())["changes"])
    existed: list[bool] = []
    insert = import_bulk.insert_staged

    def spied(*args: Any, **kwargs: Any) -> str:
        existed.append(store_files.exists(os.environ["MLPATH_HOME"] + "/progress.db"))
        return insert(*args, **kwargs)

    monkeypatch.setattr(import_bulk, "insert_staged", spied)
    wal = wal_at_commit(monkeypatch)
    outcomes = []
    for where in ("empty", "none"):
        data = tmp_path / where
        monkeypatch.setenv("MLPATH_HOME", str(data))
        if where == "empty":
            made = open_store(data / "progress.db", create=True)
            assert made is not None
            made.close()
        existed.clear()
        wal.clear()
        result = run("import", str(path))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.endswith(f"imported {count} changes, 0 already present\n")
        # Into no store, none is there until the import is whole, and no page went
        # through a WAL (into an empty store, the WAL held every page before the
        # checkpoint copied it: some 300 KB here).
        assert existed == [where == "empty"]
        assert (wal[0] == 0) == (where == "none"), wal
        store = data / "progress.db"
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert [n for n in left_in(data) if n.startswith(".progress-")] == []
        conn = sqlite3.connect(store_files.uri(str(store), "mode=ro"), uri=True)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
        written = json.loads(run("export", "--format", "json").stdout)
        progress = run("progress").stdout
        assert run("undo").exit_code == 0
        undone = run("list", "--json").stdout
        assert all(r["status"] == "todo" for r in json.loads(undone)["result"]["resources"])
        outcomes.append((result.stdout, written["changes"], written["units"], progress))
    assert outcomes[0] == outcomes[1]


def test_a_failed_import_into_no_store_leaves_no_store(
    run: Run, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, fresh = exported, tmp_path / "fresh"

    def failing(*args: Any) -> None:
        raise StoreError("progress store failed: database or disk is full")

    # The merge fails once the new store is half written.
    monkeypatch.setattr(import_bulk, "settle_merged", failing)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == "mlpath: progress store failed: database or disk is full\n"
    # Neither the store nor its temporary file: the next command finds no store at all.
    assert left_in(fresh) == []


def test_a_store_made_meanwhile_is_kept_and_the_import_runs_again_into_it(
    run: Run, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, fresh = exported, tmp_path / "fresh"
    count = len(json.loads(path.read_text())["changes"])
    link = store_mod.link_into_place

    def made_meanwhile(tmp: str, target: str) -> bool:
        # Another mlpath records a change while this import runs, and creates the store.
        other = open_store(target, create=True)
        assert other is not None
        other.set_status(["epsilon"], "done")
        other.close()
        return link(tmp, target)

    monkeypatch.setattr(store_beside, "link_into_place", made_meanwhile)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: another mlpath created the progress store {fresh / 'progress.db'} "
        "while this ran; nothing was changed — run the command again\n"
    )
    assert [n for n in left_in(fresh) if n.startswith(".progress-")] == []
    history = json.loads(run("export", "--format", "json").stdout)["changes"]
    assert [(c["resource"], c["status"]) for c in history] == [("epsilon", "done")]

    monkeypatch.setattr(store_beside, "link_into_place", link)
    again = run("import", str(path))
    assert again.exit_code == 0, again.stderr
    assert again.stdout.endswith(f"imported {count} changes, 0 already present\n")
    history = json.loads(run("export", "--format", "json").stdout)["changes"]
    assert len(history) == count + 1 and ("epsilon", "done") in {
        (c["resource"], c["status"]) for c in history
    }


def test_an_import_whose_report_cannot_be_written_leaves_no_store(
    run: Run, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath.output import render

    path, fresh = exported, tmp_path / "fresh"

    def full(*args: Any) -> None:
        raise output_error(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(render, "render", full)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert result.stderr == "mlpath: cannot write the output: No space left on device\n"
    # Exit 1, nothing changed: not even an empty store is left.
    assert [n for n in left_in(fresh) if n != "import-memo"] == []
