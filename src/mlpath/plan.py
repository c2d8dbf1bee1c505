"""The plan: what is left of the path, laid onto weeks at a pace.

Pure functions of the catalog, statuses, a pace and a start day; `read_pace_changes`
fetches what the measured pace needs. How it reads is mlpath.output's business.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from fractions import Fraction
from typing import Any

from mlpath.catalog import Catalog, Resource, Section
from mlpath.counts import SETTLED
from mlpath.db import sqlite3
from mlpath.errors import PlanError
from mlpath.progress import has_history, read_changes_since
from mlpath.store import Change
from mlpath.timefmt import local_date, utc_stamp

PACE_WEEKS = 4


@dataclass(frozen=True, slots=True)
class PlannedStep:
    resource: Resource
    status: str
    start: date
    end: date
    start_week: int
    end_week: int
    waits_for: tuple[str, ...]  # open prerequisites left out of the plan (paid, with --free)

    def to_json(self) -> dict[str, Any]:
        r = self.resource
        return {
            "id": r.id,
            "title": r.title,
            "title_zh": r.title_zh,
            "section": r.section,
            "cost": r.cost,
            "optional": r.optional,
            "minutes": r.minutes,
            "status": self.status,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_week": self.start_week,
            "end_week": self.end_week,
            "waits_for": list(self.waits_for),
        }


@dataclass(frozen=True, slots=True)
class SectionFinish:
    section: Section
    resources: int
    finish: date | None  # None: nothing of it is in the plan

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.section.id,
            "title": self.section.title,
            "title_zh": self.section.title_zh,
            "resources": self.resources,
            "finish": self.finish.isoformat() if self.finish else None,
        }


@dataclass(frozen=True)
class Plan:
    start: date
    hours_per_week: Fraction
    pace: str  # "hours" (given) or "actual" (measured)
    free_only: bool
    steps: tuple[PlannedStep, ...]
    sections: tuple[SectionFinish, ...]
    left_out: tuple[Resource, ...]  # paid resources --free leaves out

    @property
    def finish(self) -> date | None:
        return max((s.end for s in self.steps), default=None)

    @property
    def minutes(self) -> int:
        return sum(s.resource.minutes for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "hours_per_week": round(float(self.hours_per_week), 3),
            "pace": self.pace,
            "free": self.free_only,
            "minutes": self.minutes,
            "finish": self.finish.isoformat() if self.finish else None,
            "resources": [s.to_json() for s in self.steps],
            "sections": [s.to_json() for s in self.sections],
            "left_out": [r.id for r in self.left_out],
        }


def hours_value(value: float) -> Fraction:
    """A pace as typed, as an exact fraction, so week boundaries fall exactly on days."""
    if not math.isfinite(value):
        raise PlanError(f"hours per week must be a number (got {value}) — e.g. 5")
    return Fraction(str(value))


def actual_pace(
    catalog: Catalog, changes: Sequence[Change], start: date, tz: tzinfo | None = None
) -> Fraction:
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
    return Fraction(minutes, 60 * PACE_WEEKS)


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
    hours_per_week: Fraction,
    start: date,
    free_only: bool = False,
    pace: str = "hours",
) -> Plan:
    """Lay what is left (todo and doing) onto weeks from `start`, one resource after another.

    Effort fills the weeks continuously: at 4 h a week a 10 h resource takes 17.5 days,
    and the next one starts on the day it ends. Week 1 starts on `start`.
    """
    if hours_per_week <= 0:
        raise PlanError(
            f"hours per week must be more than 0 (got {float(hours_per_week):g}) — "
            "for example --hours-per-week 5"
        )
    remaining = [r for r in catalog.resources if statuses.get(r.id, "todo") not in SETTLED]
    left_out = tuple(r for r in remaining if free_only and r.cost != "free")
    planned = [r for r in remaining if not (free_only and r.cost != "free")]
    planned_ids = {r.id for r in planned}
    open_ids = {r.id for r in remaining}
    minutes_per_week = hours_per_week * 60
    elapsed = 0  # minutes of effort laid out so far
    steps: list[PlannedStep] = []
    for r in schedule_order(planned):
        first_day = Fraction(elapsed * 7) / minutes_per_week
        elapsed += r.minutes
        last_day = Fraction(elapsed * 7) / minutes_per_week
        start_offset = math.floor(first_day)
        end_offset = max(start_offset, math.ceil(last_day) - 1)
        steps.append(
            PlannedStep(
                resource=r,
                status=statuses.get(r.id, "todo"),
                start=start + timedelta(days=start_offset),
                end=start + timedelta(days=end_offset),
                start_week=start_offset // 7 + 1,
                end_week=end_offset // 7 + 1,
                waits_for=tuple(
                    p for p in r.prerequisites if p in open_ids and p not in planned_ids
                ),
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
