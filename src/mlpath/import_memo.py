"""What big imports brought, kept so that importing the same file again costs a read.

Importing a file a second time changes nothing once every change of it is in the store,
and a change is never taken out of a store (an undo adds changes). So after an import
that streamed (mlpath.import_stream) and added changes, mlpath keeps, in a file beside
the store, the file's size and SHA-256, how many changes it holds, its latest time and
clock, and the uid of the unit the import recorded. A later import of a file with the
same bytes, into a store that holds that unit (so that import is in it, not undone by
a restored copy of the store), answers what a full import would: nothing imported, all
of its changes already present. Where anything differs (another mlpath, the clock set
back past the file's changes, a store without the unit), the file is imported in full.
"""

from __future__ import annotations

import os

from mlpath import __version__
from mlpath.kept_file import keep
from mlpath.store import MAX_AHEAD_MICROS, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mlpath.import_stream import StagedExport
    from mlpath.store import Store

NAME = "import-memo"
FORMAT = "mlpath-import-memo 1"
# Records kept, newest first: the files imported lately.
KEPT = 8
# Bytes hashed at a time.
BLOCK = 1 << 20


def memo_path(store_path: str) -> str:
    return os.path.join(os.path.dirname(store_path) or ".", NAME)


def file_digest(name: str) -> str | None:
    """The SHA-256 of the file `name`, read a block at a time; None if it cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(name, "rb") as handle:
            while block := handle.read(BLOCK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _records(store_path: str) -> list[list[str]]:
    """The kept records, each its fields; none where the memo is missing or not ours."""
    try:
        with open(memo_path(store_path), encoding="utf-8") as handle:
            lines = handle.read(64 * 1024).splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    if not lines or lines[0] != FORMAT:
        return []
    return [line.split(" ") for line in lines[1:] if line.count(" ") == 6]


def recall(
    store_path: str, store: Callable[[], Store | None], name: str, size: int, now: int
) -> int | None:
    """How many changes the file `name` (of `size` bytes) holds, where it was imported
    into the store at `store_path` (`store()` opens it) already and a full import would
    find them all there; else None."""
    kept = [r for r in _records(store_path) if r[0] == __version__ and r[1] == str(size)]
    if not kept:
        return None  # no file of this size was imported: it is not hashed
    opened = store()
    if opened is None:
        return None
    digest = file_digest(name)
    limit = now // 1000 + MAX_AHEAD_MICROS
    for _version, _size, hexdigest, changes, latest, clock, unit in kept:
        if hexdigest != digest or not changes.isdigit() or not clock.isdigit():
            continue
        # A full import would refuse a file dated a day past the clock (set back since).
        if latest > stamp(limit * 1000) or int(clock) > limit:
            return None
        try:
            held = opened.conn.execute("SELECT 1 FROM units WHERE uid = ?", (unit,)).fetchall()
        except Exception:  # noqa: BLE001 - any fault of the store: import in full
            return None
        return int(changes) if held else None
    return None


def remember(store_path: str, size: int, staged: StagedExport, unit: str) -> None:
    """Keep what the import of `staged` (a file of `size` bytes) brought in the unit
    `unit`; a memo that cannot be written is simply not kept."""
    if staged.digest is None or not staged.latest:
        return
    record = [
        __version__,
        str(size),
        staged.digest,
        str(staged.changes),
        staged.latest,
        str(staged.latest_clock),
        unit,
    ]
    if any(" " in field or "\n" in field for field in record):
        return
    kept = [r for r in _records(store_path) if r[2] != staged.digest][: KEPT - 1]
    text = "\n".join([FORMAT, " ".join(record), *(" ".join(r) for r in kept)]) + "\n"
    keep(memo_path(store_path), text.encode("utf-8"))
