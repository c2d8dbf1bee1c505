"""The progress store's files: what they must be before mlpath reads or writes them.

On the start-up path of `mlpath done`: the cheapest standard modules only.
"""

from __future__ import annotations

import os
from stat import S_ISREG

from mlpath.db import sqlite3
from mlpath.errors import StoreError
from mlpath.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

SQLITE_MAGIC = b"SQLite format 3\x00"
# The store's schema: len(store.MIGRATIONS), kept here so that a command that only reads
# (`next`, `list`) can check a store's version without loading the store's code
# (tests/test_store.py holds the two equal).
SCHEMA_VERSION = 5
DEFINED_TABLE = "defined (key TEXT PRIMARY KEY, value TEXT NOT NULL, since TEXT NOT NULL)"

WHERE_INSTEAD = N_("set MLPATH_HOME to a directory of your own that only you can write")


def wal_has_frames(path: str) -> bool:
    try:
        return os.stat(path + "-wal").st_size > 0
    except OSError:
        return False


def exists(path: str) -> bool:
    """Whether anything has the name, a dangling link included (os.path.exists follows)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True  # let check_file say what is wrong with it
    return True


# A quick_check reads every page: 0.15 ms for a store of a hundred changes, 45 ms for
# 32,000 (8 MB), 230 ms for 100,000 (25 MB). Up to this size (about 16,000 changes, some
# 25 ms) it runs before every write, so a store SQLite finds damaged is never written;
# past it, a write trusts SQLite's checks of the pages it reads. Reads do not run it:
# `next` does the same work however long the history (tests/test_history_length.py).
QUICK_CHECK_WRITE_BYTES = 4 * 1024 * 1024


def damaged(path: str, report: str | None = None) -> str:
    """The message for a store SQLite reports as damaged: what to do to save its content.

    `report`: what SQLite's check said was wrong (its own words, which name the table or
    rule), if it said more than that the file is damaged."""
    if report is None:
        return _(
            "progress store {path} is damaged; mlpath will not write to it and left it "
            "untouched: save what is readable with `sqlite3 {path} .recover > saved.sql` "
            "(or `mlpath export -o saved.json` while it still reads), then move the file "
            "aside to start fresh"
        ).format(path=path)
    # quick_check's report spans lines and starts with "*** in database main ***".
    report = " ".join(report.replace("*** in database main ***", "").split())
    return _(
        "progress store {path} is damaged (SQLite's check says: {report}); mlpath will "
        "not write to it and left it untouched: save what is readable with `sqlite3 "
        "{path} .recover > saved.sql` (or `mlpath export -o saved.json` while it still "
        "reads), then move the file aside to start fresh"
    ).format(path=path, report=report)


def quick_check(conn: sqlite3.Connection, path: str, limit: int, schema: str = "main") -> None:
    """Raise StoreError if SQLite finds the store's pages damaged; big stores are skipped.

    Other failures (a locked or read-only file) propagate as they are, for the caller's
    own message.
    """
    try:
        pages = conn.execute(f"PRAGMA {schema}.page_count").fetchone()[0]
        page_size = conn.execute(f"PRAGMA {schema}.page_size").fetchone()[0]
        if pages * page_size > limit:
            return
        problems = [row[0] for row in conn.execute(f"PRAGMA {schema}.quick_check(1)")]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        raise StoreError(damaged(path)) from None
    if problems != ["ok"]:
        raise StoreError(damaged(path, problems[0]))


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged (SQLITE_CORRUPT) or not a database."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (11, 26)
    message = str(exc)
    return "malformed" in message or "not a database" in message


def read_only_uri(path: str) -> str | None:
    """How to read the store when its directory cannot be written, else None.

    SQLite reads a WAL database through its -shm file, which it must create when it is
    missing: in a read-only directory that fails, even to read. With nothing in the WAL
    the file alone is the whole store, and `immutable` reads it without the -shm.
    """
    directory = os.path.dirname(path) or "."
    if os.access(directory, os.W_OK):
        return None
    if not wal_has_frames(path):
        return uri(path, "immutable=1")
    if os.path.exists(path + "-shm"):
        return uri(path, "mode=ro")
    raise StoreError(
        _(
            "progress store {path} cannot be read: its latest changes are "
            "still in {path}-wal and its directory cannot be written; run "
            "mlpath once where it can write there (its owner, or after `chmod "
            "u+w`) to fold them into the store"
        ).format(path=path)
    )


def uri(path: str, query: str) -> str:
    """A SQLite file: URI for `path`: `?` or `#` in a name would otherwise end the path.

    By hand, not urllib.parse: that imports `re` and more than `mlpath next` can spend.
    """
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?{query}"


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
            _(
                "progress store file {path} is {kind}, not a regular file; mlpath "
                "leaves it untouched (replace it with the store file itself, or "
                "move it aside to start fresh)"
            ).format(path=exc.path, kind=exc.kind)
        ) from None
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise StoreError(
            _("progress store {path} cannot be read: {strerror}").format(
                path=path, strerror=os_reason(exc)
            )
        ) from None
    size = info.st_size
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise StoreError(not_a_database(path))
    # int.from_bytes rather than struct: struct is a C extension to load at start-up.
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # After a crash the newest pages may still be in the WAL file: size says nothing then.
    if not wal_has_frames(path) and page_count and size < page_size * page_count:
        raise StoreError(not_a_database(path, _("it is truncated")))


def not_a_database(path: str, why: str | None = None) -> str:
    return _(
        "progress store {path} cannot be used: {why}; it was left untouched "
        "(move it aside to start fresh)"
    ).format(path=path, why=why or _("it is not a valid database"))


def checked_statuses(path: str, rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Statuses read from the store at `path`, refusing one mlpath never writes."""
    from mlpath.catalog import STATUSES

    found = dict(rows)
    for key, status in found.items():
        if status not in STATUSES:
            raise StoreError(unknown_status(path, key, status))
    return found


def unknown_status(path: str, key: object, status: object) -> str:
    """The message for a status mlpath never writes, read from the store at `path`."""
    return _(
        "progress store {path} holds an unknown status {shown} for "
        "{shown2}; was it edited by hand? Fix that row, or move the store "
        "aside to start fresh"
    ).format(path=path, shown=shown_value(status), shown2=shown_value(key))


def shown_value(value: object) -> str:
    """A value from a store file, in an error message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 42 else text[:40] + "…'"
