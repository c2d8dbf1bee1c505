"""A staged export (:mod:`mlpath.import_stream`) merged into the store in SQL: what
:meth:`mlpath.store.Store.merge` does for a list of changes, a few statements for any
number of them, so that no row passes through Python on its way in.

The scratch database is attached to the store's connection as `staged`; its tables
`u` (units) and `c` (changes) hold the file's records in its order.
"""

from __future__ import annotations

from mlpath.db import sqlite3
from mlpath.store import settle_merged

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.catalog_cache import Watch
    from mlpath.store import Store

# Rows written per statement: each one a step of the progress bar.
STEP = 50_000
# The page cache of the write, in KiB: what a write of 100,000 changes and their indexes
# touches (Store.merge's reasoning), and well under import's memory budget at any size.
CACHE_KIB = 32 * 1024
# The page cache while the indexes of a store that held no changes are built again.
SORT_CACHE_KIB = 8 * 1024

_NEW = "NOT EXISTS (SELECT 1 FROM main.changes AS x WHERE x.uid = s.uid)"
# The local number of a staged change's unit, looked up by uid (?1: the import's own).
_UNIT_SEQ = "coalesce((SELECT u.seq FROM main.units AS u WHERE u.uid = s.unit), ?1)"


def attach(store: Store, path: str) -> None:
    """Attach the scratch database at `path` to the store's connection as `staged`.

    It stays attached until the connection closes: SQLite detaches only outside a
    transaction, and a command's unit holds one until the command ends. Its file may
    be deleted before: the open handle reads on."""
    try:
        store.conn.execute("ATTACH DATABASE ? AS staged", (path,))
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None


def fresh_count(store: Store) -> int:
    """How many of the staged changes the store lacks (matched by uid)."""
    try:
        if _holds_no_changes(store.conn):
            (row,) = store.conn.execute("SELECT count(*) FROM staged.c").fetchall()
            return int(row[0])
        (row,) = store.conn.execute(f"SELECT count(*) FROM staged.c AS s WHERE {_NEW}").fetchall()
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None
    return int(row[0])


def insert_staged(store: Store, fresh: int, watch: Watch | None = None) -> str:
    """Add the staged changes the store lacks (`fresh` of them) to the unit open on
    `store`, with the units they name, and derive what they set; inside `store.unit()`.
    Returns the uid of that unit."""
    unit = store.active_unit
    assert unit is not None, "insert_staged runs inside store.unit()"
    conn = store.conn
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    # Into a store without changes, each index is built once from the rows in it (a sort)
    # rather than grown a row at a time at random places; nothing is there to match.
    rebuild = _drop_indexes(conn) if _holds_no_changes(conn) else None
    seq = unit.row()
    added = conn.execute(
        "INSERT OR IGNORE INTO main.units (uid, label, at, imported_by) "
        "SELECT uid, label, at, ? FROM staged.u ORDER BY rowid",
        (seq,),
    ).rowcount
    unit_seq = _unit_seq(conn, added) if rebuild is not None else _UNIT_SEQ
    # Rows this merge adds come after every row there was: a rowid range.
    first = conn.execute("SELECT coalesce(max(seq), 0) FROM main.changes").fetchone()[0]
    last = conn.execute("SELECT coalesce(max(rowid), 0) FROM staged.c").fetchone()[0]
    starts = range(0, last, STEP)
    new = _NEW if rebuild is None else "1"  # staged uids are distinct (import_stream)
    # The staging let through only actions and statuses the CHECKs allow: evaluating
    # them again per row took a third of this copy (100,000 changes: 250 → 125 ms).
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        for start in starts if watch is None else watch(starts, len(starts)):
            conn.execute(
                "INSERT INTO main.changes "
                "(uid, at, clock, unit, recorded, resource, action, status, note, reverts) "
                "SELECT s.uid, s.at, s.clock, "
                f"{unit_seq}, ?1, "
                "s.resource, s.action, s.status, s.note, s.reverts FROM staged.c AS s "
                f"WHERE s.rowid > ?2 AND s.rowid <= ?2 + {STEP} AND {new} ORDER BY s.rowid",
                (seq, start),
            )
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")
    unit.written += fresh
    if rebuild:
        # CREATE INDEX sorts in memory up to the page cache's size, beside the cache
        # itself: at a million changes that was a third more than the budget (114 MB
        # peak, 78 MB without the rebuild). A small cache keeps the sort in bounds and
        # spills the rest to a temporary file.
        conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
    for sql in rebuild or ():
        conn.execute(sql)
    settle_merged(conn, first, seq)
    return unit.uid


def _unit_seq(conn: sqlite3.Connection, added: int) -> str:
    """SQL for the local number of a staged change's unit: where every staged unit was
    just added, in rowid order (1, 2, ...) and numbered in turn, that number is the
    unit's rowid past a base, which the change was staged with (`unit_row`), so no change
    looks its unit up; else looked up by uid."""
    last_row, last_seq = conn.execute(
        "SELECT (SELECT coalesce(max(rowid), 0) FROM staged.u), "
        "(SELECT coalesce(max(seq), 0) FROM main.units)"
    ).fetchone()
    if added != last_row:
        return _UNIT_SEQ
    return f"{int(last_seq) - int(last_row)} + s.unit_row"


def _holds_no_changes(conn: sqlite3.Connection) -> bool:
    return not conn.execute("SELECT EXISTS (SELECT 1 FROM main.changes)").fetchone()[0]


def _drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes of `changes` and `units` that the schema creates by name (not
    those of UNIQUE, which SQLite keeps with its table); returns the statements that
    create them again, exactly as the migrations wrote them. Inside the caller's
    transaction: a failed import rolls the drop back with the rest."""
    rows = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'index' "
        "AND tbl_name IN ('changes', 'units') AND sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    for name, _sql in rows:
        conn.execute(f'DROP INDEX main."{name}"')
    return [str(sql) for _name, sql in rows]
