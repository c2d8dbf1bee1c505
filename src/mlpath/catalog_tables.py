"""The catalog cache's tables, and how a valid catalog's objects become their rows.

Every way of building the cache writes through here (mlpath.catalog_stream, piece by
piece, and mlpath.catalog_cache.fill, from a whole catalog), so the rows cannot depend
on which one built it. The objects are the file's own (absent optional fields left
absent) or the models' dump (every field there): both give the same rows.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import itemgetter

from mlpath.catalog import LIST_SEPARATOR, join_versions

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sections (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_zh TEXT,
    summary TEXT NOT NULL,
    optional INTEGER NOT NULL,
    title_zh_seed TEXT,
    summary_zh TEXT
);
CREATE TABLE resources (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    title_zh TEXT,
    section TEXT NOT NULL,
    url TEXT,
    url_note TEXT,
    author TEXT,
    kind TEXT NOT NULL,
    cost TEXT NOT NULL,
    free_to_audit INTEGER NOT NULL,
    optional INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    minutes_note TEXT,
    prerequisites TEXT NOT NULL,
    description TEXT NOT NULL,
    tags TEXT NOT NULL,
    title_zh_seed TEXT,
    aliases TEXT NOT NULL,
    author_zh TEXT,
    description_zh TEXT,
    versions TEXT NOT NULL,
    url_note_zh TEXT,
    minutes_note_zh TEXT
);
CREATE TABLE prerequisites (
    resource TEXT NOT NULL,
    requires TEXT NOT NULL,
    PRIMARY KEY (resource, requires)
) WITHOUT ROWID;
-- Per section: how many resources and minutes, so `sections` need not count them.
CREATE TABLE section_totals (
    section TEXT PRIMARY KEY,
    resources INTEGER NOT NULL,
    minutes INTEGER NOT NULL
) WITHOUT ROWID;
-- Parts of a resource by 1-based position (how people type them: d2l/3); progress is
-- kept by part id, so the (resource, id) index maps it back after a reorder.
CREATE TABLE parts (
    resource TEXT NOT NULL,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    title_zh TEXT,
    minutes INTEGER NOT NULL,
    url TEXT,
    PRIMARY KEY (resource, position)
) WITHOUT ROWID;
-- Both directions of every pair (validation guarantees each is listed both ways).
CREATE TABLE alternatives (
    resource TEXT NOT NULL,
    other TEXT NOT NULL,
    PRIMARY KEY (resource, other)
) WITHOUT ROWID;
"""
# Made once the rows are in: sorting them once costs a fraction of keeping each index
# in order row by row.
INDEXES = (
    # By section in path order: the position is the rowid, which every index entry ends
    # with (naming it as a column too would store it twice).
    "CREATE INDEX resources_by_section ON resources (section)",
    # Ids are unique (validation guarantees it). Joins from the learner's statuses read
    # only this index, not the wide rows.
    "CREATE UNIQUE INDEX resources_by_id ON resources (id, minutes, position, section)",
    # The horizon (mlpath.goal): the optional resources nobody chose are found here, not
    # by reading every resource. Only they are in it: every read asks for `optional = 1`,
    # and on a first run the sort of a row for each resource took a twelfth of the build.
    "CREATE INDEX resources_optional ON resources (optional, cost, id, minutes, section) "
    "WHERE optional = 1",
    # What each resource unlocks, for `show`, without reading every prerequisite.
    "CREATE INDEX prerequisites_by_requires ON prerequisites (requires, resource)",
    "CREATE UNIQUE INDEX parts_by_id ON parts (resource, id)",
)

# How a resource's field becomes its column: given (the field is required), a text the
# resource may leave out, a flag, a list of ids or texts, the list of its versions.
GIVEN, TEXT, FLAG, LIST, VERSIONS = "given", "text", "flag", "list", "versions"
# The resources table's columns after its position, in order.
RESOURCE_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", GIVEN),
    ("title", GIVEN),
    ("title_zh", TEXT),
    ("section", GIVEN),
    ("url", GIVEN),  # given, perhaps as null
    ("url_note", TEXT),
    ("author", TEXT),
    ("kind", GIVEN),
    ("cost", GIVEN),
    ("free_to_audit", FLAG),
    ("optional", FLAG),
    ("minutes", GIVEN),
    ("minutes_note", TEXT),
    ("prerequisites", LIST),
    ("description", GIVEN),
    ("tags", LIST),
    ("title_zh_seed", TEXT),
    ("aliases", LIST),
    ("author_zh", TEXT),
    ("description_zh", TEXT),
    ("versions", VERSIONS),
    ("url_note_zh", TEXT),
    ("minutes_note_zh", TEXT),
)
GIVEN_FIELDS = tuple(name for name, how in RESOURCE_FIELDS if how == GIVEN)
# What a column holds when no resource of a piece has its field: written into the
# statement rather than bound row by row (binding is most of an insert's cost).
ABSENT = {TEXT: "NULL", FLAG: "0", LIST: "''", VERSIONS: "''"}
# An absent text is bound as 0 and stored as NULL: binding None goes through the sqlite3
# module's adapter lookup, a third of the insert.
BOUND = {GIVEN: "?", TEXT: "NULLIF(?, 0)", FLAG: "?", LIST: "?", VERSIONS: "?"}
NO_LIST: list[Any] = []


def begin(conn: sqlite3.Connection) -> None:
    """Create the tables in the empty database `conn`, in a transaction left open for
    the rows (each statement on its own would sync the file to disk)."""
    conn.executescript(f"BEGIN;\n{SCHEMA}")


def write_sections(conn: sqlite3.Connection, sections: Sequence[Mapping[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                index,
                s["id"],
                s["title"],
                s.get("title_zh"),
                s["summary"],
                int(s.get("optional", False)),
                s.get("title_zh_seed"),
                s.get("summary_zh"),
            )
            for index, s in enumerate(sections)
        ],
    )


def write_resources(
    conn: sqlite3.Connection,
    resources: Sequence[Any],
    start: int,
    fields: set[str],
    columns: Mapping[str, list[Any]] | None = None,
) -> None:
    """Rows for `resources`, in path order from position `start`; `fields`: every field
    any of them has (mlpath.catalog_quick.keys_of); `columns`: the values of some
    fields, if the check has them at hand."""
    if not resources:
        return
    # Column by column through C-level map() and zip(): one Python expression per row
    # and field would cost more than SQLite's insert.
    marks = ["?"]
    values: list[Iterable[Any]] = [range(start, start + len(resources))]
    get = dict.get
    for name, how in RESOURCE_FIELDS:
        if how != GIVEN and name not in fields:
            marks.append(ABSENT[how])
            continue
        marks.append(BOUND[how])
        if how == GIVEN:
            given = columns.get(name) if columns is not None else None
            values.append(given if given is not None else map(itemgetter(name), resources))
        elif how == TEXT:
            values.append(map(get, resources, repeat(name), repeat(0)))
        elif how == FLAG:
            values.append(map(int, map(get, resources, repeat(name), repeat(False))))
        elif how == LIST:
            values.append(map(LIST_SEPARATOR.join, map(get, resources, repeat(name), repeat(()))))
        else:
            values.append(map(join_versions, map(get, resources, repeat(name), repeat(()))))
    conn.executemany(
        f"INSERT INTO resources VALUES ({', '.join(marks)})", zip(*values, strict=True)
    )


def write_links(conn: sqlite3.Connection, resources: Sequence[Any], fields: set[str]) -> None:
    """The prerequisites, parts and alternatives of `resources`."""
    get = dict.get
    ids = list(map(itemgetter("id"), resources))
    for name in ("prerequisites", "alternatives"):
        if name in fields:
            lists = list(map(get, resources, repeat(name), repeat(NO_LIST)))
            conn.executemany(
                f"INSERT OR IGNORE INTO {name} VALUES (?, ?)",
                [
                    (rid, other)
                    for rid, others in compress(zip(ids, lists, strict=True), lists)
                    for other in others
                ],
            )
    if "parts" in fields:
        conn.executemany(
            "INSERT INTO parts VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, NULLIF(?, 0))",
            (
                (
                    rid,
                    position,
                    p["id"],
                    p["title"],
                    p.get("title_zh", 0),
                    p["minutes"],
                    p.get("url", 0),
                )
                for rid, parts in zip(
                    ids, map(get, resources, repeat("parts"), repeat(NO_LIST)), strict=True
                )
                for position, p in enumerate(parts, start=1)
            ),
        )


def finish(
    conn: sqlite3.Connection,
    sections: Sequence[Mapping[str, Any]],
    meta: Mapping[str, str],
    ready: Callable[[], None] | None = None,
) -> None:
    """The meta table, the indexes and each section's totals, once every row is in; and
    the commit, once `ready` (if given) has returned rather than raised."""
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    # Not executescript, which would commit first.
    for statement in INDEXES:
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO section_totals SELECT ?, count(*), coalesce(sum(minutes), 0) "
        "FROM resources WHERE section = ?",
        [(s["id"], s["id"]) for s in sections],
    )
    if ready is not None:
        ready()
    conn.execute("COMMIT")


class Totals:
    """What the meta table says of the resources as a whole, gathered piece by piece."""

    __slots__ = (
        "ascii",
        "costs",
        "count",
        "id_width",
        "kinds",
        "minutes",
        "section_width",
        "title_width",
        "total",
    )

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.ascii = True
        self.id_width = self.section_width = self.title_width = 0
        self.kinds: set[str] = set()
        self.costs: set[tuple[str, int]] = set()
        self.minutes: set[int] = set()

    def add(
        self,
        resources: Sequence[Any],
        fields: set[str],
        columns: Mapping[str, list[Any]] | None = None,
    ) -> None:
        """Count in `resources`; `fields`: every field any of them has; `columns`: the
        values of some fields, if at hand."""
        if not resources:
            return

        def column(name: str) -> list[Any]:
            given = columns.get(name) if columns is not None else None
            return given if given is not None else list(map(itemgetter(name), resources))

        minutes, titles = column("minutes"), column("title")
        self.count += len(resources)
        self.total += sum(minutes)
        self.minutes.update(minutes)
        self.ascii = self.ascii and "".join(titles).isascii()
        self.title_width = max(self.title_width, max(map(len, titles)))
        self.id_width = max(self.id_width, max(map(len, column("id"))))
        self.section_width = max(self.section_width, max(map(len, set(column("section")))))
        self.kinds.update(column("kind"))
        costs = column("cost")
        if "free_to_audit" in fields:
            flags = map(dict.get, resources, repeat("free_to_audit"), repeat(False))
            self.costs.update(zip(costs, map(int, flags), strict=True))
        else:
            self.costs.update(zip(set(costs), repeat(0)))

    def meta(self, stamp: str, sha256: str, source: str) -> dict[str, str]:
        """The cache's meta table; `source`: the catalog's source as JSON text."""
        return {
            "stamp": stamp,
            "sha256": sha256,
            "source": source,
            # Whole-path totals, so `mlpath next` adds up only what the learner touched.
            "resources": str(self.count),
            "minutes": str(self.total),
            "listing": self.listing(),
        }

    def listing(self) -> str:
        """What `mlpath list` of the whole catalog needs before its first row (see
        mlpath.listing.Extent), one text: the widest id, section and title, and the
        kinds, costs and minutes present; empty when some title is not ASCII (measured
        then)."""
        if not self.count or not self.ascii:
            return ""
        fields = (
            str(self.count),
            str(self.id_width),
            str(self.section_width),
            str(self.title_width),
            ",".join(sorted(self.kinds)),
            ",".join(sorted(f"{cost}{audit}" for cost, audit in self.costs)),
            ",".join(sorted(map(str, self.minutes))),
        )
        return "|".join(fields)
