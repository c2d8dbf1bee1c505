"""The learner's progress: counts per section, streak, recent activity, calendar.

The figures come from pure functions of data and dates passed in (`streak_days`,
`calendar`, `build_progress`), so each can be tested for fixed inputs. The `read_*`
functions fetch those inputs from the catalog cache with the progress store attached,
in a few indexed queries. How it reads is mlpath.output's business.
"""

from __future__ import annotations

from mlpath import activity_memo
from mlpath.catalog import (
    Part,
    Resource,
    Section,
    resources_by_id,
)
from mlpath.counts import Tally
from mlpath.dates import date, timedelta
from mlpath.goal import (
    DEFAULT_SCOPE,
    Goal,
    Horizon,
    dropped_alternatives,
    horizon_for,
    in_horizon,
    scope_of,
    tally_of,
    without,
)
from mlpath.history_since import has_history as has_history  # read here by plan and share
from mlpath.part_status import is_part_key, read_parts
from mlpath.record import Record
from mlpath.section_counts import section_counts, unchosen
from mlpath.store import Change, live
from mlpath.timefmt import local_date, utc_stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import tzinfo
    from typing import Any

    from mlpath.db import sqlite3

CALENDAR_WEEKS = 12
RECENT_COUNT = 5


class SectionProgress(Record):
    """A section's counts over the horizon; `offered`: its resources outside it."""

    __slots__ = ("offered", "section", "tally")

    def __init__(self, section: Section, tally: Tally, offered: int = 0) -> None:
        self.section = section
        self.tally = tally
        self.offered = offered

    def to_json(self) -> dict[str, Any]:
        s = self.section
        return {
            "id": s.id,
            "title": s.title,
            "title_zh": s.title_zh,
            "optional": s.optional,
            **self.tally.to_json(),
            "not_counted": self.offered,
        }


class Streak(Record):
    """Consecutive local days with at least one change, ending today or yesterday."""

    __slots__ = ("days", "last_active")

    def __init__(self, days: int, last_active: date | None) -> None:
        self.days = days
        self.last_active = last_active

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "last_active": self.last_active.isoformat() if self.last_active else None,
        }


class Week(Record):
    """This week (Monday on) against the goal: the estimated minutes of what was
    finished, parts included; `days` of it gone by, today included."""

    __slots__ = ("days", "first", "goal_minutes", "minutes")

    def __init__(self, first: date, days: int, minutes: int, goal_minutes: int | None) -> None:
        self.first = first
        self.days = days
        self.minutes = minutes
        self.goal_minutes = goal_minutes

    @property
    def expected(self) -> int | None:
        """Minutes the goal asks for by the end of today, evenly over the week."""
        if self.goal_minutes is None:
            return None
        return -((-self.goal_minutes * self.days) // 7)

    @property
    def on_track(self) -> bool | None:
        expected = self.expected
        return None if expected is None else self.minutes >= expected

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(),
            "days": self.days,
            "minutes": self.minutes,
            "hours": round(self.minutes / 60, 1),
            "goal_minutes": self.goal_minutes,
            "expected_minutes": self.expected,
            "on_track": self.on_track,
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


class Calendar(Record):
    """Changes per local day over whole weeks, Monday first (`first`), up to today."""

    __slots__ = ("counts", "first", "today")

    def __init__(self, first: date, today: date, counts: dict[date, int]) -> None:
        self.first = first
        self.today = today
        self.counts = counts

    def __hash__(self) -> int:
        return hash((self.first, self.today))

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
    counts: dict[date, int] = {}
    for day in active:
        if first <= day <= today:
            counts[day] = counts.get(day, 0) + 1
    return Calendar(first, today, counts)


class Orphan(Record):
    """A resource id the history knows but this catalog does not."""

    __slots__ = ("changes", "id", "last_change", "status")

    def __init__(self, id: str, status: str, changes: int, last_change: str) -> None:
        self.id = id
        self.status = status
        self.changes = changes
        self.last_change = last_change

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "changes": self.changes,
            "last_change": self.last_change,
        }


class ProgressReport:
    """Everything `mlpath progress` shows; `recent` newest first, `known` the catalog's
    resources among the recent changes."""

    __slots__ = (
        "calendar",
        "horizon",
        "known",
        "known_parts",
        "not_in_catalog",
        "overall",
        "recent",
        "sections",
        "streak",
        "week",
    )

    def __init__(
        self,
        overall: Tally,
        sections: tuple[SectionProgress, ...],
        recent: tuple[Change, ...],
        streak: Streak,
        calendar: Calendar,
        not_in_catalog: tuple[Orphan, ...],
        known: dict[str, Resource],
        known_parts: dict[str, Part] | None = None,
        horizon: Horizon | None = None,
        week: Week | None = None,
    ) -> None:
        self.known_parts = known_parts or {}  # the catalog's parts among them, by store key
        self.horizon = horizon or Horizon(DEFAULT_SCOPE, None, offered=0)
        self.week = week
        self.overall = overall
        self.sections = sections
        self.recent = recent
        self.streak = streak
        self.calendar = calendar
        self.not_in_catalog = not_in_catalog
        self.known = known

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "sections": [s.to_json() for s in self.sections],
            "streak": self.streak.to_json(),
            "recent": [
                {
                    **c.to_json(),
                    "in_catalog": c.resource in self.known or c.resource in self.known_parts,
                }
                for c in self.recent
            ],
            "calendar": self.calendar.to_json(),
            "not_in_catalog": [o.to_json() for o in self.not_in_catalog],
            "horizon": self.horizon.to_json(),
            "week": self.week.to_json() if self.week else None,
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
    offered: dict[str, int] | None = None,
    goal: Goal | None = None,
    week_minutes: int = 0,
    counts: dict[date, int] | None = None,
    streak: int | None = None,
) -> ProgressReport:
    """Assemble the report from what the store says.

    `recent` are the newest live changes, newest first; `active` holds the local day of
    every live change since at least the calendar's first day (one entry per change);
    `offered`: per section, resources outside the horizon; `week_minutes`: the effort
    finished since this week's Monday. `counts` (changes per local day) and `streak`
    (days), when given, stand for what `active` would say (see read_activity).
    """
    outside = offered or {}
    parts = tuple(
        SectionProgress(s, tallies.get(s.id, Tally()), outside.get(s.id, 0)) for s in sections
    )
    overall = sum((p.tally for p in parts), Tally())
    horizon = horizon_for(goal, overall.minutes_left, (today.year, today.month, today.day))
    horizon.offered = sum(outside.values())
    monday = today - timedelta(days=today.weekday())
    goal_minutes = round(goal.hours_per_week * 60) if goal else None
    return ProgressReport(
        horizon=horizon,
        week=Week(monday, today.weekday() + 1, week_minutes, goal_minutes),
        overall=overall,
        sections=parts,
        recent=tuple(recent),
        streak=Streak(
            streak_days(active, today) if streak is None else streak,
            local_date(recent[0].at, tz) if recent else None,
        ),
        calendar=calendar(active, today, weeks)
        if counts is None
        else Calendar(calendar_start(today, weeks), today, counts),
        not_in_catalog=tuple(orphans),
        known=known,
    )


# --- reading the store ------------------------------------------------------------------
# These read the catalog cache with the progress store attached as `progress` (what
# Workspace.db() gives), in a few indexed queries: a long history must not be loaded
# whole to draw a progress page.

# Status changes and notes that count: no undo row, nothing an undo reverted.
# Progress made: status changes and notes (not undos, nor definitions such as a goal).
LIVE = "c.action != 'undo' AND c.action != 'define' AND " + live("progress.changes", "c.")
CHANGE_SELECT = "c.seq, c.uid, c.at, c.resource, c.action, c.status, c.note, c.reverts"


def read_sections(db: sqlite3.Connection) -> list[Section]:
    return [
        Section(row[0], row[1], row[2], row[3], bool(row[4]))
        for row in db.execute(
            "SELECT id, title, title_zh, summary, optional FROM sections ORDER BY position"
        )
    ]


def read_tallies(
    db: sqlite3.Connection,
    scope: str = DEFAULT_SCOPE,
    offered: dict[str, int] | None = None,
) -> dict[str, Tally]:
    """Each section's counts and estimated minutes over the horizon of `scope`, from the
    current statuses; `offered`, when given, receives per section how many resources
    are outside the horizon (optional ones not chosen, alternatives counted once)."""
    # From the sections' counts, kept between runs and moved by what changed.
    counts = section_counts(db)
    tallies = {section: c.tally for section, c in counts.sections.items()}
    # Less the optional resources outside the scope that the learner has not chosen.
    for section, status, count, minutes in unchosen(counts, scope, by_section=True):
        t = tallies[section]
        skipped = status == "skipped"
        tallies[section] = Tally(
            t.total - count,
            t.done,
            t.doing,
            t.skipped - (count if skipped else 0),
            t.minutes_done,
            t.minutes_left - (0 if skipped else minutes),
        )
        if offered is not None:
            offered[section] = offered.get(section, 0) + count
    dropped = dropped_alternatives(db, scope)
    for status, minutes, section in dropped.values():
        tallies[section] = without(tallies[section], [tally_of(status, minutes)])
        if offered is not None:
            offered[section] = offered.get(section, 0) + 1
    # Parts finished inside resources still open: effort done, no longer left.
    inside = counts.settled_parts
    if scope != "all":
        inside = {rid: inside[rid] for rid in in_horizon(db, scope, inside)}
    inside = {rid: figures for rid, figures in inside.items() if rid not in dropped}
    if inside:
        marks = ", ".join("?" * len(inside))
        for rid, section in db.execute(
            f"SELECT id, section FROM resources WHERE id IN ({marks})", list(inside)
        ):
            done, settled = inside[rid]
            t = tallies[section]
            tallies[section] = Tally(
                t.total,
                t.done,
                t.doing,
                t.skipped,
                t.minutes_done + done,
                t.minutes_left - settled,
            )
    return tallies


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


# Of the ids in `ids(id)`, those the catalog neither has as a resource nor as a part,
# and not the learner's own (resources and parts they took away: history kept, not lost).
_NOT_IN_CATALOG = (
    "id NOT IN (SELECT id FROM resources) "
    # A part's key, probed by the parts' (resource, id) index: building every part's
    # key to compare against would cost a catalog of parts each run.
    "AND NOT (instr(ids.id, '/') > 0 AND EXISTS (SELECT 1 FROM parts p "
    "WHERE p.resource = substr(ids.id, 1, instr(ids.id, '/') - 1) "
    "AND p.id = substr(ids.id, instr(ids.id, '/') + 1))) "
    "AND id NOT LIKE 'my-%' AND id NOT LIKE '%/my-%'"
)


def orphan_candidates(
    db: sqlite3.Connection, memo: activity_memo.ActivityMemo | None = None
) -> list[str]:
    """The ids of the history this catalog does not have, live or not, by id."""
    if memo is not None and memo.orphans is not None:
        found = set(memo.orphans)
        fresh = [rid for rid in memo.fresh_ids if rid not in found]
        for start in range(0, len(fresh), 500):  # SQLite bounds a statement's parameters
            batch = fresh[start : start + 500]
            found.update(
                row[0]
                for row in db.execute(
                    f"WITH ids(id) AS (VALUES {', '.join(['(?)'] * len(batch))}) "
                    f"SELECT id FROM ids WHERE {_NOT_IN_CATALOG}",
                    batch,
                )
            )
        return sorted(found)
    # Walk the distinct ids of the history one index seek each, rather than every row.
    return [
        row[0]
        for row in db.execute(
            "WITH RECURSIVE ids(id) AS ("
            "  SELECT min(resource) FROM progress.changes"
            "  UNION ALL"
            "  SELECT (SELECT min(resource) FROM progress.changes WHERE resource > ids.id)"
            "  FROM ids WHERE ids.id IS NOT NULL"
            f") SELECT id FROM ids WHERE id IS NOT NULL AND {_NOT_IN_CATALOG}"
        )
    ]


def read_orphans(db: sqlite3.Connection, candidates: Sequence[str] | None = None) -> list[Orphan]:
    """Ids with live history that this catalog does not have, by id (of `candidates`,
    when given: see orphan_candidates)."""
    orphans = []
    for rid in orphan_candidates(db) if candidates is None else candidates:
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


def read_progress(
    db: sqlite3.Connection,
    today: date,
    tz: tzinfo | None = None,
    weeks: int = CALENDAR_WEEKS,
    recent: int = RECENT_COUNT,
    goal: Goal | None = None,
) -> ProgressReport:
    """The progress report for the catalog and store behind `db`, as of local `today`,
    over the horizon of `goal` (core without one)."""
    # One read transaction: the figures, and the record kept of them, are those of one
    # state of the store, whatever another process writes meanwhile.
    own = not db.in_transaction
    if own:
        db.execute("BEGIN")
    try:
        return _read_progress(db, today, tz, weeks, recent, goal)
    finally:
        if own and db.in_transaction:
            db.execute("COMMIT")


def _read_progress(
    db: sqlite3.Connection,
    today: date,
    tz: tzinfo | None,
    weeks: int,
    recent: int,
    goal: Goal | None,
) -> ProgressReport:
    sections = read_sections(db)
    offered: dict[str, int] = {}
    if not has_history(db):
        tallies = read_tallies(db, scope_of(goal), offered)
        return build_progress(sections, tallies, [], [], [], {}, today, tz, weeks, offered, goal)
    # Days that are over, as found before; the system's zone only (see activity_memo).
    memo = activity_memo.load(db, today) if tz is None else None
    tallies = read_tallies(db, scope_of(goal), offered)
    newest = read_recent(db, recent)
    counts, streak = read_activity(db, today, tz, weeks, memo)
    orphan_ids = orphan_candidates(db, memo)
    if tz is None:
        yesterday = today - timedelta(days=1)
        through_yesterday = streak - 1 if today in counts else streak
        first = calendar_start(today, weeks)
        activity_memo.save(db, memo, first, yesterday, counts, through_yesterday, orphan_ids)
    known = resources_by_id(db, (c.resource for c in newest))
    monday = today - timedelta(days=today.weekday())
    report = build_progress(
        sections,
        tallies,
        newest,
        (),
        read_orphans(db, orphan_ids),
        known,
        today,
        tz,
        weeks,
        offered,
        goal,
        read_minutes_finished(db, utc_stamp(monday, tz)),
        counts=counts,
        streak=streak,
    )
    report.known_parts = read_parts(db, (c.resource for c in newest if is_part_key(c.resource)))
    return report


def read_activity(
    db: sqlite3.Connection,
    today: date,
    tz: tzinfo | None = None,
    weeks: int = CALENDAR_WEEKS,
    memo: activity_memo.ActivityMemo | None = None,
) -> tuple[dict[date, int], int]:
    """Live changes per local day over the calendar, and the streak in days.

    Counted by SQLite over each day's range of the time index, so the calendar costs
    what its weeks hold, never the history; a streak longer than the calendar is
    followed back one index probe a day (in SQL), never by reading its changes. With
    `memo`, only the days it does not know of are read.
    """
    first = calendar_start(today, weeks)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    counts: dict[date, int] = {}
    if memo is not None:
        known = [day for day in days if memo.since <= day <= memo.through]
        counts.update((day, memo.counts[day]) for day in known if day in memo.counts)
        days = [day for day in days if not memo.since <= day <= memo.through]
    counts.update(_day_counts(db, days, tz))
    end = today if today in counts else today - timedelta(days=1)
    streak = 0
    while end in counts:
        streak += 1
        end -= timedelta(days=1)
    if end >= first:
        return counts, streak
    return counts, streak + _streak_before(db, first, tz, memo)


def _day_counts(
    db: sqlite3.Connection, days: Sequence[date], tz: tzinfo | None
) -> dict[date, int]:
    """Live changes on each of these local days that had any."""
    counts: dict[date, int] = {}
    for start in range(0, len(days), 400):  # SQLite bounds a statement's parameters
        batch = days[start : start + 400]
        rows = ", ".join("(?, ?, ?)" for _ in batch)
        params = [
            value
            for i, day in enumerate(batch)
            for value in (i, utc_stamp(day, tz), utc_stamp(day + timedelta(days=1), tz))
        ]
        for index, count in db.execute(
            f"WITH days(i, lo, hi) AS (VALUES {rows}) SELECT i, (SELECT count(*) FROM "
            f"progress.changes c WHERE c.at >= lo AND c.at < hi AND {LIVE}) FROM days",
            params,
        ):
            if count:
                counts[batch[index]] = count
    return counts


def _streak_before(
    db: sqlite3.Connection,
    first: date,
    tz: tzinfo | None,
    memo: activity_memo.ActivityMemo | None = None,
) -> int:
    """How many days in a row before `first` (a local day) have a live change."""
    last = first - timedelta(days=1)
    if memo is not None and memo.run_known:
        if memo.through >= last:
            start = memo.run_start
            return (last - start).days + 1 if start is not None and start <= last else 0
        # The days since the record, one probe each, then the run it knew of.
        day = last
        while day > memo.through:
            if not _day_counts(db, [day], tz):
                return (last - day).days
            day -= timedelta(days=1)
        start = memo.run_start
        return (last - start).days + 1 if start is not None else (last - memo.through).days
    return _walk_back(db, first, tz)


def _walk_back(db: sqlite3.Connection, first: date, tz: tzinfo | None) -> int:
    """How many days in a row before `first` have a live change, found day by day."""
    if tz is None:
        # Local days in SQLite: its 'utc' modifier reads the time as the system's local
        # time, as Python's naive datetimes are (see mlpath.timefmt.utc_stamp).
        # Each row: a day, its first moment and the next day's (as stored), and how
        # many days after it were found active; a day's start is the next row's end.
        start = "strftime('%Y-%m-%dT%H:%M:%S', {}, 'utc') || '.000000Z'"
        before_first, day_before = start.format("date(?1, '-1 day')"), start.format("?1")
        before_day = start.format("date(day, '-1 day')")
        (found,) = db.execute(
            "WITH RECURSIVE walk(day, lo, hi, n) AS ("
            f"  SELECT date(?1, '-1 day'), {before_first}, {day_before}, 0"
            "  UNION ALL"
            f"  SELECT date(day, '-1 day'), {before_day}, lo, n + 1"
            "  FROM walk WHERE EXISTS ("
            f"    SELECT 1 FROM progress.changes c WHERE c.at >= lo AND c.at < hi AND {LIVE})"
            ") SELECT max(n) FROM walk",
            (first.isoformat(),),
        ).fetchone()
        return int(found)
    # Another zone (tests, callers with a zone of their own): a probe a day from Python.
    count = 0
    day = first - timedelta(days=1)
    hi = utc_stamp(first, tz)
    while True:
        lo = utc_stamp(day, tz)
        row = db.execute(
            f"SELECT 1 FROM progress.changes c WHERE c.at >= ? AND c.at < ? AND {LIVE} LIMIT 1",
            (lo, hi),
        ).fetchone()
        if row is None:
            return count
        count += 1
        day, hi = day - timedelta(days=1), lo


def read_minutes_finished(db: sqlite3.Connection, stamp: str) -> int:
    """Estimated minutes of what was finished at or after a stored-form UTC stamp and is
    still done: parts by their own estimates, a resource with parts through its parts
    only (finishing it finishes them), a resource without parts by its estimate."""
    # The keys first, by the time index: a week's changes, not every resource done.
    keys = sorted(
        {
            row[0]
            for row in db.execute(
                "SELECT c.resource FROM progress.changes c WHERE c.at >= ? "
                f"AND c.action = 'status' AND c.status = 'done' AND {LIVE}",
                (stamp,),
            )
        }
    )
    total = 0
    for start in range(0, len(keys), 500):  # SQLite bounds a statement's parameters
        batch = keys[start : start + 500]
        (minutes,) = db.execute(
            "SELECT coalesce(sum(CASE WHEN instr(k.resource, '/') > 0 THEN p.minutes "
            "WHEN EXISTS (SELECT 1 FROM parts q WHERE q.resource = k.resource) THEN 0 "
            "ELSE r.minutes END), 0) FROM progress.current k "
            "LEFT JOIN resources r ON r.id = k.resource "
            "LEFT JOIN parts p ON p.resource = substr(k.resource, 1, instr(k.resource, '/') - 1) "
            "AND p.id = substr(k.resource, instr(k.resource, '/') + 1) "
            f"WHERE k.status = 'done' AND k.resource IN ({', '.join('?' * len(batch))})",
            batch,
        ).fetchone()
        total += int(minutes)
    return total
