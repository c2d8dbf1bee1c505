"""What `mlpath list` selects, read from the catalog cache a row at a time.

A listing of a 100,000-resource catalog is written as it is read (mlpath.output
streams it into a pipe), so nothing here builds the whole catalog: the filters are
SQL, the rows come from a cursor, and what a table needs to know in advance (how wide
its columns are) is asked of SQLite in one aggregate query.
"""

from __future__ import annotations

from mlpath.catalog import RESOURCE_COLUMNS, RESOURCE_WIDTH, STATUSES, resource_from_row
from mlpath.errors import StoreError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from mlpath.catalog import Filters, Resource
    from mlpath.db import sqlite3

# The learner's status of each row, as `mlpath list` shows it.
_STATUS = "coalesce(c.status, 'todo')"
_FROM = "resources r LEFT JOIN progress.current c ON c.resource = r.id"


def where_clause(filters: Filters) -> tuple[str, list[object]]:
    """The SQL condition on `r` (resources) and `c` (current) that `filters` mean, as
    Filters.select applies them to objects."""
    conditions: list[str] = []
    params: list[object] = []

    def among(column: str, values: tuple[str, ...]) -> None:
        if values:
            conditions.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

    among("r.section", filters.sections)
    if filters.cost is not None:
        conditions.append("r.cost = ?")
        params.append(filters.cost)
    among("r.kind", filters.kinds)
    if filters.optional is not None:
        conditions.append("r.optional = ?")
        params.append(int(filters.optional))
    among(_STATUS, filters.statuses)
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def check_statuses(db: sqlite3.Connection, store_path: str) -> None:
    """Refuse a store holding a status mlpath does not know, before anything is shown
    (as Store.statuses() refuses it)."""
    # The gaps between the known statuses, each a range of the status index: nothing
    # is read when every status is known.
    known = sorted(STATUSES)
    gaps = ["status IS NULL", "status < ?"]
    gaps += ["(status > ? AND status < ?)"] * (len(known) - 1) + ["status > ?"]
    params = [
        known[0],
        *(s for pair in zip(known, known[1:], strict=False) for s in pair),
        known[-1],
    ]
    row = db.execute(
        " UNION ALL ".join(
            f"SELECT * FROM (SELECT resource, status FROM progress.current WHERE {gap} LIMIT 1)"
            for gap in gaps
        ),
        params,
    ).fetchone()
    if row is not None:
        from mlpath.store_files import unknown_status

        raise StoreError(unknown_status(store_path, row[0], row[1]))


def iter_listing(db: sqlite3.Connection, filters: Filters) -> Iterator[tuple[Resource, str]]:
    """The selected resources in path order, each with its status, as read."""
    where, params = where_clause(filters)
    columns = ", ".join(f"r.{name.strip()}" for name in RESOURCE_COLUMNS.split(","))
    for row in db.execute(
        f"SELECT {columns}, {_STATUS} FROM {_FROM}{where} ORDER BY r.position", params
    ):
        yield resource_from_row(row), row[RESOURCE_WIDTH]


class Extent:
    """What a table of the selection must know before its first row: how many rows,
    the widest id and section (ASCII), the kinds, costs and minutes present, whether
    one is skipped (the only status wider than its header), and the widest title
    among the ASCII ones (catalog text holds no control characters: ASCII titles are
    as wide as they are long); the others, few in any real catalog, are in
    `other_titles`, to be measured as they will be shown."""

    __slots__ = (
        "costs",
        "count",
        "id_width",
        "kinds",
        "minutes",
        "other_titles",
        "section_width",
        "skipped",
        "title_width",
    )

    def __init__(self, db: sqlite3.Connection, filters: Filters, lang: str) -> None:
        where, params = where_clause(filters)
        self.other_titles: list[str] = []
        if not where and lang != "zh" and self._from_cache(db):
            return
        # The join with the statuses only when they filter: it costs more than the rest.
        source = _FROM if filters.statuses else "resources r"
        title = "coalesce(nullif(r.title_zh, ''), r.title)" if lang == "zh" else "r.title"
        ascii_only = f"length(CAST({title} AS BLOB)) = length({title})"
        row = db.execute(
            f"SELECT count(*), max(length(r.id)), max(length(r.section)), "
            f"max(CASE WHEN {ascii_only} THEN length({title}) END), "
            "group_concat(DISTINCT r.kind), group_concat(DISTINCT r.cost || r.free_to_audit), "
            f"group_concat(DISTINCT r.minutes), sum(NOT ({ascii_only})) FROM {source}{where}",
            params,
        ).fetchone()
        self.count = int(row[0])
        self.id_width = int(row[1] or 0)
        self.section_width = int(row[2] or 0)
        self.title_width = int(row[3] or 0)
        self.kinds = tuple(row[4].split(",")) if row[4] else ()
        self.costs = tuple((c[:-1], c[-1] == "1") for c in row[5].split(",")) if row[5] else ()
        self.minutes = tuple(int(m) for m in row[6].split(",")) if row[6] else ()
        also = " AND" if where else " WHERE"
        self.skipped = self.count > 0 and _any_skipped(db, where, params)
        if row[7]:
            self.other_titles = [
                t
                for (t,) in db.execute(
                    f"SELECT {title} FROM {source}{where}{also} NOT ({ascii_only})", params
                )
            ]

    def _from_cache(self, db: sqlite3.Connection) -> bool:
        """The whole catalog's extent, as the cache recorded it when it was built
        (catalog_tables.Totals.listing); False without one, or with the learner's own
        resources laid over the catalog (their `meta` is the overlay's)."""
        own = db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'resources'").fetchone()
        row = (
            None if own else db.execute("SELECT value FROM meta WHERE key = 'listing'").fetchone()
        )
        if not row or not row[0]:
            return False
        count, ids, sections, titles, kinds, costs, minutes = row[0].split("|")
        self.count = int(count)
        self.id_width, self.section_width, self.title_width = int(ids), int(sections), int(titles)
        self.kinds = tuple(kinds.split(","))
        self.costs = tuple((c[:-1], c[-1] == "1") for c in costs.split(","))
        self.minutes = tuple(int(m) for m in minutes.split(","))
        self.skipped = _any_skipped(db, "", [])
        return True


def _any_skipped(db: sqlite3.Connection, where: str, params: list[object]) -> bool:
    """Whether a selected resource is skipped: by the status index, only those rows."""
    also = " AND" if where else " WHERE"
    return (
        db.execute(
            "SELECT 1 FROM progress.current c JOIN resources r ON r.id = c.resource"
            f"{where}{also} c.status = 'skipped' LIMIT 1",
            params,
        ).fetchone()
        is not None
    )
