"""The plan's text made a column at a time (issue 11): the same days and rows as one made
row by row, with less work."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath.output import literal, plan_text
from mlpath.output.env import Environment
from mlpath.plan_table import iso_days
from test_scale import big_catalog, mark


def test_iso_days_are_isoformat_across_years_leap_days_and_any_order() -> None:
    rng = random.Random(5)
    start = date(1999, 12, 30)
    growing = sorted(rng.randrange(0, 3_000) for _ in range(500))
    jumbled = [rng.randrange(0, 400_000) for _ in range(500)]
    for offsets in (growing, jumbled, [0, 0, 1, 1, 1, 366, 367, 731]):
        assert iso_days(start, offsets) == [
            (start + timedelta(days=o)).isoformat() for o in offsets
        ]
    assert iso_days(date(1, 1, 1), [0, 365, 99 * 365]) == [
        "0001-01-01",
        "0002-01-01",
        "0099-12-08",
    ]


HEADER = ("week", "start", "end", "id", "title", "time", "")


def columns(titles: list[str], times: list[str], statuses: list[str]) -> list[list[str]]:
    n = len(titles)
    return [
        [str(i + 1) if i % 2 else f"{i + 1}–{i + 12}" for i in range(n)],
        ["2026-01-05"] * n,
        ["2026-02-05"] * n,
        [f"r{i}" * (1 + i % 3) for i in range(n)],
        titles,
        times,
        statuses,
    ]


def test_aligned_text_is_what_aligned_columns_writes() -> None:
    titles = ["Intro", "A much longer title", "Mid title", "x"]
    times = ["1 h", "37 h 5 min", "no estimate", "5 min"]
    for statuses in (["", "", "", ""], ["in progress", "", "", "in progress"]):
        cells = columns(titles, times, statuses)
        text = plan_text.aligned_text(HEADER, cells)
        assert text == "\n".join(plan_text.aligned_columns(HEADER, cells)) + "\n"


def test_aligned_text_leaves_outside_text_it_cannot_measure_to_aligned_columns() -> None:
    times = ["1 h", "2 h", "3 h"]
    for titles in (["Intro", "深度学习", "x"], ["Intro", "bell\x07", "x"], ["a", "b", "c\u202e"]):
        assert plan_text.aligned_text(HEADER, columns(titles, times, [""] * 3)) is None
    assert (
        plan_text.aligned_text(HEADER, columns(["a", "b", "c"], ["1 h", "", "3 h"], [""] * 3))
        is None
    )


def test_the_plan_rows_are_not_looked_at_one_by_one(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line of the table went through literal.visible; now its columns are checked
    at once, so the lines looked at one by one do not grow with the plan."""
    looked_at: dict[int, int] = {}
    for size in (300, 3_000):
        path = tmp_path / f"big-{size}.json"
        ids = big_catalog(path, size)
        monkeypatch.setenv("MLPATH_CATALOG", str(path))
        monkeypatch.setenv("MLPATH_HOME", str(tmp_path / f"home-{size}"))
        mark(ids[size // 2 : size // 2 + 10], "doing")
        calls = [0]

        def counted(text: str, calls: list[int] = calls, real: Any = literal.visible) -> str:
            calls[0] += 1
            return str(real(text))

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(literal, "visible", counted)
            result = run("plan", "-w", "6", "--start", "2026-01-05")
        assert result.exit_code == 0, result.stderr
        assert len(result.stdout.splitlines()) > size // 2
        looked_at[size] = calls[0]
    assert looked_at[300] == looked_at[3_000] < 50


def test_a_long_plan_is_written_a_piece_at_a_time_the_same_as_whole(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into a pipe, the table's rows are made and written CHUNK_ROWS at a time, so its
    memory does not grow with the plan; the text is what one piece would have been."""
    path = tmp_path / "big.json"
    big_catalog(path, 3_000)
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    written: dict[int, list[int]] = {}
    out: dict[int, str] = {}
    for rows in (10**9, 700):
        pieces: list[int] = []

        def counted(
            env: Environment,
            data: bytes,
            pieces: list[int] = pieces,
            real: Any = Environment.write_utf8,
        ) -> None:
            pieces.append(data.count(b"\n"))
            real(env, data)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(plan_text, "CHUNK_ROWS", rows)
            patch.setattr(Environment, "write_utf8", counted)
            result = run("plan", "-w", "6", "--start", "2026-01-05")
        assert result.exit_code == 0, result.stderr
        written[rows], out[rows] = pieces, result.stdout
    assert out[700] == out[10**9]
    assert len(out[700].splitlines()) > 2_000
    assert written[10**9] == [max(written[10**9])] and max(written[10**9]) > 2_000
    assert len(written[700]) >= 3 and max(written[700]) <= 701
