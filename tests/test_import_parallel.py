"""A big export is read and checked in a second process while this one writes the scratch
database: what is staged, what is refused and what is learnt on the way are the same as
when one process does both, and this process matches no record itself."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import import_quick, import_stream
from test_import_stream import (
    SMALL_BLOCK,
    big_export,
    export_text,  # noqa: F401 - a fixture
    parted,  # noqa: F401 - a fixture
    repeated,
    staged_export,
    staging_spy,
)


def matched_here(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many blocks of records this process matches from here on."""
    matched = [0]
    rows = import_stream._Item.rows

    def counted(item: Any, body: str, first: bool) -> Any:
        matched[0] += 1
        return rows(item, body, first)

    monkeypatch.setattr(import_stream._Item, "rows", counted)
    return matched


def test_a_file_read_beside_is_staged_as_one_read_here(
    export_text: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    text = repeated(export_text, 5)
    matched = matched_here(monkeypatch)
    alone = staged_export(text)
    assert alone is not None and matched[0] > 10
    matched[0] = 0
    monkeypatch.setattr(import_stream, "PARALLEL_BYTES", 0)
    beside = staged_export(text)
    assert beside == alone
    assert matched[0] == 0  # every record was matched in the other process


def test_what_the_reader_is_unsure_of_is_read_whole_either_way(
    export_text: str,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(import_stream, "BLOCK", SMALL_BLOCK)
    monkeypatch.setattr(import_quick, "WHOLE_MAX", SMALL_BLOCK)
    monkeypatch.setattr(import_stream, "PARALLEL_BYTES", 0)
    assert staged_export(export_text) is not None
    earlier = 10**9 * 86_400 * 365 * 50  # 2020, before these changes were made
    assert staged_export(export_text, earlier) is None


def test_a_big_file_read_beside_imports_as_one_read_here(
    run: Run,
    parted: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
) -> None:
    path = big_export(tmp_path, run, monkeypatch, home)
    count = len(json.loads(path.read_text())["changes"])
    imported = []
    for beside in (False, True):
        monkeypatch.setattr(import_stream, "PARALLEL_BYTES", 0 if beside else 1 << 40)
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"beside-{beside}"))
        result = run("import", str(path))
        assert result.exit_code == 0, result.stderr
        # The file's hash and what it brought were kept: the same file again is only hashed.
        staged = staging_spy(monkeypatch)
        again = run("import", str(path))
        assert again.stdout == f"imported 0 changes, {count} already present\n", again.stderr
        assert staged == []
        imported.append((result.stdout, run("export", "--format", "csv").stdout))
    assert imported[0] == imported[1]
    assert f"imported {count} changes, 0 already present" in imported[0][0]
