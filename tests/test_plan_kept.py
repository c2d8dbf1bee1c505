"""`mlpath plan` keeps its open rows between runs (mlpath.plan_kept): what it prints
from them is what it prints from the catalog and the store read afresh, after any
change; and a change of a few statuses moves a few rows instead of reading them all."""

from __future__ import annotations

import marshal
import shutil
from pathlib import Path

import pytest

from conftest import Run
from mlpath import plan_kept, plan_table
from test_scale import big_catalog, mark

# The same plan, asked for in every way its kept rows feed.
PLANS = (
    ("plan", "-w", "6", "--start", "2026-01-05"),
    ("plan", "-w", "6", "--start", "2026-01-06", "--free"),
    ("plan", "-w", "4", "--start", "2031-07-01", "--lang", "zh"),
    ("plan", "-w", "6", "--start", "2026-01-05", "--json"),
)


def plans(run: Run) -> list[str]:
    outputs = []
    for argv in PLANS:
        result = run(*argv)
        assert result.exit_code == 0, result.stderr
        outputs.append(result.stdout)
    return outputs


def fresh_plans(run: Run, tmp_path: Path) -> list[str]:
    """The plans with nothing kept, leaving what was kept as it was."""
    kept = tmp_path / "cache" / "plan"
    aside = tmp_path / "kept-aside"
    shutil.move(kept, aside)
    try:
        return plans(run)
    finally:
        shutil.rmtree(kept, ignore_errors=True)
        shutil.move(aside, kept)


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """300 resources: prerequisites, a pair of alternatives, paid and optional ones."""
    ids = big_catalog(tmp_path / "big.json", 300)
    monkeypatch.setenv("MLPATH_CATALOG", str(tmp_path / "big.json"))
    return ids


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the open rows are read from the whole catalog and store."""
    count = [0]
    real = plan_table.read_open_columns

    def counted(*args: object, **kwargs: object) -> plan_table.OpenRows:
        count[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_kept, "read_open_columns", counted)
    return count


CHANGES = (
    ("done", "res-00000"),
    ("start", "res-00004"),
    ("skip", "res-00010", "res-00011"),
    ("undo",),
    ("done", "res-00001"),  # one of a pair of alternatives
    ("undo",),
    ("undo",),
    ("done", "res-00299"),
    ("start", "res-00005"),
    ("done", "res-00005"),
    ("undo",),
    ("goal", "--hours-per-week", "5", "--scope", "all"),
    ("add", "My", "notes", "--section", "s1", "--minutes", "45"),
    ("done", "my-notes"),
    ("undo",),
    ("remove", "my-notes"),
)


def test_the_kept_rows_plan_as_the_catalog_and_store_do_after_every_change(
    run: Run, big: list[str], tmp_path: Path
) -> None:
    assert run("start", "res-00003").exit_code == 0
    assert plans(run) == fresh_plans(run, tmp_path)
    for change in CHANGES:
        result = run(*change)
        assert result.exit_code == 0, (change, result.stderr)
        assert plans(run) == fresh_plans(run, tmp_path), change


def test_a_status_change_moves_rows_instead_of_reading_them_all(
    run: Run, big: list[str], reads: list[int]
) -> None:
    assert run("done", "res-00000").exit_code == 0
    plans(run)
    assert reads[0] == 1  # the first plan reads them
    for change in (
        ("done", "res-00002"),
        ("start", "res-00007"),
        ("undo",),
        ("undo",),
        ("skip", "res-00050"),
    ):
        assert run(*change).exit_code == 0
        plans(run)
    assert reads[0] == 1
    # A definition may add or withdraw a resource: the rows are read afresh.
    assert run("add", "Extra", "--section", "s2", "--minutes", "30").exit_code == 0
    plans(run)
    assert reads[0] == 2


def kept_seq(tmp_path: Path) -> int:
    (record,) = (tmp_path / "cache" / "plan").iterdir()
    data = record.read_bytes()
    store = str(tmp_path / "home" / "progress.db")
    catalog = marshal.loads(data)[2]  # the catalog copy's identity, as recorded
    decoded = plan_kept.decode(data, store, catalog)
    assert decoded is not None
    return decoded[0]


def test_the_record_stays_at_most_a_bounded_stretch_of_history_behind(
    run: Run, big: list[str], tmp_path: Path, reads: list[int]
) -> None:
    assert run("done", "res-00000").exit_code == 0
    plans(run)
    first = kept_seq(tmp_path)
    # A few changes are moved from the record as it is: it is not written again.
    assert run("done", "res-00002").exit_code == 0
    plans(run)
    assert kept_seq(tmp_path) == first
    # More history rows since it than BEHIND: written again at the newest change, so no
    # run reads more than that stretch of the history to bring it up to date.
    mark(big[10 : 10 + plan_kept.BEHIND + 1])
    plans(run)
    assert kept_seq(tmp_path) > first + plan_kept.BEHIND
    assert reads[0] == 1
