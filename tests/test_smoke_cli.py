from __future__ import annotations

from pathlib import Path

from conftest import Run


def test_next_on_fresh_machine(run: Run, mini_catalog: Path, home: Path) -> None:
    result = run("next")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("▶ alpha · Alpha Intro\n")
    assert not home.exists()
