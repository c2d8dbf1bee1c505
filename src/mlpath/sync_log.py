"""A machine's sync log: the file `mlpath sync` keeps in the shared folder.

One JSON object a line: a header naming the format, its version and the machine, then
one change a line, every field an export of version 3 carries plus its unit's label and
time. Lines are only ever appended, each batch in one write of whole lines, flushed to
disk before anything relies on it: a reader (another machine, a file-sync tool halfway
through copying) may see a last line cut short, never a line changed. A git repository
merges such a file with its usual tools, since each machine only adds lines at the end.

Reading checks a file's new lines completely before any of them is merged: a line that
is not a change mlpath wrote refuses the whole batch, with one message naming the line.
"""

from __future__ import annotations

import os

from mlpath.errors import SyncFileProblem
from mlpath.i18n import N_, _
from mlpath.import_quick import (
    _V2_CHANGE_KEYS,
    MAX_CLOCK,
    QuickChange,
    QuickUnit,
    _change_fits,
    _is_label,
    _is_stamp,
    _is_uid,
    quick_object,
)
from mlpath.os_errors import os_reason
from mlpath.store import MAX_AHEAD_MICROS, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LOG_FORMAT = "mlpath-sync"
LOG_VERSION = 1
PREFIX = "mlpath-"
SUFFIX = ".jsonl"
MACHINE_ID_LENGTH = 16
_HEX = "0123456789abcdef"
# The fields of a change line, in the order they are written.
LINE_KEYS = (
    "uid",
    "at",
    "clock",
    "unit",
    "unit_label",
    "unit_at",
    "resource",
    "action",
    "status",
    "note",
    "reverts",
)
_LINE_KEY_SET = frozenset(LINE_KEYS)
_HEADER_KEYS = frozenset(("format", "version", "machine"))
# A lifetime of history is a few MB; a log far larger than this is not one.
MAX_READ_BYTES = 512 * 1024 * 1024
# How much of a file before the point read up to is remembered, to notice a file that
# was replaced or cut short rather than only added to.
TAIL_BYTES = 64


def log_name(machine: str) -> str:
    """The file name of a machine's log in the shared folder."""
    return f"{PREFIX}{machine}{SUFFIX}"


def machine_of(name: str) -> str | None:
    """The machine id a log's file name holds; None when the name is not a log's."""
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        return None
    machine = name[len(PREFIX) : -len(SUFFIX)]
    if len(machine) != MACHINE_ID_LENGTH or machine.strip(_HEX):
        return None
    return machine


def is_stray(name: str) -> bool:
    """A file that looks like one of mlpath's but is no log: a conflict copy a file-sync
    tool made (`… (conflicted copy …).jsonl`, `….sync-conflict-….jsonl`), or another."""
    return name.startswith(PREFIX) and machine_of(name) is None


def new_machine_id() -> str:
    return os.urandom(MACHINE_ID_LENGTH // 2).hex()


def header_line(machine: str) -> bytes:
    import json

    header = {"format": LOG_FORMAT, "version": LOG_VERSION, "machine": machine}
    return (json.dumps(header, separators=(",", ":")) + "\n").encode("utf-8")


def change_lines(rows: list[tuple[Any, ...]]) -> bytes:
    """Log lines of rows as :meth:`mlpath.store.Store.recorded_here` gives them."""
    import json

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    return "".join(
        dumps(dict(zip(LINE_KEYS, row[1:12], strict=True))) + "\n" for row in rows
    ).encode("utf-8")


class Batch:
    """New lines of one log, checked: the changes and their units, as an export holds
    them (what mlpath.importing merges)."""

    __slots__ = ("changes", "lines", "units")

    def __init__(self, changes: list[QuickChange], units: list[QuickUnit], lines: int) -> None:
        self.changes = changes
        self.units = units
        self.lines = lines  # complete lines read, the header included


def parse(data: bytes, first_line: int, machine: str, now: int, origin: str) -> Batch:
    """The changes in `data`, complete lines only, the first of them line `first_line`
    of the file (1: the header). Raises SyncFileProblem, naming the line, for any line
    that is not what mlpath writes; nothing of the batch is then to be merged.

    `now`: nanoseconds since 1970; a change more than a day ahead of it is refused, as
    an import refuses it.
    """
    limit = now // 1000 + MAX_AHEAD_MICROS
    limit_stamp = stamp(limit * 1000)
    changes: list[QuickChange] = []
    units: dict[str, QuickUnit] = {}
    number = first_line - 1
    for raw_line in data.split(b"\n")[:-1]:
        number += 1
        try:
            text = raw_line.decode("utf-8")
        except UnicodeDecodeError:
            raise _garbage(origin, number, N_("it is not UTF-8 text")) from None
        entry = quick_object(text)
        if entry is None:
            raise _garbage(origin, number, N_("it is not a JSON object"))
        if number == 1:
            _check_header(entry, machine, origin)
            continue
        if entry.keys() != _LINE_KEY_SET:
            raise _garbage(origin, number, N_("its fields are not a change's"))
        change = {key: entry[key] for key in _V2_CHANGE_KEYS}
        clock, unit = entry["clock"], entry["unit"]
        if not (
            _change_fits(change, 3)
            and type(clock) is int
            and 0 <= clock < MAX_CLOCK
            and _is_uid(unit)
            and _is_label(entry["unit_label"])
            and _is_stamp(entry["unit_at"])
        ):
            raise _garbage(origin, number, N_("it is not a change this mlpath can read"))
        if clock > limit or entry["at"] > limit_stamp:
            raise problem(
                origin,
                _(
                    "line {line} claims the time {at}, more than a day ahead of this "
                    "machine's clock; nothing of it was merged"
                ).format(line=number, at=entry["at"]),
                _("check the clock of the machine that wrote it (or this one's)"),
            )
        changes.append(QuickChange(change, clock, unit))
        units.setdefault(unit, QuickUnit(unit, entry["unit_label"], entry["unit_at"]))
    return Batch(changes, list(units.values()), number)


def _check_header(entry: dict[str, Any], machine: str, origin: str) -> None:
    version = entry.get("version")
    if entry.get("format") != LOG_FORMAT or entry.keys() != _HEADER_KEYS:
        raise _garbage(origin, 1, N_("it does not start as an {format} log"))
    if type(version) is not int or version < 1:
        raise _garbage(origin, 1, N_("its version is not one"))
    if version > LOG_VERSION:
        raise problem(
            origin,
            _(
                "it was written by a newer mlpath (sync log version {version}; this one "
                "reads version {LOG_VERSION})"
            ).format(version=version, LOG_VERSION=LOG_VERSION),
            _("upgrade mlpath here"),
        )
    if entry["machine"] != machine:
        raise _garbage(origin, 1, N_("it names another machine than its file name does"))


def _garbage(origin: str, line: int, why: str) -> SyncFileProblem:
    return problem(
        origin,
        _("line {line} is not a change mlpath wrote ({why}); nothing of it was merged").format(
            line=line, why=_(why).format(format=LOG_FORMAT)
        ),
        _("is it an mlpath sync log? Move it out of the folder if not"),
        _("move it aside and sync again: mlpath then writes it anew"),
    )


def problem(
    path: str, what: str, advice: str = "", own_advice: str | None = None
) -> SyncFileProblem:
    """A log skipped: `what` is wrong with it and, for another machine's log, `advice`
    (`own_advice` for this machine's own, where that differs)."""
    if advice:
        message = _("skipped {path}: {what} — {advice}").format(
            path=path, what=what, advice=advice
        )
    else:
        message = _("skipped {path}: {what}").format(path=path, what=what)
    return SyncFileProblem(message, path, what, advice if own_advice is None else own_advice)


def own_log_problem(exc: SyncFileProblem) -> str:
    """What `exc` means when the log is this machine's own, which sync cannot skip."""
    if exc.own_advice:
        return _("cannot use this machine's sync log {path}: {what} — {advice}").format(
            path=exc.path, what=exc.what, advice=exc.own_advice
        )
    return _("cannot use this machine's sync log {path}: {what}").format(
        path=exc.path, what=exc.what
    )


class Read:
    """What reading a log from a point found: the bytes from `start` to its end, and
    whether what was read before is no longer there (`restarted`: read from the start)."""

    __slots__ = ("data", "restarted", "size", "start")

    def __init__(self, data: bytes, start: int, size: int, restarted: bool) -> None:
        self.data = data
        self.start = start
        self.size = size
        self.restarted = restarted

    def complete(self) -> tuple[bytes, int]:
        """The complete lines read, and the offset just past the last of them."""
        end = self.data.rfind(b"\n") + 1
        return self.data[:end], self.start + end


def read_from(path: str, origin: str, offset: int, tail: str) -> Read:
    """A log's bytes from `offset`, where the file still holds `tail` (hex) just before
    it; otherwise from its start. Raises SyncFileProblem for a file that cannot be read."""
    from mlpath import files

    try:
        fd, info = files.open_regular(path, follow_links=True)
    except files.NotRegular as exc:
        raise problem(
            origin, _("it is {kind}, not a regular file").format(kind=exc.kind)
        ) from None
    except OSError as exc:
        raise _unreadable(origin, exc) from None
    try:
        size = info.st_size
        restarted = False
        start = offset
        if offset:
            before = bytes.fromhex(tail)
            if size < offset:
                restarted = True
            else:
                os.lseek(fd, offset - len(before), os.SEEK_SET)
                restarted = _read_exactly(fd, len(before)) != before
            if restarted:
                start = 0
        if size - start > MAX_READ_BYTES:
            raise problem(
                origin,
                _("it is larger than {size} MB, far more than any history").format(
                    size=MAX_READ_BYTES // (1024 * 1024)
                ),
                _("is it an mlpath sync log?"),
                "",
            )
        os.lseek(fd, start, os.SEEK_SET)
        data = _read_exactly(fd, max(size - start, 0))
    except OSError as exc:
        raise _unreadable(origin, exc) from None
    finally:
        os.close(fd)
    return Read(data, start, size, restarted)


def _unreadable(origin: str, exc: OSError) -> SyncFileProblem:
    return problem(origin, _("it cannot be read: {reason}").format(reason=os_reason(exc)))


def _read_exactly(fd: int, count: int) -> bytes:
    """Up to `count` bytes (fewer only at the end of the file)."""
    chunks = []
    while count > 0:
        chunk = os.read(fd, min(count, 1 << 24))
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def tail_of(data: bytes) -> str:
    """What is remembered of the bytes just before a point read up to (hex)."""
    return data[-TAIL_BYTES:].hex()


def append(path: str, data: bytes) -> None:
    """Add whole lines at the end of this machine's log, in one write, on disk before
    returning: a crash leaves the file as it was or with all of them (or, at worst, a
    last line cut short, which readers leave for later and the next sync here repairs).
    """
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def cut_partial_line(path: str, size: int, data: bytes) -> int:
    """Drop a last line cut short from this machine's own log (`data`: all of it, `size`
    bytes); the file's new size."""
    end = data.rfind(b"\n") + 1
    if end < size:
        os.truncate(path, end)
    return end
