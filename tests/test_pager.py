"""Long output at a terminal goes through a pager; anything else is written as it is.

mlpath runs in a pseudo-terminal of 80×24, as a person's would; the pager is a small
script that keeps what it was given (and the LESS it saw) in a file.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from terminal import at_terminal as run_at_terminal

FAKE_PAGER = """
import os, sys
data = sys.stdin.buffer.read(int(sys.argv[2])) if len(sys.argv) > 2 else sys.stdin.buffer.read()
with open(sys.argv[1], "wb") as kept:
    kept.write(os.environ.get("LESS", "-").encode() + b"\\n" + data)
"""


def at_terminal(args: list[str], rows: int = 24, **env: str) -> tuple[int, str]:
    """Run mlpath at an 80-column terminal; its exit code and what the terminal got."""
    kept = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER")}
    return run_at_terminal(args, 80, rows, kept | env)


@pytest.fixture
def pager(tmp_path: Path) -> tuple[str, Path]:
    script = tmp_path / "pager.py"
    script.write_text(FAKE_PAGER)
    kept = tmp_path / "paged.txt"
    return f"{sys.executable} {script} {kept}", kept


def test_long_output_at_a_terminal_goes_through_the_pager(
    mini_catalog: Path, pager: tuple[str, Path], tmp_path: Path
) -> None:
    command, kept = pager
    # More rows than the 6-row terminal: paged.
    code, screen = at_terminal(["list"], rows=6, MLPATH_PAGER=command)
    assert code == 0
    less, paged = kept.read_text().split("\n", 1)
    assert less == "FRX"  # LESS unset: the pager is asked to quit when the text fits
    assert "gamma-course" in paged and "alpha" in paged
    assert "gamma-course" not in screen  # nothing but the pager wrote to the terminal


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-pager", "list"], {}),
        (["list", "--no-pager"], {}),
        (["list"], {"MLPATH_PAGER": "cat"}),
        (["list"], {"MLPATH_PAGER": ""}),
        (["next"], {}),  # fits the screen
        (["list", "--json"], {}),  # for scripts
    ],
)
def test_no_pager_when_asked_or_not_needed(
    mini_catalog: Path,
    pager: tuple[str, Path],
    args: list[str],
    env: dict[str, str],
) -> None:
    command, kept = pager
    code, screen = at_terminal(args, rows=6, **({"MLPATH_PAGER": command} | env))
    assert code == 0
    assert not kept.exists()
    assert "alpha" in screen


def test_pager_falls_back_to_pager_then_less(mini_catalog: Path, pager: tuple[str, Path]) -> None:
    command, kept = pager
    code, _ = at_terminal(["list"], rows=6, PAGER=command, LESS="R")
    assert code == 0
    assert kept.read_text().split("\n", 1)[0] == "R"  # the reader's own LESS is kept


def test_a_pager_that_cannot_start_means_plain_writing(mini_catalog: Path) -> None:
    code, screen = at_terminal(["list"], rows=6, MLPATH_PAGER="/nonexistent/pager")
    assert code == 0
    assert "gamma-course" in screen and "Traceback" not in screen


def test_quitting_the_pager_early_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mlpath.output.env import Environment
    from mlpath.output.pager import write_paged

    # A pager that quits before reading: far more than a pipe holds is left unread.
    monkeypatch.setenv("MLPATH_PAGER", f"{sys.executable} -c pass")
    out = io.StringIO()
    write_paged(["a line of output\n" * 100_000], Environment(out, paging=True, height=24))
    assert out.getvalue() == ""


def test_piped_output_is_never_paged(mini_catalog: Path, pager: tuple[str, Path]) -> None:
    command, kept = pager
    result = subprocess.run(
        [sys.executable, "-m", "mlpath", "list"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ | {"MLPATH_PAGER": command, "LINES": "6"},
    )
    assert "gamma-course" in result.stdout
    assert not kept.exists()
