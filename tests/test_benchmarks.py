"""The benchmarks' store generator writes histories mlpath reads as the benchmarks claim.

benchmarks/harness.py inserts generated changes straight into a store (1M changes in
seconds), so a schema change to the store breaks it without any benchmark being run;
these tests notice at once.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

from conftest import MINI_CATALOG, Run
from mlpath import store as store_mod
from mlpath.store import open_store

HARNESS = Path(__file__).resolve().parents[1] / "benchmarks" / "harness.py"
IDS = [resource["id"] for resource in MINI_CATALOG["resources"]]


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_harness", HARNESS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def test_generated_history_ends_in_a_daily_streak_of_the_given_length(
    home: Path, mini_catalog: Path, run: Run
) -> None:
    harness = load_harness()
    rows = harness.history_rows(IDS, 300, 40, 0, 11, time.time() - 60)
    harness.generate_store(home / "progress.db", rows)

    result = run("progress", "--json")

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["result"]["streak"]["days"] == 40
    store = open_store(home / "progress.db", create=False)
    assert store is not None
    assert len(store.changes()) == 300
    store.close()


def test_generated_statuses_are_the_ones_mlpath_derives_from_the_history(
    home: Path, mini_catalog: Path
) -> None:
    harness = load_harness()
    harness.generate_store(
        home / "progress.db", harness.history_rows(IDS, 500, 10, 0, 3, time.time() - 60)
    )
    store = open_store(home / "progress.db", create=False)
    assert store is not None
    generated = store.statuses()
    # Re-deriving every resource from the history must change nothing.
    with store.transaction() as conn:
        conn.execute("DELETE FROM current")
    with store.transaction() as conn:
        store_mod._refresh(conn, IDS)
    assert store.statuses() == generated
    assert set(generated.values()) <= {"doing", "done", "skipped"}
    store.close()


def test_the_generated_last_command_is_taken_back_by_one_undo(
    home: Path, mini_catalog: Path
) -> None:
    harness = load_harness()
    rows = harness.history_rows(IDS, 103, 5, 3, 5, time.time() - 60)
    harness.generate_store(home / "progress.db", rows)
    store = open_store(home / "progress.db", create=False)
    assert store is not None

    undone = store.undo(1)

    assert sorted(c.resource for c in undone) == sorted(IDS[:3])
    assert {c.status for c in undone} == {"done"}
    store.close()


def test_a_generated_catalog_with_parts_is_valid(tmp_path: Path) -> None:
    from mlpath.validate import validate_catalog_bytes

    path = tmp_path / "parts.json"
    load_harness().generate_catalog(path, 30, parts=20)
    catalog = validate_catalog_bytes(path.read_bytes(), str(path))
    assert all(len(r.parts) == 20 for r in catalog.resources)


def test_a_run_at_a_terminal_sees_a_terminal_of_the_size_asked(tmp_path: Path) -> None:
    """The figures for `list` and `plan` at a terminal are of a command laid out for an
    80×24 screen; the others are piped."""
    harness = load_harness()
    bench = harness.Bench(Path(sys.executable), {"plain": {"PATH": "/usr/bin:/bin"}})
    show = "import os, sys; print(sys.stdout.isatty(), os.get_terminal_size(1))"
    argv = [sys.executable, "-c", show]
    at_terminal, piped = bench.run_plan(
        [harness.run_step(argv, "plain", 60, (80, 24)), harness.run_step(argv, "plain", 60)]
    )
    assert at_terminal[3] == 0
    assert "True os.terminal_size(columns=80, lines=24)" in at_terminal[5]
    assert 0 < at_terminal[1] <= at_terminal[0]  # the first line's time, then the end
    assert piped[3] == 1 and "Inappropriate ioctl" in piped[4]  # no terminal: an error
