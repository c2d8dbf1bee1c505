"""The progress store: an append-only history of changes in SQLite.

A resource's status is that of its latest change not reverted by an undo. The
`current` table keeps that answer per resource so reads stay one indexed lookup
however long the history grows; it is rewritten in the same transaction as every
change, and can always be rebuilt from `changes`.

This module is on the start-up path of `mlpath done`: standard library only, and
only its cheapest modules.
"""

from __future__ import annotations

import os
import time
from stat import S_ISREG

from mlpath import store_files
from mlpath.db import sqlite3
from mlpath.errors import NothingToUndo, StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from types import TracebackType
    from typing import Any

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 30.0
STATUSES = ("todo", "doing", "done", "skipped")

# Ordered, append-only: a released migration is never edited, only followed.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        resource TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('status', 'note', 'undo')),
        status TEXT CHECK (status IN ('todo', 'doing', 'done', 'skipped')),
        note TEXT,
        reverts TEXT
    );
    CREATE INDEX changes_by_resource ON changes (resource, at, seq);
    CREATE INDEX changes_by_time ON changes (at, seq);
    CREATE INDEX changes_by_reverts ON changes (reverts) WHERE reverts IS NOT NULL;
    CREATE TABLE current (
        resource TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        since TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # `mlpath next` looks up the resources in progress on every run.
    """
    CREATE INDEX current_by_status ON current (status, resource);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class Change:
    """One row of the history: a status change, a note, or an undo of an earlier change."""

    __slots__ = ("action", "at", "note", "resource", "reverts", "seq", "status", "uid")

    def __init__(
        self,
        seq: int,
        uid: str,
        at: str,
        resource: str,
        action: str,
        status: str | None,
        note: str | None,
        reverts: str | None,
    ) -> None:
        self.seq = seq
        self.uid = uid
        self.at = at
        self.resource = resource
        self.action = action
        self.status = status
        self.note = note
        self.reverts = reverts

    def __repr__(self) -> str:
        return f"Change({self.action} {self.resource} {self.status or ''} at {self.at})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Change) and other.to_json() == self.to_json()

    def __hash__(self) -> int:
        return hash(self.uid)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "at": self.at,
            "resource": self.resource,
            "action": self.action,
            "status": self.status,
            "note": self.note,
            "reverts": self.reverts,
        }


CHANGE_COLUMNS = "seq, uid, at, resource, action, status, note, reverts"


def live(changes: str = "changes", prefix: str = "") -> str:
    """SQL condition on a change: no undo has reverted it.

    A reverted change no longer counts, for status or for a later undo. `changes`
    names the table (`progress.changes` when the store is attached), `prefix` the
    alias of the row being tested.
    """
    return f"{prefix}uid NOT IN (SELECT reverts FROM {changes} WHERE reverts IS NOT NULL)"


LIVE = live()


def milestones(changes: Iterable[Change]) -> dict[str, tuple[str | None, str | None]]:
    """Per resource: when it was first started and last finished, undone changes aside.

    `changes` oldest first, as `Store.changes(newest_first=False)` gives them.
    """
    changes = list(changes)
    reverted = {c.reverts for c in changes if c.action == "undo"}
    out: dict[str, tuple[str | None, str | None]] = {}
    for change in changes:
        if change.action != "status" or change.uid in reverted:
            continue
        started, finished = out.get(change.resource, (None, None))
        if change.status == "doing" and started is None:
            started = change.at
        if change.status == "done":
            finished = change.at
        out[change.resource] = (started, finished)
    return out


def now() -> str:
    """UTC timestamp with a fixed width, so text order is time order."""
    nanos = time.time_ns()
    seconds, rest = divmod(nanos, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{rest // 1000:06d}Z"


def new_uid() -> str:
    """A random 128-bit id, so histories from two machines merge without clashes."""
    return os.urandom(16).hex()


def check_file(path: str) -> None:
    """Refuse a file that is not a complete SQLite database, without writing to it.

    Nor anything but a regular file: opening a FIFO would hang every command, and
    through a symbolic link (or a link where SQLite keeps its -wal and -shm files) the
    store's writes could land wherever the link's maker chose.
    """
    from mlpath import files

    try:
        fd, info = files.open_regular(path, follow_links=False)
        try:
            header = os.read(fd, 100)
        finally:
            os.close(fd)
        for sidecar in (path + "-wal", path + "-shm"):
            try:
                mode = os.lstat(sidecar).st_mode
            except FileNotFoundError:
                continue
            if not S_ISREG(mode):
                raise files.NotRegular(sidecar, files.kind_of(mode))
    except files.NotRegular as exc:
        raise StoreError(
            f"progress store file {exc.path} is {exc.kind}, not a regular file; "
            "mlpath leaves it untouched (replace it with the store file itself, or move it "
            "aside to start fresh)"
        ) from None
    except OSError as exc:
        raise StoreError(f"progress store {path} cannot be read: {exc.strerror}") from None
    size = info.st_size
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreError(not_a_database(path))
    # int.from_bytes rather than struct: struct is a C extension to load at start-up.
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # After a crash the newest pages may still be in the WAL file: size says nothing then.
    if not store_files.wal_has_frames(path) and page_count and size < page_size * page_count:
        raise StoreError(not_a_database(path, "it is truncated"))


def not_a_database(path: str, why: str = "it is not a valid database") -> str:
    return (
        f"progress store {path} cannot be used: {why}; it was left untouched "
        "(move it aside to start fresh)"
    )


class _Transaction:
    """`with store.transaction() as conn:` — all of the change lands, or none of it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.store.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self.store.failure(exc) from None
        return self.store.conn

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        conn = self.store.conn
        if kind is not None:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.DatabaseError):
                raise self.store.failure(error) from None
            return
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise self.store.failure(exc) from None


class Store:
    """An open progress store. Use :func:`open_store`."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self)

    def failure(self, exc: sqlite3.DatabaseError) -> StoreError:
        message = str(exc)
        if "not a database" in message or "malformed" in message:
            return StoreError(not_a_database(self.path))
        if "readonly" in message or "unable to open" in message:
            return StoreError(
                f"progress store {self.path} cannot be written: {message}; "
                "check its permissions or set MLPATH_HOME to a writable directory"
            )
        return StoreError(f"progress store {self.path} failed: {message}")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self.failure(exc) from None

    # --- reads -----------------------------------------------------------------

    def statuses(self) -> dict[str, str]:
        return dict(self._query("SELECT resource, status FROM current"))

    def changes(
        self, resource: str | None = None, limit: int | None = None, newest_first: bool = True
    ) -> list[Change]:
        """The whole history (undo rows included), or one resource's."""
        order = "DESC" if newest_first else "ASC"
        where = "WHERE resource = ?" if resource else ""
        params: list[object] = [resource] if resource else []
        sql = f"SELECT {CHANGE_COLUMNS} FROM changes {where} ORDER BY at {order}, seq {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Change(*row) for row in self._query(sql, params)]

    def live_changes(self, resource: str | None = None) -> list[Change]:
        """Status changes and notes that no undo has reverted, oldest first."""
        where = "AND resource = ?" if resource else ""
        params = [resource] if resource else []
        return [
            Change(*row)
            for row in self._query(
                f"SELECT {CHANGE_COLUMNS} FROM changes WHERE action != 'undo' AND {LIVE} "
                f"{where} ORDER BY at, seq",
                params,
            )
        ]

    # --- writes ----------------------------------------------------------------

    def set_status(
        self, resources: Sequence[str], status: str, note: str | None = None
    ) -> list[tuple[str, str, bool]]:
        """Record `status` for each resource; returns (id, previous status, changed)."""
        results: list[tuple[str, str, bool]] = []
        with self.transaction() as conn:
            at = now()
            for resource in resources:
                previous = _current(conn, resource)
                if previous == status:
                    results.append((resource, previous, False))
                    continue
                conn.execute(
                    "INSERT INTO changes (uid, at, resource, action, status, note) "
                    "VALUES (?, ?, ?, 'status', ?, ?)",
                    (new_uid(), at, resource, status, note),
                )
                _refresh(conn, [resource])
                results.append((resource, previous, True))
        return results

    def add_note(self, resource: str, text: str) -> Change:
        uid = new_uid()
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO changes (uid, at, resource, action, note) "
                "VALUES (?, ?, ?, 'note', ?)",
                (uid, now(), resource, text),
            )
            row = conn.execute(
                f"SELECT {CHANGE_COLUMNS} FROM changes WHERE uid = ?", (uid,)
            ).fetchone()
        return Change(*row)

    def undo(self, count: int) -> list[Change]:
        """Revert the latest `count` commands' changes; returns them, newest first.

        One command's changes share one timestamp (`skip --section books` writes them
        in one transaction), so undo takes back what one command did, as people expect.
        """
        with self.transaction() as conn:
            rows = conn.execute(
                f"SELECT {CHANGE_COLUMNS} FROM changes WHERE action != 'undo' AND {LIVE} "
                "AND at IN (SELECT DISTINCT at FROM changes WHERE action != 'undo' AND "
                f"{LIVE} ORDER BY at DESC LIMIT ?) ORDER BY at DESC, seq DESC",
                (count,),
            ).fetchall()
            if not rows:
                raise NothingToUndo("nothing to undo — no change is left to revert")
            reverted = [Change(*row) for row in rows]
            at = now()
            conn.executemany(
                "INSERT INTO changes (uid, at, resource, action, reverts) "
                "VALUES (?, ?, ?, 'undo', ?)",
                [(new_uid(), at, change.resource, change.uid) for change in reverted],
            )
            _refresh(conn, {change.resource for change in reverted})
        return reverted

    def merge(self, changes: Iterable[Change]) -> list[Change]:
        """Add the changes this store lacks (matched by uid); returns those added."""
        added: list[Change] = []
        with self.transaction() as conn:
            for change in changes:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO changes "
                    "(uid, at, resource, action, status, note, reverts) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        change.uid,
                        change.at,
                        change.resource,
                        change.action,
                        change.status,
                        change.note,
                        change.reverts,
                    ),
                )
                if cursor.rowcount:
                    added.append(change)
            affected = {change.resource for change in added}
            # An imported undo may revert a change recorded under another resource id.
            reverted = [c.reverts for c in added if c.reverts]
            for uid in reverted:
                row = conn.execute("SELECT resource FROM changes WHERE uid = ?", (uid,)).fetchone()
                if row:
                    affected.add(row[0])
            _refresh(conn, affected)
        return added


def _current(conn: sqlite3.Connection, resource: str) -> str:
    row = conn.execute("SELECT status FROM current WHERE resource = ?", (resource,)).fetchone()
    return str(row[0]) if row else "todo"


def _refresh(conn: sqlite3.Connection, resources: Iterable[str]) -> None:
    """Re-derive `current` for these resources from their live history."""
    for resource in resources:
        row = conn.execute(
            f"SELECT status, at FROM changes WHERE resource = ? AND action = 'status' AND {LIVE} "
            "ORDER BY at DESC, seq DESC LIMIT 1",
            (resource,),
        ).fetchone()
        if row is None or row[0] == "todo":
            conn.execute("DELETE FROM current WHERE resource = ?", (resource,))
        else:
            conn.execute(
                "INSERT OR REPLACE INTO current (resource, status, since) VALUES (?, ?, ?)",
                (resource, row[0], row[1]),
            )


def open_store(path: str | os.PathLike[str], create: bool, checked: bool = False) -> Store | None:
    """Open the store at `path`; None when it does not exist and `create` is false.

    `create` means the caller is about to write: the store is made if missing, and
    refused if another user could tamper with its directory or SQLite finds it damaged.
    Without it, a store in a directory this user cannot write is read as it is.

    `checked`: the caller already ran :func:`check_file` on it. It must say so once a
    connection of this process has the file open: closing any other handle to the
    file drops this process's SQLite locks on it (POSIX record locks are per process),
    and another process could then checkpoint and delete the WAL under a writer.
    """
    from mlpath import files

    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    if create and os.path.isdir(directory):
        files.check_private_dir(directory, "the progress store", store_files.WHERE_INSTEAD)
    uri = None
    if not store_files.exists(path):
        if not create:
            return None
        if not _create_file(path):  # another file took the name meanwhile
            check_file(path)
    elif not checked:
        check_file(path)
    if not create:
        uri = store_files.read_only_uri(path)
    try:
        if uri is None:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        else:
            conn = sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
    except sqlite3.Error as exc:
        raise StoreError(f"progress store {path} cannot be opened: {exc}") from None
    store = Store(conn, path)
    try:
        if create:
            store_files.quick_check(conn, path, store_files.QUICK_CHECK_WRITE_BYTES)
        if uri is None:
            _migrate(store)
        elif conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            _migrate(store)  # it cannot write here: only to say why the store is unreadable
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise store.failure(exc) from None
    except BaseException:
        conn.close()
        raise
    return store


def _create_file(path: str) -> bool:
    """Create the data dir (0700) and an initialised store file (0600): notes are private.

    The file is built under a temporary name and linked into place, so no process ever
    sees a half-made store, and an empty or cut-short progress.db always means damage.
    False if something else took the name first (check it before using it).
    """
    import tempfile

    from mlpath import files

    directory = os.path.dirname(path) or "."
    try:
        files.make_private_dirs(directory)
    except OSError as exc:
        raise StoreError(
            f"cannot create the progress store in {directory}: {exc.strerror}; "
            "set MLPATH_HOME to a writable directory"
        ) from None
    files.check_private_dir(directory, "the progress store", store_files.WHERE_INSTEAD)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".progress-", suffix=".db", dir=directory)
        os.close(fd)
    except OSError as exc:
        raise StoreError(
            f"cannot create the progress store in {directory}: {exc.strerror}; "
            "set MLPATH_HOME to a writable directory"
        ) from None
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _migrate(Store(conn, tmp))
        finally:
            conn.close()
        try:
            os.link(tmp, path)  # unlike a rename, never replaces a store made meanwhile
        except FileExistsError:
            return False
        return True
    except OSError as exc:
        raise StoreError(f"cannot create the progress store {path}: {exc.strerror}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _migrate(store: Store) -> None:
    conn = store.conn
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"progress store {store.path} was written by a newer mlpath "
                f"(schema {version}, this one reads up to {SCHEMA_VERSION}); it was left "
                "untouched — upgrade mlpath to use it"
            )
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(not_a_database(store.path, "it is a database of something else"))
        if version < SCHEMA_VERSION:
            with store.transaction():
                # Another process may have migrated while we waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for script in MIGRATIONS[version:]:
                    for statement in script.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None
