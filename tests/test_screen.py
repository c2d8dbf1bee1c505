"""What a person sees at a terminal of 80×24 and 120×40, through a terminal emulator.

Each command runs in a pseudo-terminal of that size (pager off, so every line comes
out); its output is replayed through pyte. What a reader depends on: no line is wider
than the screen (so the terminal never folds one and loses its indent), every id is
whole on one line (ids are what people type), and Chinese output holds to the same.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pyte
import pytest

from mlpath.output.words import display_width
from terminal import at_terminal as run_at_terminal

SIZES = [(80, 24), (120, 40)]
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def at_terminal(args: list[str], columns: int, rows: int, env: dict[str, str]) -> str:
    """mlpath's raw output in a pseudo-terminal of this size (pager off); it must succeed."""
    code, seen = run_at_terminal(
        args, columns, rows, env | {"MLPATH_PAGER": "cat", "TERM": "xterm-256color"}
    )
    assert code == 0, seen
    assert "\ufffd" not in seen  # everything sent was UTF-8
    return seen


def screen_lines(raw: str, columns: int, rows: int) -> list[str]:
    """The rows a person sees (scrolled-off ones included), as pyte shows them."""
    screen = pyte.HistoryScreen(columns, rows, history=100_000)
    pyte.Stream(screen).feed(raw)
    history = ["".join(row[x].data for x in range(columns)) for row in screen.history.top]
    lines = [line.rstrip() for line in history + list(screen.display)]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A learner some way along the bundled path: done, started, skipped, a note."""
    home = tmp_path_factory.mktemp("learner")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "COLUMNS", "LINES", "MLPATH_CATALOG", "MLPATH_LANG")
    }
    env |= {"MLPATH_HOME": str(home / "data"), "MLPATH_CACHE_DIR": str(home / "cache")}
    for args in (
        ["done", "whats-ai-terms"],
        ["start", "3b1b-neural-networks"],
        ["done", "d2l/1-3"],
        ["skip", "--section", "books"],
        ["note", "d2l", "chapter 3 again: the derivation of the loss"],
    ):
        subprocess.run(
            [sys.executable, "-m", "mlpath", *args], env=env, check=True, capture_output=True
        )
    return env


def bundled_ids(env: dict[str, str]) -> list[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "mlpath", "list", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [r["id"] for r in json.loads(listed)["result"]["resources"]]


COMMANDS = [
    (["next", "-n", "3"], ["3b1b-neural-networks"]),
    (["list"], None),  # None: every id of the path
    (["list", "--lang", "zh"], None),
    (["show", "d2l"], ["d2l", "d2l/1", "d2l/23"]),
    (["show", "d2l", "--lang", "zh"], ["d2l", "d2l/1", "d2l/23"]),
    (["search", "neural networks"], ["3b1b-neural-networks"]),
    (["sections"], []),
    (["progress"], []),
    (["progress", "--lang", "zh"], []),
    (["plan", "-w", "6"], []),
    (["history"], ["whats-ai-terms"]),
    (["paths"], ["2022", "2025"]),
    (["--help"], []),
    (["list", "--help"], []),
]


@pytest.mark.parametrize(("columns", "rows"), SIZES, ids=lambda v: str(v))
@pytest.mark.parametrize(("args", "ids"), COMMANDS, ids=lambda v: " ".join(v) if v else "")
def test_every_line_fits_and_every_id_is_whole(
    learner: dict[str, str], args: list[str], ids: list[str] | None, columns: int, rows: int
) -> None:
    raw = at_terminal(args, columns, rows, learner)
    for line in ESCAPE.sub("", raw).replace("\r", "").split("\n"):
        assert display_width(line) <= columns, line
    seen = screen_lines(raw, columns, rows)
    assert seen, raw
    wanted = bundled_ids(learner) if ids is None else ids
    words = {word for line in seen for word in re.split(r"[\s·]+", line)}
    missing = [i for i in wanted if i not in words]
    assert not missing, "\n".join(seen)


@pytest.mark.parametrize(("columns", "rows"), [(60, 24), *SIZES], ids=lambda v: str(v))
def test_progress_keeps_each_section_on_one_line(
    learner: dict[str, str], columns: int, rows: int
) -> None:
    seen = screen_lines(at_terminal(["progress"], columns, rows, learner), columns, rows)
    start = next(i for i, line in enumerate(seen) if line.startswith("Sections"))
    end = seen.index("", start)
    section_rows = seen[start + 1 : end]
    assert len(section_rows) == 10, "\n".join(seen)  # the bundled path's sections
    for row in section_rows:
        assert row.rstrip().endswith((" left", "offered")), row
