"""The learner's journey: how far along the path they are, and when they will finish.

The figures come from pure functions of data and dates passed in (`streak_days`,
`calendar`, `build_progress`, `make_plan`, ...), so each can be tested for fixed
inputs. The `read_*` functions fetch those inputs from the catalog cache with the
progress store attached, in a few indexed queries. Plain-text renderings live here
too: pipes must not pay for importing Rich, which the commands use on a terminal.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from typing import Any

from mlpath.catalog import RESOURCE_COLUMNS, Catalog, Resource, Section, resource_from_row
from mlpath.db import sqlite3
from mlpath.errors import PlanError
from mlpath.path import SETTLED, format_minutes
from mlpath.store import Change, live
from mlpath.text import aligned
from mlpath.timefmt import local_time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Calendar shades by number of changes in a day: 0, 1, 2–3, 4–6, 7 or more.
SHADES = ("·", "░", "▒", "▓", "█")
SHADE_FLOORS = (0, 1, 2, 4, 7)
CALENDAR_WEEKS = 12
RECENT_COUNT = 5
BAR_WIDTH = 20
PACE_WEEKS = 4


# --- time ------------------------------------------------------------------------


def local_date(stamp: str, tz: tzinfo | None = None) -> date:
    """The learner's calendar day of a stored UTC stamp (`tz` None: the system's zone)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment.astimezone(tz).date()


def utc_stamp(day: date, tz: tzinfo | None = None) -> str:
    """The stored form of the first moment of local `day`, for range queries."""
    moment = datetime.combine(day, time(), tzinfo=tz) if tz else datetime.combine(day, time())
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- progress figures -----------------------------------------------------------------


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def percent_text(part: int, whole: int) -> str:
    """Whole percent that never claims 0% for some or 100% for not all."""
    if not whole:
        return "0%"
    value = round(100 * part / whole)
    if part and value == 0:
        value = 1
    elif part < whole and value == 100:
        value = 99
    return f"{value}%"


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts and estimated effort over a set of resources."""

    total: int = 0
    done: int = 0
    doing: int = 0
    skipped: int = 0
    minutes_done: int = 0
    minutes_left: int = 0  # what is to do or in progress; skipped effort is not left

    @property
    def todo(self) -> int:
        return self.total - self.done - self.doing - self.skipped

    @property
    def settled(self) -> int:
        return self.done + self.skipped

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.total + other.total,
            self.done + other.done,
            self.doing + other.doing,
            self.skipped + other.skipped,
            self.minutes_done + other.minutes_done,
            self.minutes_left + other.minutes_left,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "doing": self.doing,
            "skipped": self.skipped,
            "todo": self.todo,
            "done_percent": percent(self.done, self.total),
            "done_or_skipped_percent": percent(self.settled, self.total),
            "minutes_done": self.minutes_done,
            "minutes_left": self.minutes_left,
            "hours_done": round(self.minutes_done / 60, 1),
            "hours_left": round(self.minutes_left / 60, 1),
        }


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section: Section
    tally: Tally

    def to_json(self) -> dict[str, Any]:
        s = self.section
        return {
            "id": s.id,
            "title": s.title,
            "title_zh": s.title_zh,
            "optional": s.optional,
            **self.tally.to_json(),
        }


@dataclass(frozen=True, slots=True)
class Streak:
    """Consecutive local days with at least one change, ending today or yesterday."""

    days: int
    last_active: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "last_active": self.last_active.isoformat() if self.last_active else None,
        }


def streak_days(active_days: Iterable[date], today: date) -> int:
    """How many days in a row end today, or yesterday when nothing happened yet today."""
    days = set(active_days)
    end = today if today in days else today - timedelta(days=1)
    count = 0
    while end in days:
        count += 1
        end -= timedelta(days=1)
    return count


@dataclass(frozen=True, slots=True)
class Calendar:
    """Changes per local day over whole weeks, Monday first, up to today."""

    first: date  # a Monday
    today: date
    counts: dict[date, int]

    @property
    def weeks(self) -> int:
        return (self.today - self.first).days // 7 + 1

    def count(self, day: date) -> int:
        return self.counts.get(day, 0)

    def to_json(self) -> dict[str, Any]:
        days = (self.today - self.first).days + 1
        return {
            "first": self.first.isoformat(),
            "last": self.today.isoformat(),
            "days": [
                {"date": d.isoformat(), "changes": self.count(d)}
                for d in (self.first + timedelta(days=i) for i in range(days))
            ],
        }


def calendar_start(today: date, weeks: int = CALENDAR_WEEKS) -> date:
    """The Monday that starts a calendar of `weeks` columns ending with today's week."""
    return today - timedelta(days=today.weekday(), weeks=weeks - 1)


def calendar(active: Iterable[date], today: date, weeks: int = CALENDAR_WEEKS) -> Calendar:
    """`weeks` columns ending with the week of `today`; one entry in `active` per change."""
    first = calendar_start(today, weeks)
    counts = Counter(d for d in active if first <= d <= today)
    return Calendar(first, today, dict(counts))


def shade(count: int) -> str:
    level = sum(count >= floor for floor in SHADE_FLOORS) - 1
    return SHADES[level]


def calendar_lines(cal: Calendar) -> list[str]:
    """A contributions-style grid: a month header, then Mon–Sun rows, one column a week."""
    mondays = [cal.first + timedelta(weeks=w) for w in range(cal.weeks)]
    starts = [
        (2 * col, MONTHS[monday.month - 1])
        for col, monday in enumerate(mondays)
        if col == 0 or monday.month != mondays[col - 1].month
    ]
    header = [" "] * (2 * len(mondays) + 2)
    free_from = len(header)  # labels are placed right to left: a new month wins
    for start, label in reversed(starts):
        if start + len(label) < free_from:
            header[start : start + len(label)] = label
            free_from = start
    lines = ["    " + "".join(header).rstrip()]
    for weekday, name in enumerate(WEEKDAYS):
        cells = []
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            cells.append(shade(cal.count(day)) if day <= cal.today else " ")
        lines.append(f"{name} " + " ".join(cells).rstrip())
    lines.append("    less " + " ".join(SHADES) + " more")
    return lines


@dataclass(frozen=True, slots=True)
class Orphan:
    """A resource id the history knows but this catalog does not."""

    id: str
    status: str
    changes: int
    last_change: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "changes": self.changes,
            "last_change": self.last_change,
        }


@dataclass(frozen=True)
class ProgressReport:
    overall: Tally
    sections: tuple[SectionProgress, ...]
    recent: tuple[Change, ...]  # newest first
    streak: Streak
    calendar: Calendar
    not_in_catalog: tuple[Orphan, ...]
    known: dict[str, Resource]  # the catalog's resources among the recent changes

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "streak": self.streak.to_json(),
            "recent": [
                {**c.to_json(), "in_catalog": c.resource in self.known} for c in self.recent
            ],
            "calendar": self.calendar.to_json(),
            "not_in_catalog": [o.to_json() for o in self.not_in_catalog],
        }


def build_progress(
    sections: Sequence[Section],
    tallies: dict[str, Tally],
    recent: Sequence[Change],
    active: Sequence[date],
    orphans: Sequence[Orphan],
    known: dict[str, Resource],
    today: date,
    tz: tzinfo | None = None,
    weeks: int = CALENDAR_WEEKS,
) -> ProgressReport:
    """Assemble the report from what the store says.

    `recent` are the newest live changes, newest first; `active` holds the local day of
    every live change since at least the calendar's first day (one entry per change).
    """
    parts = tuple(SectionProgress(s, tallies.get(s.id, Tally())) for s in sections)
    return ProgressReport(
        overall=sum((p.tally for p in parts), Tally()),
        sections=parts,
        recent=tuple(recent),
        streak=Streak(
            streak_days(active, today), local_date(recent[0].at, tz) if recent else None
        ),
        calendar=calendar(active, today, weeks),
        not_in_catalog=tuple(orphans),
        known=known,
    )


# --- reading the store ------------------------------------------------------------------
# These read the catalog cache with the progress store attached as `progress` (what
# Workspace.db() gives), in a few indexed queries: a long history must not be loaded
# whole to draw a progress page.

# Status changes and notes that count: no undo row, nothing an undo reverted.
LIVE = "c.action != 'undo' AND " + live("progress.changes", "c.")
CHANGE_SELECT = "c.seq, c.uid, c.at, c.resource, c.action, c.status, c.note, c.reverts"


def has_history(db: sqlite3.Connection) -> bool:
    """False when there is no progress store yet (an empty stand-in is attached)."""
    row = db.execute(
        "SELECT 1 FROM progress.sqlite_master WHERE type = 'table' AND name = 'changes'"
    ).fetchone()
    return row is not None


def read_sections(db: sqlite3.Connection) -> list[Section]:
    return [
        Section(row[0], row[1], row[2], row[3], bool(row[4]))
        for row in db.execute(
            "SELECT id, title, title_zh, summary, optional FROM sections ORDER BY position"
        )
    ]


def read_tallies(db: sqlite3.Connection) -> dict[str, Tally]:
    """Each section's counts and estimated minutes, from the current statuses."""
    rows = db.execute(
        "SELECT r.section, count(*), "
        "coalesce(sum(c.status = 'done'), 0), coalesce(sum(c.status = 'doing'), 0), "
        "coalesce(sum(c.status = 'skipped'), 0), "
        "coalesce(sum(CASE WHEN c.status = 'done' THEN r.minutes END), 0), "
        "coalesce(sum(CASE WHEN coalesce(c.status, 'todo') IN ('todo', 'doing') "
        "THEN r.minutes END), 0) "
        "FROM resources r LEFT JOIN progress.current c ON c.resource = r.id "
        "GROUP BY r.section"
    )
    return {row[0]: Tally(*row[1:]) for row in rows}


def read_recent(db: sqlite3.Connection, count: int = RECENT_COUNT) -> list[Change]:
    """The newest live changes, newest first."""
    return [
        Change(*row)
        for row in db.execute(
            f"SELECT {CHANGE_SELECT} FROM progress.changes c WHERE {LIVE} "
            "ORDER BY c.at DESC, c.seq DESC LIMIT ?",
            (count,),
        )
    ]


def read_changes_since(db: sqlite3.Connection, stamp: str) -> list[Change]:
    """Live changes at or after a stored-form UTC stamp, oldest first."""
    return [
        Change(*row)
        for row in db.execute(
            f"SELECT {CHANGE_SELECT} FROM progress.changes c WHERE c.at >= ? AND {LIVE} "
            "ORDER BY c.at, c.seq",
            (stamp,),
        )
    ]


def read_orphans(db: sqlite3.Connection) -> list[Orphan]:
    """Ids with live history that this catalog does not have, by id."""
    # Walk the distinct ids of the history one index seek each, rather than every row.
    orphan_ids = [
        row[0]
        for row in db.execute(
            "WITH RECURSIVE ids(id) AS ("
            "  SELECT min(resource) FROM progress.changes"
            "  UNION ALL"
            "  SELECT (SELECT min(resource) FROM progress.changes WHERE resource > ids.id)"
            "  FROM ids WHERE ids.id IS NOT NULL"
            ") SELECT id FROM ids WHERE id IS NOT NULL "
            "AND id NOT IN (SELECT id FROM main.resources)"
        )
    ]
    orphans = []
    for rid in orphan_ids:
        count, last = db.execute(
            f"SELECT count(*), max(c.at) FROM progress.changes c WHERE c.resource = ? AND {LIVE}",
            (rid,),
        ).fetchone()
        if count:
            status = db.execute(
                "SELECT status FROM progress.current WHERE resource = ?", (rid,)
            ).fetchone()
            orphans.append(Orphan(rid, status[0] if status else "todo", count, last))
    return orphans


def read_resources(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Resource]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    return {
        r.id: r
        for r in (
            resource_from_row(row)
            for row in db.execute(
                f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id IN ({marks})", wanted
            )
        )
    }


def read_progress(
    db: sqlite3.Connection,
    today: date,
    tz: tzinfo | None = None,
    weeks: int = CALENDAR_WEEKS,
    recent: int = RECENT_COUNT,
) -> ProgressReport:
    """The progress report for the catalog and store behind `db`, as of local `today`."""
    sections = read_sections(db)
    tallies = read_tallies(db)
    if not has_history(db):
        return build_progress(sections, tallies, [], [], [], {}, today, tz, weeks)
    newest = read_recent(db, recent)
    # Read back to the calendar's first day; further only while the streak reaches it.
    horizon = calendar_start(today, weeks)
    while True:
        since = utc_stamp(horizon - timedelta(days=1), tz)
        active = [
            day
            for day in (local_date(c.at, tz) for c in read_changes_since(db, since))
            if day >= horizon
        ]
        if today - timedelta(days=streak_days(active, today)) > horizon:
            break
        horizon -= timedelta(weeks=52)
    known = read_resources(db, (c.resource for c in newest))
    return build_progress(
        sections, tallies, newest, active, read_orphans(db), known, today, tz, weeks
    )


def text_bar(t: Tally, width: int = BAR_WIDTH) -> str:
    """`[####~~------]`: done, then skipped, then what is left."""
    done, skipped, left = bar_cells(t, width)
    return "[" + "#" * done + "~" * skipped + "-" * left + "]"


def bar_cells(t: Tally, width: int = BAR_WIDTH) -> tuple[int, int, int]:
    """Cells for done, skipped and left: any share shows, and only all of it fills the bar."""
    if not t.total:
        return 0, 0, width

    def cells(n: int) -> int:
        return max(1, round(width * n / t.total)) if n else 0

    parts = [cells(t.done), cells(t.skipped), cells(t.total - t.settled)]
    # Rounding may miss the width by a cell or two: the largest part absorbs it.
    largest = parts.index(max(parts))
    parts[largest] += width - sum(parts)
    return parts[0], parts[1], parts[2]


def counts_text(t: Tally) -> str:
    parts = [f"{t.done}/{t.total} done"]
    if t.doing:
        parts.append(f"{t.doing} in progress")
    if t.skipped:
        parts.append(f"{t.skipped} skipped")
    return ", ".join(parts)


def hours(minutes: int) -> str:
    """Estimated hours, compact: '0 h', '0.5 h', '7.3 h', '20 h'."""
    value = minutes / 60
    if value >= 10:
        return f"{round(value)} h"
    return f"{value:.1f}".removesuffix(".0") + " h"


def hours_text(t: Tally) -> str:
    return f"{hours(t.minutes_done)} done · {hours(t.minutes_left)} left"


def overall_lines(t: Tally) -> list[str]:
    return [
        f"{t.done} of {t.total} done ({percent_text(t.done, t.total)}) · "
        f"done + skipped {percent_text(t.settled, t.total)} · "
        f"{t.doing} in progress · {t.skipped} skipped · {t.todo} to do",
        f"Estimated effort: {hours_text(t)}",
    ]


def streak_text(s: Streak, today: date) -> str:
    if s.last_active is None:
        return "Streak: none yet — `mlpath done ID` records your first change."
    days = f"{s.days} day{'s' if s.days != 1 else ''}"
    if s.days == 0:
        since = (today - s.last_active).days
        return f"Streak: 0 days (last change {s.last_active.isoformat()}, {since} days ago)"
    when = "today" if s.last_active == today else "yesterday — a change today keeps it going"
    return f"Streak: {days} (last change {when})"


def change_text(c: Change) -> str:
    if c.action == "status":
        return f"→ {c.status}"
    note = (c.note or "").replace("\n", " ")
    return f"note: {note[:40]}…" if len(note) > 40 else f"note: {note}"


def resource_label(known: dict[str, Resource], resource_id: str, lang: str) -> str:
    resource = known.get(resource_id)
    if resource is None:
        return f"{resource_id} (not in this catalog)"
    return f"{resource_id} · {resource.display_title(lang)}"


def orphan_history(o: Orphan) -> str:
    return f"{o.changes} change{'s' if o.changes != 1 else ''}, last {local_time(o.last_change)}"


def progress_text(report: ProgressReport, lang: str) -> str:
    """The report as plain text, for pipes."""
    lines = ["Progress", *("  " + line for line in overall_lines(report.overall)), ""]
    lines.append("Sections (# done, ~ skipped, - to do)")
    rows = []
    for sp in report.sections:
        title = sp.section.display_title(lang) + (" (optional)" if sp.section.optional else "")
        rows.append(
            (title, text_bar(sp.tally), counts_text(sp.tally), hours_text(sp.tally))
            if sp.tally.total
            else (title, "", "no resources", "")
        )
    lines += aligned(rows, "  ")
    lines += ["", streak_text(report.streak, report.calendar.today)]
    if report.recent:
        lines += ["", "Recent activity"]
        recent = [
            (local_time(c.at), change_text(c), resource_label(report.known, c.resource, lang))
            for c in report.recent
        ]
        lines += aligned(recent, "  ")
    lines += ["", f"Activity, last {report.calendar.weeks} weeks"]
    lines += ["  " + line for line in calendar_lines(report.calendar)]
    if report.not_in_catalog:
        lines += ["", "Not in this catalog (history kept)"]
        orphans = [(o.id, o.status, orphan_history(o)) for o in report.not_in_catalog]
        lines += aligned(orphans, "  ")
    return "\n".join(lines)


# --- plan ---------------------------------------------------------------------------


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


def pace_text(plan: Plan) -> str:
    hours = f"{float(plan.hours_per_week):.3g} h/week"
    if plan.pace == "actual":
        return f"{hours} (your pace over the {PACE_WEEKS} weeks before {plan.start.isoformat()})"
    return hours


def weeks_text(step: PlannedStep) -> str:
    if step.start_week == step.end_week:
        return str(step.start_week)
    return f"{step.start_week}–{step.end_week}"


def plan_summary(plan: Plan) -> str:
    if not plan.steps:
        if plan.left_out:
            return "Nothing free is left to plan: only paid resources remain (drop --free)."
        return "Nothing left to plan: every resource is done or skipped."
    assert plan.finish is not None
    count = len(plan.steps)
    return (
        f"Plan from {plan.start.isoformat()} at {pace_text(plan)}: "
        f"{count} resource{'s' if count != 1 else ''}, about {format_minutes(plan.minutes)} — "
        f"finish by {plan.finish.isoformat()} (week {plan.steps[-1].end_week})"
    )


def plan_notes(plan: Plan) -> list[str]:
    notes = []
    waiting = [s for s in plan.steps if s.waits_for]
    for s in waiting:
        notes.append(f"{s.resource.id} needs {', '.join(s.waits_for)}, left out as paid (--free)")
    if plan.left_out:
        count = len(plan.left_out)
        notes.append(f"{count} paid resource{'s' if count != 1 else ''} left out (--free)")
    optional = [s for s in plan.steps if s.resource.optional]
    if optional:
        minutes = sum(s.resource.minutes for s in optional)
        notes.append(
            f"Includes {len(optional)} optional resource{'s' if len(optional) != 1 else ''} "
            f"({format_minutes(minutes)}); `mlpath skip ID` takes one out of the plan"
        )
    return notes


def plan_text(plan: Plan, lang: str) -> str:
    lines = [plan_summary(plan)]
    if not plan.steps:
        return "\n".join(lines + plan_notes(plan))
    rows = [
        (
            weeks_text(s),
            s.start.isoformat(),
            s.end.isoformat(),
            s.resource.id,
            s.resource.display_title(lang),
            format_minutes(s.resource.minutes),
            "in progress" if s.status == "doing" else "",
        )
        for s in plan.steps
    ]
    lines += ["", *aligned([("week", "start", "end", "id", "title", "time", ""), *rows]), ""]
    finish_rows = [
        (s.section.display_title(lang), s.finish.isoformat())
        for s in plan.sections
        if s.finish is not None
    ]
    assert plan.finish is not None
    finish_rows.append(("Whole path", plan.finish.isoformat()))
    lines += aligned([("section", "finish"), *finish_rows])
    notes = plan_notes(plan)
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)
