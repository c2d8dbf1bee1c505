"""The plan's columns, kept between runs as section counts are (see section_counts).

`mlpath plan` prints every open resource: at 100,000 resources, reading their columns
from the catalog and matching every status is most of the run, though a day's work
moves a handful. So the open resources' columns (mlpath.plan_table.OpenRows, before any
horizon is chosen) are kept in mlpath's cache with the store's newest change they were
read at, for the catalog copy they were read from (see history_since). A later run
brings them up to date from the keys written since: a resource that is now done or
skipped leaves its row, one that is open again comes back at its place on the path, and
one started or set back to do keeps its row with its new status; the record is written
again only once it is more than BEHIND history rows behind. A definition, or an
undo of one, may add or withdraw a resource of the learner's own: the columns are then
read afresh, as they are for another catalog, another history, many keys at once, or a
record that cannot be trusted (a file of ours that nobody else can write, see
kept_file).

What depends on the run is not kept: the horizon, --free, the parts and their statuses
(read afresh), the start day, the pace and the language.
"""

from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left
from itertools import compress

from mlpath.counts import SETTLED
from mlpath.history_since import attached_files, has_history, newest_change, written_since
from mlpath.kept_file import identity, keep, read_kept
from mlpath.paths import cache_dir, name_hash
from mlpath.plan_table import OPTIONAL, PAID, OpenRows, read_open_columns, resources_in_order

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlpath.db import sqlite3

FORMAT = "mlpath-plan-columns 1"
# A million open resources take about 80 MB; a record over this is read afresh instead.
MAX_BYTES = 128 * 1024 * 1024
# More keys written since than this: reading every row again costs less than moving
# rows one at a time (each move shifts the columns behind it).
MOST_MOVED = 2000
# How far behind the newest change a record may stay: bringing it up to date reads the
# history rows since, and a few moves cost less than writing the whole record again
# after each change (a run answers from the record a few changes behind, moved).
BEHIND = 256
# How many keys one statement looks up: SQLite bounds a statement's parameters.
BATCH = 500


def open_rows(db: sqlite3.Connection, store_path: str) -> OpenRows:
    """Every resource neither done nor skipped (mlpath.plan_table.read_open_columns),
    from the kept record when it can be brought up to date."""
    own = not db.in_transaction
    if own:  # the columns and the change they are kept at: one state of the store
        db.execute("BEGIN")
    try:
        return _open_rows(db, store_path)
    finally:
        if own and db.in_transaction:
            db.execute("COMMIT")


def _open_rows(db: sqlite3.Connection, store_path: str) -> OpenRows:
    catalog, store = attached_files(db)
    if not store or not has_history(db):
        return read_open_columns(db, store_path)
    newest = newest_change(db)
    if newest is None:
        return read_open_columns(db, store_path)
    path = record_file(store)
    data = read_kept(path, MAX_BYTES)
    record = decode(data, store, identity(catalog)) if data is not None else None
    rows = None
    if record is not None:
        seq, uid, kept = record
        if (seq, uid) == newest:
            return kept
        since = written_since(db, seq, uid)
        if since is not None and not since.defines and len(since.ids) <= MOST_MOVED:
            rows = _moved(db, kept, since.ids, store_path)
            if rows is not None and newest[0] - seq <= BEHIND:
                return rows
    if rows is None:
        rows = read_open_columns(db, store_path)
    text = encode(store, identity(catalog), newest, rows)
    if text is not None and len(text) <= MAX_BYTES:
        keep(path, text)
    return rows


def _moved(
    db: sqlite3.Connection, kept: OpenRows, keys: list[str], store_path: str
) -> OpenRows | None:
    """The kept rows with each resource these keys touch (a part's key touches its
    resource) at its status now; None when one cannot be placed for sure."""
    from mlpath.store_files import checked_statuses

    touched = sorted({key.partition("/")[0] for key in keys})
    columns = kept.columns()
    ids, positions, statuses = columns[0], columns[8], columns[5]
    source = resources_in_order(db)
    for start in range(0, len(touched), BATCH):
        batch = touched[start : start + BATCH]
        marks = ", ".join("?" * len(batch))
        now = checked_statuses(
            store_path,
            db.execute(
                f"SELECT resource, status FROM progress.current WHERE resource IN ({marks})",
                batch,
            ).fetchall(),
        )
        for row in db.execute(
            "SELECT id, title, title_zh, section, minutes, prerequisites, optional, "
            f"cost != 'free', position FROM {source} WHERE id IN ({marks})",
            batch,
        ).fetchall():
            rid, position = row[0], row[8]
            status = now.get(rid, "todo")
            at = bisect_left(positions, position)
            here = at < len(ids) and ids[at] == rid
            if not here and (
                (at < len(ids) and _near(positions[at], position))
                or (at > 0 and _near(positions[at - 1], position))
            ):
                return None  # two resources in one place: which comes first is unsure
            if status in SETTLED:
                if here:
                    for column in columns:
                        del column[at]
            elif here:
                statuses[at] = status
            else:
                flags = (OPTIONAL if row[6] else 0) | (PAID if row[7] else 0)
                cells = [rid, row[1], row[2] or "", row[3], int(row[4]), status]
                cells += [row[5] or "", flags, position]
                for column, cell in zip(columns, cells, strict=True):
                    column.insert(at, cell)
    return OpenRows.of_columns(columns, len(columns[0]), kept.forward)


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def record_file(store: str) -> str:
    return os.path.join(cache_dir(), "plan", f"{name_hash(store):08x}")


def encode(store: str, catalog: str, newest: tuple[int, str], rows: OpenRows) -> bytes | None:
    """The record of these rows; None when an id or title holds the separator.

    Read back at C speed and only from a file of ours (read_kept), through marshal: the
    ids and the titles each as one text, the numbers as arrays' bytes, the few
    different sections and statuses once with each row's number, and what few rows
    have (a Chinese title, prerequisites) by row. Each object marshal makes costs more
    than the bytes it is made of."""
    ids, titles, titles_zh, sections, minutes, statuses, needs, flags, positions = rows.columns()
    joined = [SEP.join(ids), SEP.join(titles)]
    if any(text.count(SEP) != max(len(ids) - 1, 0) for text in joined):
        return None
    return marshal.dumps(
        (
            FORMAT,
            store,
            catalog,
            newest[0],
            newest[1],
            rows.forward,
            len(ids),
            *joined,
            _sparse(titles_zh),
            _shared(sections),
            array("q", minutes).tobytes(),
            _shared(statuses),
            _sparse(needs),
            array("q", flags).tobytes(),
            array("d", positions).tobytes(),
        )
    )


def decode(data: bytes, store: str, catalog: str) -> tuple[int, str, OpenRows] | None:
    """(seq, uid, the rows kept) of a record made for this store and catalog copy."""
    try:
        record: Any = marshal.loads(data)
        if not (
            isinstance(record, tuple)
            and len(record) == 16
            and record[:3] == (FORMAT, store, catalog)
            and isinstance(record[3], int)
            and isinstance(record[4], str)
            and isinstance(record[5], bool)
        ):
            return None
        count = record[6]
        ids, titles = (text.split(SEP) if count else [] for text in record[7:9])
        columns = [
            ids,
            titles,
            _dense(record[9], count),
            _unshared(record[10]),
            _numbers("q", record[11]),
            _unshared(record[12]),
            _dense(record[13], count),
            _numbers("q", record[14]),
            # Looked at only to place a row that comes back (bisect reads an array).
            _array("d", record[15]),
        ]
    except (EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
    if any(len(column) != count for column in columns):
        return None
    return record[3], record[4], OpenRows.of_columns(columns, count, record[5])


# Between the ids (and the titles) of a record: validation keeps it out of ids, and a
# title that holds it is not kept.
SEP = "\x1f"


def _shared(column: list[str]) -> tuple[list[str], bytes]:
    """A column of few different values: those values, and each row's number of one."""
    values = list(dict.fromkeys(column))
    number = {value: n for n, value in enumerate(values)}
    return values, array("I", map(number.__getitem__, column)).tobytes()


def _unshared(record: tuple[list[str], bytes]) -> list[str]:
    values, numbers = record
    return list(map(values.__getitem__, _numbers("I", numbers)))


def _sparse(column: list[str]) -> dict[int, str]:
    """A column mostly empty: its values that are not, by row."""
    return {i: column[i] for i in compress(range(len(column)), column)}


def _dense(values: dict[int, str], count: int) -> list[str]:
    column = [""] * count
    for i, value in values.items():
        column[i] = value
    return column


def _numbers(kind: str, data: bytes) -> list[Any]:
    return _array(kind, data).tolist()


def _array(kind: str, data: bytes) -> array[Any]:
    numbers = array(kind)
    numbers.frombytes(data)
    return numbers
