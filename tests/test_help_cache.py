"""A help page is Typer's, printed from the cache after the first time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run
from mlpath import help_cache

PROBE = """
import sys
from mlpath.cli import run
code = run(sys.argv[1:])
sys.stderr.write(f"{code} {'typer' in sys.modules}\\n")
"""


def help_run(args: list[str], cache: Path, columns: str = "100") -> tuple[str, str]:
    env = {"MLPATH_CACHE_DIR": str(cache), "COLUMNS": columns, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout, done.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [["--help"], ["next", "--help"], ["plan", "-h"]])
def test_the_second_help_needs_no_typer(args: list[str], tmp_path: Path) -> None:
    first, how_first = help_run(args, tmp_path / "cache")
    second, how_second = help_run(args, tmp_path / "cache")
    assert (how_first, how_second) == ("0 True", "0 False")
    assert second == first
    assert first.startswith("Usage: mlpath")


def test_a_page_is_kept_per_width(tmp_path: Path) -> None:
    wide, _ = help_run(["list", "--help"], tmp_path / "cache", columns="100")
    narrow, how = help_run(["list", "--help"], tmp_path / "cache", columns="60")
    assert how == "0 True"  # not the 100-column page
    assert max(len(line) for line in narrow.splitlines()) <= 58
    assert narrow != wide


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["--help"], ""),
        (["next", "--help"], "next"),
        (["--lang", "zh", "next", "-h"], "next"),
        (["--catalog=x.json", "--help"], ""),
        (["next", "-n", "3", "--help"], None),
        (["next"], None),
        (["bogus", "--help"], None),
    ],
)
def test_what_counts_as_a_plain_help_request(args: list[str], target: str | None) -> None:
    assert help_cache.help_target(args) == target


def test_help_in_process_is_typers(run: Run) -> None:
    result = run("done", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: mlpath done [OPTIONS]")
    assert "Mark resources as done." in result.stdout
