"""Progress inside a resource: the status of each of its parts.

A part's progress is kept in the store like a resource's, under the key
`RESOURCE/PART-ID` (ids never hold a slash), so history, undo, export and import carry
parts with nothing added; the part id, not its number, keeps progress when a catalog
update inserts or reorders parts. Standard library only: `next` reads this.
"""

from __future__ import annotations

from mlpath.catalog import PART_COLUMNS, Part
from mlpath.counts import SETTLED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from mlpath.db import sqlite3

SEPARATOR = "/"


def part_key(resource_id: str, part_id: str) -> str:
    """The store key of a part's progress."""
    return f"{resource_id}{SEPARATOR}{part_id}"


def is_part_key(key: str) -> bool:
    return SEPARATOR in key


class PartsProgress:
    """A resource's parts, each with its status, and the first one still open."""

    __slots__ = ("parts", "statuses")

    def __init__(self, parts: Sequence[Part], statuses: Sequence[str]) -> None:
        self.parts = tuple(parts)
        self.statuses = tuple(statuses)

    @property
    def total(self) -> int:
        return len(self.parts)

    @property
    def settled(self) -> int:
        return sum(status in SETTLED for status in self.statuses)

    @property
    def done(self) -> int:
        return sum(status == "done" for status in self.statuses)

    @property
    def minutes_settled(self) -> int:
        return sum(
            p.minutes for p, s in zip(self.parts, self.statuses, strict=True) if s in SETTLED
        )

    @property
    def minutes_done(self) -> int:
        return sum(
            p.minutes for p, s in zip(self.parts, self.statuses, strict=True) if s == "done"
        )

    @property
    def next(self) -> Part | None:
        """The part to do next: the first in progress, else the first still to do."""
        for wanted in ("doing", "todo"):
            for part, status in zip(self.parts, self.statuses, strict=True):
                if status == wanted:
                    return part
        return None

    def status_of(self, part: Part) -> str:
        return self.statuses[part.position - 1]

    def to_json(self) -> dict[str, Any]:
        following = self.next
        return {
            "total": self.total,
            "done": self.done,
            "settled": self.settled,
            "next": following.position if following else None,
            "parts": [
                {**p.to_json(), "status": s}
                for p, s in zip(self.parts, self.statuses, strict=True)
            ],
        }


def parts_progress(db: sqlite3.Connection, resource_id: str) -> PartsProgress | None:
    """The parts of one resource with their statuses; None when it has none.

    `db` is the catalog cache with the store attached as `progress` (Workspace.db()).
    """
    columns = ", ".join(f"p.{c.strip()}" for c in PART_COLUMNS.split(","))
    rows = db.execute(
        f"SELECT {columns}, coalesce(c.status, 'todo') FROM parts p "
        "LEFT JOIN progress.current c ON c.resource = p.resource || ? || p.id "
        "WHERE p.resource = ? ORDER BY p.position",
        (SEPARATOR, resource_id),
    ).fetchall()
    if not rows:
        return None
    return PartsProgress([Part(*row[:-1]) for row in rows], [row[-1] for row in rows])


# Settled parts of resources that are not settled themselves, by resource: what a
# learner has done inside what they are still working through.
SETTLED_PARTS_SQL = (
    "SELECT p.resource, p.minutes, c.status FROM progress.current c "
    "JOIN parts p ON p.resource = substr(c.resource, 1, instr(c.resource, '/') - 1) "
    "AND p.id = substr(c.resource, instr(c.resource, '/') + 1) "
    "LEFT JOIN progress.current whole ON whole.resource = p.resource "
    "WHERE instr(c.resource, '/') > 0 AND c.status IN ('done', 'skipped') "
    "AND coalesce(whole.status, 'todo') NOT IN ('done', 'skipped')"
)
# The same for a few resources, from their own parts (a key each, looked up).
SETTLED_PARTS_OF_SQL = (
    "SELECT p.resource, p.minutes, c.status FROM parts p "
    "CROSS JOIN progress.current c ON c.resource = p.resource || '/' || p.id "
    "LEFT JOIN progress.current whole ON whole.resource = p.resource "
    "WHERE p.resource IN ({marks}) AND c.status IN ('done', 'skipped') "
    "AND coalesce(whole.status, 'todo') NOT IN ('done', 'skipped')"
)


def settled_part_minutes(
    db: sqlite3.Connection, resources: Sequence[str] | None = None
) -> dict[str, tuple[int, int]]:
    """Per unsettled resource: minutes of its parts done, and done or skipped (of these
    `resources` only, when given)."""
    found: dict[str, tuple[int, int]] = {}
    if resources is None:
        batches: list[tuple[str, Sequence[str]]] = [(SETTLED_PARTS_SQL, ())]
    else:
        batches = [
            (SETTLED_PARTS_OF_SQL.format(marks=", ".join("?" * len(batch))), batch)
            for batch in (resources[i : i + 500] for i in range(0, len(resources), 500))
        ]
    for sql, params in batches:
        for resource, minutes, status in db.execute(sql, params):
            done, settled = found.get(resource, (0, 0))
            found[resource] = (done + (minutes if status == "done" else 0), settled + minutes)
    return found


def read_parts(db: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Part]:
    """The catalog's parts these store keys name (RESOURCE/PART-ID), by key."""
    wanted = sorted({tuple(key.partition(SEPARATOR)[::2]) for key in keys})
    found: dict[str, Part] = {}
    # One statement a batch, not one a key: an import that moves many parts names them
    # all. Bounded: SQLite limits the number of parameters in one statement.
    for at in range(0, len(wanted), 400):
        batch = wanted[at : at + 400]
        # A join from the keys (CROSS: in that order), so each seeks its resource's
        # parts; `(resource, id) IN (VALUES ...)` scanned the whole table.
        rows = db.execute(
            f"SELECT {', '.join('p.' + c for c in PART_COLUMNS.split(', '))} "
            f"FROM (VALUES {', '.join(['(?, ?)'] * len(batch))}) AS w "
            "CROSS JOIN parts AS p ON p.resource = w.column1 AND p.id = w.column2",
            [value for pair in batch for value in pair],
        )
        for row in rows:
            part = Part(*row)
            found[part.resource + SEPARATOR + part.id] = part
    return found
