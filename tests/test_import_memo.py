"""Importing the same big file again only hashes it: the memo of what an import brought
answers as a full import would, and only where a full import would find it all there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath import import_memo, import_quick
from test_import_stream import big_export, parted, staging_spy

__all__ = ["parted"]  # a fixture, used by name


@pytest.fixture
def imported(run: Run, parted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A big export, imported once into the home the tests run in from here on."""
    path = big_export(tmp_path, run, monkeypatch, tmp_path / "home")
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "other"))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_the_same_file_again_is_only_hashed(
    run: Run, imported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = len(json.loads(imported.read_text())["changes"])
    staged = staging_spy(monkeypatch)
    again = run("import", str(imported), "--json")
    # A copy of the file is the same file; a dry run says the same.
    copy = tmp_path / "copy.json"
    shutil.copy(imported, copy)
    assert run("import", str(copy)).stdout == f"imported 0 changes, {count} already present\n"
    assert run("import", str(copy), "--dry-run").stdout.startswith("would import 0 changes")
    assert staged == []  # none read as an export: hashed
    # What a full import answers, once the memo is gone.
    (tmp_path / "other" / import_memo.NAME).unlink()
    full = run("import", str(imported), "--json")
    assert len(staged) == 1 and staged[0] is not None
    assert again.exit_code == full.exit_code == 0
    assert payload(again.stdout, "import") == payload(full.stdout, "import")
    assert payload(again.stdout, "import")["already_present"] == count


def test_a_store_without_that_import_imports_the_file_in_full(
    run: Run, imported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = len(json.loads(imported.read_text())["changes"])
    # The store replaced by one that never saw the import (a copy restored, say).
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "elsewhere"))
    assert run("start", "alpha").exit_code == 0
    other = tmp_path / "other"
    for name in ("progress.db", "progress.db-wal", "progress.db-shm"):
        (other / name).unlink(missing_ok=True)
    shutil.copy(tmp_path / "elsewhere" / "progress.db", other / "progress.db")
    monkeypatch.setenv("MLPATH_HOME", str(other))
    result = run("import", str(imported), "--json")
    assert result.exit_code == 0, result.stderr
    assert payload(result.stdout, "import")["imported"] == count


def test_a_changed_file_of_the_same_size_is_read_and_checked(
    run: Run, imported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    text = imported.read_text()
    assert '"status": "done"' in text
    imported.write_text(text.replace('"status": "done"', '"status": "dome"', 1))
    result = run("import", str(imported))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mlpath: cannot import {imported}: 1 problem: changes[")
    assert "].status: " in result.stderr


def test_a_clock_set_back_past_the_file_is_refused_as_a_full_import_refuses_it(
    run: Run, imported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlpath import store

    monkeypatch.setattr(store, "wall_clock", lambda: 10**9 * 86_400 * 365 * 50)  # 2020
    monkeypatch.setattr(import_quick, "MAX_IMPORT_BYTES", 200 * 1024 * 1024)
    result = run("import", str(imported))
    assert result.exit_code == 1
    assert "more than a day after this machine's clock" in result.stderr
