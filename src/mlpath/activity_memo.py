"""What `progress` found out about days that are over, kept until their history changes.

A ten-year streak is found by walking back a day at a time, the calendar counts every
change of its weeks, and the ids no longer in the catalog are found by walking every
id the history holds: each costs what the history holds, yet none of it changes once
a day is over, unless a change dated that day (or earlier) arrives or is taken back.
Every write that could do that adds rows to the history (an undo adds its undo rows,
an import or sync the rows it brings), so the store's newest row tells whether
anything was written since: a later run reads only the rows added since then, and
keeps of this record what they leave untouched.

Kept per progress store, in mlpath's cache, for the system's time zone only (which
days a change falls on depends on it): a file of ours, trusted only when nobody else
can have written it, and simply rebuilt when it is missing, damaged or out of date.
"""

from __future__ import annotations

import os

from mlpath.dates import date, timedelta
from mlpath.history_since import attached_files, newest_change, written_since
from mlpath.kept_file import ZONE_FILE, identity, keep, read_kept
from mlpath.paths import cache_dir, name_hash
from mlpath.timefmt import local_date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.db import sqlite3

FORMAT = "mlpath-activity 1"
# A record holds a calendar's days and the ids a catalog lacks: far less than this.
MAX_BYTES = 4 * 1024 * 1024


class ActivityMemo:
    """What was known of the days up to `through` (inclusive) as of change `seq`.

    `counts`: live changes per day from `since` to `through` (a day not there had
    none);
    `run_start`: the first day of the unbroken run of active days ending `through`
    (None: `through` itself had none), or unknown (`run_known` False) once a change
    dated on or before it was written; `orphans`: the ids of the history that the
    catalog copy `catalog` lacks, live or not (None: not known for this catalog);
    `fresh_ids`: the ids of the rows written since, and of the changes their undos
    take back.
    """

    def __init__(
        self,
        store: str,
        zone: str,
        seq: int,
        uid: str,
        since: date,
        through: date,
        counts: dict[date, int],
        run_start: date | None,
        catalog: str,
        orphans: list[str] | None,
    ) -> None:
        self.store = store
        self.zone = zone
        self.seq = seq
        self.uid = uid
        self.since = since
        self.through = through
        self.counts = counts
        self.run_start = run_start
        self.run_known = True
        self.catalog = catalog
        self.orphans = orphans
        self.fresh_ids: list[str] = []

    def encode(self) -> bytes:
        lines = [
            FORMAT,
            self.store,
            self.zone,
            f"{self.seq} {self.uid}",
            self.since.isoformat(),
            self.through.isoformat(),
            self.run_start.isoformat() if self.run_start else "-",
            " ".join(f"{day.isoformat()}:{n}" for day, n in sorted(self.counts.items())),
            self.catalog,
            str(len(self.orphans)) if self.orphans is not None else "-",
            *(self.orphans or ()),
        ]
        return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def memo_file(store: str) -> str:
    return os.path.join(cache_dir(), "activity", f"{name_hash(store):08x}")


def zone_key() -> str:
    """What decides the system's local days: TZ, else the zone file it points at."""
    return f"{os.environ.get('TZ', '')}|{identity(ZONE_FILE)}"


def decode(data: bytes) -> ActivityMemo | None:
    try:
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        if lines[0] != FORMAT or lines[-1] != "" or len(lines) < 11:
            return None
        seq, uid = lines[3].split(" ")
        counts: dict[date, int] = {}
        for field in lines[7].split():
            day, _, n = field.partition(":")
            counts[date.fromisoformat(day)] = int(n)
        return ActivityMemo(
            store=lines[1],
            zone=lines[2],
            seq=int(seq),
            uid=uid,
            since=date.fromisoformat(lines[4]),
            through=date.fromisoformat(lines[5]),
            counts=counts,
            run_start=None if lines[6] == "-" else date.fromisoformat(lines[6]),
            catalog=lines[8],
            orphans=None if lines[9] == "-" else lines[10 : 10 + int(lines[9])],
        )
    except ValueError:
        return None


def load(db: sqlite3.Connection, today: date) -> ActivityMemo | None:
    """The record for the attached store, made current: what the rows written since it
    leave true, or None when there is none that can be trusted."""
    catalog, store = attached_files(db)
    data = read_kept(memo_file(store), MAX_BYTES) if store else None
    memo = decode(data) if data is not None else None
    if memo is None or memo.store != store or memo.zone != zone_key() or memo.through >= today:
        return None
    since = written_since(db, memo.seq, memo.uid)
    if since is None:  # another history than the one it was made from
        return None
    if memo.catalog != identity(catalog):
        memo.orphans = None
    memo.fresh_ids = since.ids
    if since.earliest is not None:
        last_untouched = local_date(since.earliest) - timedelta(days=1)
        if last_untouched < memo.through:
            memo.through = last_untouched
            memo.counts = {day: n for day, n in memo.counts.items() if day <= last_untouched}
            memo.run_known = False
    return memo


def save(
    db: sqlite3.Connection,
    before: ActivityMemo | None,
    since: date,
    yesterday: date,
    counts: dict[date, int],
    streak_through_yesterday: int,
    orphans: list[str],
) -> None:
    """Keep what this run found (only if it differs from what was kept); called in the
    read transaction the figures were read in, so they are those of its newest row."""
    catalog, store = attached_files(db)
    newest = newest_change(db)
    if not store or newest is None or any("\n" in rid for rid in orphans):
        return
    memo = ActivityMemo(
        store=store,
        zone=zone_key(),
        seq=newest[0],
        uid=newest[1],
        since=since,
        through=yesterday,
        counts={day: n for day, n in counts.items() if since <= day <= yesterday},
        run_start=(
            yesterday - timedelta(days=streak_through_yesterday - 1)
            if streak_through_yesterday
            else None
        ),
        catalog=identity(catalog),
        orphans=sorted(orphans),
    )
    data = memo.encode()
    if before is not None and before.run_known and before.encode() == data:
        return
    keep(memo_file(store), data)
