"""`mlpath plan` reads the catalog in a fixed number of statements and builds no
Resource for the rows it prints as text, however long the path (issue 11).

Counted, not timed (see tests/test_scale.py): the rows it prints do grow with the
catalog, but the statements run and the objects built do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import catalog as catalog_mod
from mlpath.db import sqlite3
from test_scale import big_catalog, counting_resources, mark


@contextmanager
def counting_statements() -> Iterator[list[int]]:
    """Count the SQL statements run on every SQLite connection opened inside the block."""
    count = [0]
    real_connect = sqlite3.connect

    def traced(statement: str) -> None:
        count[0] += 1

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        conn.set_trace_callback(traced)
        return conn

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", connect)
        yield count


def plan_work(
    size: int, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int, int]:
    """(statements, Resources built, lines printed) of `plan -w 6` on a generated
    catalog of `size` resources, a third of them done and a tenth started."""
    path = tmp_path / f"big-{size}.json"
    ids = big_catalog(path, size, parts=0)
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"home-{size}"))
    mark(ids[: size // 3])
    mark(ids[size // 3 : size // 3 + size // 10], "doing")
    assert run("next").exit_code == 0  # builds the catalog cache: not what is counted
    built = counting_resources(monkeypatch)
    with counting_statements() as statements:
        result = run("plan", "-w", "6", "--start", "2026-01-05")
    monkeypatch.setattr(catalog_mod, "resource_from_row", catalog_mod.resource_from_row)
    assert result.exit_code == 0, result.stderr
    return statements[0], built[0], len(result.stdout.splitlines())


def test_plan_work_does_not_grow_with_the_catalog(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = plan_work(1_000, run, tmp_path, monkeypatch)
    large = plan_work(10_000, run, tmp_path, monkeypatch)
    assert large[2] > 9 * small[2]  # every open resource is printed, at both sizes
    assert large[0] == small[0]  # the same statements
    assert small[1] == large[1] == 0  # and no Resource for a row of text
