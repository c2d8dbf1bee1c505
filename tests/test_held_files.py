"""What a run killed midway leaves (a store it was building beside its place, an
import's scratch database) is removed by the next run that makes one; what another run
is building is left alone (mlpath.held_files)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import Run, held_by_another
from mlpath import held_files
from test_import_beside import exported, left_in  # noqa: F401 - a fixture
from test_import_stream import parted  # noqa: F401 - a fixture

TIMEOUT = 60

# `mlpath import FILE` with the limits big_export lowers, killed (SIGKILL, so nothing
# unwinds) as it starts to write the store it built beside its place.
KILLED_IMPORT = """
import os, signal, sys
from mlpath import import_bulk, import_quick, import_stream
from mlpath.cli import main
import_stream.BLOCK = import_quick.WHOLE_MAX = 1024
import_quick.MAX_IMPORT_BYTES = 4096
import_bulk.insert_staged = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
sys.argv = ["mlpath", "import", sys.argv[1]]
main()
"""


def killed_import(export: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, str(export)],
        env=os.environ,
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert killed.returncode == -9, killed.stderr


def kept_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The data dir and temporary dir of the runs to come, both empty."""
    data, scratch = tmp_path / "fresh", tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # this process's runs
    return data, scratch


def test_what_a_killed_import_left_goes_with_the_next_run(
    run: Run,
    exported: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, scratch = kept_dirs(tmp_path, monkeypatch)
    left: list[list[str]] = []
    for _ in range(2):
        killed_import(exported)
        left.append(left_in(data) + left_in(scratch))
    # Each killed run left a half-built store and a scratch database, and no store; the
    # second one removed the first one's as it made its own.
    assert [len(names) for names in left] == [2, 2]
    assert set(left[0]).isdisjoint(left[1])
    assert [n.startswith((".progress-", "mlpath-import-")) for n in left[1]] == [True, True]

    result = run("import", str(exported))

    assert result.exit_code == 0, result.stderr
    count = len(json.loads(exported.read_text())["changes"])
    assert result.stdout.endswith(f"imported {count} changes, 0 already present\n")
    assert [n for n in left_in(data) if n.endswith(".db")] == ["progress.db"]
    assert [n for n in left_in(data) if n.startswith(".progress-")] == []
    assert left_in(scratch) == []


def test_a_store_killed_while_built_goes_when_any_command_makes_one(
    run: Run,
    exported: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, _scratch = kept_dirs(tmp_path, monkeypatch)
    killed_import(exported)
    assert [n for n in left_in(data) if n.startswith(".progress-")] != []

    assert run("done", "alpha").exit_code == 0

    assert [n for n in left_in(data) if n.startswith(".progress-")] == []
    assert run("progress", "--json").exit_code == 0


def test_a_store_another_run_is_building_is_left_alone(
    run: Run,
    parted: Path,  # noqa: F811 - the fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "fresh"
    data.mkdir(mode=0o700)
    monkeypatch.setenv("MLPATH_HOME", str(data))
    building = data / ".progress-busy.db"
    building.write_bytes(b"")
    building.chmod(0o600)
    with held_by_another(building):
        assert run("done", "alpha").exit_code == 0

        assert building.exists()


def test_a_file_taken_for_a_leftover_as_it_was_made_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = held_files.hold
    swept: list[str] = []

    def after_a_sweep(fd: int, wait: bool) -> bool:
        # Another run's sweep, between this one's making the file and holding it: it
        # held the file first, so it removed it.
        if not swept:
            (name,) = left_in(tmp_path)
            swept.append(name)
            os.unlink(tmp_path / name)
        return hold(fd, wait)

    monkeypatch.setattr(held_files, "hold", after_a_sweep)

    held = held_files.hold_new(str(tmp_path), ".progress-", ".db")

    assert swept and Path(held.path).name != swept[0]
    assert left_in(tmp_path) == [Path(held.path).name]
    held.remove()
    assert left_in(tmp_path) == []
