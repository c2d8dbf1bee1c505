"""The plan as columns: what `mlpath plan` shows of each open resource, laid onto days.

A 100,000-resource path leaves tens of thousands of rows to plan, and the plan prints
every one: building a Resource (24 fields) and a PlannedStep for each cost more than
the rest of the command. Here the catalog cache gives, in one aggregate query, only
the columns a row of the plan shows or its layout needs, each as one text (rows
crossing from SQLite to Python one by one cost more than the SQL itself), and the
layout runs over them as lists. Full objects are built only if asked for (--json, a
terminal's table), through `PlanTable.steps`.
"""

from __future__ import annotations

from itertools import compress, islice, repeat
from operator import add, and_, floordiv, le, mul, ne, sub

from mlpath.counts import SETTLED
from mlpath.dates import date
from mlpath.errors import PlanError
from mlpath.i18n import _
from mlpath.part_status import part_key
from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from mlpath.catalog import Part, Resource
    from mlpath.db import sqlite3
    from mlpath.goal import Rational

    # Ids -> their Resources: how a table builds full steps when they are asked for.
    Loader = Callable[[Sequence[str]], Mapping[str, Resource]]

# Between the values of one aggregated column: a character validation never lets into
# an id, and checked for in titles (see _split).
SEP = "\x1f"
# The separator written into the SQL: bound as a parameter, SQLite copies it into a
# register for every row each aggregate steps over, which doubles group_concat's cost.
_SEP_SQL = f"'{SEP}'"
# Flags of a row: 2 if optional, 1 if it costs money.
OPTIONAL, PAID = 2, 1


class PlannedPart(Record):
    """One open part of a resource laid onto days, as its resource is: part by part."""

    __slots__ = ("end", "end_week", "part", "start", "start_week", "status")

    def __init__(
        self, part: Part, status: str, start: date, end: date, start_week: int, end_week: int
    ) -> None:
        self.part = part
        self.status = status
        self.start = start
        self.end = end
        self.start_week = start_week
        self.end_week = end_week

    def to_json(self) -> dict[str, Any]:
        return {
            **self.part.to_json(),
            "status": self.status,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_week": self.start_week,
            "end_week": self.end_week,
        }


class PlannedStep(Record):
    """One resource laid onto days; `waits_for`: open prerequisites left out of the plan
    (paid, with --free)."""

    __slots__ = (
        "end",
        "end_week",
        "minutes",
        "part_count",
        "parts",
        "resource",
        "start",
        "start_week",
        "status",
        "waits_for",
    )

    def __init__(
        self,
        resource: Resource,
        status: str,
        start: date,
        end: date,
        start_week: int,
        end_week: int,
        waits_for: tuple[str, ...],
        minutes: int | None = None,
        parts: tuple[PlannedPart, ...] = (),
        part_count: int = 0,
    ) -> None:
        # What is left of it: less than its estimate when some of its parts are done.
        self.minutes = resource.minutes if minutes is None else minutes
        self.parts = parts  # its open parts, when it has parts
        self.part_count = part_count  # how many parts it has, open or not
        self.resource = resource
        self.status = status
        self.start = start
        self.end = end
        self.start_week = start_week
        self.end_week = end_week
        self.waits_for = waits_for

    def to_json(self) -> dict[str, Any]:
        r = self.resource
        return {
            "id": r.id,
            "title": r.title,
            "title_zh": r.title_zh,
            "section": r.section,
            "cost": r.cost,
            "optional": r.optional,
            "minutes": self.minutes,
            "status": self.status,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_week": self.start_week,
            "end_week": self.end_week,
            "waits_for": list(self.waits_for),
            "parts": [p.to_json() for p in self.parts],
        }


class PlanTable:
    """The planned resources in plan order, a column each; `parts`: by row, the laid
    parts of a resource with parts; `waits_for`: by row, open prerequisites left out."""

    __slots__ = (
        "end_weeks",
        "ends",
        "flags",
        "ids",
        "load",
        "minutes",
        "part_counts",
        "parts",
        "sections",
        "start_weeks",
        "starts",
        "statuses",
        "titles",
        "titles_zh",
        "waits_for",
    )

    def __init__(self, load: Loader) -> None:
        self.load = load
        self.ids: list[str] = []
        self.titles: list[str] = []
        self.titles_zh: list[str] = []  # "" for none
        self.sections: list[str] = []
        self.minutes: list[int] = []  # what is left of each
        self.statuses: list[str] = []
        self.flags: list[int] = []
        self.starts: list[str] = []  # ISO days
        self.ends: list[str] = []
        self.start_weeks: list[int] = []
        self.end_weeks: list[int] = []
        self.parts: dict[int, tuple[PlannedPart, ...]] = {}
        self.part_counts: dict[int, int] = {}
        self.waits_for: dict[int, tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def steps(self) -> tuple[PlannedStep, ...]:
        """The full steps, each with its Resource."""
        found = self.load(self.ids)
        fromiso = date.fromisoformat
        return tuple(
            PlannedStep(
                found[rid],
                self.statuses[i],
                fromiso(self.starts[i]),
                fromiso(self.ends[i]),
                self.start_weeks[i],
                self.end_weeks[i],
                waits_for=self.waits_for.get(i, ()),
                minutes=self.minutes[i],
                parts=self.parts.get(i, ()),
                part_count=self.part_counts.get(i, 0),
            )
            for i, rid in enumerate(self.ids)
        )


class OpenRows:
    """The horizon's open resources in path order, as columns (alternatives dropped);
    `open_count`: every resource not done or skipped, in the horizon or not;
    `positions`: each one's place on the path; `forward`: whether some resource of the
    catalog needs one that comes after it on the path (False: path order is schedule
    order, see _schedule_order)."""

    __slots__ = (
        "flags",
        "forward",
        "ids",
        "minutes",
        "open_count",
        "positions",
        "prerequisites",
        "sections",
        "statuses",
        "titles",
        "titles_zh",
    )

    def __init__(
        self,
        ids: list[str],
        titles: list[str],
        titles_zh: list[str],
        sections: list[str],
        minutes: list[int],
        statuses: list[str],
        prerequisites: list[str],
        flags: list[int],
        open_count: int,
        positions: list[Any] | None = None,
        forward: bool = True,
    ) -> None:
        self.forward = forward
        self.ids = ids
        self.titles = titles
        self.titles_zh = titles_zh
        self.sections = sections
        self.minutes = minutes
        self.statuses = statuses
        self.prerequisites = prerequisites  # as stored: joined by LIST_SEPARATOR
        self.flags = flags
        self.open_count = open_count
        self.positions = positions if positions is not None else list(range(len(ids)))

    def columns(self) -> list[list[Any]]:
        """Every column, in the order the constructor takes them (open_count aside)."""
        return [
            self.ids,
            self.titles,
            self.titles_zh,
            self.sections,
            self.minutes,
            self.statuses,
            self.prerequisites,
            self.flags,
            self.positions,
        ]

    @classmethod
    def of_columns(cls, columns: list[list[Any]], open_count: int, forward: bool) -> OpenRows:
        """The rows of these columns, in the order `columns` gives them."""
        ids, titles, titles_zh, sections, minutes, statuses, needs, flags, positions = columns
        return cls(
            ids,
            titles,
            titles_zh,
            sections,
            minutes,
            statuses,
            needs,
            flags,
            open_count,
            positions,
            forward,
        )

    def keep(self, rows: Sequence[int]) -> OpenRows:
        columns = [[column[i] for i in rows] for column in self.columns()]
        return OpenRows.of_columns(columns, self.open_count, self.forward)


# Every resource's: id, title, section, minutes, position; then what few have, by id: a
# Chinese title, prerequisites, flags. Each value costs SQLite a copy, so the sparse
# ones are aggregated only where they are set.
_DENSE = ("id", "title", "section", "minutes", "position")
_SPARSE = (
    ("title_zh", "title_zh != ''"),
    ("prerequisites", "prerequisites != ''"),
)
# The flags, each read on its own: optional resources through the index that starts
# with `optional`, paid ones in a scan that looks at nothing else (a condition on
# both in the scan above cost SQLite more than the two).
_FLAGGED = ((OPTIONAL, "optional = 1"), (PAID, "cost != 'free'"))


def read_open_rows(db: sqlite3.Connection, scope: str, store_path: str) -> OpenRows:
    """The open resources of the horizon of `scope` from the catalog cache (with the
    store at `store_path` attached as `progress`), without one Python object per row."""
    return in_horizon(db, read_open_columns(db, store_path), scope)


def read_open_columns(db: sqlite3.Connection, store_path: str) -> OpenRows:
    """Every resource neither done nor skipped, in path order, whatever the horizon.

    The statuses are read whole and matched in Python: looking each resource up in the
    store from SQL costs more than reading every row of the catalog."""
    from mlpath.store_files import checked_statuses

    keys, values = _pairs(
        db.execute(
            f"SELECT group_concat(resource, {_SEP_SQL}), group_concat(status, {_SEP_SQL}), "
            "count(*) FROM progress.current"
        ).fetchone()
    ) or _rows(db.execute("SELECT resource, status FROM progress.current"))
    statuses = checked_statuses(store_path, zip(keys, values, strict=True))
    expressions = [*_DENSE, *(e for pair in _SPARSE for e in ("id", pair[0]))]
    conditions = ["1"] * len(_DENSE) + [pair[1] for pair in _SPARSE for _ in (0, 1)]
    source = resources_in_order(db)
    row = db.execute(
        "SELECT "
        + ", ".join(
            f"group_concat({e}, {_SEP_SQL}) FILTER (WHERE {w}), count(*) FILTER (WHERE {w})"
            for e, w in zip(expressions, conditions, strict=True)
        )
        + f" FROM {source}"
    ).fetchone()
    columns = [_split(row[2 * n], row[2 * n + 1]) for n in range(len(expressions))]
    if any(column is None for column in columns):
        # A separator inside some title: the rows one by one instead.
        rows = db.execute(
            f"SELECT {', '.join(expressions)}, {', '.join(conditions)} FROM {source}"
        ).fetchall()
        width = len(expressions)
        columns = [[str(r[n]) for r in rows if r[width + n]] for n in range(width)]
    ids, titles, sections, minutes, positions = (c or [] for c in columns[: len(_DENSE)])
    sparse = [
        dict(
            zip(
                columns[len(_DENSE) + 2 * n] or (),
                columns[len(_DENSE) + 2 * n + 1] or (),
                strict=True,
            )
        )
        for n in range(len(_SPARSE))
    ]
    flags: dict[str, int] = {}
    for flag, condition in _FLAGGED:
        flagged = db.execute(
            f"SELECT group_concat(id, {_SEP_SQL}), count(*) FROM {source} WHERE {condition}"
        ).fetchone()
        for rid in _split(*flagged) or [
            r[0] for r in db.execute(f"SELECT id FROM {source} WHERE {condition}")
        ]:
            flags[rid] = flags.get(rid, 0) | flag
    status_of = list(map(statuses.get, ids, ["todo"] * len(ids)))
    keep = [i for i, s in enumerate(status_of) if s != "done" and s != "skipped"]

    def pick(column: list[str]) -> list[str]:
        return column if len(keep) == len(column) else [column[i] for i in keep]

    kept = pick(ids)
    forward = points_forward(ids, sparse[1])
    return OpenRows(
        kept,
        pick(titles),
        list(map(sparse[0].get, kept, [""] * len(kept))),
        pick(sections),
        list(map(int, pick(minutes))),
        pick(status_of),
        list(map(sparse[1].get, kept, [""] * len(kept))),
        list(map(flags.get, kept, [0] * len(kept))),
        len(kept),
        _numbers(pick(positions)),
        forward,
    )


def points_forward(ids: list[str], prerequisites: dict[str, str]) -> bool:
    """Whether a resource needs one that comes after it among `ids` (in path order);
    `prerequisites`: by id, as stored, for the resources that need any."""
    at = dict(zip(ids, range(len(ids)), strict=True))
    return any(
        at.get(p, -1) > at.get(rid, len(ids))
        for rid, needs in prerequisites.items()
        for p in needs.split("\n")
    )


def _numbers(texts: list[str]) -> list[Any]:
    """Positions as numbers: whole for the catalog's, fractions for own resources laid
    between them (mlpath.own_overlay)."""
    try:
        return list(map(int, texts))
    except ValueError:
        return list(map(float, texts))


def resources_in_order(db: sqlite3.Connection) -> str:
    """The resources to read in path order: the cache's table is stored in it; the
    overlay's view (the learner's own resources laid in) is sorted."""
    overlaid = db.execute("SELECT 1 FROM temp.sqlite_master WHERE name = 'resources'").fetchone()
    return "(SELECT * FROM resources ORDER BY position)" if overlaid else "resources"


def in_horizon(db: sqlite3.Connection, rows: OpenRows, scope: str) -> OpenRows:
    """The rows of the horizon of `scope`: optional ones outside it unless chosen (see
    mlpath.goal.in_scope), and alternatives that count as another, left out."""
    from mlpath.goal import CHOSEN, dropped_alternatives

    left: set[str] = set()
    if scope != "all":
        flags = rows.flags
        # Most paths have few optional resources, or none: looked for first.
        optional = OPTIONAL in flags or OPTIONAL | PAID in flags
        for i in (
            compress(range(len(flags)), map(and_, flags, repeat(OPTIONAL))) if optional else ()
        ):
            if (scope == "core" or flags[i] & PAID) and rows.statuses[i] not in CHOSEN:
                left.add(rows.ids[i])
    left.update(dropped_alternatives(db, scope))
    if not left:
        return rows
    return rows.keep([i for i, rid in enumerate(rows.ids) if rid not in left])


def _pairs(row: tuple[Any, ...]) -> tuple[list[str], list[str]] | None:
    keys, values = _split(row[0], row[2]), _split(row[1], row[2])
    return (keys, values) if keys is not None and values is not None else None


def _rows(rows: Any) -> tuple[list[str], list[str]]:
    found = rows.fetchall()
    return [r[0] for r in found], [r[1] for r in found]


def _split(text: str | None, count: int) -> list[str] | None:
    """One aggregated column's `count` values; None if a value held the separator."""
    if text is None:
        return [] if count == 0 else None
    values = text.split(SEP)
    return values if len(values) == count else None


def read_part_statuses(db: sqlite3.Connection, resource_ids: Sequence[str]) -> dict[str, str]:
    """The statuses of these resources' parts (keys RESOURCE/PART), by key."""
    found: dict[str, str] = {}
    for rid in resource_ids:
        low = part_key(rid, "")
        # Every key under RESOURCE/: "0" comes right after "/".
        found.update(
            db.execute(
                "SELECT resource, status FROM progress.current WHERE resource > ? "
                "AND resource < ?",
                (low, low[:-1] + "0"),
            ).fetchall()
        )
    return found


def minutes_per_week(hours_per_week: Rational) -> tuple[int, int]:
    """The pace in minutes a week, as a fraction (numerator, denominator); a pace of
    nothing is refused."""
    top, bottom = hours_per_week.numerator * 60, hours_per_week.denominator
    if top <= 0:
        got = hours_per_week.numerator / hours_per_week.denominator
        raise PlanError(
            _(
                "hours per week must be more than 0 (got {got:g}) — for example --hours-per-week 5"
            ).format(got=got)
        )
    return top, bottom


def lay_table(
    rows: OpenRows,
    hours_per_week: Rational,
    start: date,
    free_only: bool,
    parts: Mapping[str, Sequence[Part]],
    part_statuses: Mapping[str, str],
    load: Loader,
) -> tuple[PlanTable, list[str]]:
    """Lay `rows` onto days from `start` as mlpath.plan.make_plan lays resources (its
    docstring says how); the table and the ids --free leaves out."""
    from itertools import accumulate

    top, bottom = minutes_per_week(hours_per_week)
    if free_only:
        left_out = [rid for rid, f in zip(rows.ids, rows.flags, strict=True) if f & PAID]
        kept = [i for i, f in enumerate(rows.flags) if not f & PAID]
        planned = rows.keep(kept) if left_out else rows
    else:
        left_out, planned = [], rows
    order = _schedule_order(planned.ids, planned.prerequisites) if planned.forward else None
    if order is not None:
        planned = planned.keep(order)
    table = PlanTable(load)
    table.ids = planned.ids
    table.titles = planned.titles
    table.titles_zh = planned.titles_zh
    table.sections = planned.sections
    table.statuses = planned.statuses
    table.flags = planned.flags
    lefts = planned.minutes
    with_parts = [i for i, rid in enumerate(planned.ids) if rid in parts] if parts else []
    if with_parts:
        lefts = list(lefts)
        for i in with_parts:
            rid = planned.ids[i]
            table.part_counts[i] = len(parts[rid])
            lefts[i] = sum(
                p.minutes
                for p in parts[rid]
                if part_statuses.get(part_key(rid, p.id), "todo") not in SETTLED
            )
    table.minutes = lefts
    day_top = 7 * bottom
    # The day effort `e` is reached: e * 7 / minutes_per_week, exactly, rounded down. A
    # resource ends on the day before the one its last minute reaches (rounded up:
    # (s - 1) // top for s = e * 7 * bottom), which is never before the day it starts
    # when it takes any effort; one without ends on the day it starts. No column is
    # made that is not kept: at 72,000 rows each is 2.5 MB of memory first touched.
    scaled = list(accumulate(map(mul, lefts, repeat(day_top)), initial=0))
    firsts = list(map(floordiv, scaled, repeat(top)))
    end_offsets = list(map(floordiv, map(sub, islice(scaled, 1, None), repeat(1)), repeat(top)))
    elapsed = list(map(floordiv, scaled, repeat(day_top))) if with_parts else []
    del scaled
    # The next row's first day, then each row's own.
    nexts, start_offsets = islice(firsts, 1, None), firsts[:-1]
    # Efforts are never below nothing (mlpath.models.Minutes): only none needs a look.
    for i in compress(range(len(lefts)), map(le, lefts, repeat(0))) if 0 in lefts else ():
        end_offsets[i] = max(start_offsets[i], end_offsets[i])
    # Ends never come before starts, and both only grow: the last end is the last day.
    _days(start, set(end_offsets[-1:]))
    table.starts = iso_days(start, start_offsets)
    # Mostly a resource ends on the day the next one starts: only the others are made.
    ends = table.starts[1:] + iso_days(start, end_offsets[-1:])
    moved = list(compress(range(len(ends) - 1), map(ne, end_offsets, nexts)))
    del firsts
    for i, day in zip(moved, iso_days(start, [end_offsets[i] for i in moved]), strict=True):
        ends[i] = day
    table.ends = ends
    table.start_weeks = list(map(floordiv, map(add, start_offsets, repeat(7)), repeat(7)))
    table.end_weeks = table.start_weeks[1:] + [o // 7 + 1 for o in end_offsets[-1:]]
    for i in moved:
        table.end_weeks[i] = end_offsets[i] // 7 + 1
    for i in with_parts:
        rid = planned.ids[i]
        laid: list[PlannedPart] = []
        at = elapsed[i]
        for part in parts[rid]:
            status = part_statuses.get(part_key(rid, part.id), "todo")
            if status in SETTLED:
                continue
            first = at * day_top // top
            at += part.minutes
            last = max(first, -((-at * day_top) // top) - 1)
            found = _days(start, {first, last})
            laid.append(
                PlannedPart(
                    part,
                    status,
                    date.fromisoformat(found[first]),
                    date.fromisoformat(found[last]),
                    first // 7 + 1,
                    last // 7 + 1,
                )
            )
        table.parts[i] = tuple(laid)
        if laid:
            table.starts[i] = laid[0].start.isoformat()
            table.ends[i] = laid[-1].end.isoformat()
            table.start_weeks[i] = laid[0].start_week
            table.end_weeks[i] = laid[-1].end_week
    if left_out:
        waiting = set(left_out)
        for i, needs in enumerate(planned.prerequisites):
            if needs:
                wait = tuple(p for p in needs.split("\n") if p in waiting)
                if wait:
                    table.waits_for[i] = wait
    return table, left_out


def _days(start: date, offsets: set[int]) -> dict[int, str]:
    """Each offset's day from `start`, as ISO text."""
    base = start.toordinal()
    if offsets and base + max(offsets) > date.max.toordinal():
        raise PlanError(
            _(
                "at this pace the plan would end after the year 9999 — plan more "
                "hours a week, or skip what you will not do"
            )
        )
    fromordinal = date.fromordinal
    return {o: fromordinal(base + o).isoformat() for o in offsets}


def iso_days(start: date, offsets: Sequence[int]) -> list[str]:
    """Each offset's day from `start` as ISO text. A plan's starts (or ends) only grow,
    so the year is looked up again only when a day leaves the last one's, and each day is
    its year's text and its "-MM-DD", both made once: date.isoformat builds every text
    through a format string, which cost more than the rest of the layout."""
    base = start.toordinal()
    found: list[str] = []
    add = found.append
    year_start = year_end = 0
    prefix, days_of_year = "", _month_days(False)
    last, text = -1, ""
    year = 0
    for offset in offsets:
        if offset != last:
            day = base + offset
            if not year_start <= day < year_end:
                # Mostly the next year: the date module only for a jump past it.
                if year and year_end <= day < year_end + 365:
                    year, year_start = year + 1, year_end
                else:
                    year = date.fromordinal(day).year
                    year_start = date(year, 1, 1).toordinal()
                leap = _leap(year)
                year_end = year_start + (366 if leap else 365)
                prefix, days_of_year = f"{year:04d}", _month_days(leap)
            text = prefix + days_of_year[day - year_start]
            last = offset
        add(text)
    return found


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_days(leap: bool) -> list[str]:
    """Each day of a year as "-MM-DD", by its number in the year from 0."""
    made = _MONTH_DAYS.get(leap)
    if made is None:
        first = date(2000 if leap else 2001, 1, 1).toordinal()
        made = _MONTH_DAYS[leap] = [
            date.fromordinal(first + n).isoformat()[4:] for n in range(366 if leap else 365)
        ]
    return made


_MONTH_DAYS: dict[bool, list[str]] = {}


def _schedule_order(ids: list[str], prerequisites: list[str]) -> list[int] | None:
    """Row indices in schedule order (see mlpath.plan.schedule_order), or None when that
    is path order: when no resource needs one that comes after it among these."""
    rows = dict(zip(ids, range(len(ids)), strict=True))
    # Most resources need nothing, and most paths never point forward: find out first,
    # looking only at the rows that need something.
    needing = list(compress(range(len(ids)), prerequisites))
    if not any(rows.get(p, -1) > i for i in needing for p in prerequisites[i].split("\n")):
        return None
    needs: dict[int, set[int]] = {}
    for i in needing:
        found = {rows[p] for p in prerequisites[i].split("\n") if p in rows} - {i}
        if found:
            needs[i] = found
    from heapq import heapify, heappop, heappush

    waiting = {i: len(found) for i, found in needs.items()}
    unlocks: dict[int, list[int]] = {}
    for i, found in needs.items():
        for p in found:
            unlocks.setdefault(p, []).append(i)
    ready = [i for i in range(len(ids)) if not waiting.get(i)]
    heapify(ready)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(ids):
        if not ready:
            # A cycle (the catalog validator forbids them): break it in path order.
            heappush(ready, next(i for i in range(len(ids)) if i not in placed))
        i = heappop(ready)
        if i in placed:
            continue
        placed.add(i)
        order.append(i)
        for dependent in unlocks.get(i, ()):
            waiting[dependent] -= 1
            if waiting[dependent] == 0 and dependent not in placed:
                heappush(ready, dependent)
    return order
