"""`mlpath sync` with the files a file-sync tool, a crash or another mlpath leave behind,
run as users run it (real processes): one line on stderr per file skipped, exit code 1,
never a traceback, and nothing of a skipped file merged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mlpath import sync_log

PEER = "00112233445566ff"
OTHER = "aabbccddeeff0011"


class Proc:
    def __init__(self, tmp_path: Path, catalog: Path, name: str) -> None:
        self.env = {
            **os.environ,
            "MLPATH_HOME": str(tmp_path / name),
            "MLPATH_CATALOG": str(catalog),
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlpath", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "mlpath", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["result"]

    def history(self) -> list[dict[str, Any]]:
        return list(self.result("history", "--limit", "100000")["changes"])


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    return folder


@pytest.fixture
def me(tmp_path: Path, mini_catalog: Path) -> Proc:
    return Proc(tmp_path, mini_catalog, "me")


def change(n: int, resource: str = "alpha", status: str = "done") -> tuple[Any, ...]:
    """A row as Store.recorded_here gives it: change n of a made-up machine."""
    at = f"2026-01-01T00:00:{n:02d}.000000Z"
    return (
        n,
        f"{n:032x}",
        at,
        1767225600000000 + n * 1_000_000,
        f"{n:031x}f",
        f"{status} {resource}",
        at,
        resource,
        "status",
        status,
        None,
        None,
        0,
    )


def log_bytes(machine: str, *rows: tuple[Any, ...]) -> bytes:
    return sync_log.header_line(machine) + sync_log.change_lines(list(rows))


def uids(proc: Proc) -> set[str]:
    return {c["uid"] for c in proc.history()}


def test_a_last_line_cut_short_is_left_for_when_it_is_complete(me: Proc, shared: Path) -> None:
    data = log_bytes(PEER, change(1), change(2, "beta"), change(3, "delta"))
    log = shared / sync_log.log_name(PEER)
    log.write_bytes(data[:-20])  # a file-sync tool halfway through copying it

    first = me.run("sync", str(shared))

    assert (first.returncode, first.stderr) == (0, "")
    assert uids(me) == {f"{1:032x}", f"{2:032x}"}
    log.write_bytes(data)
    second = me.run("sync")
    assert (second.returncode, second.stderr) == (0, "")
    assert uids(me) == {f"{n:032x}" for n in (1, 2, 3)}


def test_a_log_cut_short_after_it_was_read_is_reported_read_again_and_nothing_is_lost(
    me: Proc, shared: Path
) -> None:
    log = shared / sync_log.log_name(PEER)
    log.write_bytes(log_bytes(PEER, change(1), change(2, "beta"), change(3, "delta")))
    assert me.run("sync", str(shared)).returncode == 0
    log.write_bytes(log_bytes(PEER, change(1)))  # an older copy put back

    cut = me.run("sync")

    assert cut.returncode == 1
    assert cut.stderr == (
        f"mlpath: {log} no longer holds what was read from it before (replaced or cut "
        "short?); it was read again from its start\n"
    )
    assert len(me.history()) == 3
    log.write_bytes(log_bytes(PEER, change(1), change(4, "gamma-book")))
    grown = me.run("sync")  # it grows on from what is left: read on from there
    assert (grown.returncode, grown.stderr) == (0, "")
    assert len(me.history()) == 4


@pytest.mark.parametrize(
    "name",
    [
        f"mlpath-{PEER} (conflicted copy 2026-12-01).jsonl",
        f"mlpath-{PEER}.sync-conflict-20261201-101010-ABCDEFG.jsonl",
    ],
)
def test_a_conflict_copy_is_reported_and_not_merged(me: Proc, shared: Path, name: str) -> None:
    (shared / sync_log.log_name(PEER)).write_bytes(log_bytes(PEER, change(1)))
    (shared / name).write_bytes(log_bytes(PEER, change(1), change(2, "beta")))

    result = me.run("sync", str(shared))

    assert result.returncode == 1
    assert result.stderr == (
        f"mlpath: skipped {shared / name}: a conflict copy a file-sync tool made; mlpath "
        "reads only each machine's own log (mlpath-<machine id>.jsonl), which holds every "
        "change — delete the copy\n"
    )
    assert uids(me) == {f"{1:032x}"}
    assert "merged 1 change from 1 other machine" in result.stdout


def test_a_log_from_a_newer_mlpath_is_reported_and_not_merged(me: Proc, shared: Path) -> None:
    newer = log_bytes(OTHER, change(2, "beta")).replace(b'"version":1', b'"version":2', 1)
    (shared / sync_log.log_name(OTHER)).write_bytes(newer)
    (shared / sync_log.log_name(PEER)).write_bytes(log_bytes(PEER, change(1)))

    result = me.run("sync", str(shared))

    assert result.returncode == 1
    assert result.stderr == (
        f"mlpath: skipped {shared / sync_log.log_name(OTHER)}: it was written by a newer "
        "mlpath (sync log version 2; this one reads version 1) — upgrade mlpath here\n"
    )
    assert uids(me) == {f"{1:032x}"}  # the other log still merged


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            log_bytes(PEER, change(1)) + b"not json\n" + sync_log.change_lines([change(2)]),
            "line 3",
        ),
        (os.urandom(300).replace(b"\n", b"") + b"\n", "line 1"),
        (log_bytes(PEER, change(1)) + b"{not json}\n", "line 3"),
        (log_bytes(OTHER, change(1)), "it names another machine than its file name does"),
        (
            log_bytes(PEER, change(1)).replace(b'"status":"done"', b'"status":"finished"'),
            "it is not a change this mlpath can read",
        ),
    ],
    ids=["a bad line", "random bytes", "a bad object", "another machine's", "an unknown status"],
)
def test_garbage_is_reported_in_one_line_and_nothing_of_it_is_merged(
    me: Proc, shared: Path, content: bytes, why: str
) -> None:
    log = shared / sync_log.log_name(PEER)
    log.write_bytes(content)

    result = me.run("sync", str(shared))

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"mlpath: skipped {log}: line ")
    assert why in result.stderr
    assert "nothing of it was merged" in result.stderr
    assert "Traceback" not in result.stderr
    assert me.history() == []


def test_a_change_days_in_the_future_is_refused_with_its_file(me: Proc, shared: Path) -> None:
    future = list(change(2, "beta"))
    future[2] = future[6] = "2099-01-01T00:00:00.000000Z"
    future[3] = 4070908800000000
    (shared / sync_log.log_name(PEER)).write_bytes(log_bytes(PEER, change(1), tuple(future)))

    result = me.run("sync", str(shared))

    assert result.returncode == 1
    assert "line 3 claims the time 2099-01-01T00:00:00.000000Z, more than a day ahead" in (
        result.stderr
    )
    assert me.history() == []


def test_this_machines_own_log_damaged_is_said_as_its_own(me: Proc, shared: Path) -> None:
    """Not skipped as another machine's would be: sync stops, and says how to start the
    log anew (a peer's advice, to move the file out of the folder, is not this one's)."""
    assert me.run("done", "alpha").returncode == 0
    assert me.run("sync", str(shared)).returncode == 0
    machine = json.loads((Path(me.env["MLPATH_HOME"]) / "sync.json").read_text())["machine"]
    own = shared / sync_log.log_name(machine)
    with own.open("ab") as handle:
        handle.write(b"not a change\n")
    assert me.run("done", "beta").returncode == 0  # the log is read back before writing

    result = me.run("sync")

    assert result.returncode == 1
    assert result.stderr == (
        f"mlpath: cannot use this machine's sync log {own}: line 3 is not a change mlpath "
        "wrote (it is not a JSON object); nothing of it was merged — move it aside and sync "
        "again: mlpath then writes it anew\n"
    )


def test_two_machines_syncing_at_the_same_moment_end_up_the_same(
    tmp_path: Path, mini_catalog: Path, shared: Path
) -> None:
    one = Proc(tmp_path, mini_catalog, "one")
    two = Proc(tmp_path, mini_catalog, "two")
    ids = ["alpha", "beta", "gamma-book", "gamma-course", "delta"]
    for round_ in range(4):
        assert one.run("done" if round_ % 2 else "start", ids[round_]).returncode == 0
        assert two.run("note", ids[-1 - round_], f"round {round_}").returncode == 0
        both = [one.start("sync", str(shared)), two.start("sync", str(shared))]
        for running in both:
            _, err = running.communicate(timeout=120)
            assert running.returncode == 0, err
            assert err == ""
    for machine in (one, two, one):
        assert machine.run("sync").returncode == 0

    assert one.result("progress") == two.result("progress")
    assert one.history() == two.history()
    assert len(one.history()) == 8


def test_two_syncs_at_once_on_one_machine_write_each_change_once(me: Proc, shared: Path) -> None:
    assert me.run("done", "alpha", "beta", "delta").returncode == 0
    both = [me.start("sync", str(shared)), me.start("sync", str(shared))]
    for proc in both:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    (log,) = shared.glob("mlpath-*.jsonl")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # the header and three changes


@pytest.mark.parametrize(
    "state",
    [
        b"{not json",
        b'{"version": 1, "machine": "00112233445566ff", "dirs": {"/x": {"own": 3}}}',
        b'{"version": 1, "machine": "00112233445566ff", "dirs": {"/x": {"peers": '
        b'{"mlpath-aabbccddeeff0011.jsonl": {"offset": "9", "lines": 1, "tail": ""}}}}}',
        b'{"version": 9, "machine": "00112233445566ff", "dirs": {}}',
    ],
    ids=["not JSON", "a mark that is a number", "an offset that is text", "a newer version"],
)
def test_a_sync_state_mlpath_cannot_read_is_one_line_and_left_as_it_is(
    me: Proc, shared: Path, tmp_path: Path, state: bytes
) -> None:
    (tmp_path / "me").mkdir()
    (tmp_path / "me" / "sync.json").write_bytes(state)

    result = me.run("sync", str(shared))

    assert result.returncode == 1
    assert result.stderr == (
        f"mlpath: the sync state {tmp_path / 'me' / 'sync.json'} is not one this mlpath "
        "reads; move it aside and sync again (this machine then writes a new log, under a "
        "new id)\n"
    )
    assert (tmp_path / "me" / "sync.json").read_bytes() == state
    assert list(shared.iterdir()) == []


def test_an_import_file_that_is_a_broken_object_is_one_line(me: Proc, tmp_path: Path) -> None:
    # The quick JSON check sync logs share with `mlpath import`, in a fresh process.
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"{not json")

    result = me.run("import", str(broken))

    assert result.returncode == 1
    assert result.stderr.startswith(f"mlpath: cannot import {broken}: it is not valid JSON")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_machines_through_a_git_repository_merge_without_conflicts(
    tmp_path: Path, mini_catalog: Path
) -> None:
    hub = tmp_path / "hub.git"
    git("init", "-q", "--bare", "-b", "main", str(hub), cwd=tmp_path)
    one, two = Proc(tmp_path, mini_catalog, "one"), Proc(tmp_path, mini_catalog, "two")
    clones = [tmp_path / "clone-one", tmp_path / "clone-two"]
    git("clone", "-q", str(hub), clones[0].name, cwd=tmp_path)
    (clones[0] / "README").write_text("mlpath sync logs\n", encoding="utf-8")
    git("add", "README", cwd=clones[0])
    git("commit", "-qm", "start", cwd=clones[0])
    git("push", "-q", "origin", "HEAD:main", cwd=clones[0])
    git("clone", "-q", str(hub), clones[1].name, cwd=tmp_path)
    assert one.run("done", "alpha").returncode == 0
    assert two.run("start", "beta").returncode == 0
    # Both change the repository before either has seen the other's commit.
    for proc, clone in ((one, clones[0]), (two, clones[1])):
        assert proc.run("sync", str(clone)).returncode == 0
        git("add", "-A", cwd=clone)
        git("commit", "-qm", "sync", cwd=clone)
    git("push", "-q", "origin", "HEAD:main", cwd=clones[0])
    for round_ in range(2):
        for proc, clone in ((two, clones[1]), (one, clones[0])):
            git("pull", "-q", "--no-rebase", "origin", "main", cwd=clone)  # a merge
            assert proc.run("note", "delta", f"round {round_}").returncode == 0
            result = proc.run("sync")
            assert (result.returncode, result.stderr) == (0, "")
            git("add", "-A", cwd=clone)
            git("commit", "-qm", "sync", cwd=clone)
            git("push", "-q", "origin", "HEAD:main", cwd=clone)
    git("pull", "-q", "--no-rebase", "origin", "main", cwd=clones[1])
    assert two.run("sync").returncode == 0

    assert one.result("progress") == two.result("progress")
    assert one.history() == two.history()
    assert len(one.history()) == 6
