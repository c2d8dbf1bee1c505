"""Shared fixtures: every test runs with its own data and cache directories."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from mlpath import cli, i18n
from mlpath.output.env import Environment, no_styling_wanted, terminal_width

# In CI the generated cases are the same on every run (a submission's result must not
# depend on luck); developers' runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

MINI_CATALOG: dict[str, Any] = {
    "schema_version": 1,
    "source": {"title": "A test path", "author": "Tester", "url": "https://example.org/"},
    "sections": [
        {"id": "intro", "title": "Intro", "title_zh": "入门", "summary": "Start here."},
        {
            "id": "books",
            "title": "Books",
            "title_zh": "书籍",
            "summary": "Read.",
            "optional": True,
        },
        {"id": "practice", "title": "Practice", "summary": "Do."},
    ],
    "resources": [
        {
            "id": "alpha",
            "title": "Alpha Intro",
            "title_zh": "阿尔法",
            "section": "intro",
            "url": "https://example.org/alpha",
            "author": "Ann",
            "kind": "video",
            "cost": "free",
            "minutes": 30,
            "description": "A short video.",
            "tags": ["basics"],
        },
        {
            "id": "beta",
            "title": "Beta Article",
            "section": "intro",
            "url": None,
            "kind": "article",
            "cost": "free",
            "minutes": 90,
            "description": "An article.",
            "prerequisites": ["alpha"],
        },
        {
            "id": "gamma-book",
            "title": "Gamma Book",
            "section": "books",
            "url": "https://example.org/gamma",
            "kind": "book",
            "cost": "paid",
            "optional": True,
            "minutes": 600,
            "description": "A paid book.",
        },
        {
            "id": "gamma-course",
            "title": "Gamma Course",
            "section": "books",
            "url": "https://example.org/course",
            "kind": "course",
            "cost": "paid",
            "free_to_audit": True,
            "minutes": 1200,
            "description": "A paid course.",
        },
        {
            "id": "delta",
            "title": "Delta Practice",
            "section": "practice",
            "url": "https://example.org/delta",
            "kind": "exercises",
            "cost": "free",
            "minutes": 120,
            "description": "Exercises.",
            "prerequisites": ["beta"],
        },
    ],
}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Own data and cache dirs, English, UTC, no colour, fixed width."""
    monkeypatch.setenv("MLPATH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLPATH_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("MLPATH_CATALOG", "MLPATH_LANG", "LC_ALL", "LC_MESSAGES", cli.DISABLE_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    # A command run in this process with --lang zh leaves its language active (the
    # process ends after a real run): each test starts in English, as domain calls expect.
    i18n.activate("en")
    yield
    i18n.activate("en")
    time.tzset()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The data directory the tests' mlpath uses (not created until a change)."""
    return tmp_path / "home"


@pytest.fixture
def mini_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A five-resource catalog, selected through MLPATH_CATALOG."""
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(MINI_CATALOG, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("MLPATH_CATALOG", str(path))
    return path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture(params=["fast", "typer"])
def run(
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Run:
    """Run `mlpath ARGS` in-process, through what the `mlpath` command runs.

    Parametrised: once as users run it (the fast path answers `next`/`done`), once
    with the fast path disabled, so Typer's implementation is held to the same output.
    """
    if request.param == "typer":
        monkeypatch.setenv(cli.DISABLE_ENV, "1")

    def invoke(*args: str, terminal: bool = False) -> Result:
        """`terminal`: as if stdout were a terminal (the streams are still captured)."""
        capsys.readouterr()
        env = Environment(
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin=sys.stdin,
            stdout_is_terminal=terminal,
            colour=terminal and not no_styling_wanted(),
            width=terminal_width(sys.stdout) if terminal else None,
        )
        code = cli.run(list(args), env)
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


def payload(stdout: str, command: str | None = None) -> Any:
    """The result inside a `--json` envelope, after checking the envelope itself."""
    document = json.loads(stdout)
    assert set(document) == {"command", "ok", "result"}, document
    assert document["ok"] is True
    if command is not None:
        assert document["command"] == command
    return document["result"]


@contextmanager
def held_by_another(path: Path) -> Iterator[None]:
    """`path` held (its exclusive flock taken) by another process for the block's time,
    as a run making that file holds it (mlpath.held_files)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.communicate("", timeout=60)
