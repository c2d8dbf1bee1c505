"""An ordinary catalog read into its cache a few resources at a time.

Parsing a 100,000-resource catalog whole holds about 110 MB of Python objects at once,
on top of its 31 MB of text. Here the top-level object is walked by hand and each
value is parsed by json's own scanner (so what it accepts, and how, is json.loads's):
the resources array one element at a time, each piece checked by the rules of
mlpath.catalog_quick and written into the cache before the next is parsed.

It takes the usual layout only: the sections before the resources, and the resources
in path order (section by section, as the bundled catalogs and benchmarks/harness.py
write them). Anything else raises Unusual, and the whole-catalog check decides.

A big catalog is checked in a second process (forked, where there is os.fork) while
this one writes: each reads the same text, one with the checks and one with SQLite,
so a first run takes about the longer of the two instead of their sum. Nothing is
committed before the second process has said that the catalog is ordinary.
"""

from __future__ import annotations

import json
import json.decoder
import os
import sys
from operator import itemgetter

from mlpath import catalog_tables
from mlpath.catalog_quick import (
    CATALOG_KEYS,
    NOT_ORDINARY,
    Resources,
    head_ok,
    keys_of,
    sections_ok,
)
from mlpath.db import sqlite3

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    # Told (resources written, about how many there are) after each piece.
    Written = Callable[[int, int], None]

# Resources parsed before a piece is checked and written: enough that each step's fixed
# cost is nothing beside its rows, few enough that a piece's objects stay a few MB.
PIECE = 2048
# Text from which the checks run in a second process beside the writing: below it a
# fork and a second parse cost more than the checks they take off this one.
SIDE_CHECK_FROM = 1024 * 1024
# json's own whitespace, and its pattern.
SPACES = " \t\n\r"
_WHITESPACE: Any = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]


class Unusual(Exception):
    """Not in the layout this reader takes; the whole-catalog check decides."""


class Refused(Unusual):
    """Not an ordinary catalog (perhaps no catalog at all): the models decide, and say
    what is wrong."""


def stream_catalog(
    conn: sqlite3.Connection,
    text: str,
    finish: Callable[[catalog_tables.Totals, dict[str, Any]], dict[str, str]],
    written: Written | None = None,
    side: SideCheck | None = None,
) -> None:
    """Write the cache of the catalog `text` into the empty database `conn`; checked
    here, or by `side` (SideCheck.start of the same text) while it is written.

    `finish`, given the resources' totals and every top-level field but the resources,
    says the meta table. Raises Unusual (or Refused), leaving `conn` half-written, for
    anything else.
    """
    reader = _Reader(conn, text, written, side)
    try:
        head = reader.walk()
        ordinary = head_ok(head) and (side is not None or reader.check.done())
    except (*NOT_ORDINARY, StopIteration, *UNWRITABLE):
        # json's scanner raises StopIteration where no value begins, ValueError for what
        # else it refuses; the checks these on shapes they did not foresee; and the
        # tables refuse what the checks would have (an id twice, or, unchecked beside a
        # side check, a value SQLite cannot hold).
        raise Refused from None
    if not ordinary:
        raise Refused
    catalog_tables.finish(
        conn,
        head["sections"],
        finish(reader.totals, head),
        ready=side.wait if side is not None else None,
    )


# What writing raises for values the checks would have refused.
UNWRITABLE = (
    sqlite3.IntegrityError,
    sqlite3.ProgrammingError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    OverflowError,
)


def check_catalog(text: str) -> bytes:
    """What the reading of `text` with the checks and nothing written finds: ORDINARY,
    REFUSED or UNUSUAL."""
    reader = _Reader(None, text, None, None)
    try:
        head = reader.walk()
        ordinary = head_ok(head) and reader.check.done()
    except Refused:
        return REFUSED
    except Unusual:
        return UNUSUAL
    except (*NOT_ORDINARY, StopIteration):
        return REFUSED
    return ORDINARY if ordinary else REFUSED


ORDINARY, REFUSED, UNUSUAL = b"o", b"r", b"u"


class SideCheck:
    """check_catalog in a child process, its verdict read through a pipe; stop() it
    once done with it."""

    __slots__ = ("_fd", "_pid", "_verdict")

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._verdict: bytes | None = None

    @classmethod
    def start(cls, text: str) -> SideCheck | None:
        """The check of `text` under way in a child; None for a text too short to gain
        by it, where there is no fork, or where other threads run (a child gets only
        this one, and perhaps the locks the others held)."""
        threading = sys.modules.get("threading")
        if (
            len(text) < SIDE_CHECK_FROM
            # Linux only: elsewhere a forked child of a process that has loaded system
            # libraries is not safe (macOS), or there is no fork.
            or sys.platform != "linux"
            or (threading is not None and threading.active_count() > 1)
        ):
            return None
        try:
            read, write = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # pragma: no cover - the child, whose end coverage never sees
            code = 1
            try:
                os.close(read)
                os.write(write, check_catalog(text))
                code = 0
            finally:
                # Never this process's exit handlers, buffers or connections: they are
                # the parent's.
                os._exit(code)
        os.close(write)
        os.set_blocking(read, False)
        return cls(pid, read)

    def poll(self) -> None:
        """Raise Refused or Unusual if the child has found the catalog so."""
        if self._verdict is None:
            try:
                self._verdict = os.read(self._fd, 1)
            except BlockingIOError:
                return
        self._judge()

    def wait(self) -> None:
        """Return once the child has found the catalog ordinary; else Refused or
        Unusual (the child gone without a word: the whole-catalog check decides)."""
        if self._verdict is None:
            os.set_blocking(self._fd, True)
            self._verdict = os.read(self._fd, 1)
        self._judge()

    def _judge(self) -> None:
        if self._verdict == REFUSED:
            raise Refused
        if self._verdict != ORDINARY:
            raise Unusual

    def stop(self) -> None:
        """The child ended (killed if it has not said) and reaped; the pipe closed."""
        if self._pid:
            if self._verdict is None:
                try:
                    os.kill(self._pid, 9)
                except OSError:
                    pass
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = 0
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


class _Reader:
    __slots__ = (
        "_conn",
        "_last",
        "_ranks",
        "_scan",
        "_side",
        "_start",
        "_text",
        "_written",
        "check",
        "totals",
    )

    def __init__(
        self,
        conn: sqlite3.Connection | None,
        text: str,
        written: Written | None,
        side: SideCheck | None,
    ) -> None:
        # No connection: only checked (SideCheck's child); a side check: only written.
        self._conn = conn
        self._side = side
        self._text = text
        self._written = written
        # json.loads's own scanner (the C one where there is one), as its decoder sets it.
        self._scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self._ranks: dict[str, int] = {}
        self._last = 0
        self._start = 0
        self.check = Resources(())
        self.totals = catalog_tables.Totals()

    def walk(self) -> dict[str, Any]:
        """Read the top-level object, streaming its resources; its other fields."""
        text, scan, skip = self._text, self._scan, _skip
        head: dict[str, Any] = {}
        i = skip(text, 0)
        if text[i] != "{":
            raise Refused
        i = skip(text, i + 1)
        while True:
            if text[i] != '"':
                raise Refused
            key, i = scan(text, i)
            i = skip(text, i)
            if text[i] != ":":
                raise Refused
            i = skip(text, i + 1)
            if key in head:
                raise Unusual  # json.loads keeps the last: the whole-catalog check
            if key not in CATALOG_KEYS:
                raise Refused
            if key == "resources":
                i = self._resources(head.get("sections"), i)
                head[key] = None
            else:
                head[key], i = scan(text, i)
            i = skip(text, i)
            if text[i] == "}":
                break
            if text[i] != ",":
                raise Refused
            i = skip(text, i + 1)
        if skip(text, i + 1) != len(text) or "resources" not in head:
            raise Refused
        del head["resources"]
        return head

    def _resources(self, sections: Any, i: int) -> int:
        """Stream the array at `i`; where it ends."""
        if sections is None:
            raise Unusual  # the resources come first: their order is not known yet
        if type(sections) is not list or not sections or not sections_ok(sections):
            raise Refused
        self.check = Resources(sections)
        self._ranks = {s["id"]: rank for rank, s in enumerate(sections)}
        if self._conn is not None:
            catalog_tables.begin(self._conn)
            catalog_tables.write_sections(self._conn, sections)
        text, scan = self._text, self._scan
        if text[i] != "[":
            raise Refused
        self._start = i
        i = _skip(text, i + 1)
        if text[i] == "]":
            raise Refused  # no resources
        piece: list[Any] = []
        add = piece.append
        # _skip inline: a call per resource costs more than the pattern's match.
        spaces = _WHITESPACE
        while True:
            value, i = scan(text, i)
            add(value)
            c = text[i]
            if c in SPACES:
                i = spaces(text, i).end()
                c = text[i]
            if c == "]":
                self._write(piece, i, True)
                return i + 1
            if c != ",":
                raise Refused
            i = spaces(text, i + 1).end()
            if len(piece) == PIECE:
                self._write(piece, i, False)
                piece = []
                add = piece.append

    def _write(self, piece: list[Any], at: int, last: bool) -> None:
        """Check and write the resources of `piece`, read up to `at` in the text."""
        fields = keys_of(piece)
        columns: dict[str, list[Any]] = {}
        if self._side is None:
            if not self.check.add(piece, fields, columns):
                raise Refused
        else:
            self._side.poll()
            # The required fields' values, as the check would have left them: taken once
            # for the rows and the totals alike (a missing one: KeyError, refused).
            for name in catalog_tables.GIVEN_FIELDS:
                columns[name] = list(map(itemgetter(name), piece))
        sections = columns["section"]
        ranks = list(map(self._ranks.__getitem__, sections))
        if ranks[0] < self._last or ranks != sorted(ranks):
            raise Unusual  # not in path order: the whole-catalog check sorts them
        self._last = ranks[-1]
        if self._conn is None:
            return
        totals = self.totals
        catalog_tables.write_resources(self._conn, piece, totals.count, fields, columns)
        catalog_tables.write_links(self._conn, piece, fields)
        totals.add(piece, fields, columns)
        if self._written is not None:
            # How many there are, as far as the text read so far tells.
            of = len(self._text) - self._start
            read = at - self._start
            self._written(totals.count, totals.count if last else totals.count * of // read)


def _skip(text: str, i: int) -> int:
    """Past json's whitespace from `i`."""
    return int(_WHITESPACE(text, i).end())
