"""The progress store: an append-only history of changes in SQLite.

Every command that changes anything is one *unit*: a row of `units` with a local
sequence number, a random uid, a label (`done`, `skip --section`, `import FILE`) and
the wall time; every change points to the unit that recorded it here. `undo` takes
back whole units, newest first by that local sequence, so the order of commands comes
from the store and never from the wall clock.

Each change also carries a hybrid logical clock (`clock`, microseconds since 1970):
locally it is max(wall clock now, the largest clock known + 1), so a change always
takes effect over the ones before it, even when the wall clock stands still or went
back; imported changes keep theirs and the local clock then moves past them. A
resource's status is that of its live status change with the largest (clock, uid):
two machines holding the same changes agree, whatever order they learnt them in.

The `current` table keeps that answer per resource so reads stay one indexed lookup
however long the history grows; it is rewritten in the same transaction as every
change, and can always be rebuilt from `changes`. `changes.reverted` is kept the same
way: 1 once an undo row names the change.

Callers that must report before the change is committed (a command whose output may
fail to be written) group their writes::

    with store.unit("done") as unit:
        store.set_status(["d2l"], "done")
        print_and_flush(...)   # raises: the change is rolled back

Every write method called inside the block joins its one IMMEDIATE transaction and
its one unit; the block commits when it ends normally and rolls back on any
exception. Called outside such a block, each write method is a unit of its own.

This module is on the start-up path of `mlpath done`: standard library only, and
only its cheapest modules.
"""

from __future__ import annotations

import os
import time

from mlpath import store_files
from mlpath.db import sqlite3
from mlpath.errors import InvalidText, NothingToUndo, StoreError
from mlpath.i18n import N_, _
from mlpath.store_files import SCHEMA_VERSION as SCHEMA_VERSION  # the store's, read here too
from mlpath.store_files import check_file, checked_statuses, not_a_database, shown_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from types import TracebackType
    from typing import Any, Protocol

    from mlpath.catalog_cache import Watch
    from mlpath.held_files import HeldFile

    class Incoming(Protocol):
        """A change to merge: a Change, or one an import file holds (same fields)."""

        uid: str
        at: str
        clock: int | None
        unit: str | None
        resource: str
        action: str
        status: str | None
        note: str | None
        reverts: str | None

        @property
        def when(self) -> int: ...


BUSY_TIMEOUT_SECONDS = 30.0
STATUSES = ("todo", "doing", "done", "skipped")
ACTIONS = ("status", "note", "undo", "define")
# What a command is called in `units.label` when the caller does not say.
STATUS_VERBS = {"done": "done", "doing": "start", "skipped": "skip", "todo": "reset"}
MICROS = 1_000_000
DAY_MICROS = 86_400 * MICROS
# A change may claim a time at most this far ahead of this machine's clock: any more
# and it would outrank every change made here until that day came.
MAX_AHEAD_MICROS = DAY_MICROS
# Exact microseconds of a stored stamp, in SQL (`at` in the row being updated).
_AT_MICROS_SQL = (
    "CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER) * 1000000 "
    "+ CAST(substr(at, 21, 6) AS INTEGER)"
)

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
    # Units, the hybrid logical clock and the reverted flag (see the module docstring).
    # A history from before units becomes one unit per distinct time: what undo took
    # back as "one command" until now. `imported_by`: the local import that brought a
    # unit recorded on another machine (NULL for units recorded here). A resource's
    # changes are indexed by clock: its status is found walking back from the newest.
    # Reads by time want live changes only, so undo rows (as many as the changes of a
    # big command undone) stay out of that index.
    f"""
    CREATE TABLE units (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        at TEXT NOT NULL,
        imported_by INTEGER REFERENCES units (seq)
    );
    ALTER TABLE changes ADD COLUMN clock INTEGER;
    ALTER TABLE changes ADD COLUMN unit INTEGER REFERENCES units (seq);
    ALTER TABLE changes ADD COLUMN recorded INTEGER REFERENCES units (seq);
    ALTER TABLE changes ADD COLUMN reverted INTEGER NOT NULL DEFAULT 0;
    INSERT INTO units (uid, label, at)
        SELECT lower(hex(randomblob(16))), 'before units', at
        FROM (SELECT DISTINCT at FROM changes ORDER BY at);
    CREATE INDEX units_by_time ON units (at);
    UPDATE changes SET clock = {_AT_MICROS_SQL},
        unit = (SELECT seq FROM units WHERE units.at = changes.at);
    UPDATE changes SET recorded = unit;
    DROP INDEX units_by_time;
    UPDATE changes SET reverted = 1
        WHERE uid IN (SELECT reverts FROM changes WHERE reverts IS NOT NULL);
    CREATE INDEX changes_by_clock ON changes (clock);
    DROP INDEX changes_by_resource;
    CREATE INDEX changes_by_resource ON changes (resource, clock, uid);
    DROP INDEX changes_by_time;
    CREATE INDEX changes_by_time ON changes (at, seq) WHERE action != 'undo';
    CREATE INDEX changes_live_by_unit ON changes (recorded)
        WHERE action != 'undo' AND reverted = 0;
    CREATE INDEX units_by_import ON units (imported_by) WHERE imported_by IS NOT NULL;
    """,
    # Definitions: a 'define' change sets what a key (a resource of the learner's own,
    # their parts of a resource, their goal) means, as JSON text in `note`; NULL
    # withdraws it. `defined` keeps each key's live definition, as `current` keeps
    # statuses. SQLite cannot widen a CHECK in place: the table is rebuilt.
    """
    CREATE TABLE changes_v4 (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        resource TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('status', 'note', 'undo', 'define')),
        status TEXT CHECK (status IN ('todo', 'doing', 'done', 'skipped')),
        note TEXT,
        reverts TEXT,
        clock INTEGER,
        unit INTEGER REFERENCES units (seq),
        recorded INTEGER REFERENCES units (seq),
        reverted INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO changes_v4 (seq, uid, at, resource, action, status, note, reverts, clock,
        unit, recorded, reverted)
        SELECT seq, uid, at, resource, action, status, note, reverts, clock, unit, recorded,
        reverted FROM changes ORDER BY seq;
    DROP TABLE changes;
    ALTER TABLE changes_v4 RENAME TO changes;
    CREATE INDEX changes_by_reverts ON changes (reverts) WHERE reverts IS NOT NULL;
    CREATE INDEX changes_by_clock ON changes (clock);
    CREATE INDEX changes_by_resource ON changes (resource, clock, uid);
    CREATE INDEX changes_by_time ON changes (at, seq) WHERE action != 'undo';
    CREATE INDEX changes_live_by_unit ON changes (recorded)
        WHERE action != 'undo' AND reverted = 0;
    CREATE TABLE defined (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        since TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # Undo rows stay out of the index a key's status or definition is found by (its
    # live changes, newest first): an undo of a big command wrote an entry there per
    # change taken back, between the entries already there, so that every page of the
    # index was written again (a quarter of its WAL). A narrow index of every row's key
    # still answers the reads by key that want undo rows too, or only the keys.
    """
    DROP INDEX changes_by_resource;
    CREATE INDEX changes_by_resource ON changes (resource, clock, uid) WHERE action != 'undo';
    CREATE INDEX changes_by_key ON changes (resource);
    """,
)
# Keys of definitions: every key of a kind starts with its prefix.
OWN_RESOURCE_PREFIX = "my-"
OWN_PARTS_PREFIX = "parts:"
GOAL_KEY = "goal:"
# The label of the units `mlpath sync` merges in: `undo` passes over them.
SYNC_LABEL = "sync"


class Change:
    """One row of the history: a status change, a note, or an undo of an earlier change.

    `clock` is the change's hybrid logical clock (None: derive it from `at`, as for a
    change from an export of the first format), `unit` the uid of the unit it was made in.
    Building one checks what a hand-edited store could get wrong (an unknown status or
    action, a time that is not one), so nothing downstream trips over it.
    """

    __slots__ = (
        "action",
        "at",
        "clock",
        "note",
        "resource",
        "reverts",
        "seq",
        "status",
        "uid",
        "unit",
    )

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
        clock: int | None = None,
        unit: str | None = None,
    ) -> None:
        if action not in ACTIONS or (status is not None and status not in STATUSES):
            if action not in ACTIONS:
                what = _("an unknown action {value}").format(value=repr(action))
            else:
                what = _("an unknown status {value}").format(value=repr(status))
            raise StoreError(unreadable(uid, what))
        if stamp_micros(at) is None:
            what = _("a time that is not one ({value})").format(value=shown_value(at))
            raise StoreError(unreadable(uid, what))
        self.seq = seq
        self.uid = uid
        self.at = at
        self.resource = resource
        self.action = action
        self.status = status
        self.note = note
        self.reverts = reverts
        self.clock = clock
        self.unit = unit

    def __repr__(self) -> str:
        return f"Change({self.action} {self.resource} {self.status or ''} at {self.at})"

    def __eq__(self, other: object) -> bool:
        # The unit is where a change was recorded, not what it says: not compared.
        return (
            isinstance(other, Change)
            and other.to_json() == self.to_json()
            and other.when == self.when
        )

    def __hash__(self) -> int:
        return hash(self.uid)

    @property
    def when(self) -> int:
        """The clock that orders this change: its own, or its time for an older change."""
        return clock_of(self.clock, self.at)

    def to_json(self) -> dict[str, Any]:
        """The fields every change has had since the first export format."""
        return {
            "uid": self.uid,
            "at": self.at,
            "resource": self.resource,
            "action": self.action,
            "status": self.status,
            "note": self.note,
            "reverts": self.reverts,
        }

    def to_export(self) -> dict[str, Any]:
        """The change as export version 2 writes it: with its clock and its unit."""
        return {
            "uid": self.uid,
            "at": self.at,
            "clock": self.when,
            "unit": self.unit,
            "resource": self.resource,
            "action": self.action,
            "status": self.status,
            "note": self.note,
            "reverts": self.reverts,
        }


def clock_of(clock: int | None, at: str) -> int:
    """A change's clock, or for a change from before clocks its time's (checked valid)."""
    if clock is not None:
        return clock
    micros = stamp_micros(at)
    assert micros is not None  # checked when the change was built or read
    return micros


def unreadable(uid: object, what: str) -> str:
    return _(
        "the progress store holds a change mlpath cannot read: {what} in change {uid} "
        "(edited by hand, or imported by an older mlpath?); fix or delete that row, or move "
        "the store aside to start fresh"
    ).format(what=what, uid=shown_value(uid))


CHANGE_COLUMNS = "seq, uid, at, resource, action, status, note, reverts"
# Every column of a Change, for a query on `changes c LEFT JOIN units u`.
_FULL_COLUMNS = (
    "c.seq, c.uid, c.at, c.resource, c.action, c.status, c.note, c.reverts, c.clock, u.uid"
)
_FROM = "changes c LEFT JOIN units u ON u.seq = c.unit"


def live(changes: str = "changes", prefix: str = "") -> str:
    """SQL condition on a change: no undo has reverted it.

    A reverted change no longer counts, for status or for a later undo. `changes`
    names the table (`progress.changes` when the store is attached; kept for callers,
    the flag lives on the row), `prefix` the alias of the row being tested.
    """
    del changes
    return f"{prefix}reverted = 0"


LIVE = live()


def milestones(changes: Iterable[Change]) -> dict[str, tuple[str | None, str | None]]:
    """Per resource: when it was first started and last finished.

    `changes`: live ones (no undo took them back), oldest first, as
    `Store.live_changes()` gives them; read once, as they come (an export streams them).
    """
    out: dict[str, tuple[str | None, str | None]] = {}
    for change in changes:
        if change.action != "status":
            continue
        started, finished = out.get(change.resource, (None, None))
        if change.status == "doing" and started is None:
            started = change.at
        if change.status == "done":
            finished = change.at
        out[change.resource] = (started, finished)
    return out


def wall_clock() -> int:
    """The default clock of a store: nanoseconds since 1970, read at each call."""
    return time.time_ns()


def stamp(nanos: int) -> str:
    """UTC timestamp with a fixed width, so text order is time order."""
    seconds, rest = divmod(nanos, 1_000_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{rest // 1000:06d}Z"


def now() -> str:
    """The wall clock now, as a stored stamp."""
    return stamp(wall_clock())


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


_SHAPE = str.maketrans("123456789", "000000000")
_STAMP_SHAPE = "0000-00-00T00:00:00.000000Z"


def stamp_micros(text: object) -> int | None:
    """Microseconds since 1970 of a stored stamp; None unless it is a real time from 1970 on.

    Pure arithmetic, no datetime: it runs on the start-up path and on every row read.
    Before 1970 some time zones cannot show a time (and no clock of ours recorded it).
    """
    last = _last_parsed[0]
    if text == last[0]:
        return last[1]  # a command's changes share one time: parse it once
    if not isinstance(text, str) or text.translate(_SHAPE) != _STAMP_SHAPE:
        return None
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    if not (1970 <= year and 1 <= month <= 12 and hour < 24 and minute < 60):
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= day <= _DAYS_IN_MONTH[month - 1] + (month == 2 and leap) or second > 59:
        return None
    # Days from the civil date (H. Hinnant's algorithm), then the time of day.
    y = year - (month <= 2)
    era, yoe = divmod(y, 400)
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    micros = ((days * 24 + hour) * 60 + minute) * 60 * MICROS + second * MICROS
    micros += int(text[20:26])
    _last_parsed[0] = (text, micros)
    return micros


_last_parsed: list[tuple[str, int | None]] = [("", None)]


def check_text(text: str, what: str) -> str:
    """`text` if it can be stored; bytes that were not UTF-8 (surrogates) are refused."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidText(
            _("{what} is not valid text: {shown_text} — {NOT_UTF8}").format(
                what=what, shown_text=shown_text(text), NOT_UTF8=_(_NOT_UTF8)
            )
        ) from None
    return text


_NOT_UTF8 = N_("use UTF-8 (is the terminal or the file in another encoding?)")


def shown_text(text: str) -> str:
    """`text` quoted, with bytes that were not UTF-8 shown as \\xNN escapes."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # how Python decoded the argv bytes
    except UnicodeEncodeError:
        return ascii(text)  # a surrogate no decoding made: \\ud800
    return "'" + raw.decode("utf-8", "backslashreplace") + "'"


def clean_label(label: str) -> str:
    """A unit's label as stored: what any export must be able to carry back in."""
    text = " ".join(label.split())[:200] or "command"
    return text.encode("utf-8", "replace").decode("utf-8")


def new_uid() -> str:
    """A random 128-bit id, so histories from two machines merge without clashes."""
    return os.urandom(16).hex()


def _end_transaction(
    store: Store,
    error: BaseException | None,
    before_commit: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Roll back after `error` (None: commit); a database error becomes a StoreError."""
    conn = store.conn
    if error is None:
        try:
            if before_commit is not None:
                before_commit(conn)
            conn.execute("COMMIT")
            return
        except sqlite3.DatabaseError as exc:
            error = exc
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    if isinstance(error, sqlite3.DatabaseError):
        raise store.failure(error) from None


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
        _end_transaction(self.store, error if kind is not None else None)


class Unit:
    """One command's changes: a row of `units`, written when its first change is.

    A block that ends up writing nothing leaves no unit behind.
    """

    def __init__(self, store: Store, label: str) -> None:
        self.store = store
        self.label = clean_label(label)
        self.uid = new_uid()
        self.seq: int | None = None
        self.written = 0

    def row(self) -> int:
        """The unit's local sequence number, recording the unit on first use."""
        if self.seq is None:
            cursor = self.store.conn.execute(
                "INSERT INTO units (uid, label, at) VALUES (?, ?, ?)",
                (self.uid, self.label, stamp(self.store.clock())),
            )
            assert cursor.lastrowid is not None
            self.seq = cursor.lastrowid
        return self.seq

    def tick(self, count: int = 1) -> tuple[str, int]:
        """The wall time now and the first of `count` fresh clock values, all past every
        clock this store has seen, so these changes take effect over all before them."""
        nanos = self.store.clock()
        row = self.store.conn.execute("SELECT max(clock) FROM changes").fetchone()
        last = row[0] if row[0] is not None else -1
        return stamp(nanos), max(nanos // 1000, last + 1)


class UnitScope:
    """`with store.unit(label) as unit:` — see the module docstring."""

    def __init__(self, store: Store, label: str) -> None:
        self.store = store
        self.label = label
        self.outer = store.active_unit
        self.unit: Unit | None = None

    def __enter__(self) -> Unit:
        if self.outer is not None:
            return self.outer  # joins the enclosing unit, which commits or rolls back
        conn = self.store.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise self.store.failure(exc) from None
        self.unit = Unit(self.store, self.label)
        self.store.active_unit = self.unit
        return self.unit

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.unit is None:
            return
        self.store.active_unit = None
        unit = self.unit

        def drop_an_empty_unit(conn: sqlite3.Connection) -> None:
            if unit.seq is not None and not unit.written:
                conn.execute(
                    "DELETE FROM units WHERE seq = ? OR imported_by = ?", (unit.seq, unit.seq)
                )

        _end_transaction(self.store, error if kind is not None else None, drop_an_empty_unit)


class Store:
    """An open progress store. Use :func:`open_store`.

    `clock`: nanoseconds since 1970, `time.time_ns` by default; tests pass their own.
    """

    def __init__(
        self, conn: sqlite3.Connection, path: str, clock: Callable[[], int] | None = None
    ) -> None:
        self.conn = conn
        self.path = path
        self.clock: Callable[[], int] = clock or wall_clock
        self.active_unit: Unit | None = None

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self)

    def unit(self, label: str) -> UnitScope:
        """One IMMEDIATE transaction and one unit for every write inside the block.

        Commits when the block ends normally, rolls back on any exception; inside an
        enclosing block it simply joins that one.
        """
        return UnitScope(self, label)

    def failure(self, exc: sqlite3.DatabaseError) -> StoreError:
        from mlpath.sqlite_errors import CANTOPEN, READONLY, code_of, sqlite_reason

        if store_files.is_damage(exc):
            return StoreError(store_files.damaged(self.path))
        if code_of(exc) in (READONLY, CANTOPEN):
            return StoreError(
                _(
                    "progress store {path} cannot be written: {reason}; check its "
                    "permissions or set MLPATH_HOME to a writable directory"
                ).format(path=self.path, reason=sqlite_reason(exc))
            )
        return StoreError(
            _("progress store {path} failed: {reason}").format(
                path=self.path, reason=sqlite_reason(exc)
            )
        )

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self.failure(exc) from None

    def _changes(self, sql: str, params: Sequence[object] = ()) -> list[Change]:
        rows = self._query(sql, params)  # its errors name the store already
        try:
            return [Change(*row) for row in rows]
        except StoreError as exc:
            raise StoreError(
                _("progress store {path}: {exc}").format(path=self.path, exc=exc)
            ) from None

    # --- reads -----------------------------------------------------------------

    def statuses(self) -> dict[str, str]:
        return checked_statuses(self.path, self._query("SELECT resource, status FROM current"))

    def changes(
        self, resource: str | None = None, limit: int | None = None, newest_first: bool = True
    ) -> list[Change]:
        """The whole history (undo rows included), or one resource's, in clock order."""
        order = "DESC" if newest_first else "ASC"
        where = "WHERE c.resource = ?" if resource else ""
        params: list[object] = [resource] if resource else []
        sql = (
            f"SELECT {_FULL_COLUMNS} FROM {_FROM} {where} ORDER BY c.clock {order}, c.uid {order}"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._changes(sql, params)

    def live_changes(self, resource: str | None = None) -> list[Change]:
        """Status changes and notes that no undo has reverted, oldest first."""
        where = "AND c.resource = ?" if resource else ""
        params = [resource] if resource else []
        return self._changes(
            f"SELECT {_FULL_COLUMNS} FROM {_FROM} WHERE c.action != 'undo' "
            f"AND c.reverted = 0 {where} ORDER BY c.clock, c.uid",
            params,
        )

    def units(self) -> list[tuple[str, str, str]]:
        """(uid, label, time) of every unit some change belongs to, oldest first."""
        return [
            (str(uid), str(label), str(at))
            for uid, label, at in self._query(
                "SELECT uid, label, at FROM units WHERE seq IN (SELECT unit FROM changes) "
                "ORDER BY seq"
            )
        ]

    def known_uids(self, uids: Sequence[str]) -> set[str]:
        """Which of these change uids this store holds: a re-import costs one probe each."""
        try:
            rows = _matching(
                self.conn,
                "SELECT c.uid FROM ({values}) AS v CROSS JOIN changes c ON c.uid = v.value",
                uids,
            )
        except sqlite3.DatabaseError as exc:
            raise self.failure(exc) from None
        return {row[0] for row in rows}

    def last_clock(self) -> int | None:
        """The largest clock of any change here: the next local change gets a larger one."""
        row = self._query("SELECT max(clock) FROM changes")[0]
        return None if row[0] is None else int(row[0])

    def recorded_here(self, after: int, limit: int = 100_000) -> list[tuple[Any, ...]]:
        """Changes stored after the local sequence number `after`, oldest first, except
        those `mlpath sync` brought: what this machine adds to its sync log.

        Rows of (seq, uid, at, clock, unit uid, unit label, unit time, resource, action,
        status, note, reverts, brought by sync); a change a sync brought comes as a row
        too (its fields None but seq and the flag), so the caller can move past it.
        At most `limit` rows: the caller asks again after the last.
        """
        return self._query(
            "SELECT c.seq, c.uid, c.at, c.clock, coalesce(u.uid, r.uid), "
            "coalesce(u.label, r.label), coalesce(u.at, r.at), c.resource, c.action, "
            "c.status, c.note, c.reverts, "
            "(r.label IS ? AND r.imported_by IS NULL) "
            "FROM changes c LEFT JOIN units u ON u.seq = c.unit "
            "LEFT JOIN units r ON r.seq = c.recorded "
            "WHERE c.seq > ? ORDER BY c.seq LIMIT ?",
            (SYNC_LABEL, after, limit),
        )

    # --- writes ----------------------------------------------------------------

    def set_status(
        self,
        resources: Sequence[str],
        status: str,
        note: str | None = None,
        label: str | None = None,
    ) -> list[tuple[str, str, bool]]:
        """Record `status` for each resource; returns (id, previous status, changed)."""
        if status not in STATUSES:
            raise StoreError(
                _("unknown status {status!r}: use one of {join}").format(
                    status=status, join=", ".join(STATUSES)
                )
            )
        if note is not None:
            check_text(note, _("the note"))
        results: list[tuple[str, str, bool]] = []
        with self.unit(label or STATUS_VERBS[status]) as unit:
            conn = self.conn
            rows = []
            for resource in resources:
                previous = _current(conn, resource)
                results.append((resource, previous, previous != status))
                if previous != status:
                    rows.append(resource)
            if rows:
                seq = unit.row()
                at, clock = unit.tick(len(rows))
                conn.executemany(
                    "INSERT INTO changes (uid, at, clock, unit, recorded, resource, action, "
                    "status, note) VALUES (?, ?, ?, ?, ?, ?, 'status', ?, ?)",
                    [
                        (new_uid(), at, clock + i, seq, seq, resource, status, note)
                        for i, resource in enumerate(rows)
                    ],
                )
                unit.written += len(rows)
                _refresh(conn, rows)
        return results

    def add_note(self, resource: str, text: str, label: str = "note") -> Change:
        check_text(text, _("the note"))
        uid = new_uid()
        with self.unit(label) as unit:
            seq = unit.row()
            at, clock = unit.tick()
            self.conn.execute(
                "INSERT INTO changes (uid, at, clock, unit, recorded, resource, action, note) "
                "VALUES (?, ?, ?, ?, ?, ?, 'note', ?)",
                (uid, at, clock, seq, seq, resource, text),
            )
            unit.written += 1
        return Change(0, uid, at, resource, "note", None, text, None, clock, unit.uid)

    def define(
        self, key: str, value: Mapping[str, object] | None, label: str = "define"
    ) -> Change | None:
        """Record what `key` means from now on (None: it means nothing any more).

        Returns the change, or None when the key already meant exactly that: as with a
        status, a command that changes nothing leaves nothing to undo.
        """
        text = definition_text(value)
        if text is not None:
            check_text(text, _("the definition"))
        with self.unit(label) as unit:
            conn = self.conn
            row = conn.execute("SELECT value FROM defined WHERE key = ?", (key,)).fetchone()
            if (row[0] if row else None) == text:
                return None
            uid = new_uid()
            seq = unit.row()
            at, clock = unit.tick()
            conn.execute(
                "INSERT INTO changes (uid, at, clock, unit, recorded, resource, action, note) "
                "VALUES (?, ?, ?, ?, ?, ?, 'define', ?)",
                (uid, at, clock, seq, seq, key, text),
            )
            unit.written += 1
            _refresh_defined(conn, [key])
        return Change(0, uid, at, key, "define", None, text, None, clock, unit.uid)

    def defined(self, prefix: str = "") -> dict[str, dict[str, Any]]:
        """The live definition of every key starting with `prefix`, in key order."""
        # A key range rather than LIKE: the primary key answers it, and `_` or `%` in a
        # prefix mean nothing special.
        rows = self._query(
            "SELECT key, value FROM defined WHERE key >= ? AND key < ? ORDER BY key",
            (prefix, prefix + "\U0010ffff"),
        )
        return {str(key): read_definition(str(key), str(text), self.conn) for key, text in rows}

    def undo(self, count: int, label: str = "undo") -> list[Change]:
        """Take back the last `count` units recorded in this store; returns their live
        changes, newest unit first (and newest change first within a unit).

        Units go by local sequence, so the last command is taken back whatever the
        clocks said; an import is one unit. A unit whose changes were all taken back
        already (an undo itself, among others) is passed over, and so is what
        `mlpath sync` merged: other machines' commands are theirs to undo.
        """
        return self.take_back(count, None, label)[0]

    def take_back(
        self, count: int, shown: int | None, label: str = "undo"
    ) -> tuple[list[Change], int]:
        """:meth:`undo`, answering the first `shown` of the changes taken back (None:
        all of them) and how many there were.

        The work is a few statements whatever the size of the command: the undo rows are
        written from the changes they revert in one INSERT ... SELECT, and only the
        changes asked for become objects.
        """
        with self.unit(label) as unit, _erasing_fast(self.conn):
            conn = self.conn
            # One index step per unit passed: the live changes' index, newest unit first.
            targets = _undo_targets(conn, count)
            if not targets:
                raise NothingToUndo(_("nothing to undo — no change is left to revert"))
            marks = ", ".join("?" for _ in targets)
            live_here = f"c.recorded IN ({marks}) AND c.action != 'undo' AND c.reverted = 0"
            seq = unit.row()
            at, clock = unit.tick()
            _room_for_a_big_write(conn)
            conn.execute("PRAGMA temp.cache_size = -65536")  # the lists below, in memory
            # What is taken back, in the order its undo rows are written: resource
            # order, with uids and clocks rising along, so most indexes then grow page
            # by page instead of being touched all over. `n` numbers them: a sorted
            # insert into a fresh rowid table costs a third of a window function's
            # row_number() over the same sort.
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS undone (n INTEGER PRIMARY KEY, action TEXT, "
                "resource TEXT, uid TEXT, seq INTEGER, clock INTEGER, recorded INTEGER)"
            )
            conn.execute("DELETE FROM temp.undone")  # n counts from 1 again
            conn.execute(
                "INSERT INTO temp.undone (action, resource, uid, seq, clock, recorded) "
                "SELECT c.action, c.resource, c.uid, c.seq, c.clock, c.recorded FROM changes c "
                f"WHERE {live_here} ORDER BY c.resource, c.clock, c.seq",
                targets,
            )
            # What is shown, newest first: picked from that list rather than from the
            # changes again, which costs a seek into the table per change taken back.
            limit = "" if shown is None else f" LIMIT {int(shown)}"
            newest = "ORDER BY c.recorded DESC, c.clock DESC, c.seq DESC"
            reverted = [
                Change(*row)
                for row in conn.execute(
                    f"SELECT {_FULL_COLUMNS} FROM (SELECT seq FROM temp.undone AS c "
                    f"{newest}{limit}) AS t CROSS JOIN changes c ON c.seq = t.seq "
                    f"LEFT JOIN units u ON u.seq = c.unit {newest}"
                )
            ]
            # The keys whose status or definition is derived afresh once these are
            # taken back.
            conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS undone_keys (action TEXT, key TEXT, "
                "PRIMARY KEY (action, key)) WITHOUT ROWID"
            )
            conn.execute("DELETE FROM temp.undone_keys")
            conn.execute(
                "INSERT OR IGNORE INTO temp.undone_keys SELECT action, resource "
                "FROM temp.undone WHERE action IN ('status', 'define')"
            )
            # The uids share a random stem and count up from it: 80 random bits per
            # command keep them apart from every other machine's, and the uid index
            # grows at one end.
            with _checks_skipped(conn):
                written = conn.execute(
                    "INSERT INTO changes (uid, at, clock, unit, recorded, resource, action, "
                    "reverts) SELECT ? || printf('%012x', n - 1), ?, ? + n - 1, ?, ?, resource, "
                    "'undo', uid FROM temp.undone ORDER BY n",
                    [new_uid()[:20], at, clock, seq, seq],
                ).rowcount
            # OR FAIL: no statement journal, a copy of each page the statement changes
            # (thousands here) kept to take back just this statement if it failed
            # halfway; a failure takes back the whole undo anyway. The rows are those
            # of the list, found by rowid: walking the live changes' index instead, while
            # deleting its entries, first gathers their rowids aside, and costs more.
            conn.execute(
                "UPDATE OR FAIL changes SET reverted = 1 "
                "WHERE seq IN (SELECT seq FROM temp.undone)"
            )
            unit.written += written
            undone_keys = "SELECT key FROM temp.undone_keys WHERE action = :action"
            statuses = {"action": "status", "below": clock}
            if _most_of_current(conn):
                _rewrite_current(conn, undone_keys, statuses)
            else:
                _rederive(conn, undone_keys, [statuses], _CURRENT, True)
            _rederive(conn, undone_keys, [{"action": "define", "below": clock}], _DEFINED, True)
            conn.execute("DELETE FROM temp.undone_keys")
            conn.execute("DELETE FROM temp.undone")
        return reverted, written

    def merge(
        self,
        changes: Iterable[Incoming],
        units: Iterable[tuple[str, str, str]] = (),
        label: str = "import",
        watch: Watch | None = None,
    ) -> list[Incoming]:
        """Add the changes this store lacks (matched by uid); returns those added; the
        rows written go through `watch` (a progress bar's hook) when given.

        `units`: (uid, label, time) of the units the changes name, as an export of
        version 2 lists them. The changes keep their clocks (a change without one, from
        an older export, takes its time's); a change claiming a time more than a day
        ahead of this machine's clock is refused, and with it the whole merge. All of
        it is one unit here: one undo takes the merge back.
        """
        changes = list(changes)
        limit = self.clock() // 1000 + MAX_AHEAD_MICROS
        # Stored stamps have a fixed width: as text they sort as the times they name.
        limit_stamp = stamp(limit * 1000)
        whens = []
        for c in changes:
            when = c.when
            if c.at > limit_stamp or when > limit:
                raise StoreError(
                    _(
                        "change {uid} ({resource}) claims the time {clock_text}, more than "
                        "a day ahead of this machine's clock; nothing was imported — check "
                        "the clock of the machine that recorded it"
                    ).format(
                        uid=c.uid,
                        resource=c.resource,
                        clock_text=c.at if c.at > limit_stamp else _clock_text(when),
                    )
                )
            whens.append(when)
        with self.unit(label) as unit:
            conn = self.conn
            _room_for_a_big_write(conn)
            seq = unit.row()
            conn.executemany(
                "INSERT OR IGNORE INTO units (uid, label, at, imported_by) VALUES (?, ?, ?, ?)",
                [(uid, text, at, seq) for uid, text, at in units],
            )
            # Rows this merge adds come after every row there was: a rowid range.
            first = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
            known = self.known_uids([c.uid for c in changes])
            fresh: dict[str, tuple[Incoming, int]] = {}
            for c, w in zip(changes, whens, strict=True):
                if c.uid not in known:
                    fresh.setdefault(c.uid, (c, w))
            if not fresh:
                return []
            # Each unit's local number, looked up once rather than once per change.
            named = sorted({c.unit for c, _ in fresh.values() if c.unit is not None})
            seqs = dict(
                _matching(
                    conn,
                    "SELECT u.uid, u.seq FROM ({values}) AS v "
                    "CROSS JOIN units u ON u.uid = v.value",
                    named,
                )
            )
            rows = (
                (c.uid, c.at, w, seqs.get(c.unit, seq), seq, c.resource, c.action, c.status)
                + (c.note, c.reverts)
                for c, w in fresh.values()
            )
            conn.executemany(
                "INSERT INTO changes "
                "(uid, at, clock, unit, recorded, resource, action, status, note, reverts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows if watch is None else watch(rows, len(fresh)),
            )
            added = [c for c, _ in fresh.values()]
            unit.written += len(added)
            settle_merged(conn, first, seq)
        return added


def settle_merged(conn: sqlite3.Connection, first: int, seq: int) -> None:
    """After a merge added the changes past the rowid `first` in the local unit `seq`:
    mark what they revert or what reverts them, and derive what they set."""
    # An undo and the change it reverts may arrive in either order, in this
    # merge or across two: mark both ways, each an index seek per new row.
    conn.execute(
        "UPDATE changes SET reverted = 1 WHERE reverted = 0 AND uid IN "
        "(SELECT reverts FROM changes WHERE seq > ? AND action = 'undo')",
        (first,),
    )
    # Into a store that held no changes (`first` 0), every undo came in this merge and
    # was marked just above.
    if first:
        conn.execute(
            "UPDATE changes SET reverted = 1 WHERE recorded = ? AND action != 'undo' "
            "AND reverted = 0 AND EXISTS (SELECT 1 FROM changes u "
            "WHERE u.reverts = changes.uid)",
            (seq,),
        )
    # What the new rows set, and what the new undos revert (an imported undo may
    # revert a change recorded under another resource id): derived afresh from
    # the rowid range of this merge, one statement each however many there are.
    keys = (
        "SELECT resource AS key FROM changes WHERE seq > :first AND action = :action "
        "UNION SELECT t.resource FROM changes u CROSS JOIN changes t "
        "ON t.uid = u.reverts WHERE u.seq > :first AND u.action = 'undo' "
        "AND t.action = :action"
    )
    for action, table in (("status", _CURRENT), ("define", _DEFINED)):
        # Into a store that held no changes, the keys of this merge's status changes
        # are every key there is: listed off an index in one pass, cheaper than the
        # union over its rows (a key without a status change derives nothing; 100,000
        # changes: 75 → 20 ms).
        wanted = _EVERY_KEY if not first and action == "status" else keys
        _rederive(conn, wanted, [{"first": first, "action": action}], table)


_EVERY_KEY = "SELECT DISTINCT resource AS key FROM changes"


def _room_for_a_big_write(conn: sqlite3.Connection) -> None:
    """A page cache that holds what a write of 100,000 changes and their indexes touches:
    with SQLite's default 2 MB, pages spill to the WAL and are read back over and over.
    A limit, not an allocation: a small write uses the few pages it touches."""
    conn.execute("PRAGMA cache_size = -65536")


def _matching(conn: sqlite3.Connection, sql: str, values: Sequence[str]) -> list[Any]:
    """The rows of `sql` where `({values})` stands for a table of these values (its one
    column `value`), which it joins to an index: probed in order, page after page."""
    values = sorted(values)
    joined = "".join(values)
    if joined.isascii() and joined.isalnum():
        # Plain ids, as uids are: one statement, the list passed as a JSON array.
        array = '["' + '","'.join(values) + '"]'
        return conn.execute(
            sql.format(values="SELECT value FROM json_each(?)"), (array,)
        ).fetchall()
    rows: list[Any] = []
    # Under SQLite's smallest limit on parameters per statement (999).
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        table = "SELECT column1 AS value FROM (VALUES " + ", ".join(["(?)"] * len(chunk)) + ")"
        rows += conn.execute(sql.format(values=table), chunk).fetchall()
    return rows


class _checks_skipped:  # noqa: N801 (used as a `with` block, like a function)
    """`with _checks_skipped(conn):` — CHECK constraints are not evaluated inside.

    For a statement that writes only constants the checks allow ('undo', no status):
    evaluating them per row took about a fifth of the CPU time of writing 100,000
    undo rows. The setting is the connection's: it is put back however the block ends.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("PRAGMA ignore_check_constraints = ON")

    def __exit__(self, *exc: object) -> None:
        self.conn.execute("PRAGMA ignore_check_constraints = OFF")


class _erasing_fast:  # noqa: N801 (used as a `with` block, like a function)
    """`with _erasing_fast(conn):` — what is deleted inside is zeroed only on pages
    written anyway.

    Where SQLite is built to zero whatever is deleted (Debian's is), the pages a big
    undo frees (rows of `current`, entries of the live changes' index: all derived from
    the history, which stays) were written over with zeros, a seventh of its WAL. The
    setting is the connection's: it is put back however the block ends.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.before = 0

    def __enter__(self) -> None:
        self.before = int(self.conn.execute("PRAGMA secure_delete").fetchone()[0])
        self.conn.execute("PRAGMA secure_delete = FAST")

    def __exit__(self, *exc: object) -> None:
        self.conn.execute(f"PRAGMA secure_delete = {self.before}")


def _undo_targets(conn: sqlite3.Connection, count: int) -> list[int]:
    """The local sequence numbers of the last `count` units undo takes back, newest first.

    One index step per unit passed (the live changes' index, newest unit first). What
    `mlpath sync` brought is passed over: undo takes back this machine's own commands,
    and undoing a sync would take back other machines' commands everywhere.
    """
    targets: list[int] = []
    below = None
    while len(targets) < count:
        # The newest unit below the last one passed: one seek, however big the units.
        row = conn.execute(
            "SELECT max(recorded) FROM changes WHERE action != 'undo' AND reverted = 0"
            + ("" if below is None else " AND recorded < ?"),
            () if below is None else (below,),
        ).fetchone()
        below = row[0]
        if below is None:
            break
        if not is_sync_unit(conn, below):
            targets.append(below)
    return targets


# An undo whose statuses taken back are at least a quarter of the rows of `current`
# rewrites that table whole (see _rewrite_current).
_REWRITE_SHARE = 4


def _most_of_current(conn: sqlite3.Connection) -> bool:
    """Whether the resources whose status an undo takes back number at least a quarter
    of `current`'s rows. Its rows are counted up to four times the undo's, so a small
    undo beside a big `current` reads only a few of them."""
    keys = conn.execute(
        "SELECT count(*) FROM temp.undone_keys WHERE action = 'status'"
    ).fetchone()[0]
    bound = keys * _REWRITE_SHARE
    rows = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM current LIMIT ?)", (bound + 1,)
    ).fetchone()[0]
    return bool(keys) and rows <= bound


def _rewrite_current(conn: sqlite3.Connection, keys: str, params: Mapping[str, object]) -> None:
    """:func:`_rederive` of `current` after an undo (`keys`, `params` as it takes them)
    for most of its rows: the rows kept and the statuses derived afresh are gathered
    aside, the table is emptied at once and filled again in key order. Deleting
    100,000 rows one by one, each from the table and its index, took a sixth of a big
    undo's work, and the WAL then held every page they had been on."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS kept (resource TEXT PRIMARY KEY, "
        "status TEXT NOT NULL, since TEXT NOT NULL) WITHOUT ROWID"
    )
    conn.execute("DELETE FROM temp.kept")
    conn.execute(
        "INSERT INTO temp.kept SELECT resource, status, since FROM current c "
        "WHERE NOT EXISTS (SELECT 1 FROM temp.undone_keys k "
        "WHERE k.action = 'status' AND k.key = c.resource)"
    )
    _rederive(conn, keys, [params], _CURRENT, True, into="temp.kept")
    # No WHERE: the table and its index are emptied at once, their pages freed whole
    # (and, erasing fast, not written).
    conn.execute("DELETE FROM current")
    conn.execute(
        "INSERT OR FAIL INTO current (resource, status, since) "
        "SELECT resource, status, since FROM temp.kept ORDER BY resource"
    )
    conn.execute("DELETE FROM temp.kept")


def is_sync_unit(conn: sqlite3.Connection, seq: int | None) -> bool:
    """Whether the local unit `seq` is a merge `mlpath sync` made (not a command here)."""
    row = conn.execute(
        "SELECT 1 FROM units WHERE seq = ? AND label = ? AND imported_by IS NULL",
        (seq, SYNC_LABEL),
    ).fetchone()
    return row is not None


def _clock_text(micros: int) -> str:
    try:
        return stamp(micros * 1000)
    except (OverflowError, OSError, ValueError):
        return f"{micros} µs after 1970"


def _current(conn: sqlite3.Connection, resource: str) -> str:
    row = conn.execute("SELECT status FROM current WHERE resource = ?", (resource,)).fetchone()
    return str(row[0]) if row else "todo"


def _refresh(conn: sqlite3.Connection, resources: Iterable[str]) -> None:
    """Re-derive `current` for these resources from their live history."""
    _rederive(conn, "SELECT :key AS key", _keyed(resources, "status"), _CURRENT)


def _refresh_defined(conn: sqlite3.Connection, keys: Iterable[str]) -> None:
    """Re-derive `defined` for these keys from their live history."""
    _rederive(conn, "SELECT :key AS key", _keyed(keys, "define"), _DEFINED)


def _keyed(keys: Iterable[str], action: str) -> list[dict[str, object]]:
    """The parameters of :func:`_rederive` for a few keys: one statement each, in key order."""
    return [{"key": key, "action": action} for key in sorted(keys)]


# What each derived table keeps: (name, key column, value column, the changes' column
# it comes from, which rows are kept).
_CURRENT = ("current", "resource", "status", "status", "c.status != 'todo'")
_DEFINED = ("defined", "key", "value", "note", "c.note IS NOT NULL")


def _rederive(
    conn: sqlite3.Connection,
    keys: str,
    params: Sequence[Mapping[str, object]],
    table: tuple[str, str, str, str, str],
    older: bool = False,
    into: str | None = None,
) -> None:
    """Rewrite the rows of `table` (see _CURRENT) for the keys the query `keys` gives
    (a column `key`; run once per parameter set) from the newest live change of
    `:action` for each key (its status, or for a definition its note).

    Two statements per parameter set, each one index seek per key, in key order: the
    table's pages are then visited once each rather than at random. `older`: only
    changes with a clock below `:below` count (an undo's own rows are at or past it,
    and, like every undo row, not in the index walked); its rows are inserted
    OR FAIL, without a statement journal, as the undo's UPDATE is. `into`: a table
    (with the same columns) the rows are added to instead, `table` left as it is.
    """
    name, key_column, value_column, source, kept = table
    below = " AND x.clock < :below" if older else ""
    if into is None:
        conn.executemany(f"DELETE FROM {name} WHERE {key_column} IN ({keys})", params)
    conn.executemany(
        f"INSERT{' OR FAIL' if older else ''} INTO {into or name} "
        f"({key_column}, {value_column}, since) "
        f"SELECT c.resource, c.{source}, c.at FROM ({keys}) AS k JOIN changes c ON c.seq = ("
        f"  SELECT x.seq FROM changes x WHERE x.resource = k.key{below} AND x.action = :action"
        "  AND x.action != 'undo' AND x.reverted = 0 ORDER BY x.clock DESC, x.uid DESC LIMIT 1"
        f") WHERE {kept}",
        params,
    )


def definition_text(value: Mapping[str, object] | None) -> str | None:
    """A definition as the store keeps it: JSON text with its keys in order."""
    if value is None:
        return None
    from mlpath.json_layout import compact

    text = compact(value)
    if text is not None:
        return text
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def read_definition(key: str, text: str, db: sqlite3.Connection | None = None) -> dict[str, Any]:
    """A stored definition back as a dict; anything else is a store fault, explained."""
    from mlpath.json_layout import parsed

    try:
        value = parsed(text, db)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise StoreError(
            _(
                "the progress store holds a definition of {shown} that is not a "
                "JSON object (edited by hand?); fix or delete that change, or undo "
                "it"
            ).format(shown=shown_value(key))
        )
    return value


def open_store(
    path: str | os.PathLike[str],
    create: bool,
    checked: bool = False,
    *,
    clock: Callable[[], int] | None = None,
) -> Store | None:
    """Open the store at `path`; None when it does not exist and `create` is false.

    `create` means the caller is about to write: the store is made if missing, and
    refused if another user could tamper with its directory or SQLite finds it damaged.
    Without it, a store in a directory this user cannot write is read as it is.

    `checked`: the caller already ran :func:`check_file` on it. It must say so once a
    connection of this process has the file open: closing any other handle to the
    file drops this process's SQLite locks on it (POSIX record locks are per process),
    and another process could then checkpoint and delete the WAL under a writer.
    `clock`: see :class:`Store`.
    """
    from mlpath import files

    path = os.fspath(path)
    directory = os.path.dirname(path) or "."
    if create and os.path.isdir(directory):
        files.check_private_dir(directory, _("the progress store"), _(store_files.WHERE_INSTEAD))
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
        from mlpath.sqlite_errors import sqlite_reason

        raise StoreError(
            _("progress store {path} cannot be opened: {reason}").format(
                path=path, reason=sqlite_reason(exc)
            )
        ) from None
    store = Store(conn, path, clock)
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
    held = new_file_beside(path)
    try:
        return link_into_place(held.path, path)
    finally:
        held.remove()


def new_file_beside(path: str) -> HeldFile:
    """An initialised store file (0600) under a temporary name in the directory of
    `path`, which this makes (0700) if missing, held until it is removed (see
    mlpath.held_files: what a killed run left is removed here first). The caller links
    it into place (:func:`link_into_place`), then removes its temporary name."""
    from mlpath import files
    from mlpath.held_files import hold_new

    directory = os.path.dirname(path) or "."
    try:
        files.make_private_dirs(directory)
    except OSError as exc:
        raise _cannot_create(directory, exc) from None
    files.check_private_dir(directory, _("the progress store"), _(store_files.WHERE_INSTEAD))
    try:
        held = hold_new(directory, ".progress-", ".db")
    except OSError as exc:
        raise _cannot_create(directory, exc) from None
    try:
        conn = sqlite3.connect(held.path, isolation_level=None)
        try:
            _migrate(Store(conn, held.path))
        finally:
            conn.close()
    except BaseException:
        held.remove()
        raise
    return held


def link_into_place(tmp: str, path: str) -> bool:
    """Give the store file `tmp` the name `path`; False if something else has it."""
    try:
        os.link(tmp, path)  # unlike a rename, never replaces a store made meanwhile
    except FileExistsError:
        return False
    except OSError as exc:
        raise file_not_created(path, exc) from None
    return True


def file_not_created(path: str, exc: OSError) -> StoreError:
    from mlpath.os_errors import os_reason

    return StoreError(
        _("cannot create the progress store {path}: {strerror}").format(
            path=path, strerror=os_reason(exc)
        )
    )


def _cannot_create(directory: str, exc: OSError) -> StoreError:
    from mlpath.os_errors import os_reason

    return StoreError(
        _(
            "cannot create the progress store in {directory}: {strerror}; set "
            "MLPATH_HOME to a writable directory"
        ).format(directory=directory, strerror=os_reason(exc))
    )


def _migrate(store: Store) -> None:
    conn = store.conn
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "progress store {path} was written by a newer mlpath (schema "
                    "{version}, this one reads up to {SCHEMA_VERSION}); it was left "
                    "untouched — upgrade mlpath to use it"
                ).format(path=store.path, version=version, SCHEMA_VERSION=SCHEMA_VERSION)
            )
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(not_a_database(store.path, _("it is a database of something else")))
        if version < SCHEMA_VERSION:
            with store.transaction():
                # Another process may have migrated while we waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                for script in MIGRATIONS[version:]:
                    run_script(conn, script)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """One migration, statement by statement, inside the caller's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)
