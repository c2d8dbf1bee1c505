"""The fast path answers the everyday commands without Typer, pydantic or Rich.

What it prints is held to the Typer implementation by the CLI tests, which run every
command through both; here: that it really is the one answering, and that it hands
anything it does not understand back to Typer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlpath.app import app
from mlpath.cli import COMMANDS, GLOBAL, try_fast

HEAVY = ("typer", "rich", "pydantic", "platformdirs")
PROBE = """
import json, sys
from mlpath.cli import run
code = run(sys.argv[2:])
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
sys.stderr.write(json.dumps([code, heavy]) + "\\n")
"""


def imported_heavy(args: list[str], env_extra: dict[str, str]) -> tuple[int, list[str]]:
    # Without MLPATH_HOME/MLPATH_CACHE_DIR, as users run it: the XDG directories apply.
    dropped = ("MLPATH_NO_FAST_PATH", "MLPATH_HOME", "MLPATH_CACHE_DIR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    code, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    return code, heavy


@pytest.mark.parametrize(
    "args",
    [
        ["next"],
        ["next", "--short"],
        ["next", "--json", "-n", "3", "--free", "--section", "intro"],
        ["done", "alpha"],
        ["list", "--free"],
        ["list", "--json", "--status", "todo", "--kind", "video"],
        ["progress"],
        ["progress", "--json"],
    ],
)
def test_everyday_commands_import_no_heavy_library(
    args: list[str], mini_catalog: Path, tmp_path: Path
) -> None:
    env = {
        "MLPATH_CATALOG": str(mini_catalog),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
    }
    # First run builds the catalog cache (validating with pydantic); later runs do not.
    imported_heavy(["next"], env)
    code, heavy = imported_heavy(args, env)
    assert code == 0
    assert heavy == []
    assert (tmp_path / "xdg-cache" / "mlpath").is_dir()


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["next", "--help"],
        ["next", "--bogus"],
        ["next", "-n", "zero"],
        ["next", "extra"],
        ["done"],
        ["done", "--json", "alpha"],
        ["list", "--free=yes"],
        ["sections"],
        ["progress", "extra"],
        ["--lang"],
        ["next", "-n=3"],
    ],
)
def test_anything_else_is_left_to_typer(args: list[str], mini_catalog: Path) -> None:
    assert try_fast(args) is None


def test_disabled_by_environment(mini_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLPATH_NO_FAST_PATH", "1")
    assert try_fast(["next"]) is None


def test_fast_path_options_are_the_typer_commands_options() -> None:
    import typer.main
    from typer.core import TyperGroup

    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)

    def options_of(params: list[Any]) -> set[str]:
        return {opt for p in params for opt in [*p.opts, *p.secondary_opts]}

    assert set(GLOBAL) <= options_of(group.params)
    for name, (spec, _, _) in COMMANDS.items():
        command = group.commands[name]
        assert set(spec) <= options_of(command.params), name
