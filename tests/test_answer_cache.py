"""`mlpath next` in a pipe keeps its answer (mlpath.answer_cache), and prints it again
only while nothing the answer was made from has changed.

Each test runs mlpath as a process of its own, as a shell prompt does. A kept answer is
told from a fresh one by a marker written into the kept file in place of the answer:
a run that prints the marker answered from the kept file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import mlpath
from terminal import at_terminal

MARKER = "KEPT ANSWER\n"


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment as a shell would pass it on every run: pytest names the test
    phase in it, which would make each run's environment another."""
    dropped = ("MLPATH_NO_FAST_PATH", "PYTEST_CURRENT_TEST")
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, **(extra or {})}


def mlpath_run(
    *args: str, extra: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = environment(extra)
    return subprocess.run(
        [sys.executable, "-m", "mlpath", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def kept_files() -> list[Path]:
    answers = Path(os.environ["MLPATH_CACHE_DIR"]) / "answers"
    return sorted(answers.iterdir()) if answers.exists() else []


def mark_kept_answer(answer: str, date: str | None = None) -> Path:
    """Put the marker where the kept answer is (and, with `date`, make it that day's)."""
    (record,) = kept_files()
    data = record.read_bytes()
    assert data.endswith(answer.encode())
    data = data[: -len(answer.encode())] + MARKER.encode()
    if date is not None:
        today = time.strftime("%Y-%m-%d").encode()
        assert today in data
        data = data.replace(today, date.encode())
    record.write_bytes(data)
    return record


@pytest.fixture
def answered(mini_catalog: Path) -> str:
    """A store with progress, and `next` answered once (and kept)."""
    assert mlpath_run("done", "alpha").returncode == 0
    first = mlpath_run("next")
    assert first.returncode == 0 and first.stderr == ""
    assert "Beta Article" in first.stdout
    return first.stdout


def test_the_next_run_prints_the_kept_answer(answered: str) -> None:
    again = mlpath_run("next")
    assert again.stdout == answered
    mark_kept_answer(answered)
    assert mlpath_run("next").stdout == MARKER


def test_a_kept_answer_opens_neither_the_catalog_nor_the_store(answered: str) -> None:
    probe = (
        "import sys; from mlpath.cli import run; code = run(sys.argv[1:], keep_answers=True); "
        "print(sorted(m for m in ('_sqlite3', 'mlpath.catalog', 'mlpath.argv') "
        "if m in sys.modules), file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "next"],
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == answered
    assert done.stderr.strip() == "[]"


def test_progress_made_since_gives_a_new_answer(answered: str) -> None:
    mark_kept_answer(answered)
    assert mlpath_run("done", "beta").returncode == 0
    after = mlpath_run("next")
    assert after.stdout != MARKER
    assert "Beta Article" not in after.stdout
    assert after.stdout == mlpath_run("next", extra={"MLPATH_NO_FAST_PATH": "1"}).stdout


def test_an_edited_catalog_gives_a_new_answer(answered: str, mini_catalog: Path) -> None:
    mark_kept_answer(answered)
    catalog = json.loads(mini_catalog.read_text(encoding="utf-8"))
    beta = next(r for r in catalog["resources"] if r["id"] == "beta")
    beta["title"] = "Beta, Revised"
    mini_catalog.write_text(json.dumps(catalog), encoding="utf-8")
    assert "Beta, Revised" in mlpath_run("next").stdout


def test_another_command_line_language_or_directory_is_another_answer(
    answered: str, tmp_path: Path
) -> None:
    mark_kept_answer(answered)
    assert mlpath_run("next", "--short").stdout.startswith("▶ beta")
    assert "下一步" in mlpath_run("next", extra={"MLPATH_LANG": "zh"}).stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert mlpath_run("next", cwd=elsewhere).stdout == answered


def test_a_new_day_gives_a_new_answer(answered: str) -> None:
    mark_kept_answer(answered, date="1999-01-01")
    assert mlpath_run("next").stdout == answered


def test_an_edited_mlpath_gives_a_new_answer(mini_catalog: Path, tmp_path: Path) -> None:
    copy = tmp_path / "code" / "mlpath"
    shutil.copytree(Path(mlpath.__file__).parent, copy)
    extra = {"PYTHONPATH": str(copy.parent)}
    first = mlpath_run("next", extra=extra)
    assert first.returncode == 0
    mark_kept_answer(first.stdout)
    assert mlpath_run("next", extra=extra).stdout == MARKER
    renderer = copy / "output" / "next_text.py"
    renderer.write_text(renderer.read_text(encoding="utf-8").replace("▶", "→"), encoding="utf-8")
    assert mlpath_run("next", extra=extra).stdout.startswith("→ ")


def test_a_kept_answer_others_could_write_is_not_printed(answered: str) -> None:
    record = mark_kept_answer(answered)
    record.chmod(0o666)
    assert mlpath_run("next").stdout == answered


def test_a_failed_next_keeps_nothing(mini_catalog: Path) -> None:
    failed = mlpath_run("next", "--section", "nowhere")
    assert failed.returncode == 1
    assert kept_files() == []


def test_nothing_is_kept_at_a_terminal(mini_catalog: Path) -> None:
    code, _ = at_terminal(["next"], 80, 24, environment())
    assert code == 0
    assert kept_files() == []
