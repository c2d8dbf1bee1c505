"""The learner's own resources and parts laid over the catalog cache.

:func:`install` turns the store's definitions (mlpath.own) into TEMP tables and views
named like the cache's (`resources`, `parts`, `meta`: SQLite resolves an unqualified
name in temp first), so the SQL of `next`, `list`, `progress` and the rest sees one path
with the whole path's totals; the cache's own tables stay reachable as main.*.
Workspace.db() calls it only when the store holds a definition, so a learner without
any pays nothing. Standard library only.
"""

from __future__ import annotations

from mlpath.catalog import RESOURCE_COLUMNS, RESOURCE_WIDTH
from mlpath.own import (
    PART_FIELDS,
    PARTS_PREFIX,
    decode,
    own_parts,
    part_minutes,
    part_rows,
    resource_row,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from mlpath.db import sqlite3


def place(
    own: Mapping[str, Mapping[str, Any]],
    sections: Sequence[str],
    catalog: Mapping[str, tuple[int, str]],
    section_ends: Mapping[str, int],
) -> dict[str, tuple[float, str]]:
    """Where each own resource goes on the path: (position, section).

    `catalog` maps catalog ids to (position, section), `section_ends` each section to
    its last catalog position. An own resource goes right after the resource it was
    added `--after` (catalog or own, in the same section), else at the end of its
    section; several in one place keep the order they were added in. Positions fall
    between the catalog's whole numbers, so the catalog's order is never touched.
    """
    last = sections[-1]
    section_of = {
        key: value["section"] if value["section"] in section_ends else last
        for key, value in own.items()
    }

    def anchor(key: str) -> str:
        """The own or catalog id `key` follows, or `""` for the end of its section."""
        after = str(own[key].get("after") or "")
        if after in own and section_of[after] == section_of[key]:
            return str(after)
        if after in catalog and catalog[after][1] == section_of[key]:
            return str(after)
        return ""

    order = sorted(own, key=lambda k: (str(own[k].get("added") or ""), k))
    following: dict[tuple[str, str], list[str]] = {}
    for key in order:
        following.setdefault((section_of[key], anchor(key)), []).append(key)

    placed: dict[str, tuple[float, str]] = {}

    def chain(section: str, start: str, out: list[str]) -> None:
        for key in following.get((section, start), ()):
            if key not in seen:
                seen.add(key)
                out.append(key)
                chain(section, key, out)

    seen: set[str] = set()
    groups: dict[int, list[str]] = {}
    for section, start in list(following):
        if start in own:
            continue  # reached from the resource it follows
        base = catalog[start][0] if start else section_ends[section]
        chain(section, start, groups.setdefault(base, []))
    for key in order:  # after one another in a circle (an edited file): section's end
        if key not in seen:
            seen.add(key)
            groups.setdefault(section_ends[section_of[key]], []).append(key)
    for base, keys in groups.items():
        for index, key in enumerate(keys, start=1):
            placed[key] = (base + index / (len(keys) + 1), section_of[key])
    return placed


def install(db: sqlite3.Connection, stored: Mapping[str, str]) -> None:
    """Lay the stored definitions over the catalog cache on this connection.

    After this, `resources`, `parts` and `meta` name TEMP views holding the catalog's
    rows and the learner's own, with the whole path's totals to match (each only where
    the definitions change it); the cache's own tables stay reachable as main.*.
    """
    # Kept in memory: the temp schema's tables are small, and a file for them costs more.
    db.execute("PRAGMA temp_store = MEMORY")
    definitions = decode(stored, db)
    own = {k: v for k, v in definitions.items() if not k.startswith(PARTS_PREFIX)}
    placed = _placed(db, own) if own else {}

    resource_rows = []
    rows_of_parts: list[tuple[Any, ...]] = []
    minutes_added = 0
    overridden: list[tuple[str, int]] = []
    own_parts_of = {
        k[len(PARTS_PREFIX) :]: own_parts(v)
        for k, v in definitions.items()
        if k.startswith(PARTS_PREFIX)
    }
    for key, value in own.items():
        estimate = int(value.get("minutes", 0))
        minutes = estimate
        parts = own_parts_of.pop(key, None)
        if parts:
            each, minutes = part_minutes(estimate, 0, parts)
            rows_of_parts += part_rows(key, 0, parts, each)
        resource_rows.append(resource_row(key, value, *placed[key], minutes))
        minutes_added += minutes
    for rid, parts in own_parts_of.items():
        row = db.execute("SELECT minutes FROM main.resources WHERE id = ?", (rid,)).fetchone()
        if row is None:
            continue  # a resource an update took away: its parts wait for it
        count, catalog_minutes = db.execute(
            "SELECT count(*), coalesce(sum(minutes), 0) FROM main.parts WHERE resource = ?",
            (rid,),
        ).fetchone()
        each, minutes = part_minutes(row[0], catalog_minutes, parts)
        rows_of_parts += part_rows(rid, count, parts, each)
        if minutes != row[0]:
            overridden.append((rid, minutes))
            minutes_added += minutes - row[0]

    # Only what the definitions change is laid over: each statement here costs `next`.
    if resource_rows or overridden:
        db.execute("CREATE TEMP TABLE own_resources AS SELECT * FROM main.resources WHERE 0")
        marks = ", ".join("?" * RESOURCE_WIDTH)
        db.executemany(
            f"INSERT INTO temp.own_resources ({RESOURCE_COLUMNS}) VALUES ({marks})", resource_rows
        )
        for rid, minutes in overridden:
            db.execute(
                "INSERT INTO temp.own_resources SELECT * FROM main.resources WHERE id = ?",
                (rid,),
            )
            db.execute("UPDATE temp.own_resources SET minutes = ? WHERE id = ?", (minutes, rid))
        # Catalog rows whose minutes own parts changed are read from own_resources instead.
        unless = " WHERE id NOT IN (SELECT id FROM temp.own_resources)" if overridden else ""
        db.execute(
            "CREATE TEMP VIEW resources AS "
            f"SELECT * FROM main.resources{unless} UNION ALL SELECT * FROM temp.own_resources"
        )
        # The whole path's totals, as the cache keeps them for `next` (whole numbers only
        # go into this text, never a definition's).
        count, minutes = int(len(resource_rows)), int(minutes_added)
        db.execute(
            "CREATE TEMP VIEW meta AS SELECT key, CASE key "
            f"WHEN 'resources' THEN CAST(value AS INTEGER) + {count} "
            f"WHEN 'minutes' THEN CAST(value AS INTEGER) + {minutes} "
            "ELSE value END AS value FROM main.meta"
        )
    if rows_of_parts:
        db.execute("CREATE TEMP TABLE own_parts AS SELECT * FROM main.parts WHERE 0")
        db.executemany(
            f"INSERT INTO temp.own_parts ({PART_FIELDS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows_of_parts,
        )
        db.execute(
            "CREATE TEMP VIEW parts AS "
            "SELECT * FROM main.parts UNION ALL SELECT * FROM temp.own_parts"
        )


def _placed(
    db: sqlite3.Connection, own: Mapping[str, Mapping[str, Any]]
) -> dict[str, tuple[float, str]]:
    sections = [row[0] for row in db.execute("SELECT id FROM main.sections ORDER BY position")]
    section_ends = dict(
        db.execute("SELECT section, max(position) FROM main.resources GROUP BY section")
    )
    named = {str(v.get("after")) for v in own.values() if v.get("after")}
    return place(own, sections, _catalog_places(db, named), section_ends)


def _catalog_places(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for rid in ids:
        row = db.execute(
            "SELECT position, section FROM main.resources WHERE id = ?", (rid,)
        ).fetchone()
        if row is not None:
            found[rid] = (int(row[0]), str(row[1]))
    return found
