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
    from mlpath.store import Change
else:
    # heapq, like datetime, is a Python module over a C one (`_heapq`) that it then
    # replaces: the C functions directly cost a tenth of importing it (see mlpath.dates).
    try:
        from _heapq import heapify, heappop, heappush
    except ImportError:
        from heapq import heapify, heappop, heappush


PACE_WEEKS = 4


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
    resources --free leaves out."""

    __slots__ = (
        "free_only",
        "hours_per_week",
        "left_out",
        "offered",
        "pace",
        "scope",
        "sections",
        "start",
        "steps",
    )

    def __init__(
        self,
        start: date,
        hours_per_week: Rational,
        pace: str,
        free_only: bool,
        steps: tuple[PlannedStep, ...],
        sections: tuple[SectionFinish, ...],
        left_out: tuple[Resource, ...],
        scope: str = DEFAULT_SCOPE,
        offered: int = 0,
    ) -> None:
        # The horizon planned, and how many open resources lie outside it.
        self.scope = scope
        self.offered = offered
        self.start = start
        self.hours_per_week = hours_per_week
        self.pace = pace
        self.free_only = free_only
        self.steps = steps
        self.sections = sections
        self.left_out = left_out

    @property
    def finish(self) -> date | None:
        return max((s.end for s in self.steps), default=None)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "hours_per_week": round(
                self.hours_per_week.numerator / self.hours_per_week.denominator, 3
            ),
            "pace": self.pace,
            "free": self.free_only,
            "minutes": self.minutes,
            "finish": self.finish.isoformat() if self.finish else None,
            "resources": [s.to_json() for s in self.steps],
            "sections": [s.to_json() for s in self.sections],
            "left_out": [r.id for r in self.left_out],
            "scope": self.scope,
            "not_counted": self.offered,
        }


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
    # minutes_per_week = hours * 60, as the fraction per_week_top / per_week_bottom.
    per_week_top, per_week_bottom = hours_per_week.numerator * 60, hours_per_week.denominator
    if per_week_top <= 0:
        got = hours_per_week.numerator / hours_per_week.denominator
        raise PlanError(
            _(
                "hours per week must be more than 0 (got {got:g}) — for example --hours-per-week 5"
            ).format(got=got)
        )
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
