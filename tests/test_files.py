"""mlpath's files are private, regular, and trusted only when they are what they claim.

Real processes throughout: permissions, umasks, FIFOs and kills only show there. Cases
that need a user without root's powers run `python -m mlpath` as `nobody` (tests run as
root in CI), in a directory of their own that every user can traverse.
"""

from __future__ import annotations

import functools
import json
import os
import random
import shutil
import signal
import site
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import mlpath
from conftest import MINI_CATALOG, held_by_another
from mlpath import failures, store_files
from mlpath.errors import CatalogError, StoreError
from mlpath.store import open_store

TIMEOUT = 120.0
NOBODY = "nobody"
SRC = str(Path(mlpath.__file__).resolve().parents[1])


@dataclass(frozen=True)
class User:
    """One user's mlpath: data dir, cache dir, catalog; `as_nobody` drops root."""

    home: Path
    cache: Path
    catalog: Path
    as_nobody: bool = False

    @property
    def store(self) -> Path:
        return self.home / "progress.db"

    def env(self) -> dict[str, str]:
        dropped = ("MLPATH_NO_FAST_PATH", "MLPATH_CATALOG", "MLPATH_LANG", "PYTHONPATH")
        env = {k: v for k, v in os.environ.items() if k not in dropped}
        env.update(
            MLPATH_HOME=str(self.home),
            MLPATH_CACHE_DIR=str(self.cache),
            MLPATH_CATALOG=str(self.catalog),
            NO_COLOR="1",
            COLUMNS="120",
        )
        if self.as_nobody:
            env["PYTHONPATH"] = os.pathsep.join([SRC, *site.getsitepackages()])
            env["HOME"] = "/nonexistent"
        return env

    def command(self, *args: str) -> list[str]:
        python = nobody_python() if self.as_nobody else sys.executable
        assert python is not None
        return [python, "-m", "mlpath", *args]

    def run(
        self, *args: str, umask: int = -1, timeout: float = TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            umask=umask,
            **as_user(self.as_nobody),
        )

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert (result.returncode, result.stderr) == (0, ""), result
        return result.stdout


def as_user(nobody: bool) -> dict[str, Any]:
    if not nobody or os.geteuid() != 0:
        return {}  # already without root's powers
    return {"user": NOBODY, "group": "nogroup", "extra_groups": []}


@functools.cache
def nobody_python() -> str | None:
    """An interpreter `nobody` can run that imports mlpath and its dependencies.

    This one, if `nobody` can reach it; else the system's build of the same version
    (a pyenv or venv interpreter under /root is out of its reach).
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    env = {"PYTHONPATH": os.pathsep.join([SRC, *site.getsitepackages()]), "PATH": "/usr/bin"}
    for python in (sys.executable, f"/usr/bin/python{version}"):
        try:
            probe = subprocess.run(
                [python, "-c", "import mlpath.cli, pydantic, typer, rich"],
                env=env,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
                **as_user(True),
            )
        except OSError:
            continue
        if probe.returncode == 0:
            return python
    return None


needs_nobody = pytest.mark.skipif(
    "nobody_python() is None", reason="no interpreter the user nobody can run"
)


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory every user can traverse (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="mlpath-files-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def user(shared: Path) -> User:
    catalog = shared / "mini.json"
    catalog.write_text(json.dumps(MINI_CATALOG), encoding="utf-8")
    catalog.chmod(0o644)
    return User(shared / "home", shared / "cache", catalog)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mlpath: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def mode(path: Path) -> int:
    return path.lstat().st_mode & 0o7777


# --- private whatever the umask -------------------------------------------------------


@pytest.mark.parametrize("command", [["done", "alpha"], ["start", "alpha"]], ids=" ".join)
def test_everything_created_under_umask_000_is_private(user: User, command: list[str]) -> None:
    nested = replace(user, home=user.home / "deep" / "er" / "home", cache=user.cache / "c1" / "c2")

    result = nested.run(*command, umask=0o000)

    assert (result.returncode, result.stderr) == (0, ""), result
    made = [user.home, user.home / "deep", user.home / "deep" / "er", nested.home]
    made += [user.cache, user.cache / "c1", nested.cache]
    assert {str(d): oct(mode(d)) for d in made} == {str(d): oct(0o700) for d in made}
    cache_files = sorted(nested.cache.iterdir())
    assert [p.name.rsplit(".", 1)[1] for p in cache_files] == ["sqlite3", "sqlite3-seal"]
    assert {oct(mode(p)) for p in [nested.store, *cache_files]} == {oct(0o600)}


WAL_MODES = """
import os, sys
from mlpath.store import open_store
store = open_store(sys.argv[1], create=True)
store.set_status(["alpha"], "done")
directory = os.path.dirname(sys.argv[1])
print(sorted((n, oct(os.stat(os.path.join(directory, n)).st_mode & 0o777))
             for n in os.listdir(directory)))
store.close()
"""


def test_the_stores_wal_and_shm_files_are_private_too(user: User) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WAL_MODES, str(user.store)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
        umask=0,
    )

    private = oct(0o600)
    assert result.stdout.strip() == str(
        [("progress.db", private), ("progress.db-shm", private), ("progress.db-wal", private)]
    )


# --- never through a link, never into a directory others can write -------------------


def test_a_dangling_store_link_is_refused_and_its_target_never_made(user: User) -> None:
    user.home.mkdir(mode=0o700)
    target = user.home.parent / "attacker-reads-this.db"
    user.store.symlink_to(target)

    result = user.run("done", "alpha")

    assert_one_line_error(result, str(user.store), "symbolic link")
    assert not target.exists()
    assert user.store.is_symlink()


@pytest.mark.parametrize("sidecar", ["-wal", "-shm"])
def test_a_link_where_sqlite_keeps_its_sidecars_is_refused(user: User, sidecar: str) -> None:
    user.ok("done", "alpha")
    target = user.home.parent / "elsewhere"
    Path(f"{user.store}{sidecar}").symlink_to(target)

    result = user.run("done", "beta")

    assert_one_line_error(result, f"{user.store}{sidecar}", "symbolic link")
    assert not target.exists()


@pytest.mark.parametrize("dir_mode", [0o777, 0o1777, 0o770], ids=oct)
def test_a_home_others_can_write_is_refused_for_writing_not_reading(
    user: User, dir_mode: int
) -> None:
    user.home.mkdir()
    user.home.chmod(dir_mode)

    result = user.run("done", "alpha")

    assert_one_line_error(result, str(user.home), "chmod go-w", "MLPATH_HOME")
    assert list(user.home.iterdir()) == []
    assert user.ok("next").startswith("▶ alpha")  # reading goes on


def test_an_existing_store_in_a_home_others_can_write_is_not_written(user: User) -> None:
    user.ok("done", "alpha")
    user.home.chmod(0o777)
    before = user.store.read_bytes()

    result = user.run("done", "beta")

    assert_one_line_error(result, str(user.home), "chmod go-w")
    assert user.store.read_bytes() == before
    assert "done" in user.ok("show", "alpha")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the dir to another user")
def test_a_home_that_belongs_to_another_user_is_refused(user: User) -> None:
    user.home.mkdir(mode=0o755)
    os.chown(user.home, 65534, 65534)

    result = user.run("done", "alpha")

    assert_one_line_error(result, str(user.home), "another user")
    assert list(user.home.iterdir()) == []


# --- only regular files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["next"], ["done", "alpha"], ["progress"], ["history"]], ids=" ".join
)
def test_a_store_that_is_a_fifo_is_refused_at_once(user: User, command: list[str]) -> None:
    user.home.mkdir(mode=0o700)
    os.mkfifo(user.store, 0o600)

    result = user.run(*command, timeout=30)

    assert_one_line_error(result, str(user.store), "FIFO", "not a regular file")


@pytest.mark.parametrize("kind", ["device", "fifo", "directory"])
def test_a_catalog_that_is_not_a_regular_file_is_refused(
    user: User, tmp_path: Path, kind: str
) -> None:
    path = {"device": Path("/dev/zero"), "fifo": tmp_path / "fifo", "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    for command in (["next"], ["list"], ["--catalog", str(path), "next"]):
        result = subprocess.run(
            user.command(*command),
            env={**user.env(), "MLPATH_CATALOG": str(path)},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            preexec_fn=lambda: limit_memory(1 << 30),
        )
        if kind == "directory" and command[0] == "--catalog":
            # A directory where the command line wants a file is a usage error (exit 2).
            assert result.returncode == 2, result
            assert "is a directory — name a file" in result.stderr
            continue
        assert_one_line_error(result, str(path), "not a regular file")


def limit_memory(size: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def test_a_catalog_past_the_size_limit_is_refused_without_reading_it(user: User) -> None:
    huge = user.catalog.parent / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: nothing is written

    result = replace(user, catalog=huge).run("next", timeout=30)

    assert_one_line_error(result, str(huge), "larger than 64 MiB")


# --- the cache is the catalog's exact content, built by us ----------------------------


def rewrite_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_edit_that_keeps_size_and_mtime_is_seen(user: User) -> None:
    assert user.ok("next").startswith("▶ alpha · Alpha Intro")

    rewrite_keeping_size_and_mtime(user.catalog, "Alpha Intro", "Aleph Intro")

    assert user.ok("next").startswith("▶ alpha · Aleph Intro")


def test_an_edit_that_breaks_the_catalog_is_reported_not_served_from_the_cache(
    user: User,
) -> None:
    user.ok("next")

    rewrite_keeping_size_and_mtime(user.catalog, '"minutes": 30', '"minutes": -3')

    assert_one_line_error(user.run("next"), str(user.catalog), "minutes")


PROBE = """
import json, sys
from mlpath.cli import run
code = run(["next"])
watched = ("hashlib", "_hashlib", "_sha256", "_sha2", "zlib", "fcntl", "tempfile",
           "mlpath.validate", "pydantic")
sys.stderr.write(json.dumps([code, sorted(m for m in watched if m in sys.modules)]) + "\\n")
"""


def probe_next(user: User) -> list[Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=user.env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    decoded: list[Any] = json.loads(result.stderr.strip().splitlines()[-1])
    return decoded


def test_a_fresh_cache_costs_no_hash_and_a_touched_catalog_no_validation(user: User) -> None:
    user.ok("next")
    assert probe_next(user) == [0, []]

    # Same bytes, new times and change time (a checkout, a copy back): the content hash
    # says the cache still holds it, so it is re-stamped rather than rebuilt.
    cache = next(user.cache.glob("catalog-*.sqlite3")).stat()
    user.catalog.write_bytes(user.catalog.read_bytes())
    code, loaded = probe_next(user)
    # CPython's own SHA-256 (_sha256 in 3.11, _sha2 later), not OpenSSL through hashlib.
    assert code == 0 and loaded in (["_sha256"], ["_sha2"])
    assert probe_next(user) == [0, []]
    # Only the seal beside it moved on: a cache is never written once in place.
    after = next(user.cache.glob("catalog-*.sqlite3")).stat()
    assert (after.st_ino, after.st_ctime_ns) == (cache.st_ino, cache.st_ctime_ns)


def cache_file(user: User) -> Path:
    (found,) = user.cache.glob("catalog-*.sqlite3")
    return found


def cache_dir_listing(user: User) -> list[str]:
    """What a cache directory should hold: the cache and its seal, nothing left over
    (beside the answers `next` keeps, mlpath.answer_cache)."""
    return sorted(p.name for p in user.cache.iterdir() if p.name != "answers")


def forge(cache: Path, title: str) -> None:
    """Change a title in the cache the way another user would, keeping its times."""
    before = cache.stat()
    conn = sqlite3.connect(cache)
    with conn:
        conn.execute("UPDATE resources SET title = ? WHERE id = 'alpha'", (title,))
    conn.close()
    os.utime(cache, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("how", ["writable by others", "owned by another user"])
def test_a_cache_another_user_could_have_forged_is_rebuilt(user: User, how: str) -> None:
    user.ok("next")
    cache = cache_file(user)
    forge(cache, "Forged Title")
    if how == "writable by others":
        cache.chmod(0o666)
    elif os.geteuid() == 0:
        os.chown(cache, 65534, 65534)
    else:
        pytest.skip("needs root to give the file to another user")

    assert user.ok("next").startswith("▶ alpha · Alpha Intro")
    assert user.ok("next").startswith("▶ alpha · Alpha Intro")
    assert mode(cache_file(user)) == 0o600


def test_a_cache_dir_others_can_write_is_not_read(user: User) -> None:
    user.ok("next")
    user.cache.chmod(0o777)
    forge(cache_file(user), "Forged Title")

    assert user.ok("next").startswith("▶ alpha · Alpha Intro")


def test_a_cache_written_since_it_was_built_is_rebuilt(user: User) -> None:
    user.ok("next")
    forge(cache_file(user), "Forged Title")
    cache_file(user).touch()  # an ordinary write moves the modification time

    assert user.ok("next").startswith("▶ alpha · Alpha Intro")


def damage_pages(path: Path, first: int, last: int) -> None:
    """Noise over pages `first` to `last`, the header left intact and the times kept,
    as a disk fault leaves a file: nothing about its metadata says it changed."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    for page in range(first, last + 1):
        data[(page - 1) * 4096 : page * 4096] = random.Random(page).randbytes(4096)
    with path.open("r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize(
    "kind", ["damaged meta", "damaged resources", "foreign database", "garbage", "empty"]
)
@pytest.mark.parametrize("command", [["next"], ["show", "alpha"]], ids=" ".join)  # fast, Typer
def test_a_damaged_or_foreign_cache_is_rebuilt_silently(
    user: User, kind: str, command: list[str]
) -> None:
    user.ok("next")
    cache = cache_file(user)
    conn = sqlite3.connect(cache)
    roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master"))
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    if kind == "damaged meta":
        damage_pages(cache, roots["meta"], roots["meta"] + 1)
    elif kind == "damaged resources":
        damage_pages(cache, roots["resources"], pages)
    elif kind == "foreign database":
        cache.unlink()
        conn = sqlite3.connect(cache)
        conn.execute("CREATE TABLE meta (key, value)")
        conn.execute("CREATE TABLE something (other)")
        conn.close()
        cache.chmod(0o600)
    else:
        cache.write_bytes(b"" if kind == "empty" else b"\x00not sqlite" * 100)

    user.ok(*command)

    assert user.ok("next").startswith("▶ alpha · Alpha Intro")


def big_catalog(path: Path, count: int) -> None:
    resources = [
        {
            "id": f"r-{i:06d}",
            "title": f"Resource {i}",
            "section": "intro",
            "url": None,
            "kind": "article",
            "cost": "free",
            "minutes": 5,
            "description": "Generated for a test.",
        }
        for i in range(count)
    ]
    sections = [{"id": "intro", "title": "Intro", "summary": "Generated."}]
    path.write_text(json.dumps({**MINI_CATALOG, "sections": sections, "resources": resources}))


def test_leftovers_of_a_killed_rebuild_are_cleaned_up(user: User) -> None:
    big = replace(user, catalog=user.catalog.parent / "big.json")
    big_catalog(big.catalog, 60_000)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(
            big.command("next"),
            env=big.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and proc.poll() is None:
            if any(p.name.endswith(".tmp-journal") for p in big.cache.glob(".catalog-*")):
                proc.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.002)
        proc.wait(timeout=TIMEOUT)
    assert kills, "no rebuild was caught at work"
    assert [p for p in big.cache.iterdir() if p.name.startswith(".catalog-")]

    assert big.ok("next").startswith("▶ r-000000")

    assert cache_dir_listing(big) == [cache_file(big).name, f"{cache_file(big).name}-seal"]


def test_a_rebuild_at_work_is_not_mistaken_for_leftovers(user: User) -> None:
    user.ok("next")
    working = user.cache / ".catalog-busy.tmp"
    working.write_bytes(b"")
    with held_by_another(working):
        rewrite_keeping_size_and_mtime(user.catalog, "Alpha Intro", "Aleph Intro")  # rebuild

        assert user.ok("next").startswith("▶ alpha · Aleph Intro")
        assert working.exists()


# --- a home this user cannot write ----------------------------------------------------


def read_only_home(user: User) -> User:
    """Root's progress (alpha done, beta started) in a dir `nobody` can read, not write."""
    user.ok("done", "alpha")
    user.ok("start", "beta")
    user.ok("note", "beta", "halfway")
    for path in (user.home, user.store):
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert not list(user.home.glob("progress.db-*"))
    return replace(user, cache=user.catalog.parent / "nobody-cache", as_nobody=True)


@needs_nobody
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["next"], "▶ beta"),
        (["progress"], "1 of 4"),  # core: not the optional book
        (["history"], "halfway"),
        (["show", "beta"], "halfway"),
        (["list", "--status", "done"], "alpha"),
        (["export"], "alpha"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else "",
)
def test_read_only_commands_work_on_a_home_this_user_cannot_write(
    user: User, command: list[str], expected: str
) -> None:
    reader = read_only_home(user)
    before = user.store.read_bytes()

    assert expected in reader.ok(*command)

    assert user.store.read_bytes() == before
    assert sorted(p.name for p in user.home.iterdir()) == ["progress.db"]


@needs_nobody
def test_a_change_on_a_home_this_user_cannot_write_is_one_clear_error(user: User) -> None:
    reader = read_only_home(user)
    before = user.store.read_bytes()

    result = reader.run("done", "delta")

    assert_one_line_error(result, str(user.store), "MLPATH_HOME")
    assert user.store.read_bytes() == before


@needs_nobody
def test_an_unwritable_cache_dir_still_answers(user: User) -> None:
    user.ok("next")  # root's cache, which nobody may read but not replace
    reader = replace(user, as_nobody=True, home=user.catalog.parent / "nobody-home")
    user.cache.chmod(0o755)

    assert reader.ok("next").startswith("▶ alpha")


# --- a store SQLite finds damaged is never written ------------------------------------


@pytest.fixture
def damaged_store(user: User) -> bytes:
    """A store of many changes, one page of history in the middle noise, the header
    intact: only a query that reads that page notices."""
    store = open_store(user.store, create=True)
    assert store is not None
    for _ in range(40):
        store.set_status(["alpha"], "done")
        store.add_note("alpha", "x" * 400)
        store.undo(1)
    store.close()
    conn = sqlite3.connect(user.store)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    leaves = [
        page
        for (page,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'changes' AND pagetype = 'leaf'"
        )
    ]
    conn.close()
    assert len(leaves) > 4
    middle = (leaves[len(leaves) // 2] - 1) * 4096
    data = bytearray(user.store.read_bytes())
    data[middle : middle + 4096] = random.Random(3).randbytes(4096)
    user.store.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize(
    "command",
    [["done", "beta"], ["undo"], ["note", "beta", "n"], ["start", "beta"], ["import", "-"]],
    ids=" ".join,
)
def test_a_damaged_store_is_refused_before_any_write(
    user: User, damaged_store: bytes, command: list[str], shared: Path
) -> None:
    if command == ["import", "-"]:
        export = shared / "export.json"
        other = replace(user, home=shared / "other-home")
        other.ok("done", "gamma-book")
        export.write_text(other.ok("export", "--format", "json"), encoding="utf-8")
        command = ["import", str(export)]

    result = user.run(*command)

    assert_one_line_error(result, str(user.store), "damaged", ".recover")
    assert user.store.read_bytes() == damaged_store


@pytest.mark.parametrize("command", [["progress"], ["export"], ["show", "alpha"]], ids=" ".join)
def test_reading_a_damaged_store_is_one_clear_error(
    user: User, damaged_store: bytes, command: list[str]
) -> None:
    result = user.run(*command)

    assert_one_line_error(result, str(user.store), "damaged", ".recover")
    assert user.store.read_bytes() == damaged_store


def failure_of(query: str, conn: sqlite3.Connection) -> sqlite3.DatabaseError:
    try:
        conn.execute(query).fetchall()
    except sqlite3.DatabaseError as exc:
        return exc
    raise AssertionError(f"{query} did not fail")


def test_a_failure_in_a_damaged_store_is_explained_with_how_to_save_it(
    user: User, damaged_store: bytes
) -> None:
    # What a query that reached the damaged page raised; explain looks at the files.
    exc = sqlite3.DatabaseError("database disk image is malformed")

    error = failures.explain(exc, str(user.store), None)

    assert isinstance(error, StoreError)
    assert str(user.store) in str(error) and ".recover" in str(error)
    assert "\n" not in str(error)
    assert user.store.read_bytes() == damaged_store


def test_a_failure_in_a_damaged_cache_removes_it_to_be_rebuilt(user: User) -> None:
    user.ok("done", "alpha")
    cache = cache_file(user)
    conn = sqlite3.connect(cache)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'resources'").fetchone()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    damage_pages(cache, root[0], pages)
    conn = sqlite3.connect(cache)
    exc = failure_of("SELECT * FROM resources ORDER BY description", conn)
    conn.close()

    error = failures.explain(exc, str(user.store), str(cache))

    assert isinstance(error, CatalogError)
    assert "run the command again" in str(error)
    assert not cache.exists()
    assert user.ok("next").startswith("▶ beta")


def home_with_pending_wal(user: User, with_shm: bool) -> User:
    """Root's store whose last change (delta done) is still only in its WAL, as while
    its owner's mlpath runs; `nobody` may read the directory, not write it."""
    user.ok("done", "alpha")
    holder = sqlite3.connect(user.store)
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO current VALUES ('delta', 'done', '2026-01-01T00:00:00.000000Z')")
    holder.commit()
    copy = user.home.parent / "copied-home"
    copy.mkdir(mode=0o755)
    suffixes = ["", "-wal", "-shm"] if with_shm else ["", "-wal"]
    for suffix in suffixes:
        shutil.copyfile(f"{user.store}{suffix}", copy / f"progress.db{suffix}")
        (copy / f"progress.db{suffix}").chmod(0o644)
    holder.close()
    return replace(user, home=copy, cache=user.catalog.parent / "nobody-cache", as_nobody=True)


@needs_nobody
def test_a_read_only_home_with_changes_still_in_the_wal_reads_them(user: User) -> None:
    reader = home_with_pending_wal(user, with_shm=True)

    listed = json.loads(reader.ok("list", "--status", "done", "--json"))["result"]
    assert listed["resources"][1]["id"] == "delta"


@needs_nobody
def test_a_read_only_home_whose_wal_cannot_be_read_says_why(user: User) -> None:
    reader = home_with_pending_wal(user, with_shm=False)

    result = reader.run("next")

    assert_one_line_error(result, f"{reader.store}-wal", "cannot be written")


def test_the_check_before_a_write_skips_stores_past_its_bound(
    user: User, damaged_store: bytes
) -> None:
    conn = sqlite3.connect(user.store)
    size = len(damaged_store)
    try:
        store_files.quick_check(conn, str(user.store), limit=size - 1)  # past it: skipped
        with pytest.raises(StoreError, match="damaged"):
            store_files.quick_check(conn, str(user.store), limit=size)
    finally:
        conn.close()


def test_a_big_file_is_held_once_while_it_is_read(tmp_path: Path) -> None:
    """A catalog or a kept record of several MB is read at one go, not in pieces that
    are then joined (which held it twice: a 31 MB catalog cost 62 MB)."""
    import tracemalloc

    from mlpath.files import read_bounded

    data = bytes(range(256)) * (16 * 1024)  # 4 MB
    path = tmp_path / "big"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        tracemalloc.start()
        read = read_bounded(fd, 8 * len(data))
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        os.close(fd)
    assert read == data
    assert peak < 1.25 * len(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_bounded(fd, len(data) - 1) is None
    finally:
        os.close(fd)
