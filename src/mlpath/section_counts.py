"""Each section's counts over the whole catalog as the statuses stand, kept between runs.

`next`'s totals, `sections` and `progress` all start from these figures, and counting
them reads every resource with a status: at 100,000 resources most of the run, though
a day's work moves a handful. So they are kept in mlpath's cache with the store's
newest change they were counted at, for the catalog copy they were counted in (see
history_since): a later run takes each resource whose status changed since out of its
section at its old status and puts it back at its new one. A definition, or an undo of
one, may add or withdraw a resource of the learner's own: the counts are then made
afresh, as they are for another catalog, another history, or a record that cannot be
trusted (a file of ours that nobody else can write, see kept_file).
"""

from __future__ import annotations

import os

from mlpath.counts import SETTLED, Tally
from mlpath.goal import CHOSEN
from mlpath.history_since import (
    attached_files,
    has_history,
    newest_change,
    statuses_as_of,
    written_since,
)
from mlpath.kept_file import identity, keep, read_kept
from mlpath.part_status import settled_part_minutes
from mlpath.paths import cache_dir, name_hash

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mlpath.db import sqlite3

FORMAT = "mlpath-section-counts 1"
# Between a section's id and its figures.
SEPARATOR = "\x1f"
# A section's line: far less than this, and sections are few.
MAX_BYTES = 4 * 1024 * 1024


class SectionCounts:
    """A section's tally over the whole catalog, the minutes of what was skipped, and
    its optional resources not chosen (see mlpath.goal.unchosen): `optional[slot(...)]`
    counts, and the next slot minutes, by cost and status (none or skipped)."""

    __slots__ = ("minutes_skipped", "optional", "tally")

    def __init__(self, tally: Tally, minutes_skipped: int, optional: tuple[int, ...]) -> None:
        self.tally = tally
        self.minutes_skipped = minutes_skipped
        self.optional = optional

    def _key(self) -> tuple[object, ...]:
        return (self.tally, self.minutes_skipped, self.optional)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SectionCounts) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"SectionCounts({self.tally!r}, {self.minutes_skipped}, {self.optional})"

    def figures(self) -> list[int]:
        t = self.tally
        return [
            t.total,
            t.done,
            t.doing,
            t.skipped,
            t.minutes_done,
            t.minutes_left,
            self.minutes_skipped,
            *self.optional,
        ]

    def moved(self, resource: Moving, old: str, new: str) -> SectionCounts:
        """These counts with one resource moved from status `old` to `new`."""
        was, now = _share(resource, old), _share(resource, new)
        figures = [a - b + c for a, b, c in zip(self.figures(), was, now, strict=True)]
        return of_figures(figures)


class Moving:
    """What the counts need of a resource whose status moved."""

    __slots__ = ("minutes", "optional", "paid")

    def __init__(self, minutes: int, optional: bool, paid: bool) -> None:
        self.minutes = minutes
        self.optional = optional
        self.paid = paid


# Optional resources not chosen, by cost and status: two numbers (count, minutes) each.
OUTSIDE = ((False, "todo"), (False, "skipped"), (True, "todo"), (True, "skipped"))
FIGURES = 7 + 2 * len(OUTSIDE)


def slot(paid: bool, status: str) -> int:
    return 2 * OUTSIDE.index((paid, status))


def of_figures(figures: list[int]) -> SectionCounts:
    return SectionCounts(Tally(*figures[:6]), figures[6], tuple(figures[7:]))


def _share(resource: Moving, status: str) -> list[int]:
    """One resource's part of a section's figures, as the counting query gives them."""
    minutes = resource.minutes
    outside = [0] * (2 * len(OUTSIDE))
    if resource.optional and status not in CHOSEN:
        at = slot(resource.paid, status)
        outside[at : at + 2] = [1, minutes]
    return [
        1,
        status == "done",
        status == "doing",
        status == "skipped",
        minutes if status == "done" else 0,
        minutes if status not in SETTLED else 0,
        minutes if status == "skipped" else 0,
        *outside,
    ]


def unchosen(kept: Kept, scope: str, by_section: bool = False) -> list[tuple[Any, ...]]:
    """What mlpath.goal.unchosen reads from the catalog, from the counts: (status or None,
    count, minutes), with `by_section` (section, status, count, minutes)."""
    if scope == "all":
        return []
    found: dict[tuple[str, str | None], list[int]] = {}
    for section, c in kept.sections.items():
        for paid, status in OUTSIDE:
            if scope == "free" and not paid:
                continue
            at = slot(paid, status)
            count, minutes = c.optional[at : at + 2]
            if count:
                key = (section if by_section else "", None if status == "todo" else status)
                figures = found.setdefault(key, [0, 0])
                figures[0] += count
                figures[1] += minutes
    return [
        ((section, status, *figures) if by_section else (status, *figures))
        for (section, status), figures in found.items()
    ]


class Kept:
    """What is kept: each section's counts by id, and per resource not settled itself
    the minutes of its parts done and settled (see mlpath.part_status)."""

    __slots__ = ("sections", "settled_parts")

    def __init__(
        self, sections: dict[str, SectionCounts], settled_parts: dict[str, tuple[int, int]]
    ) -> None:
        self.sections = sections
        self.settled_parts = settled_parts

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Kept)
            and self.sections == other.sections
            and self.settled_parts == other.settled_parts
        )

    def __hash__(self) -> int:
        return hash((tuple(self.sections.items()), tuple(self.settled_parts.items())))

    def __repr__(self) -> str:
        return f"Kept({self.sections!r}, {self.settled_parts!r})"


def section_counts(db: sqlite3.Connection) -> Kept:
    """The counts over the catalog behind `db`, as the statuses stand."""
    own = not db.in_transaction
    if own:  # the counts and the change they are kept at: one state of the store
        db.execute("BEGIN")
    try:
        return _section_counts(db)
    finally:
        if own and db.in_transaction:
            db.execute("COMMIT")


def _section_counts(db: sqlite3.Connection) -> Kept:
    catalog, store = attached_files(db)
    if not store or not has_history(db):
        return untouched(db)
    newest = newest_change(db)
    if newest is None:
        return untouched(db)
    path = record_file(store)
    data = read_kept(path, MAX_BYTES)
    record = decode(data, store, identity(catalog)) if data is not None else None
    kept = None
    if record is not None:
        seq, uid, before = record
        since = written_since(db, seq, uid)
        if since is not None and not since.defines:
            kept = _moved(db, before, since.ids, seq)
    if kept is None:
        kept = count(db)
    text = encode(store, identity(catalog), newest, kept)
    if text is not None and text != data:
        keep(path, text)
    return kept


def untouched(db: sqlite3.Connection) -> Kept:
    """The counts before anything has a status (no history): the catalog's totals per
    section, and its optional resources by cost, read off their indexes."""
    outside: dict[str, list[int]] = {}
    for section, paid, resources, minutes in db.execute(
        "SELECT section, cost != 'free', count(*), sum(minutes) FROM resources "
        "WHERE optional = 1 GROUP BY section, cost != 'free'"
    ):
        at = slot(bool(paid), "todo")
        outside.setdefault(section, [0] * (2 * len(OUTSIDE)))[at : at + 2] = [resources, minutes]
    sections = {
        section: of_figures(
            [resources, 0, 0, 0, 0, minutes, 0, *outside.get(section, [0] * (2 * len(OUTSIDE)))]
        )
        for section, resources, minutes in db.execute(
            "SELECT section, resources, minutes FROM section_totals WHERE resources > 0"
        )
    }
    return Kept(sections, {})


def count(db: sqlite3.Connection) -> Kept:
    """The counts, from every resource and its status."""
    outside = []
    for paid, status in OUTSIDE:
        cost = "r.cost != 'free'" if paid else "r.cost = 'free'"
        has = "c.status = 'skipped'" if status == "skipped" else "c.status IS NULL"
        when = f"r.optional = 1 AND {cost} AND {has}"
        outside.append(f"coalesce(sum({when}), 0), ")
        outside.append(f"coalesce(sum(CASE WHEN {when} THEN r.minutes END), 0), ")
    rows = db.execute(
        "SELECT r.section, count(*), "
        "coalesce(sum(c.status = 'done'), 0), coalesce(sum(c.status = 'doing'), 0), "
        "coalesce(sum(c.status = 'skipped'), 0), "
        "coalesce(sum(CASE WHEN c.status = 'done' THEN r.minutes END), 0), "
        "coalesce(sum(CASE WHEN coalesce(c.status, 'todo') IN ('todo', 'doing') "
        "THEN r.minutes END), 0), "
        f"{''.join(outside)}"
        "coalesce(sum(CASE WHEN c.status = 'skipped' THEN r.minutes END), 0) "
        "FROM resources r LEFT JOIN progress.current c ON c.resource = r.id "
        "GROUP BY r.section"
    )
    # The skipped minutes come last in the query, seventh in the figures.
    sections = {row[0]: of_figures([*row[1:7], row[-1], *row[7:-1]]) for row in rows}
    return Kept(sections, settled_part_minutes(db))


def _moved(db: sqlite3.Connection, kept: Kept, ids: list[str], seq: int) -> Kept:
    counts = dict(kept.sections)
    for start in range(0, len(ids), 500):  # SQLite bounds a statement's parameters
        batch = ids[start : start + 500]
        marks = ", ".join("?" * len(batch))
        now = dict(
            db.execute(
                f"SELECT resource, status FROM progress.current WHERE resource IN ({marks})",
                batch,
            ).fetchall()
        )
        rows = db.execute(
            "SELECT id, section, minutes, optional, cost != 'free' FROM resources "
            f"WHERE id IN ({marks})",
            batch,
        ).fetchall()
        was = statuses_as_of(db, [row[0] for row in rows], seq)
        for rid, section, minutes, optional, paid in rows:
            old, new = was.get(rid, "todo"), now.get(rid, "todo")
            if old != new:
                moving = Moving(minutes, bool(optional), bool(paid))
                counts[section] = counts[section].moved(moving, old, new)
    # A resource's parts are settled afresh when it or one of its parts moved.
    touched = {key.partition("/")[0] for key in ids}
    settled = {rid: v for rid, v in kept.settled_parts.items() if rid not in touched}
    settled.update(settled_part_minutes(db, sorted(touched)))
    return Kept(counts, settled)


def record_file(store: str) -> str:
    return os.path.join(cache_dir(), "sections", f"{name_hash(store):08x}")


def encode(store: str, catalog: str, newest: tuple[int, str], kept: Kept) -> bytes | None:
    texts = (store, catalog, *kept.sections, *kept.settled_parts)
    if any("\n" in s or SEPARATOR in s for s in texts):
        return None
    lines = [FORMAT, store, catalog, f"{newest[0]} {newest[1]}", str(len(kept.sections))]
    for section, c in kept.sections.items():
        lines.append(f"{section}{SEPARATOR}{' '.join(map(str, c.figures()))}")
    for rid, (done, settled) in kept.settled_parts.items():
        lines.append(f"{rid}{SEPARATOR}{done} {settled}")
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def decode(data: bytes, store: str, catalog: str) -> tuple[int, str, Kept] | None:
    """(seq, uid, what was kept) of a record made for this store and catalog copy."""
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 6 or lines[:3] != [FORMAT, store, catalog] or lines[-1] != "":
        return None
    try:
        seq, uid = lines[3].split(" ")
        sections = {}
        settled = {}
        for number, line in enumerate(lines[5:-1]):
            key, _, text = line.partition(SEPARATOR)
            figures = [int(n) for n in text.split(" ")]
            if number < int(lines[4]) and len(figures) == FIGURES:
                sections[key] = of_figures(figures)
            elif number >= int(lines[4]) and len(figures) == 2:
                settled[key] = (figures[0], figures[1])
            else:
                return None
        return int(seq), uid, Kept(sections, settled)
    except ValueError:
        return None
