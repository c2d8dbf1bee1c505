"""`mlpath ui` in a real pseudo-terminal: start it, tick a resource, write a note, quit;
then `mlpath progress` and the store show what was done (pexpect drives the keys)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect  # type: ignore[import-untyped]
import pytest

from mlpath.paths import progress_db
from mlpath.store import open_store
from ui_support import write_catalog


def test_tick_a_resource_add_a_note_and_quit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_catalog(tmp_path, monkeypatch)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "mlpath", "ui"],
        env=env,
        dimensions=(24, 80),
        timeout=60,
        encoding="utf-8",
    )
    try:
        child.expect("Alpha Intro")  # the first resource, under the cursor
        child.expect("quit")  # the footer: the whole screen is drawn
        child.send("\x1b[B")  # down: Beta Article
        child.expect("Beta Article")
        child.send(" ")
        child.expect("done: beta")
        child.send("n")
        child.expect("A note on Beta Article")
        child.send("read it twice")
        child.send("\r")
        child.expect("noted: beta")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    # What it leaves in the terminal once the screen is gone.
    assert "2 changes recorded" in (child.before or "")

    store = open_store(progress_db(), create=False)
    assert store is not None
    try:
        assert store.statuses()["beta"] == "done"
        assert [c.note for c in store.live_changes("beta") if c.action == "note"] == [
            "read it twice"
        ]
    finally:
        store.close()
    progress = subprocess.run(
        [sys.executable, "-m", "mlpath", "progress"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "done: beta · Beta Article" in progress.stdout or "beta" in progress.stdout
    assert "1 of 5 done" in progress.stdout or "1 of 4 done" in progress.stdout
