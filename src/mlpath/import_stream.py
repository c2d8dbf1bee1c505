"""A big export read as it streams, into a scratch database: memory stays flat at any size.

`mlpath import` of a file of a few MB or more comes here (a small one is read whole by
:mod:`mlpath.import_quick`, which costs less to start). Only the layout `mlpath export`
writes is read here (json.dumps with an indent of 2: one field a line, in mlpath's
order), block by block; each block's records are matched whole by one pattern, checked
column by column with the rules of :func:`mlpath.import_quick.quick_export`, and written
to a scratch SQLite file, where the rules between records (no repeated uid, each undo
reverting a change of the file, each change's unit listed) are checked at the end. A
file of several MB is read and checked in a second process (forked) while this one
writes the scratch database, each on its own core. Anything this is not sure of
answers None: the file is then read whole as before, and the quick check or the models
decide and explain.
"""

from __future__ import annotations

import os
import sys
from operator import itemgetter

from mlpath import import_quick
from mlpath.db import sqlite3
from mlpath.errors import ImportFileError
from mlpath.export_format import FORMAT_MARKER
from mlpath.held_files import hold_new
from mlpath.import_quick import (
    MAX_CLOCK,
    _is_definition_key,
    _is_label,
    _is_resource,
    _is_stamp,
    _is_text,
    quick_object,
)
from mlpath.store import MAX_AHEAD_MICROS, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any, BinaryIO, NoReturn

    from mlpath.catalog_cache import Watch
    from mlpath.held_files import HeldFile

# Bytes read at a time (a file no bigger than import_quick.WHOLE_MAX is read whole).
BLOCK = 1 << 20
# A record longer than this is not one mlpath wrote (a note is a few KB at most): the
# file is then read whole, where the limit on a whole file applies.
MAX_RECORD = 4 << 20
# A file this big is read and checked in a second process while this one writes the
# scratch database (see _stage_beside); below it, starting one costs more than it saves.
PARALLEL_BYTES = 8 << 20
# Characters read before the head is matched: it holds a catalog's title and no more.
HEAD_CHARS = 4096

_STAMP = (
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z"
)
# A JSON string as json.loads reads it in strict mode, quotes included.
_STRING = r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
_UID = "[0-9a-f]{32}"


class _Item:
    """The pattern of one record of a list as json.dumps(indent=2) writes it at depth 2:
    its comma (none for the first) and each field's value as groups. `fixed`: how many
    characters of a match are not in a group, so that the matches of a block cover it
    whole exactly when their lengths add up to its length."""

    def __init__(self, fields: tuple[tuple[str, str, bool], ...]) -> None:
        import re

        pattern, fixed = ["(,?)", re.escape("\n    {")], len("\n    {")
        for index, (key, value, quoted) in enumerate(fields):
            literal = ("\n" if index == 0 else ",\n") + f'      "{key}": '
            quote = '"' if quoted else ""
            pattern += [re.escape(literal + quote), f"({value})", quote]
            fixed += len(literal) + 2 * len(quote)
        pattern.append(re.escape("\n    }"))
        fixed += len("\n    }")
        self.pattern = re.compile("".join(pattern))
        self.fixed = fixed
        self.width = len(fields) + 1

    def rows(self, body: str, first: bool) -> list[tuple[str, ...]] | None:
        """The records of `body` (whole records of the list; `first`: from its start),
        or None where it holds anything else."""
        rows: list[tuple[str, ...]] = self.pattern.findall(body)
        # Each record's groups joined, then measured: less than measuring each group.
        covered = len(rows) * self.fixed + sum(map(len, map("".join, rows)))
        if covered != len(body) or not rows:
            return None
        # A comma before every record but the list's first (the first group).
        commas = "".join(map(itemgetter(0), rows))
        if len(commas) != len(rows) - first or (first and rows[0][0]):
            return None
        return rows


class _Patterns:
    """The patterns of the head and of each list's records, made on first use: `re` is
    worth importing only for a big file."""

    def __init__(self) -> None:
        import re

        self.unit = _Item((("uid", _UID, True), ("label", _STRING, False), ("at", _STAMP, True)))
        self.change = _Item(
            (
                ("uid", _UID, True),
                ("at", _STAMP, True),
                ("clock", "0|[1-9][0-9]{0,18}", False),
                ("unit", _UID, True),
                ("resource", "[a-z0-9][a-z0-9:/-]*", True),
                ("action", "status|note|undo|define", True),
                ("status", 'null|"(?:todo|doing|done|skipped)"', False),
                ("note", "null|" + _STRING, False),
                ("reverts", f'null|"{_UID}"', False),
            )
        )
        self.head = re.compile(
            '\ufeff?\\{\n  "format": "'
            + FORMAT_MARKER
            + f'",\n  "version": ([23]),\n  "exported_at": "({_STAMP})",\n'
            + f'  "catalog_title": (null|{_STRING}),\n  "units": \\['
        )


_BETWEEN = ',\n  "changes": ['
_TAIL = "\n}"
_CLOSE = "\n  ]"  # a list's end: records' lines are indented further
_ITEM_END = "\n    }"

# The scratch tables: the file's units and changes, in its order (rowid).
_SCRATCH = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -16384;
CREATE TABLE u (uid TEXT NOT NULL, label TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE c (
    uid TEXT NOT NULL, at TEXT NOT NULL, clock INTEGER NOT NULL, unit TEXT NOT NULL,
    resource TEXT NOT NULL, action TEXT NOT NULL, status TEXT, note TEXT, reverts TEXT,
    unit_row INTEGER
);
"""
# Built once the units are in, before the changes, so that each change finds the rowid
# of its unit as it is staged (`unit_row`: NULL for a unit the file does not list).
# UNIQUE: a repeated uid fails the build, which is the check (the models name it).
_UNITS_INDEX = "CREATE UNIQUE INDEX u_by_uid ON u (uid)"
# What the rules between records need, built once the file is in; a repeated uid fails it.
_INDEXES = """
CREATE UNIQUE INDEX c_by_uid ON c (uid);
"""
# Each finds a record breaking a rule between records (the models name it).
_BROKEN = (
    "SELECT 1 FROM c WHERE unit_row IS NULL LIMIT 1",
    "SELECT 1 FROM c AS x WHERE x.action = 'undo' AND NOT EXISTS "
    "(SELECT 1 FROM c AS t WHERE t.uid = x.reverts AND t.action != 'undo') LIMIT 1",
)


def _literal(param: int) -> str:
    """SQL for the value of the JSON literal in parameter `param`: null, or a string
    without escapes (a block with escapes is decoded in Python instead)."""
    return (
        f"CASE ?{param} WHEN 'null' THEN NULL ELSE substr(?{param}, 2, length(?{param}) - 2) END"
    )


# The rows as the patterns give them (comma first), their literals read by SQLite; or
# decoded already (a block holding an escape).
_UNITS_RAW = f"INSERT INTO u VALUES (?2, {_literal(3)}, ?4)"
_UNITS_DECODED = "INSERT INTO u VALUES (?2, ?3, ?4)"
_UNIT_ROW = "(SELECT rowid FROM u WHERE u.uid = ?5)"
_CHANGES_RAW = (
    "INSERT INTO c VALUES (?2, ?3, CAST(?4 AS INTEGER), ?5, ?6, ?7, "
    f"{_literal(8)}, {_literal(9)}, {_literal(10)}, {_UNIT_ROW})"
)
_CHANGES_DECODED = (
    f"INSERT INTO c VALUES (?2, ?3, CAST(?4 AS INTEGER), ?5, ?6, ?7, ?8, ?9, ?10, {_UNIT_ROW})"
)


class NotSure(Exception):
    """The file is not one this reader is sure of: it is read whole instead."""


class StagedExport:
    """An export that passed every check, its units and changes in a scratch database
    (`held`, at :attr:`path`; its tables `u` and `c`), which :meth:`close` deletes."""

    def __init__(self, held: HeldFile) -> None:
        self.held = held
        self.path = held.path
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.changes = 0
        self.units = 0
        # The file's SHA-256, and its latest time and clock (see mlpath.import_memo).
        self.digest: str | None = None
        self.latest = ""
        self.latest_clock = 0
        # (index in the file, key, definition's JSON text) of each 'define' change.
        self.definitions: list[tuple[int, str, str | None]] = []

    def write(self, sql: str, rows: Sequence[Sequence[str | None]] | None) -> None:
        """Run `sql` on the scratch database, once for each of `rows` (None: once)."""
        if rows is None:
            self.conn.execute(sql)
        else:
            self.conn.executemany(sql, rows)

    def close(self) -> None:
        self.conn.close()
        self.held.remove()


def stage_import(
    name: str, data: bytes | None, now: int, watch: Watch | None = None
) -> StagedExport | None:
    """The export in the file `name` (or in `data`, standard input's bytes) staged, where
    it is big enough to stream and this reader is sure of it; else None: it is read
    whole (a small file costs less that way)."""
    if data is not None:
        if len(data) <= import_quick.WHOLE_MAX:
            return None
        import io

        return stage_export(io.BytesIO(data), len(data), now, watch)
    try:
        size = os.stat(name).st_size
        if size <= import_quick.WHOLE_MAX:
            return None
        handle = open(name, "rb")  # noqa: SIM115 - closed below, after the staging
    except OSError:
        return None  # read whole, which says what failed
    with handle:
        return stage_export(handle, size, now, watch)


def stage_export(
    handle: BinaryIO, total: int, now: int, watch: Watch | None = None
) -> StagedExport | None:
    """The export `handle` reads from its start, checked and staged; None where this
    reader is not sure of it. `total`: the file's size in bytes (0: unknown), for the
    bar `watch` shows; `now`: nanoseconds since 1970, as for the quick check."""
    import hashlib
    import tempfile

    try:
        # Held while it is used: a run killed meanwhile leaves it to the next one's sweep.
        held = hold_new(tempfile.gettempdir(), "mlpath-import-", ".db")
    except OSError:
        return None  # no room for the scratch file: read whole
    try:
        staged = StagedExport(held)
    except sqlite3.Error:
        held.remove()
        return None
    try:
        staged.conn.executescript(_SCRATCH)
        digest = hashlib.sha256()
        staged.conn.execute("BEGIN")
        forked = False
        # Linux only, as in mlpath.catalog_stream: a forked child is not safe elsewhere.
        if total >= PARALLEL_BYTES and sys.platform == "linux":
            forked = _stage_beside(staged, handle, now, watch, total)
        if not forked:
            blocks = _blocks(handle, digest)
            if watch is not None and total > 0:
                blocks = iter(watch(blocks, total // BLOCK + 1))
            _Reader(staged, blocks, now).read()
            staged.digest = digest.hexdigest()
        staged.conn.execute("COMMIT")
        staged.conn.executescript(_INDEXES)
        if any(staged.conn.execute(sql).fetchall() for sql in _BROKEN):
            raise NotSure
        staged.conn.close()  # the store's connection reads it from here on
    except (NotSure, UnicodeDecodeError, sqlite3.Error):
        # A file this is not sure of, or a scratch file that failed (a full disk, say):
        # read whole, where what is wrong is said.
        staged.close()
        return None
    except BaseException:
        staged.close()
        raise
    return staged


def _stage_beside(
    staged: StagedExport, handle: BinaryIO, now: int, watch: Watch | None, total: int
) -> bool:
    """Read and check the file in a second process while this one writes what it found
    to the scratch database, so that the parsing and SQLite's writing each have a core:
    one after the other they took about as long each. A thread would not do: the
    patterns hold the interpreter's lock for a whole block, and each row's write wants it.

    The child sends each statement and its rows (marshal, length first) down a pipe,
    then what the reader learnt on the way; it answers NotSure where the reader does,
    and this process raises it. Either way nothing outside the scratch database is
    touched before every check has passed. False: no second process could start (and
    nothing was read)."""
    import marshal

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return False
    if pid == 0:  # pragma: no cover - the child's work is seen through what it sends
        os.close(read_end)
        _send_staged(write_end, staged, handle, now)
    os.close(write_end)
    try:
        with open(read_end, "rb") as pipe:
            messages = _messages(pipe, marshal.loads)
            if watch is not None and total > 0:
                messages = iter(watch(messages, total // BLOCK + 1))
            for message in messages:
                if message[0] == "sql":
                    staged.write(message[1], message[2])
                elif message[0] == "end":
                    _end, units, changes, latest, clock, definitions, digest = message
                    staged.units, staged.changes = units, changes
                    staged.latest, staged.latest_clock, staged.digest = latest, clock, digest
                    staged.definitions = [(i, key, note) for i, key, note in definitions]
                    return True
                else:
                    break
        raise NotSure  # the child was not sure, or ended without saying
    finally:
        os.waitpid(pid, 0)


def _messages(pipe: BinaryIO, loads: Callable[[bytes], Any]) -> Iterator[tuple[Any, ...]]:
    """What the child sent, one message at a time, until the pipe closes."""
    while True:
        head = pipe.read(8)
        if len(head) < 8:
            return
        size = int.from_bytes(head, "little")
        body = pipe.read(size)
        if len(body) < size:
            return
        message: tuple[Any, ...] = loads(body)
        yield message


def _send_staged(
    descriptor: int, staged: StagedExport, handle: BinaryIO, now: int
) -> NoReturn:  # pragma: no cover - runs in the child process
    """The child of :func:`_stage_beside`: read the file, send what is to be written and
    what was learnt, and end without unwinding anything the parent holds."""
    import hashlib
    import marshal

    code = 1
    try:
        with open(descriptor, "wb", buffering=BLOCK) as pipe:

            def send(message: tuple[Any, ...]) -> None:
                body = marshal.dumps(message)
                pipe.write(len(body).to_bytes(8, "little"))
                pipe.write(body)

            digest = hashlib.sha256()
            reader = _Reader(
                staged, _blocks(handle, digest), now, lambda sql, rows: send(("sql", sql, rows))
            )
            try:
                reader.read()
            except (NotSure, UnicodeDecodeError):
                send(("unsure",))
            else:
                learnt = (staged.units, staged.changes, staged.latest, staged.latest_clock)
                send(("end", *learnt, staged.definitions, digest.hexdigest()))
        code = 0
    finally:
        os._exit(code)


def _blocks(handle: BinaryIO, digest: Any) -> Iterator[str]:
    """The file's text, a block at a time, each cut after a newline: a character's UTF-8
    bytes never hold one, so each block decodes on its own. `digest` hashes the bytes."""
    rest = b""
    while True:
        try:
            data = handle.read(BLOCK)
        except OSError:
            raise NotSure from None  # read whole, it says what failed
        digest.update(data)
        if not data:
            if rest:
                yield rest.decode("utf-8")
            return
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if len(rest) > MAX_RECORD:
            raise NotSure
        if cut:
            yield data[:cut].decode("utf-8")


class _Reader:
    """One pass over the blocks: the head, the units, the changes, the end."""

    def __init__(
        self,
        staged: StagedExport,
        blocks: Iterator[str],
        now: int,
        write: Callable[[str, Sequence[Sequence[str | None]] | None], None] | None = None,
    ) -> None:
        self.staged = staged
        self.blocks = blocks
        # Where each statement and its rows go: the scratch database, or the process
        # that writes it (see _stage_beside).
        self.write = write or staged.write
        self.buffer = ""
        limit = now // 1000 + MAX_AHEAD_MICROS
        self.limit = limit
        self.limit_stamp = stamp(limit * 1000)
        self.version = 0
        self.labels: set[str] = set()  # a few labels name many units: each checked once
        self.patterns = _Patterns()

    def more(self) -> bool:
        block = next(self.blocks, None)
        if block is None:
            return False
        self.buffer += block
        return True

    def expect(self, text: str) -> None:
        while len(self.buffer) < len(text) and self.more():
            pass
        if not self.buffer.startswith(text):
            raise NotSure
        self.buffer = self.buffer[len(text) :]

    def read(self) -> None:
        while len(self.buffer) < HEAD_CHARS and self.more():
            pass
        head = self.patterns.head.match(self.buffer)
        if head is None:
            raise NotSure
        version, exported_at, title = head.groups()
        self.version = int(version)
        if not _is_stamp(exported_at) or (title != "null" and not _is_text(_decoded(title))):
            raise NotSure
        self.buffer = self.buffer[head.end() :]
        self.records(self.patterns.unit, self.stage_units)
        self.write(_UNITS_INDEX, None)
        self.expect(_BETWEEN)
        self.records(self.patterns.change, self.stage_changes)
        self.expect(_TAIL)
        # What json.loads reads past the object: whitespace only, a block at a time.
        while self.buffer.strip(" \t\n\r") == "":
            self.buffer = ""
            if not self.more():
                return
        raise NotSure

    def records(self, item: _Item, stage: Callable[[str, list[tuple[str, ...]]], None]) -> None:
        """The records of one list, up to and with its closing bracket."""
        while not self.buffer and self.more():
            pass
        if self.buffer.startswith("]"):
            self.buffer = self.buffer[1:]
            return  # json.dumps writes an empty list as []
        first = True
        while True:
            end = self.buffer.find(_CLOSE)
            if end >= 0:
                body, self.buffer = self.buffer[:end], self.buffer[end + len(_CLOSE) :]
                if body or first:  # "[" and "]" on lines of their own: not json.dumps's
                    stage(body, _rows(item, body, first))
                return
            cut = self.buffer.rfind(_ITEM_END) + len(_ITEM_END)
            if cut >= len(_ITEM_END):
                stage(self.buffer[:cut], _rows(item, self.buffer[:cut], first))
                first = False
                self.buffer = self.buffer[cut:]
            elif len(self.buffer) > MAX_RECORD:
                raise NotSure
            if not self.more():
                raise NotSure

    def stage_units(self, body: str, rows: list[tuple[str, ...]]) -> None:
        labels = {label for _comma, _uid, label, _at in rows} - self.labels
        if not all(_is_label(_decoded(label)) for label in labels):
            raise NotSure
        if len(self.labels) < 10_000:  # a strange file's many labels: no more
            self.labels |= labels
        if not all(_is_stamp(day + "T00:00:00.000000Z") for day in {r[3][:10] for r in rows}):
            raise NotSure
        if "\\" in body:
            decoded = [(c, u, _decoded(label), a) for c, u, label, a in rows]
            self.write(_UNITS_DECODED, decoded)
        else:
            self.write(_UNITS_RAW, rows)
        self.staged.units += len(rows)

    def stage_changes(self, body: str, rows: list[tuple[str, ...]]) -> None:
        _commas, _uids, ats, clocks, _units, resources, actions, statuses, notes, reverts = zip(
            *rows, strict=True
        )
        latest_at = max(ats)
        if latest_at > self.limit_stamp:
            raise NotSure  # from the future: the models say so
        if not all(_is_stamp(day + "T00:00:00.000000Z") for day in {at[:10] for at in ats}):
            raise NotSure
        latest = max(map(int, clocks))
        if latest >= MAX_CLOCK or latest > self.limit:
            raise NotSure
        self.staged.latest = max(self.staged.latest, latest_at)
        self.staged.latest_clock = max(self.staged.latest_clock, latest)
        no_notes, no_reverts = map("null".__eq__, notes), map("null".__eq__, reverts)
        shapes = set(zip(actions, statuses, no_notes, no_reverts, strict=True))
        if not all(self.fits(*shape) for shape in shapes):
            raise NotSure
        if not all(self.names(*pair) for pair in set(zip(actions, resources, strict=True))):
            raise NotSure
        for action, note in set(zip(actions, notes, strict=True)):
            if note != "null" and not _note_fits(action, _decoded(note)):
                raise NotSure
        start = self.staged.changes
        if "define" in actions:
            self.staged.definitions += [
                (start + index, resources[index], _decoded(notes[index]))
                for index, action in enumerate(actions)
                if action == "define"
            ]
        if "\\" in body:
            decoded = [(*row[:7], *map(_decoded, row[7:])) for row in rows]
            self.write(_CHANGES_DECODED, decoded)
        else:
            self.write(_CHANGES_RAW, rows)
        self.staged.changes += len(rows)

    def fits(self, action: str, status: str, no_note: bool, no_reverts: bool) -> bool:
        """Whether a change's status, note and reverts fit its action (the note's text
        is checked apart)."""
        if action == "status":
            return status != "null" and no_reverts
        if action == "note":
            return status == "null" and not no_note and no_reverts
        if action == "undo":
            return status == "null" and no_note and not no_reverts
        return self.version >= 3 and status == "null" and no_reverts  # define

    def names(self, action: str, key: str) -> bool:
        """Whether `key` is what a change of `action` is about."""
        if action in ("status", "note"):
            return _is_resource(key)
        if action == "undo":
            return _is_resource(key) or _is_definition_key(key)
        return _is_definition_key(key)


def _note_fits(action: str, note: str | None) -> bool:
    if note is None or not _is_text(note):
        return False
    if action == "note":
        return bool(note.strip())
    if action == "define":
        return quick_object(note) is not None
    return action == "status"  # an undo has no note


def _decoded(literal: str) -> str | None:
    """The value of a JSON literal the patterns matched: null or a string."""
    if literal == "null":
        return None
    if "\\" not in literal:
        return literal[1:-1]
    from _json import scanstring

    value, end = scanstring(literal, 1, True)
    if end != len(literal):
        raise NotSure
    return value


def _rows(item: _Item, body: str, first: bool) -> list[tuple[str, ...]]:
    rows = item.rows(body, first)
    if rows is None:
        raise NotSure
    return rows


def refuse_bad_staged_definitions(staged: StagedExport, origin: str) -> None:
    """:func:`mlpath.import_quick.refuse_bad_definitions` for a staged export."""
    from mlpath.import_quick import definition_problems_message

    message = definition_problems_message(staged.definitions, origin)
    if message:
        raise ImportFileError(message)
