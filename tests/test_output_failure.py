"""Exit 1 means nothing changed: a change whose report cannot be written is not kept.

Each writing command runs as a real process with its output on /dev/full (every write
fails with ENOSPC), through both front ends; afterwards the store holds exactly what
it held before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def mlpath(
    env: dict[str, str], *args: str, stdout: int | IO[str] = subprocess.PIPE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlpath", *args],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )


def history(env: dict[str, str]) -> list[object]:
    done = mlpath(env, "history", "--json", "--limit", "1000")
    assert done.returncode == 0, done.stderr
    changes: list[object] = json.loads(done.stdout)["result"]["changes"]
    return changes


@pytest.mark.parametrize("front", ["quick", "typer"])
@pytest.mark.parametrize(
    "args",
    [
        ["done", "alpha", "beta"],
        ["start", "gamma-book"],
        ["skip", "--section", "books"],
        ["reset", "alpha"],
        ["note", "alpha", "a", "note"],
        ["undo"],
        ["open", "alpha", "--start"],
        ["import", "EXPORT"],
        ["done", "alpha", "--json"],
    ],
    ids=" ".join,
)
def test_a_change_that_cannot_be_reported_is_not_recorded(
    args: list[str], front: str, mini_catalog: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "MLPATH_CATALOG": str(mini_catalog), "BROWSER": "true"}
    if front == "typer":
        env["MLPATH_NO_FAST_PATH"] = "1"
    assert mlpath(env, "done", "alpha").returncode == 0
    assert mlpath(env, "note", "beta", "kept").returncode == 0
    exported = tmp_path / "other.json"
    other = {**env, "MLPATH_HOME": str(tmp_path / "other-home")}
    assert mlpath(other, "done", "delta").returncode == 0
    assert mlpath(other, "export", "-o", str(exported)).returncode == 0
    before = history(env)

    args = [str(exported) if arg == "EXPORT" else arg for arg in args]
    with open("/dev/full", "w") as full:
        result = mlpath(env, *args, stdout=full)

    assert result.returncode == 1
    assert result.stderr == "mlpath: cannot write the output: No space left on device\n"
    assert history(env) == before
