"""What only real processes show: concurrent writers, a kill in the middle of a change,
a damaged or unusable progress store, file permissions and the installed entry point.

Every test runs `python -m mlpath` (or the console script) as a user would, with its
own data, cache and catalog, and checks what that user sees: exit codes, one-line
errors, and the progress the next command reads back.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from resource import RLIMIT_FSIZE, getrlimit, setrlimit
from typing import Any

import pytest

from conftest import MINI_CATALOG
from mlpath import __version__
from mlpath.catalog import bundled_catalog_path

# Generous: a slow, shared 2-core machine may run forty of these at once.
TIMEOUT = 300.0
POLL_SECONDS = 0.005
BIG_SECTION_SIZE = 20_000


@dataclass(frozen=True)
class Machine:
    """One user's mlpath: its data dir, catalog cache and catalog (None: the bundled one)."""

    home: Path
    cache: Path
    catalog: Path | None = None
    started: list[subprocess.Popen[str]] = field(default_factory=list, compare=False)

    @property
    def store(self) -> Path:
        return self.home / "progress.db"

    def env(self) -> dict[str, str]:
        dropped = ("MLPATH_NO_FAST_PATH", "MLPATH_CATALOG", "MLPATH_LANG")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update(MLPATH_HOME=str(self.home), MLPATH_CACHE_DIR=str(self.cache), NO_COLOR="1")
        if self.catalog is not None:
            env["MLPATH_CATALOG"] = str(self.catalog)
        return env

    def start(self, *args: str, quiet: bool = False) -> subprocess.Popen[str]:
        """Start `mlpath ARGS` without waiting; `quiet` discards its output."""
        stream = subprocess.DEVNULL if quiet else subprocess.PIPE
        proc = subprocess.Popen(
            [sys.executable, "-m", "mlpath", *args],
            env=self.env(),
            stdout=stream,
            stderr=stream,
            text=True,
        )
        self.started.append(proc)
        return proc

    def run(self, *args: str, umask: int = -1) -> subprocess.CompletedProcess[str]:
        return self.run_command([sys.executable, "-m", "mlpath", *args], umask=umask)

    def run_command(self, command: list[str], umask: int = -1) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            umask=umask,
        )

    def ok(self, *args: str) -> str:
        """Run `mlpath ARGS`, which must succeed quietly on stderr; its stdout."""
        result = self.run(*args)
        assert (result.returncode, result.stderr) == (0, ""), result
        return result.stdout

    def json(self, *args: str) -> Any:
        """The result inside the `--json` envelope."""
        return json.loads(self.ok(*args))["result"]

    def ids(self, *args: str) -> list[str]:
        """The ids `mlpath list --json` prints, in its order."""
        return [entry["id"] for entry in self.json(*args)["resources"]]

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=TIMEOUT)


@pytest.fixture
def machine(tmp_path: Path) -> Iterator[Machine]:
    """A fresh machine on the five-resource test catalog; nothing started outlives a test."""
    catalog = tmp_path / "mini.json"
    catalog.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    made = Machine(tmp_path / "home", tmp_path / "cache", catalog)
    yield made
    made.stop_all()


def write_catalog(path: Path, sizes: dict[str, int]) -> list[str]:
    """A generated catalog with `sizes[section]` resources a section; its ids in path order."""
    ids = [f"{section}-{index:05d}" for section, size in sizes.items() for index in range(size)]
    resources = [
        {
            "id": resource,
            "title": resource.replace("-", " ").title(),
            "section": resource.rsplit("-", 1)[0],
            "url": None,
            "kind": "article",
            "cost": "free",
            "minutes": 5,
            "description": "Generated for a test.",
        }
        for resource in ids
    ]
    sections = [{"id": s, "title": s.title(), "summary": "Generated."} for s in sizes]
    catalog = {**MINI_CATALOG, "sections": sections, "resources": resources}
    path.write_text(json.dumps(catalog), encoding="utf-8")
    return ids


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1 with a single `mlpath: …` line on stderr containing `needles`; that line."""
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mlpath: "), lines[0]
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def sidecars(store: Path) -> list[Path]:
    """SQLite's -wal and -shm files beside `store`, where there are any."""
    return [p for p in (Path(f"{store}-wal"), Path(f"{store}-shm")) if p.exists()]


def checkpoint(store: Path) -> None:
    """Move everything from the WAL into the file, and close: SQLite removes the WAL."""
    conn = sqlite3.connect(store)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    assert not sidecars(store)


# --- many processes at once -----------------------------------------------------------


@pytest.mark.parametrize("cache", ["warm", "cold"])
def test_forty_concurrent_done_commands_all_land(machine: Machine, cache: str) -> None:
    catalog = machine.home.parent / "generated.json"
    ids = write_catalog(catalog, {"one": 25, "two": 25})
    machine = replace(machine, catalog=catalog)
    if cache == "warm":
        assert len(machine.ids("list", "--json")) == 50  # builds the catalog cache only
        assert any(machine.cache.iterdir())
    else:
        assert not machine.cache.exists()
    assert not machine.home.exists()
    chosen = ids[5:45]  # from both sections

    procs = [machine.start("done", resource) for resource in chosen]
    outputs = [proc.communicate(timeout=TIMEOUT) for proc in procs]

    for resource, proc, (out, err) in zip(chosen, procs, outputs, strict=True):
        assert (proc.returncode, err) == (0, ""), (resource, out, err)
        assert out.startswith(f"done: {resource}"), out
    listed = machine.json("list", "--json")["resources"]
    done = [r["id"] for r in listed if r["status"] == "done"]
    assert done == chosen
    assert {r["status"] for r in listed if r["id"] not in chosen} == {"todo"}
    history = machine.json("history", "--json", "--limit", "100")["changes"]
    assert sorted(change["resource"] for change in history) == sorted(chosen)
    assert {(c["action"], c["status"]) for c in history} == {("status", "done")}


# A program holding the store's write lock for a moment: a sync or backup tool, the
# sqlite3 shell, or another mlpath in the middle of a long change.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


def handles_on(pid: int, target: Path) -> int:
    """How many file descriptors process `pid` has open on `target`."""
    try:
        return [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()].count(str(target))
    except OSError:  # a descriptor closed while being listed, or the process ended
        return 0


def wait_until_writing(proc: subprocess.Popen[str], store: Path) -> None:
    """Until `proc` is waiting to write: it has the store open twice, its read-only view
    and its writer connection (seen twice in a row: reading the header opens a handle
    for a moment). Should a later mlpath open it once only, 20 s with it open will do:
    mlpath gives up waiting for a lock after 30 s.
    """
    opened_at: float | None = None
    twice = 0
    while twice < 2 and proc.poll() is None:
        count = handles_on(proc.pid, store)
        opened_at = (opened_at or time.monotonic()) if count else None
        if opened_at is not None and time.monotonic() - opened_at > 20:
            return
        twice = twice + 1 if count >= 2 else 0
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_done_that_waits_for_another_writer_is_recorded(machine: Machine) -> None:
    machine.ok("done", "alpha")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(machine.store)],
        env=machine.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    machine.started.append(holder)
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"

    waiting = machine.start("done", "beta")
    wait_until_writing(waiting, machine.store)
    time.sleep(1.0)  # deep into its busy wait, for the lock the holder has
    holder.communicate("release\n", timeout=TIMEOUT)
    out, err = waiting.communicate(timeout=TIMEOUT)

    assert (waiting.returncode, err) == (0, ""), (out, err)
    assert out.startswith("done: beta"), out
    assert machine.ids("list", "--json", "--status", "done") == ["alpha", "beta"]


# --- a kill in the middle of a large change -------------------------------------------

# When to send SIGKILL to `skip --section big`: a delay after its transaction started
# spilling pages into the WAL (inside the transaction, or after its commit), or after
# its start (before, during or after the transaction, depending on the machine).
KILL_POINTS = [("start", 1.0), ("wal", 0.1), ("wal", 1.0)]


def wait_for_wal(proc: subprocess.Popen[str], wal: Path) -> None:
    """Until the WAL has frames in it, or the process has exited."""
    deadline = time.monotonic() + TIMEOUT
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 0:
            return
        time.sleep(POLL_SECONDS)


def test_kill_during_a_large_skip_keeps_all_of_it_or_none(machine: Machine) -> None:
    catalog = machine.home.parent / "big.json"
    write_catalog(catalog, {"small": 1, "big": BIG_SECTION_SIZE})
    base = replace(machine, catalog=catalog)
    assert base.ids("list", "--json", "--status", "skipped") == []  # builds the cache once

    for attempt, (trigger, delay) in enumerate(KILL_POINTS):
        user = replace(base, home=base.home.parent / f"home-{attempt}")
        user.ok("done", "small-00000")  # the store exists, with one change before the kill
        checkpoint(user.store)  # no WAL: it grows from nothing once the skip writes
        proc = user.start("skip", "--section", "big", quiet=True)
        if trigger == "wal":
            wait_for_wal(proc, Path(f"{user.store}-wal"))
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # a no-op if it has finished: the "all" case
        proc.wait(timeout=TIMEOUT)

        skipped = user.ids("list", "--json", "--status", "skipped")
        assert len(skipped) in (0, BIG_SECTION_SIZE), (trigger, delay, len(skipped))
        assert user.ids("list", "--json", "--status", "done") == ["small-00000"]
        user.ok("next")
        conn = sqlite3.connect(user.store)  # after mlpath: this may recover the WAL
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            stored = conn.execute("SELECT count(*) FROM current WHERE status = 'skipped'")
            assert (integrity, stored.fetchone()) == ([("ok",)], (len(skipped),))
        finally:
            conn.close()


# --- a progress store mlpath must not use ---------------------------------------------

COMMANDS = [
    ["next"],
    ["done", "alpha"],
    ["list"],
    ["show", "alpha"],
    ["history"],
    ["undo"],
    ["skip", "alpha"],
]
MOVE_ASIDE = "move it aside to start fresh"
# kind of damage -> what the message must tell the user to do
DAMAGE = {
    "garbage": MOVE_ASIDE,
    "truncated": MOVE_ASIDE,
    "empty": MOVE_ASIDE,
    "newer": "upgrade mlpath",
}


@pytest.fixture(scope="module")
def valid_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a real store after a few `done`, checkpointed: no WAL beside it."""
    base = tmp_path_factory.mktemp("valid-store")
    catalog = base / "mini.json"
    catalog.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    user = Machine(base / "home", base / "cache", catalog)
    for resource in ("alpha", "beta", "delta"):
        user.ok("done", resource)
    checkpoint(user.store)
    return user.store.read_bytes()


def damage(store: Path, kind: str, valid: bytes) -> None:
    store.parent.mkdir(mode=0o700)
    if kind == "garbage":
        store.write_bytes(b"\x00garbage" + random.Random(kind).randbytes(8192))
    elif kind == "truncated":
        store.write_bytes(valid[: len(valid) // 2])
    elif kind == "empty":
        store.write_bytes(b"")
    else:
        store.write_bytes(valid)
        conn = sqlite3.connect(store)
        try:
            conn.execute("PRAGMA user_version = 999")
        finally:
            conn.close()
        checkpoint(store)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_store_is_reported_and_left_untouched(
    machine: Machine,
    valid_store: bytes,
    kind: str,
    command: list[str],
) -> None:
    damage(machine.store, kind, valid_store)
    before = machine.store.read_bytes()

    result = machine.run(*command)

    assert_one_line_error(result, str(machine.store), DAMAGE[kind])
    assert machine.store.read_bytes() == before
    assert not sidecars(machine.store)
    assert sorted(p.name for p in machine.home.iterdir()) == ["progress.db"]


# --- where the data dir cannot be, or should not be, created --------------------------


def test_unwritable_data_dir_is_one_clear_error(machine: Machine) -> None:
    # A path below a regular file cannot be created, even by root (chmod would not do).
    blocker = machine.home.parent / "afile"
    blocker.write_text("not a directory\n")
    user = replace(machine, home=blocker / "home")

    result = user.run("done", "alpha")

    assert_one_line_error(result, str(user.home), "MLPATH_HOME")
    assert blocker.read_text() == "not a directory\n"
    assert user.ok("next").startswith("▶ alpha")  # reading needs no data dir


@pytest.mark.parametrize(
    "command", [["next"], ["list"], ["show", "alpha"], ["sections"], ["history"]], ids=" ".join
)
def test_read_only_command_on_a_fresh_machine_creates_no_data_dir(
    machine: Machine, command: list[str]
) -> None:
    assert machine.ok(*command)
    assert not machine.home.exists()


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=oct)
@pytest.mark.parametrize("change", ["done", "start"])  # the fast path, and Typer's
def test_first_change_creates_private_data_dir_and_store(
    machine: Machine, umask: int, change: str
) -> None:
    result = machine.run(change, "alpha", umask=umask)

    assert (result.returncode, result.stderr) == (0, ""), result
    home_mode = machine.home.stat().st_mode & 0o777
    assert home_mode & 0o700 == 0o700 and home_mode & 0o077 == 0, oct(home_mode)
    assert machine.store.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in machine.home.iterdir()) == ["progress.db"]


# --- the installed console script -----------------------------------------------------


def test_installed_console_script_runs(machine: Machine) -> None:
    script = Path(sys.executable).parent / "mlpath"
    assert shutil.which(script.name, path=str(script.parent)) == str(script)

    version = machine.run_command([str(script), "--version"])
    step = machine.run_command([str(script), "next"])

    assert (version.returncode, version.stdout, version.stderr) == (
        0,
        f"mlpath {__version__}\n",
        "",
    )
    assert (step.returncode, step.stderr) == (0, "")
    assert step.stdout.startswith("▶ alpha · Alpha Intro\n")


# --- output that cannot be delivered --------------------------------------------------


def output_env(machine: Machine, fast_path: bool, buffered: bool) -> dict[str, str]:
    """Buffered (Python's default), a small output fails only when flushed at the end;
    unbuffered (PYTHONUNBUFFERED), every write fails where it is made."""
    env = machine.env()
    env.pop("PYTHONUNBUFFERED", None)
    if buffered is False:
        env["PYTHONUNBUFFERED"] = "1"
    if not fast_path:
        env["MLPATH_NO_FAST_PATH"] = "1"
    return env


def run_into(
    stdout: int,
    command: list[str],
    env: dict[str, str],
    before_exec: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`mlpath COMMAND` with its output sent to the file descriptor `stdout`."""
    return subprocess.run(
        [sys.executable, "-m", "mlpath", *command],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
        check=False,
        preexec_fn=before_exec,
    )


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("command", [["next"], ["list"], ["show", "alpha"]])
def test_reader_gone_before_the_output_is_a_quiet_exit_1(
    machine: Machine, command: list[str], fast_path: bool, buffered: bool
) -> None:
    """`mlpath list | head -1` and friends: no traceback when the pipe closes early."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to the pipe now fails, as after `head` has exited
    try:
        result = run_into(write_end, command, output_env(machine, fast_path, buffered))
    finally:
        os.close(write_end)

    assert (result.returncode, result.stderr) == (1, "")


def no_file_growth() -> None:
    """In the child: any write that grows a file fails (EFBIG), as on a full disk."""
    setrlimit(RLIMIT_FSIZE, (0, getrlimit(RLIMIT_FSIZE)[1]))


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["list", "--catalog", "BUNDLED"],  # more than a buffer holds: fails mid-command
        ["--version"],  # printed while the options are read
    ],
)
def test_output_that_cannot_be_written_is_one_clear_error(
    machine: Machine, command: list[str], fast_path: bool, buffered: bool, tmp_path: Path
) -> None:
    command = [bundled_catalog_path() if arg == "BUNDLED" else arg for arg in command]
    machine.ok(*command)  # builds the catalog cache while files can still grow
    output = tmp_path / "output.txt"
    with output.open("w") as stdout:
        env = output_env(machine, fast_path, buffered)
        result = run_into(stdout.fileno(), command, env, before_exec=no_file_growth)

    assert (result.returncode, result.stderr) == (
        1,
        "mlpath: cannot write the output: File too large\n",
    )


def close_stdout() -> None:
    os.close(1)


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("command", [["next"], ["done", "alpha"], ["start", "alpha"]])
def test_closed_output_is_refused_before_anything_is_done(
    machine: Machine, command: list[str], fast_path: bool
) -> None:
    """`mlpath done alpha >&-`: an error, and no change nobody could be told about."""
    result = run_into(
        subprocess.DEVNULL,
        command,
        output_env(machine, fast_path, buffered=True),
        before_exec=close_stdout,
    )

    assert (result.returncode, result.stderr) == (
        1,
        "mlpath: cannot write the output: standard output is closed\n",
    )
    assert not machine.home.exists()


def test_a_profiler_still_gets_to_report(machine: Machine) -> None:
    """The early process end skips teardown, but not what a watching tool prints at exit."""
    result = machine.run_command([sys.executable, "-m", "cProfile", "-m", "mlpath", "next"])

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("▶ alpha · Alpha Intro\n")
    assert "function calls" in result.stdout
