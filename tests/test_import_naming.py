"""An import names what it moved by reading those resources only: its work does not
grow with the catalog (counted in SQLite steps, as tests/test_history_length.py does),
and it lists them in path order, by title, as before."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI_CATALOG
from mlpath import cli
from mlpath.db import sqlite3
from mlpath.workspace import Workspace
from test_history_length import counting_vm_steps


def catalog_with_filler(path: Path, filler: int) -> Path:
    """The mini catalog with `filler` more resources in its last section."""
    catalog = copy.deepcopy(MINI_CATALOG)
    for n in range(filler):
        catalog["resources"].append(
            {
                "id": f"filler-{n:05d}",
                "title": f"Filler {n}",
                "section": "practice",
                "url": f"https://example.org/filler-{n}",
                "kind": "article",
                "cost": "free",
                "minutes": 10,
                "description": "Filler.",
            }
        )
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return path


def import_steps(
    tmp_path: Path,
    filler: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    """Steps of importing an export that moves delta, alpha and beta into a new store, on
    a catalog with `filler` more resources; and what the import printed."""
    run_dir = tmp_path / f"filler-{filler}"
    monkeypatch.setenv(
        "MLPATH_CATALOG", str(catalog_with_filler(tmp_path / f"{filler}.json", filler))
    )
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(run_dir / "cache"))
    monkeypatch.setenv("MLPATH_HOME", str(run_dir / "there"))
    for args in (["done", "delta"], ["done", "alpha"], ["start", "beta"]):
        assert cli.run(args) == 0
    export = run_dir / "export.json"
    assert cli.run(["export", "-o", str(export)]) == 0
    monkeypatch.setenv("MLPATH_HOME", str(run_dir / "here"))
    assert cli.run(["next"]) == 0  # the catalog cache built first: not what is counted
    capsys.readouterr()
    with counting_vm_steps() as steps:
        assert cli.run(["import", str(export)]) == 0
    return steps[0], capsys.readouterr().out


def test_an_import_reads_only_the_resources_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    small, printed = import_steps(tmp_path, 10, monkeypatch, capsys)
    large, printed_large = import_steps(tmp_path, 2000, monkeypatch, capsys)
    assert printed == printed_large
    assert printed.splitlines() == [
        "alpha · Alpha Intro: todo → done",
        "beta · Beta Article: todo → doing",
        "delta · Delta Practice: todo → done",
        "imported 3 changes, 0 already present",
    ]
    assert large == small


def test_moved_parts_follow_their_resource_in_their_own_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bundled numpy-100's exercises are parts: the tenth comes after the second."""
    monkeypatch.delenv("MLPATH_CATALOG", raising=False)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "there"))
    for args in (["done", "numpy-100/10"], ["done", "numpy-100/2"], ["done", "d2l/2"]):
        assert cli.run(args) == 0
    export = tmp_path / "export.json"
    assert cli.run(["export", "-o", str(export)]) == 0
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "here"))
    capsys.readouterr()
    assert cli.run(["import", str(export)]) == 0
    named = [line.split(" · ")[0] for line in capsys.readouterr().out.splitlines()[:-1]]
    assert named == ["d2l", "d2l/2", "numpy-100", "numpy-100/2", "numpy-100/10"]


def traced_db(statements: list[str]) -> Callable[[Workspace], sqlite3.Connection]:
    """`Workspace.db` (through which every command reads the catalog), with each
    statement its connection runs added to `statements`."""
    real_db = Workspace.db

    def db(self: Workspace) -> sqlite3.Connection:
        conn = real_db(self)
        conn.set_trace_callback(statements.append)
        return conn

    return db


def test_what_an_import_moved_is_read_once_to_order_and_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twenty parts moved (their resource done with them): it and its parts are each
    read in one statement, for ordering and naming both (they were read twice, the
    parts one statement a key)."""
    monkeypatch.delenv("MLPATH_CATALOG", raising=False)
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "there"))
    assert cli.run(["done", *[f"numpy-100/{n}" for n in range(20, 0, -1)]]) == 0
    export = tmp_path / "export.json"
    assert cli.run(["export", "-o", str(export)]) == 0
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "here"))
    assert cli.run(["next"]) == 0  # the catalog cache built first: not what is counted
    capsys.readouterr()
    statements: list[str] = []
    monkeypatch.setattr(Workspace, "db", traced_db(statements))
    assert cli.run(["import", str(export)]) == 0
    reads = [s for s in statements if re.search(r"\b(FROM|JOIN) (resources|parts)\b", s)]
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" · ")[0] for line in lines[:-1]] == [
        "numpy-100",
        *[f"numpy-100/{n}" for n in range(1, 21)],
    ]
    assert lines[-1] == "imported 21 changes, 0 already present"
    assert len(reads) == 2, reads
