"""`mlpath sync DIR`: two or three machines with one shared folder end up the same."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Run, payload
from mlpath import sync_log
from mlpath.errors import SyncFileProblem
from sync_machines import Machine

NOW = 1_800_000_000 * 10**9


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


@pytest.fixture
def machines(tmp_path: Path, mini_catalog: Path) -> tuple[Machine, Machine]:
    return Machine(tmp_path / "laptop"), Machine(tmp_path / "desktop")


def test_two_machines_show_the_same_progress_after_syncing_each(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha")
    laptop.ok("note", "beta", "read it twice")
    desktop.ok("start", "delta")

    laptop.ok("sync", str(shared))
    desktop.ok("sync", str(shared))
    laptop.ok("sync")  # the folder is remembered

    assert laptop.json("progress") == desktop.json("progress")
    assert laptop.history() == desktop.history()
    statuses = {r["id"]: r["status"] for r in desktop.json("list")["resources"]}
    assert statuses["alpha"] == "done" and statuses["delta"] == "doing"
    assert "read it twice" in desktop.ok("show", "beta")


def test_sync_reports_what_it_wrote_and_merged(
    machines: tuple[Machine, Machine], shared: Path, run: Run, home: Path
) -> None:
    laptop, _ = machines
    laptop.ok("done", "alpha", "beta")
    laptop.ok("sync", str(shared))

    result = run("sync", str(shared))  # a third machine: the fixture's own home

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "alpha · Alpha Intro: todo → done",
        "beta · Beta Article: todo → done",
        f"synced with {shared}: wrote 0 changes of this machine's, merged 2 changes "
        "from 1 other machine",
    ]
    again = run("sync", "--json")
    found = payload(again.stdout, "sync")
    assert found["written"] == 0 and found["imported"] == 0 and found["problems"] == []
    assert [m["read"] for m in found["machines"]] == [0]
    assert found["dir"] == str(shared)


def test_only_this_machines_own_log_is_written_into_the_folder(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha")
    laptop.ok("sync", str(shared))
    desktop.ok("sync", str(shared))
    desktop.ok("done", "beta")
    desktop.ok("sync")

    assert sorted(p.name for p in shared.iterdir()) == sorted(
        [laptop.log(shared).name, desktop.log(shared).name]
    )
    # Each log holds only the changes recorded on its machine: one line each after the header.
    laptop_lines = laptop.log(shared).read_text(encoding="utf-8").splitlines()
    desktop_lines = desktop.log(shared).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line).get("resource") for line in laptop_lines[1:]] == ["alpha"]
    assert [json.loads(line).get("resource") for line in desktop_lines[1:]] == ["beta"]


def test_undo_takes_back_this_machines_last_command_not_a_sync(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha")
    laptop.ok("sync", str(shared))
    desktop.ok("sync", str(shared))

    code, _, err = desktop.run("undo")
    assert code == 1
    assert "nothing to undo" in err  # the desktop ran no command of its own

    desktop.ok("start", "beta")
    laptop.ok("done", "delta")
    laptop.ok("sync")
    desktop.ok("sync")  # merges the laptop's `done delta` after `start beta`
    assert "undid: doing beta" in desktop.ok("undo")
    desktop.ok("sync")
    laptop.ok("sync")

    for machine in (laptop, desktop):
        statuses = {r["id"]: r["status"] for r in machine.json("list")["resources"]}
        assert (statuses["alpha"], statuses["beta"], statuses["delta"]) == (
            "done",
            "todo",
            "done",
        )
    assert laptop.history() == desktop.history()


def test_an_undo_syncs_as_a_change(machines: tuple[Machine, Machine], shared: Path) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha")
    laptop.ok("sync", str(shared))
    desktop.ok("sync", str(shared))
    laptop.ok("undo")
    laptop.ok("sync")
    desktop.ok("sync")

    statuses = {r["id"]: r["status"] for r in desktop.json("list")["resources"]}
    assert statuses["alpha"] == "todo"
    assert [c["action"] for c in desktop.history()] == ["undo", "status"]


def test_parts_notes_own_resources_and_goals_sync(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("add", "My", "notes", "--section", "intro", "--parts", "2")
    laptop.ok("parts", "alpha", "--add", "Quiz", "--minutes", "10")
    laptop.ok("done", "alpha/1")
    laptop.ok("goal", "-w", "5", "--scope", "free")
    laptop.ok("note", "my-notes", "mine")
    laptop.ok("sync", str(shared))
    desktop.ok("sync", str(shared))

    assert desktop.json("progress") == laptop.json("progress")
    assert desktop.json("goal") == laptop.json("goal")
    shown = desktop.ok("show", "my-notes")
    assert "mine" in shown
    assert "Quiz" in desktop.ok("show", "alpha")


def test_a_clock_that_is_hours_ahead_does_not_win_over_a_later_change(
    tmp_path: Path, mini_catalog: Path, shared: Path
) -> None:
    fast = Machine(tmp_path / "fast", clock_offset=3 * 3600)
    right = Machine(tmp_path / "right")
    fast.ok("start", "alpha")
    fast.ok("sync", str(shared))
    right.ok("sync", str(shared))
    right.ok("done", "alpha")  # made after seeing the fast machine's change
    right.ok("sync")
    fast.ok("sync")

    for machine in (fast, right):
        statuses = {r["id"]: r["status"] for r in machine.json("list")["resources"]}
        assert statuses["alpha"] == "done"
    assert fast.history() == right.history()


def test_a_clock_that_is_behind_loses_no_change(
    tmp_path: Path, mini_catalog: Path, shared: Path
) -> None:
    slow = Machine(tmp_path / "slow", clock_offset=-6 * 3600)
    right = Machine(tmp_path / "right")
    right.ok("done", "alpha")
    right.ok("sync", str(shared))
    slow.ok("done", "beta")
    slow.ok("sync", str(shared))
    slow.ok("reset", "alpha")  # after seeing alpha done: it wins, however slow the clock
    slow.ok("sync")
    right.ok("sync")

    for machine in (slow, right):
        statuses = {r["id"]: r["status"] for r in machine.json("list")["resources"]}
        assert (statuses["alpha"], statuses["beta"]) == ("todo", "done")
        assert len(machine.history()) == 3


def test_a_clock_days_behind_refuses_the_others_until_it_is_right_and_loses_nothing(
    tmp_path: Path, mini_catalog: Path, shared: Path
) -> None:
    slow = Machine(tmp_path / "slow", clock_offset=-30 * 86400)
    right = Machine(tmp_path / "right")
    right.ok("done", "alpha")
    right.ok("sync", str(shared))
    slow.ok("done", "beta")

    code, out, err = slow.run("sync", str(shared))

    assert code == 1
    assert err.count("\n") == 1
    assert "more than a day ahead of this machine's clock; nothing of it was merged" in err
    assert "wrote 1 change" in out  # its own change still went out
    right.ok("sync")
    assert len(right.history()) == 2
    slow.clock_offset = 0  # the clock put right: what was refused is merged now
    slow.ok("sync")
    assert slow.history() == right.history()


def test_without_a_folder_sync_says_how_to_name_one(run: Run) -> None:
    result = run("sync")
    assert result.exit_code == 1
    assert result.stderr == (
        "mlpath: no folder to sync with — name one (`mlpath sync DIR`, a folder Syncthing, "
        "Dropbox or git shares between your machines), or set MLPATH_SYNC_DIR\n"
    )


def test_a_folder_that_does_not_exist_is_refused_not_created(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run("sync", str(missing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"mlpath: sync folder {missing} does not exist — create it (or name the folder your "
        "sync tool shares) first\n"
    )
    assert not missing.exists()


def test_the_folder_can_come_from_the_environment(
    run: Run, shared: Path, monkeypatch: pytest.MonkeyPatch, mini_catalog: Path
) -> None:
    monkeypatch.setenv("MLPATH_SYNC_DIR", str(shared))
    assert run("done", "alpha").exit_code == 0
    result = run("sync")
    assert result.exit_code == 0, result.stderr
    assert len(list(shared.glob("mlpath-*.jsonl"))) == 1


def test_a_deleted_own_log_is_written_again_whole(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha")
    laptop.ok("sync", str(shared))
    laptop.log(shared).unlink()
    laptop.ok("done", "beta")
    assert "wrote 2 changes" in laptop.ok("sync")
    desktop.ok("sync", str(shared))
    assert desktop.uids() == laptop.uids()


def test_an_own_log_cut_short_is_repaired_without_writing_a_change_twice(
    machines: tuple[Machine, Machine], shared: Path
) -> None:
    laptop, desktop = machines
    laptop.ok("done", "alpha", "beta")
    laptop.ok("sync", str(shared))
    log = laptop.log(shared)
    data = log.read_bytes()
    log.write_bytes(data[: len(data) - 30])  # as a crash in the middle of a write leaves it
    laptop.ok("done", "delta")
    laptop.ok("sync")

    lines = log.read_text(encoding="utf-8").splitlines()
    uids = [json.loads(line)["uid"] for line in lines[1:]]
    assert len(uids) == len(set(uids)) == 3
    desktop.ok("sync", str(shared))
    assert desktop.uids() == laptop.uids()


def test_a_log_line_is_checked_before_anything_is_merged() -> None:
    machine = "0123456789abcdef"
    header = sync_log.header_line(machine)
    good = sync_log.change_lines(
        [
            (
                1,
                "a" * 32,
                "2026-01-01T00:00:00.000000Z",
                1767225600000000,
                "b" * 32,
                "done alpha",
                "2026-01-01T00:00:00.000000Z",
                "alpha",
                "status",
                "done",
                None,
                None,
                0,
            )
        ]
    )
    batch = sync_log.parse(header + good, 1, machine, NOW, "log")
    assert [c.resource for c in batch.changes] == ["alpha"]
    assert batch.lines == 2

    bad = good.replace(b'"status":"done"', b'"status":"x"')
    with pytest.raises(SyncFileProblem, match="line 3 is not a change mlpath wrote"):
        sync_log.parse(header + good + bad, 1, machine, NOW, "log")
    with pytest.raises(SyncFileProblem, match="newer mlpath"):
        sync_log.parse(header.replace(b'"version":1', b'"version":2'), 1, machine, NOW, "log")


@pytest.mark.parametrize(
    ("name", "machine"),
    [
        ("mlpath-0123456789abcdef.jsonl", "0123456789abcdef"),
        ("mlpath-0123456789abcdef (conflicted copy 2026-12-01).jsonl", None),
        ("mlpath-0123456789abcdef.sync-conflict-20261201-101010-ABCDEFG.jsonl", None),
        ("mlpath-0123456789ABCDEF.jsonl", None),
        ("notes.txt", None),
    ],
)
def test_only_a_log_s_exact_name_is_read(name: str, machine: str | None) -> None:
    assert sync_log.machine_of(name) == machine
    assert sync_log.is_stray(name) == (machine is None and name.startswith("mlpath-"))


def test_a_copied_home_syncing_under_the_same_id_is_reported_and_loses_nothing(
    machines: tuple[Machine, Machine], shared: Path, tmp_path: Path
) -> None:
    laptop, _ = machines
    laptop.ok("done", "alpha")
    laptop.ok("sync", str(shared))
    shutil.copytree(laptop.home, tmp_path / "clone")
    clone = Machine(tmp_path / "clone")
    clone.ok("done", "beta")
    clone.ok("sync")  # appends to the laptop's own log: the same machine id
    laptop.ok("done", "delta")

    code, _, err = laptop.run("sync")

    assert code == 1
    assert err == (
        f"mlpath: {laptop.log(shared)} holds 1 change this machine did not write: another "
        "machine syncs under the same id (was MLPATH_HOME copied?) — on one of them, move "
        "sync.json out of MLPATH_HOME and sync again; it was merged\n"
    )
    statuses = {r["id"]: r["status"] for r in laptop.json("list")["resources"]}
    assert (statuses["alpha"], statuses["beta"], statuses["delta"]) == ("done", "done", "done")
    (clone.home / "sync.json").unlink()  # as the message says: a new id for the clone
    clone.ok("sync", str(shared))
    assert laptop.ok("sync").endswith("merged 0 changes from 1 other machine\n")
    assert clone.uids() == laptop.uids()
