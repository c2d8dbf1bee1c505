"""What was written to the history after a given change: the ground of what mlpath keeps
between runs (activity_memo, section_counts).

Every write that could change a figure about the past adds rows to the history: a
status or a note its change, an undo its undo rows (which say what they take back), an
import or a sync the rows it brings. Rows are numbered as they are written (`seq`), so
what a record knew as of change N is brought up to date from the rows after N alone,
read by their rowid range: the work of what changed, not of the history.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.db import sqlite3


class Since:
    """What the rows written after a change touch.

    `earliest`: the earliest time among their changes and the changes their undos take
    back (None: only undo rows of nothing, or none); `ids`: the store keys of those
    changes; `defines`: whether any is a definition (an own resource, parts, the goal).
    """

    __slots__ = ("defines", "earliest", "ids")

    def __init__(self, earliest: str | None, ids: list[str], defines: bool) -> None:
        self.earliest = earliest
        self.ids = ids
        self.defines = defines


def attached_files(db: sqlite3.Connection) -> tuple[str, str]:
    """The catalog copy's file and the attached progress store's ('' when in memory)."""
    files = {name: file for _, name, file in db.execute("PRAGMA database_list")}
    return files.get("main", ""), files.get("progress", "")


def newest_change(db: sqlite3.Connection) -> tuple[int, str] | None:
    """The newest row of the history: its number and its uid (random: two histories
    never share one)."""
    row = db.execute("SELECT seq, uid FROM progress.changes ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def written_since(db: sqlite3.Connection, seq: int, uid: str) -> Since | None:
    """What was written after change `seq`, or None when this history has no such change
    (another store, or one restored from elsewhere)."""
    row = db.execute("SELECT uid FROM progress.changes WHERE seq = ?", (seq,)).fetchone()
    if row is None or row[0] != uid:
        return None
    newest = newest_change(db)
    if newest is None or newest[0] == seq:
        return Since(None, [], False)
    # Each over the rowid range of the new rows (NOT INDEXED: SQLite would rather walk
    # an index of the whole history for these), and the changes their undos take back.
    taken_back = (
        "SELECT {} FROM progress.changes u NOT INDEXED JOIN progress.changes t "
        "ON t.uid = u.reverts WHERE u.seq > ?1 AND u.action = 'undo'"
    )
    (earliest,) = db.execute(
        "SELECT min(at) FROM (SELECT at FROM progress.changes NOT INDEXED WHERE seq > ?1 "
        f"AND action != 'undo' UNION ALL {taken_back.format('t.at')})",
        (seq,),
    ).fetchone()
    ids = [
        str(rid)
        for (rid,) in db.execute(
            "SELECT resource FROM progress.changes NOT INDEXED WHERE seq > ?1 "
            f"UNION {taken_back.format('t.resource')}",
            (seq,),
        )
    ]
    defines = db.execute(
        "SELECT 1 FROM progress.changes NOT INDEXED WHERE seq > ?1 AND action = 'define' "
        f"UNION ALL {taken_back.format('1')} AND t.action = 'define' LIMIT 1",
        (seq,),
    ).fetchone()
    return Since(None if earliest is None else str(earliest), ids, defines is not None)


def statuses_as_of(db: sqlite3.Connection, ids: Sequence[str], seq: int) -> dict[str, str]:
    """The status each of these keys had when change `seq` was the newest (absent: to
    do): its newest status change then, by clock, that no undo written by then took
    back. One walk of each key's own changes, newest first."""
    found: dict[str, str] = {}
    for rid in ids:
        row = db.execute(
            "SELECT x.status FROM progress.changes x WHERE x.resource = ?1 "
            # `action != 'undo'` and `+`: the index of each key's changes (undo rows aside)
            # by clock, walked newest first, rather than every row's key and a sort.
            "AND x.action = 'status' AND x.action != 'undo' AND +x.seq <= ?2 AND NOT EXISTS "
            "(SELECT 1 FROM "
            "progress.changes u WHERE u.reverts = x.uid AND u.action = 'undo' AND u.seq <= ?2) "
            "ORDER BY x.clock DESC, x.uid DESC LIMIT 1",
            (rid, seq),
        ).fetchone()
        if row is not None:
            found[rid] = str(row[0])
    return found


def has_history(db: sqlite3.Connection) -> bool:
    """False when there is no progress store yet (an empty stand-in is attached)."""
    row = db.execute(
        "SELECT 1 FROM progress.sqlite_master WHERE type = 'table' AND name = 'changes'"
    ).fetchone()
    return row is not None
