"""The plan: what is left of the path, laid onto weeks at a pace.

Pure functions of the catalog, statuses, a pace and a start day; `read_pace_changes`
fetches what the measured pace needs. How it reads is mlpath.output's business.
"""

from __future__ import annotations

from mlpath.counts import SETTLED
from mlpath.dates import date, timedelta
from mlpath.errors import PlanError
from mlpath.goal import (
    DEFAULT_SCOPE,
    Rate,
    alternatives_to_drop,
    in_scope,
)
from mlpath.goal import hours_value as hours_value  # where the plan's callers find it
from mlpath.i18n import _
from mlpath.part_status import part_key
from mlpath.plan_table import PlannedPart as PlannedPart  # where the plan's callers find them
from mlpath.plan_table import PlannedStep as PlannedStep
from mlpath.plan_table import minutes_per_week
from mlpath.record import Record
from mlpath.timefmt import local_date, utc_stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo
    from heapq import heapify, heappop, heappush
    from typing import Any

    from mlpath.catalog import Catalog, Part, Resource, Section
    from mlpath.db import sqlite3
    from mlpath.goal import Rational
    from mlpath.plan_table import PlanTable
    from mlpath.store import Change
else:
    # heapq, like datetime, is a Python module over a C one (`_heapq`) that it then
    # replaces: the C functions directly cost a tenth of importing it (see mlpath.dates).
    try:
        from _heapq import heapify, heappop, heappush
    except ImportError:
        from heapq import heapify, heappop, heappush


PACE_WEEKS = 4


class SectionFinish(Record):
    """When a section's last planned resource ends (`finish` None: none is planned)."""

    __slots__ = ("finish", "resources", "section")

    def __init__(self, section: Section, resources: int, finish: date | None) -> None:
        self.section = section
        self.resources = resources
        self.finish = finish

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.section.id,
            "title": self.section.title,
            "title_zh": self.section.title_zh,
            "resources": self.resources,
            "finish": self.finish.isoformat() if self.finish else None,
        }


class Plan:
    """The plan; `pace` is "hours" (given) or "actual" (measured), `left_out` the paid
    resources --free leaves out.

    Made either from its steps (`make_plan`) or from a PlanTable (`read_plan`), whose
    steps and left-out resources are built only when asked for."""

    __slots__ = (
        "_left_out",
        "_steps",
        "free_only",
        "hours_per_week",
        "left_out_ids",
        "offered",
        "pace",
        "scope",
        "sections",
        "start",
        "table",
    )

    def __init__(
        self,
        start: date,
        hours_per_week: Rational,
        pace: str,
        free_only: bool,
        steps: tuple[PlannedStep, ...] | None,
        sections: tuple[SectionFinish, ...],
        left_out: tuple[Resource, ...] | None,
        scope: str = DEFAULT_SCOPE,
        offered: int = 0,
        table: PlanTable | None = None,
        left_out_ids: Sequence[str] = (),
    ) -> None:
        # The horizon planned, and how many open resources lie outside it.
        self.scope = scope
        self.offered = offered
        self.start = start
        self.hours_per_week = hours_per_week
        self.pace = pace
        self.free_only = free_only
        self._steps = steps
        self.sections = sections
        self._left_out = left_out
        self.table = table
        self.left_out_ids = (
            tuple(left_out_ids) if left_out is None else tuple(r.id for r in left_out)
        )

    @property
    def steps(self) -> tuple[PlannedStep, ...]:
        if self._steps is None:
            assert self.table is not None
            self._steps = self.table.steps()
        return self._steps

    @property
    def left_out(self) -> tuple[Resource, ...]:
        if self._left_out is None:
            assert self.table is not None
            found = self.table.load(self.left_out_ids)
            self._left_out = tuple(found[rid] for rid in self.left_out_ids)
        return self._left_out

    @property
    def count(self) -> int:
        """How many resources are planned."""
        return len(self.table) if self.table is not None else len(self.steps)

    @property
    def last_week(self) -> int:
        if self.table is not None:
            return self.table.end_weeks[-1] if self.table.ids else 0
        return self.steps[-1].end_week if self.steps else 0

    @property
    def finish(self) -> date | None:
        if self.table is not None:
            # Days only grow along the plan: the last step ends last.
            return date.fromisoformat(self.table.ends[-1]) if self.table.ends else None
        return max((s.end for s in self.steps), default=None)

    @property
    def minutes(self) -> int:
        if self.table is not None:
            return sum(self.table.minutes)
        return sum(s.minutes for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        finish = self.finish
        return {
            "start": self.start.isoformat(),
            "hours_per_week": round(
                self.hours_per_week.numerator / self.hours_per_week.denominator, 3
            ),
            "pace": self.pace,
            "free": self.free_only,
            "minutes": self.minutes,
            "finish": finish.isoformat() if finish else None,
            "resources": [s.to_json() for s in self.steps],
            "sections": [s.to_json() for s in self.sections],
            "left_out": list(self.left_out_ids),
            "scope": self.scope,
            "not_counted": self.offered,
        }


def read_plan(
    db: sqlite3.Connection,
    hours_per_week: Rational,
    start: date,
    free_only: bool = False,
    pace: str = "hours",
    scope: str = DEFAULT_SCOPE,
    store_path: str = "",
) -> Plan:
    """The plan `make_plan` makes of the whole catalog, read from the catalog cache
    (with the store attached as `progress`) as columns: a Resource is built only for
    what is shown in full (see mlpath.plan_table)."""
    from itertools import groupby

    from mlpath.catalog import load_sections, parts_by_resource, resources_by_id
    from mlpath.plan_kept import open_rows
    from mlpath.plan_table import in_horizon, lay_table, read_part_statuses

    rows = in_horizon(db, open_rows(db, store_path), scope)
    with_parts = {row[0] for row in db.execute("SELECT DISTINCT resource FROM parts")}
    parts = parts_by_resource(db, [rid for rid in rows.ids if rid in with_parts])
    table, left_out = lay_table(
        rows,
        hours_per_week,
        start,
        free_only,
        parts,
        read_part_statuses(db, list(parts)),
        lambda ids: resources_by_id(db, ids),
    )
    # Days only grow along the plan: a section's last step ends last. A section's steps
    # mostly follow one another: counted a run at a time.
    counts: dict[str, int] = {}
    finishes: dict[str, str] = {}
    at = 0
    for section, run in groupby(table.sections):
        length = len(list(run))
        at += length
        counts[section] = counts.get(section, 0) + length
        finishes[section] = table.ends[at - 1]
    sections = tuple(
        SectionFinish(
            s,
            counts.get(s.id, 0),
            date.fromisoformat(finishes[s.id]) if s.id in finishes else None,
        )
        for s in load_sections(db)
    )
    return Plan(
        start,
        hours_per_week,
        pace,
        free_only,
        None,
        sections,
        None,
        scope,
        rows.open_count - len(rows.ids),
        table,
        left_out,
    )


def actual_pace(
    catalog: Catalog, changes: Sequence[Change], start: date, tz: tzinfo | None = None
) -> Rate:
    """Hours of estimated effort marked done per week over the 4 weeks before `start`."""
    window_start = start - timedelta(weeks=PACE_WEEKS)
    done: set[str] = set()
    for c in changes:
        if c.action == "status" and c.status == "done" and catalog.get(c.resource) is not None:
            if window_start <= local_date(c.at, tz) < start:
                done.add(c.resource)
    minutes = sum(r.minutes for r in catalog.resources if r.id in done)
    if not minutes:
        raise PlanError(
            _(
                "no resource was marked done in the {PACE_WEEKS} weeks before "
                "{isoformat}, so there is no actual pace yet — pass "
                "--hours-per-week H"
            ).format(PACE_WEEKS=PACE_WEEKS, isoformat=start.isoformat())
        )
    return Rate(minutes, 60 * PACE_WEEKS)


def read_open_catalog(db: sqlite3.Connection, origin: str) -> Catalog:
    """The catalog as `make_plan` needs it, without the resources it would skip: those
    done or skipped, unless they have alternatives (a settled alternative decides which
    of the others the horizon keeps). The plan comes out the same as from the whole
    catalog, and a long way along the path reads only what is left of it."""
    from mlpath.catalog import RESOURCE_COLUMNS, load_sections, resource_from_row
    from mlpath.catalog import Catalog as CatalogClass

    source = db.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()[0]
    resources = tuple(
        resource_from_row(row)
        for row in db.execute(
            f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id NOT IN ("
            "  SELECT resource FROM progress.current WHERE status IN ('done', 'skipped')"
            ") OR id IN (SELECT resource FROM alternatives) ORDER BY position"
        )
    )
    alternatives: dict[str, list[str]] = {}
    for resource_id, other in db.execute(
        "SELECT a.resource, a.other FROM alternatives a JOIN resources r ON r.id = a.other "
        "ORDER BY r.position"
    ):
        alternatives.setdefault(resource_id, []).append(other)
    return CatalogClass(
        origin,
        source,
        load_sections(db),
        resources,
        {k: tuple(v) for k, v in alternatives.items()},
    )


def read_pace_changes(
    db: sqlite3.Connection, start: date, tz: tzinfo | None = None
) -> list[Change]:
    """The live changes `actual_pace` looks at: from its window's first day on."""
    from mlpath.progress import has_history, read_changes_since

    if not has_history(db):
        return []
    return read_changes_since(db, utc_stamp(start - timedelta(weeks=PACE_WEEKS), tz))


def schedule_order(resources: Sequence[Resource]) -> list[Resource]:
    """Path order, except that a resource never comes before its prerequisites among them."""
    planned = {r.id: r for r in resources}
    waiting: dict[str, int] = {}
    unlocks: dict[str, list[Resource]] = {}
    for r in resources:
        needs = {p for p in r.prerequisites if p in planned and p != r.id}
        waiting[r.id] = len(needs)
        for p in needs:
            unlocks.setdefault(p, []).append(r)
    ready = [(r.position, r.id) for r in resources if not waiting[r.id]]
    heapify(ready)
    order: list[Resource] = []
    placed: set[str] = set()
    by_position = sorted(resources, key=lambda r: r.position)
    while len(order) < len(resources):
        if not ready:
            # A cycle (the catalog validator forbids them): break it in path order.
            stuck = next(r for r in by_position if r.id not in placed)
            heappush(ready, (stuck.position, stuck.id))
        _, rid = heappop(ready)
        if rid in placed:
            continue
        placed.add(rid)
        order.append(planned[rid])
        for dependent in unlocks.get(rid, ()):
            waiting[dependent.id] -= 1
            if waiting[dependent.id] == 0 and dependent.id not in placed:
                heappush(ready, (dependent.position, dependent.id))
    return order


def make_plan(
    catalog: Catalog,
    statuses: dict[str, str],
    hours_per_week: Rational,
    start: date,
    free_only: bool = False,
    pace: str = "hours",
    minutes_settled: dict[str, int] | None = None,
    scope: str = DEFAULT_SCOPE,
    parts: dict[str, tuple[Part, ...]] | None = None,
) -> Plan:
    """Lay what is left of the horizon (todo and doing) onto weeks from `start`, one
    resource after another, and a resource with parts part by part.

    Effort fills the weeks continuously: at 4 h a week a 10 h resource takes 17.5 days,
    and the next one starts on the day it ends. Week 1 starts on `start`.
    `statuses` may hold parts' statuses too (keys RESOURCE/PART-ID); `parts`: the parts
    of resources that have them (their settled parts are not planned again);
    `minutes_settled`: per resource without `parts` given, the effort of its parts done
    or skipped. `scope`: the horizon (mlpath.goal); alternatives count once.
    """
    settled = minutes_settled or {}
    parts = parts or {}
    per_week_top, per_week_bottom = minutes_per_week(hours_per_week)
    horizon = horizon_resources(catalog, statuses, scope)
    remaining = [r for r in horizon if statuses.get(r.id, "todo") not in SETTLED]
    settled_count = sum(1 for r in catalog.resources if statuses.get(r.id) in SETTLED)
    offered = len(catalog.resources) - settled_count - len(remaining)
    left_out = tuple(r for r in remaining if free_only and r.cost != "free")
    planned = [r for r in remaining if not (free_only and r.cost != "free")]
    planned_ids = {r.id for r in planned}
    open_ids = {r.id for r in remaining}
    elapsed = 0  # minutes of effort laid out so far
    days: dict[int, date] = {}  # offset -> day: many resources start or end on one day
    day_top = 7 * per_week_bottom

    def lay(minutes: int) -> tuple[date, date, int, int]:
        """Days and weeks of the next `minutes` of effort; moves `elapsed` on."""
        nonlocal elapsed
        # The day effort `elapsed` is reached: elapsed * 7 / minutes_per_week, exactly.
        start_offset = (elapsed * day_top) // per_week_top
        elapsed += minutes
        last_day_ceiling = -((-elapsed * day_top) // per_week_top)
        end_offset = max(start_offset, last_day_ceiling - 1)
        first = days.get(start_offset)
        if first is None:
            first = days[start_offset] = _day(start, start_offset)
        last = days.get(end_offset)
        if last is None:
            last = days[end_offset] = _day(start, end_offset)
        return (first, last, start_offset // 7 + 1, end_offset // 7 + 1)

    steps: list[PlannedStep] = []
    for r in schedule_order(planned):
        laid: list[PlannedPart] = []
        if r.id in parts:
            for part in parts[r.id]:
                status = statuses.get(part_key(r.id, part.id), "todo")
                if status not in SETTLED:
                    laid.append(PlannedPart(part, status, *lay(part.minutes)))
            left = sum(p.part.minutes for p in laid)
            if laid:
                first, last = laid[0], laid[-1]
                span = (first.start, last.end, first.start_week, last.end_week)
            else:
                span = lay(0)
        else:
            left = max(r.minutes - settled.get(r.id, 0), 0)
            span = lay(left)
        steps.append(
            PlannedStep(
                r,
                statuses.get(r.id, "todo"),
                *span,
                waits_for=tuple(
                    p for p in r.prerequisites if p in open_ids and p not in planned_ids
                )
                if r.prerequisites and free_only
                else (),
                minutes=left,
                parts=tuple(laid),
                part_count=len(parts.get(r.id, ())),
            )
        )
    finishes: dict[str, list[date]] = {}
    for step in steps:
        finishes.setdefault(step.resource.section, []).append(step.end)
    sections = tuple(
        SectionFinish(s, len(finishes.get(s.id, ())), max(finishes.get(s.id, ()), default=None))
        for s in catalog.sections
    )
    return Plan(
        start,
        hours_per_week,
        pace,
        free_only,
        tuple(steps),
        sections,
        left_out,
        scope,
        offered,
    )


def horizon_resources(
    catalog: Catalog, statuses: dict[str, str], scope: str = DEFAULT_SCOPE
) -> list[Resource]:
    """The resources of the horizon of `scope`, in path order; alternatives count once."""
    chosen = [
        r
        for r in catalog.resources
        if in_scope(scope, r.optional, r.cost, statuses.get(r.id, "todo"))
    ]
    if not catalog.alternatives:
        return chosen
    members = {
        r.id: (statuses.get(r.id, "todo"), r.position)
        for r in chosen
        if r.id in catalog.alternatives
    }
    links = [(a, b) for a, others in catalog.alternatives.items() for b in others]
    dropped = set(alternatives_to_drop(members, links))
    return [r for r in chosen if r.id not in dropped]


def _day(start: date, offset: int) -> date:
    try:
        return start + timedelta(days=offset)
    except OverflowError:
        raise PlanError(
            _(
                "at this pace the plan would end after the year 9999 — plan more "
                "hours a week, or skip what you will not do"
            )
        ) from None
