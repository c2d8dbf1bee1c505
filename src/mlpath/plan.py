"""The plan: what is left of the path, laid onto weeks at a pace.

Pure functions of the catalog, statuses, a pace and a start day; `read_pace_changes`
fetches what the measured pace needs. How it reads is mlpath.output's business.
"""

from __future__ import annotations

import heapq
import math
from datetime import date, timedelta

from mlpath.counts import SETTLED
from mlpath.errors import PlanError
from mlpath.progress import has_history, read_changes_since
from mlpath.record import Record
from mlpath.timefmt import local_date, utc_stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo
    from typing import Any, Protocol

    from mlpath.catalog import Catalog, Resource, Section
    from mlpath.db import sqlite3
    from mlpath.store import Change

    class Rational(Protocol):
        """An exact number of hours a week: an int, a Fraction or a Rate."""

        @property
        def numerator(self) -> int: ...
        @property
        def denominator(self) -> int: ...


PACE_WEEKS = 4


class Rate(Record):
    """An exact fraction (hours a week), so week boundaries fall exactly on days.

    What `fractions.Fraction` would be here, without importing it (with decimal and re).
    """

    __slots__ = ("denominator", "numerator")

    def __init__(self, numerator: int, denominator: int = 1) -> None:
        common = math.gcd(numerator, denominator) or 1
        self.numerator = numerator // common
        self.denominator = denominator // common

    def __eq__(self, other: object) -> bool:
        numerator = getattr(other, "numerator", None)
        denominator = getattr(other, "denominator", None)
        if not isinstance(numerator, int) or not isinstance(denominator, int):
            return NotImplemented
        return self.numerator * denominator == numerator * self.denominator

    def __hash__(self) -> int:
        return hash((self.numerator, self.denominator))

    def __float__(self) -> float:
        return self.numerator / self.denominator


class PlannedStep(Record):
    """One resource laid onto days; `waits_for`: open prerequisites left out of the plan
    (paid, with --free)."""

    __slots__ = (
        "end",
        "end_week",
        "minutes",
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
    ) -> None:
        # What is left of it: less than its estimate when some of its parts are done.
        self.minutes = resource.minutes if minutes is None else minutes
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
        "pace",
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
    ) -> None:
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
        }


def hours_value(value: float) -> Rate:
    """A pace as typed, exactly: 0.1 is a tenth, not the binary number nearest to it."""
    if not math.isfinite(value):
        raise PlanError(f"hours per week must be a number (got {value}) — e.g. 5")
    mantissa, _, exponent = repr(value).partition("e")  # the shortest form that reads back
    whole, _, decimals = mantissa.partition(".")
    numerator, denominator = int(whole + decimals), 10 ** len(decimals)
    shift = int(exponent or 0)
    if shift >= 0:
        numerator *= 10**shift
    else:
        denominator *= 10**-shift
    return Rate(numerator, denominator)


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
            f"no resource was marked done in the {PACE_WEEKS} weeks before "
            f"{start.isoformat()}, so there is no actual pace yet — pass --hours-per-week H"
        )
    return Rate(minutes, 60 * PACE_WEEKS)


def read_pace_changes(
    db: sqlite3.Connection, start: date, tz: tzinfo | None = None
) -> list[Change]:
    """The live changes `actual_pace` looks at: from its window's first day on."""
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
    heapq.heapify(ready)
    order: list[Resource] = []
    placed: set[str] = set()
    by_position = sorted(resources, key=lambda r: r.position)
    while len(order) < len(resources):
        if not ready:
            # A cycle (the catalog validator forbids them): break it in path order.
            stuck = next(r for r in by_position if r.id not in placed)
            heapq.heappush(ready, (stuck.position, stuck.id))
        _, rid = heapq.heappop(ready)
        if rid in placed:
            continue
        placed.add(rid)
        order.append(planned[rid])
        for dependent in unlocks.get(rid, ()):
            waiting[dependent.id] -= 1
            if waiting[dependent.id] == 0 and dependent.id not in placed:
                heapq.heappush(ready, (dependent.position, dependent.id))
    return order


def make_plan(
    catalog: Catalog,
    statuses: dict[str, str],
    hours_per_week: Rational,
    start: date,
    free_only: bool = False,
    pace: str = "hours",
    minutes_settled: dict[str, int] | None = None,
) -> Plan:
    """Lay what is left (todo and doing) onto weeks from `start`, one resource after another.

    Effort fills the weeks continuously: at 4 h a week a 10 h resource takes 17.5 days,
    and the next one starts on the day it ends. Week 1 starts on `start`.
    `minutes_settled`: per resource, the effort of its parts already done or skipped.
    """
    settled = minutes_settled or {}
    # minutes_per_week = hours * 60, as the fraction per_week_top / per_week_bottom.
    per_week_top, per_week_bottom = hours_per_week.numerator * 60, hours_per_week.denominator
    if per_week_top <= 0:
        got = hours_per_week.numerator / hours_per_week.denominator
        raise PlanError(
            f"hours per week must be more than 0 (got {got:g}) — for example --hours-per-week 5"
        )
    remaining = [r for r in catalog.resources if statuses.get(r.id, "todo") not in SETTLED]
    left_out = tuple(r for r in remaining if free_only and r.cost != "free")
    planned = [r for r in remaining if not (free_only and r.cost != "free")]
    planned_ids = {r.id for r in planned}
    open_ids = {r.id for r in remaining}
    elapsed = 0  # minutes of effort laid out so far
    steps: list[PlannedStep] = []
    for r in schedule_order(planned):
        # The day effort `elapsed` is reached: elapsed * 7 / minutes_per_week, exactly.
        start_offset = (elapsed * 7 * per_week_bottom) // per_week_top
        left = max(r.minutes - settled.get(r.id, 0), 0)
        elapsed += left
        last_day_ceiling = -((-elapsed * 7 * per_week_bottom) // per_week_top)
        end_offset = max(start_offset, last_day_ceiling - 1)
        steps.append(
            PlannedStep(
                resource=r,
                status=statuses.get(r.id, "todo"),
                start=_day(start, start_offset),
                end=_day(start, end_offset),
                start_week=start_offset // 7 + 1,
                end_week=end_offset // 7 + 1,
                waits_for=tuple(
                    p for p in r.prerequisites if p in open_ids and p not in planned_ids
                ),
                minutes=left,
            )
        )
    finishes: dict[str, list[date]] = {}
    for step in steps:
        finishes.setdefault(step.resource.section, []).append(step.end)
    sections = tuple(
        SectionFinish(s, len(finishes.get(s.id, ())), max(finishes.get(s.id, ()), default=None))
        for s in catalog.sections
    )
    return Plan(start, hours_per_week, pace, free_only, tuple(steps), sections, left_out)


def _day(start: date, offset: int) -> date:
    try:
        return start + timedelta(days=offset)
    except OverflowError:
        raise PlanError(
            "at this pace the plan would end after the year 9999 — "
            "plan more hours a week, or skip what you will not do"
        ) from None
