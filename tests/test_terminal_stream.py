"""At a terminal, a long listing is written (or paged) as it is laid out: the first
screen comes before the rest of a huge catalog is read, and a reader who quits the
pager early ends the work there."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from mlpath import listing
from mlpath.output import styled
from mlpath.output.env import Environment
from mlpath.output.pager import write_paged
from test_scale import big_catalog


def at_80_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resources: int) -> list[str]:
    """A generated catalog of `resources` in 4 sections, a new home, 80 columns; its ids."""
    path = tmp_path / "big.json"
    ids = big_catalog(path, resources)
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "80")
    return ids


def test_a_listing_at_a_terminal_is_written_before_it_is_all_read(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laid out a section at a time and written a few lines at a time, the text being
    what it was when the whole listing was laid out first."""
    ids = at_80_columns(tmp_path, monkeypatch, 2_000)
    assert run("done", ids[7]).exit_code == 0
    read = [0]
    real_rows = listing.iter_listing

    def counted(*args: Any) -> Iterator[Any]:
        for row in real_rows(*args):
            read[0] += 1
            yield row

    monkeypatch.setattr(listing, "iter_listing", counted)
    read_at_writes: dict[int, list[int]] = {}
    out: dict[int, str] = {}
    for lines in (10**9, styled.CHUNK_LINES):
        seen: list[int] = []

        def write(env: Environment, text: str, seen: list[int] = seen) -> None:
            seen.append(read[0])
            env.stdout.write(text)

        read[0] = 0
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(styled, "CHUNK_LINES", lines)
            patch.setattr(Environment, "write", write)
            result = run("list", terminal=True)  # Rich's tables
        assert result.exit_code == 0, result.stderr
        read_at_writes[lines], out[lines] = seen, result.stdout
    assert out[styled.CHUNK_LINES] == out[10**9]
    # Rich's tables, every section.
    assert "  ✔  res-00007" in out[10**9] and "\nSection 3\n" in out[10**9]
    # Whole: one write once every row was read. Streamed: the first write after the
    # first section's 500 rows, long before the last of the 2,000.
    assert read_at_writes[10**9] == [2_000]
    first = read_at_writes[styled.CHUNK_LINES][0]
    assert 500 <= first < 600
    assert len(read_at_writes[styled.CHUNK_LINES]) > 2_000 // styled.CHUNK_LINES


def test_chunks_are_cut_where_lines_end_and_join_to_the_whole_text() -> None:
    """Cut anywhere the lines end, the text is the same, long lines cropped alike."""
    from rich.console import RenderableType
    from rich.segment import Segment
    from rich.text import Text

    class Wide:
        """Lines wider than the screen, which Rich crops as it prints them."""

        def __rich_console__(self, console: object, options: object) -> Iterator[Segment]:
            yield Segment("y" * 50 + "\n" + "z" * 70 + "\n", None)

    env = Environment(io.StringIO(), width=30, styled=True)
    table = styled.FoldingTable(("a", "title"), text_column=1)
    for i in range(40):
        table.add_row(
            styled.cell(f"r{i}", "green" if i % 3 else ""), styled.cell("word " * (i % 9))
        )
    renderables: list[RenderableType] = [
        styled.cell("A heading that folds at thirty columns", "bold"),
        table,
        Text("x" * 70, style="dim"),  # folded
        Wide(),
        Text(),
    ]
    whole = "".join(styled.styled_chunks(renderables, env, lines=10**9))
    for lines in (1, 2, 7, 20):
        chunks = list(styled.styled_chunks(renderables, env, lines=lines))
        assert "".join(chunks) == whole
        assert len(chunks) > 1
        assert all(chunk.endswith("\n") for chunk in chunks)
    assert styled.styled_text(renderables, env) == whole
    assert "\n" + "y" * 30 + "\n" + "z" * 30 + "\n" in whole


def made_as_asked(count: int, made: list[int]) -> Iterator[str]:
    for n in range(count):
        made[0] = n + 1
        yield f"line {n}\n"


def test_a_pager_quitting_at_once_ends_the_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    # A pager that reads nothing: what the pipe holds is written, and no more is made.
    monkeypatch.setenv("MLPATH_PAGER", f"{sys.executable} -c pass")
    made = [0]
    out = io.StringIO()
    write_paged(made_as_asked(1_000_000, made), Environment(out, paging=True, height=24))
    assert out.getvalue() == ""
    assert 24 <= made[0] < 1_000_000


def test_the_pager_has_the_first_screen_before_the_rest_is_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    got_first = tmp_path / "first"
    kept = tmp_path / "kept"
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys\n"
        "first = sys.stdin.buffer.readline()\n"
        f"open({str(got_first)!r}, 'wb').write(first)\n"
        f"open({str(kept)!r}, 'wb').write(first + sys.stdin.buffer.read())\n"
    )
    monkeypatch.setenv("MLPATH_PAGER", f"{sys.executable} {script}")
    waited = []

    def chunks() -> Iterator[str]:
        yield from (f"line {n}\n" for n in range(24))
        # Asked for more only once the pager has the first screen.
        deadline = time.monotonic() + 30
        while not got_first.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        waited.append(got_first.exists())
        yield from (f"line {n}\n" for n in range(24, 100))

    out = io.StringIO()
    write_paged(chunks(), Environment(out, paging=True, height=24))
    assert waited == [True]
    assert kept.read_text() == "".join(f"line {n}\n" for n in range(100))
    assert out.getvalue() == ""


def test_output_that_fits_the_screen_is_written_without_a_pager(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    started = tmp_path / "started"
    monkeypatch.setenv("MLPATH_PAGER", f"{sys.executable} -c \"open({str(started)!r}, 'w')\"")
    out = io.StringIO()
    write_paged(iter(["a\n", "b\n", "c\n"]), Environment(out, paging=True, height=4))
    assert out.getvalue() == "a\nb\nc\n"
    assert not started.exists()


def test_a_plan_at_a_terminal_is_measured_first_and_its_rows_made_as_written(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan's columns are measured from its texts, then its rows are made as they
    are written: the same text as a table measured from all its cells first."""
    ids = at_80_columns(tmp_path, monkeypatch, 1_500)
    assert run("start", ids[3]).exit_code == 0
    real = styled.FoldingTable.measured
    made = [0]

    def counted(cls: Any, *args: Any) -> styled.FoldingTable:
        *given, rows, widths, widest = args

        def each() -> Iterator[Any]:
            for row in rows:
                made[0] += 1
                yield row

        table: styled.FoldingTable = real.__func__(cls, *given, each(), widths, widest)  # type: ignore[attr-defined]
        return table

    def whole(cls: Any, *args: Any) -> styled.FoldingTable:
        *given, rows, _widths, _widest = args
        table: styled.FoldingTable = cls(*given)
        for row in rows:
            table.add_row(*row)
        return table  # measured from its cells when laid out, as every other table

    out: dict[str, str] = {}
    made_at_writes: list[int] = []

    def write(env: Environment, text: str) -> None:
        made_at_writes.append(made[0])
        env.stdout.write(text)

    for how, measured in (("whole", whole), ("streamed", counted)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(styled.FoldingTable, "measured", classmethod(measured))
            patch.setattr(Environment, "write", write)
            result = run("plan", "-w", "6", "--start", "2026-01-05", terminal=True)
        assert result.exit_code == 0, result.stderr
        out[how] = result.stdout
    assert out["streamed"] == out["whole"]
    assert "res-00003 · Topic 3 (in progress)" in out["whole"]
    rows = made[0]
    assert rows > 1_300
    first = [n for n in made_at_writes if n][0]
    assert first <= 2 * styled.CHUNK_LINES  # written before the rest was made


def test_a_plan_made_from_objects_is_laid_out_from_its_steps() -> None:
    """A plan without a table (mlpath.plan.make_plan's) is measured from its steps'
    rows, as the plain text is."""
    from fractions import Fraction

    from mlpath import plan as planning
    from test_progress_plan import MONDAY, catalog, res

    plan = planning.make_plan(
        catalog(res("alpha", 480), res("beta", 240)), {"alpha": "doing"}, Fraction(4), MONDAY
    )
    assert plan.table is None
    env = Environment(io.StringIO(), width=100, styled=True)
    lines = styled.styled_text(styled.plan(plan, "en"), env).splitlines()
    rows = [line.split() for line in lines if "·" in line]
    assert rows == [
        ["1–2", "2026-01-05", "2026-01-18", "alpha", "·", "Alpha", "(in", "progress)", "8", "h"],
        ["3", "2026-01-19", "2026-01-25", "beta", "·", "Beta", "4", "h"],
    ]
