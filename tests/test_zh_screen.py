"""Chinese at a terminal of 60, 80 and 120 columns, through a terminal emulator (pyte).

Rich lays tables out by itself; left alone, it cuts a Latin word inside Chinese text
(`（3Blue1Bro` / `wn）`) and starts a line with a closing mark (`）`, `。`). What a
reader sees must do neither: every Latin word on the screen is a whole word of what
the command says (its piped output, which is never folded), and no cell starts with
a closing mark.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from mlpath.output.linebreak import CLOSING
from test_screen import at_terminal, screen_lines

WIDTHS = [60, 80, 120]
COMMANDS = [
    ["list"],
    ["search", "神经网络"],
    ["plan", "-w", "6"],
    ["sections"],
    ["progress"],
    ["show", "3b1b-neural-networks"],
    ["next", "-n", "3"],
]
LATIN = re.compile(r"[A-Za-z]+")
# A closing mark first in a cell: at a line's start, or after the gap between columns.
CLOSING_FIRST = re.compile(rf"(?:^|\s\s)[{re.escape(''.join(sorted(CLOSING)))}]")


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A learner some way along the bundled path, reading Chinese."""
    home = tmp_path_factory.mktemp("zh-learner")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "COLUMNS", "LINES", "MLPATH_CATALOG", "MLPATH_LANG")
    }
    env |= {
        "MLPATH_HOME": str(home / "data"),
        "MLPATH_CACHE_DIR": str(home / "cache"),
        "MLPATH_LANG": "zh",
    }
    for args in (
        ["done", "whats-ai-terms"],
        ["start", "3b1b-neural-networks"],
        ["done", "3b1b-neural-networks/1"],
        ["skip", "numpy-100"],
        ["note", "d2l", "第三章还要再看一遍：损失函数的推导"],
        ["goal", "--hours-per-week", "6"],
    ):
        subprocess.run(
            [sys.executable, "-m", "mlpath", *args], env=env, check=True, capture_output=True
        )
    return env


def piped(args: list[str], env: dict[str, str]) -> str:
    """What the command says, unfolded (piped, at no width)."""
    return subprocess.run(
        [sys.executable, "-m", "mlpath", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_latin_word_is_cut_and_no_line_starts_with_a_closing_mark(
    learner: dict[str, str], args: list[str], columns: int
) -> None:
    seen = screen_lines(at_terminal(args, columns, 40, learner), columns, 40)
    shown = "\n".join(seen)
    assert "约" in shown or "小时" in shown or "待学" in shown, shown  # it is Chinese
    said = piped(args, learner)
    words = set(LATIN.findall(said))
    # A url wider than the screen is kept whole, so the terminal folds it: copied, it
    # is still one; its pieces are not words cut by mlpath.
    urls = re.findall(r"https?://\S+", said)
    cut = {
        word
        for line in seen
        for word in LATIN.findall(line)
        if word not in words and not any(word in url for url in urls)
    }
    assert not cut, shown
    starts = [line for line in seen if CLOSING_FIRST.search(line)]
    assert not starts, shown
