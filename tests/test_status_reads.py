"""A status change reads the statuses of what it names, not of the whole path.

Counted in SQLite virtual-machine steps, as tests/test_history_length.py counts them:
`start ID` on a path where 60 resources have a status must do the work it does where
5 have one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlpath import catalog, cli, store_files
from mlpath.store import open_store
from mlpath.validate import validate_catalog_bytes
from test_history_length import counting_vm_steps


def bundled_ids() -> list[str]:
    path = catalog.bundled_catalog_path()
    return [r.id for r in validate_catalog_bytes(Path(path).read_bytes(), path).resources]


def seed(home: Path, settled: list[str]) -> None:
    store = open_store(home / "progress.db", create=True)
    assert store is not None
    store.set_status(settled, "done")
    store.close()


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("verb", ["start", "done", "skip", "reset"])
def test_marking_one_resource_reads_only_its_own_status(
    verb: str,
    fast_path: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not fast_path:
        monkeypatch.setenv(cli.DISABLE_ENV, "1")
    monkeypatch.setattr(store_files, "QUICK_CHECK_WRITE_BYTES", 0)
    ids = bundled_ids()
    target = ids[-1]
    others = [i for i in ids if i != target]
    counts, outputs = [], []
    for settled in (others[:5], others[:60]):
        home = tmp_path / f"home-{len(settled)}"
        seed(home, settled)
        monkeypatch.setenv("MLPATH_HOME", str(home))
        if verb == "reset":
            assert cli.run(["start", target]) == 0
        assert cli.run(["next"]) == 0  # the catalog cache is built: not what is counted
        capsys.readouterr()
        with counting_vm_steps() as steps:
            assert cli.run([verb, target]) == 0
        counts.append(steps[0])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert counts[0] > 0
    assert counts[1] == counts[0], counts
