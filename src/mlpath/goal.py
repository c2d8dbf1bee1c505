"""The learner's goal (a pace and a scope) and the horizon it draws: what counts.

The horizon is the part of the path the totals count (`next`'s footer, `progress`,
`plan`). Optional resources outside it are still offered by `list` and `show`:

- `core` (the default, also without a goal): every required resource, plus any
  optional one the learner started or finished;
- `free`: core, plus every optional resource whose cost is "free" — "free" as `--free`
  means it everywhere, so a paid course that is free to audit is not in it until
  started (its certificate or graded work costs money);
- `all`: every resource.

Alternatives (the same material in two places) count once: of each group of
alternatives in the horizon, the one finished, else the one in progress, else the first
still to do, else the first. On the start-up path of `mlpath next`: standard library
only, nothing costly (no datetime: a finish day is worked out from `time`).
"""

from __future__ import annotations

from mlpath.counts import SETTLED, Tally
from mlpath.errors import GoalError, PlanError
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any, Protocol

    from mlpath.db import sqlite3

    class Rational(Protocol):
        """An exact number of hours a week: an int, a Fraction or a Rate."""

        @property
        def numerator(self) -> int: ...
        @property
        def denominator(self) -> int: ...


SCOPES = ("core", "free", "all")
DEFAULT_SCOPE = "core"
GOAL_KEY = "goal:"
# Statuses that bring an optional resource into the core horizon.
CHOSEN = ("doing", "done")


def outside_clause(scope: str, alias: str = "r") -> str:
    """SQL truth of "outside the horizon unless chosen" for a resource row `alias`.

    Written as `optional = 1 ...` so that an index on optional resources would serve it.
    """
    if scope == "all":
        return "0"
    if scope == "free":
        return f"({alias}.optional = 1 AND {alias}.cost != 'free')"
    return f"({alias}.optional = 1)"


def scope_clause(scope: str, alias: str = "r", status: str = "c.status") -> str:
    """SQL truth of "in the horizon", given the resource row and its current status."""
    if scope == "all":
        return "1"
    return f"(NOT {outside_clause(scope, alias)} OR {status} IN ('doing', 'done'))"


def unchosen(
    db: sqlite3.Connection, scope: str, by_section: bool = False
) -> list[tuple[Any, ...]]:
    """Resources outside the horizon: (status or None, count, minutes) by status, and
    with `by_section` (section, status, count, minutes). One pass over the catalog that
    looks up a status only for the optional resources."""
    if scope == "all":
        return []
    group = "r.section, c.status" if by_section else "c.status"
    return db.execute(
        f"SELECT {group}, count(*), sum(r.minutes) FROM resources r "
        "LEFT JOIN progress.current c ON c.resource = r.id "
        f"WHERE {outside_clause(scope)} AND coalesce(c.status, 'todo') NOT IN (?, ?) "
        f"GROUP BY {group}",
        CHOSEN,
    ).fetchall()


def in_scope(scope: str, optional: bool, cost: str, status: str) -> bool:
    """The rule of `scope_clause`, for one resource in Python."""
    if scope == "all" or not optional or status in CHOSEN:
        return True
    return scope == "free" and cost == "free"


class Rate:
    """An exact fraction (hours a week), so week boundaries fall exactly on days.

    What `fractions.Fraction` would be here, without importing it (with decimal and re).
    """

    __slots__ = ("denominator", "numerator")

    def __init__(self, numerator: int, denominator: int = 1) -> None:
        import math  # not at the top: `next` without a goal never needs it

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

    def __repr__(self) -> str:
        return f"Rate({self.numerator}, {self.denominator})"


def hours_value(value: float) -> Rate:
    """A pace as typed, exactly: 0.1 is a tenth, not the binary number nearest to it."""
    import math

    if not math.isfinite(value):
        raise PlanError(
            _("hours per week must be a number (got {value}) — e.g. 5").format(value=value)
        )
    mantissa, _e, exponent = repr(value).partition("e")  # the shortest form that reads back
    whole, _dot, decimals = mantissa.partition(".")
    numerator, denominator = int(whole + decimals), 10 ** len(decimals)
    shift = int(exponent or 0)
    if shift >= 0:
        numerator *= 10**shift
    else:
        denominator *= 10**-shift
    return Rate(numerator, denominator)


def days_needed(minutes: int, hours_per_week: Rational) -> int:
    """Days from the first (day 0) to the last day of `minutes` of effort at this pace,
    filled continuously as `plan` fills its weeks (0 when nothing is left)."""
    top, bottom = hours_per_week.numerator * 60, hours_per_week.denominator
    if top <= 0:
        raise PlanError(_("hours per week must be more than 0 — for example --hours-per-week 5"))
    return max(0, -((-minutes * 7 * bottom) // top) - 1)


class Goal:
    """What the learner means to do (`scope`) and at what pace (hours a week)."""

    __slots__ = ("hours_per_week", "scope")

    def __init__(self, hours_per_week: float, scope: str = DEFAULT_SCOPE) -> None:
        self.hours_per_week = hours_per_week
        self.scope = scope

    def __repr__(self) -> str:
        return f"Goal({self.hours_per_week!r}, {self.scope!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Goal) and (other.hours_per_week, other.scope) == (
            self.hours_per_week,
            self.scope,
        )

    def __hash__(self) -> int:
        return hash((self.hours_per_week, self.scope))

    @property
    def rate(self) -> Rate:
        return hours_value(self.hours_per_week)

    def to_json(self) -> dict[str, Any]:
        return {"hours_per_week": self.hours_per_week, "scope": self.scope}


def goal_value(hours_per_week: float, scope: str) -> dict[str, Any]:
    """The stored form of a goal (the value of the definition `goal:`)."""
    import math

    if scope not in SCOPES:
        raise GoalError(
            _("unknown scope '{scope}' — choose from: {join}").format(
                scope=scope, join=", ".join(SCOPES)
            )
        )
    if not math.isfinite(hours_per_week) or not 0 < hours_per_week <= 168:
        raise GoalError(
            _(
                "hours per week must be more than 0 and at most 168 (got {hours_per_week:g})"
            ).format(hours_per_week=hours_per_week)
        )
    return {"hours_per_week": hours_per_week, "scope": scope}


def read_goal(db: sqlite3.Connection) -> Goal | None:
    """The learner's goal from the store attached as `progress`; None when there is none.

    Read with SQLite's JSON functions: no json import on `next`'s path. A stored value
    that is not a goal (hand-edited, or from a future version) counts as no goal.
    """
    row = db.execute(
        "SELECT json_extract(value, '$.hours_per_week'), json_extract(value, '$.scope') "
        "FROM progress.defined WHERE key = ? AND json_valid(value)",
        (GOAL_KEY,),
    ).fetchone()
    if row is None:
        return None
    hours, scope = row
    if not isinstance(hours, int | float) or isinstance(hours, bool) or not 0 < hours <= 168:
        return None
    return Goal(float(hours), scope if scope in SCOPES else DEFAULT_SCOPE)


def scope_of(goal: Goal | None) -> str:
    return goal.scope if goal is not None else DEFAULT_SCOPE


def in_horizon(db: sqlite3.Connection, scope: str, ids: Iterable[str]) -> list[str]:
    """Those of `ids` (resource ids) in the horizon of `scope`, alternatives aside."""
    wanted = list(ids)
    if not wanted:
        return []
    marks = ", ".join("?" * len(wanted))
    return [
        row[0]
        for row in db.execute(
            "SELECT r.id FROM resources r LEFT JOIN progress.current c ON c.resource = r.id "
            f"WHERE r.id IN ({marks}) AND {scope_clause(scope)}",
            wanted,
        )
    ]


# --- alternatives ------------------------------------------------------------------------

RANK = {"done": 0, "doing": 1, "todo": 2, "skipped": 3}


def alternatives_to_drop(
    members: Mapping[str, tuple[str, float]], links: Iterable[tuple[str, str]]
) -> list[str]:
    """Which alternatives in the horizon not to count: of each group (linked by `links`,
    pairs of ids) of `members` (id -> status, path position), all but the first by
    status (done, doing, todo, skipped), then path order."""
    group = {rid: rid for rid in members}

    def root(rid: str) -> str:
        while group[rid] != rid:
            group[rid] = group[group[rid]]
            rid = group[rid]
        return rid

    for a, b in links:
        if a in members and b in members:
            group[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for rid in members:
        groups.setdefault(root(rid), []).append(rid)
    dropped: list[str] = []
    for ids in groups.values():
        ids.sort(key=lambda rid: (RANK.get(members[rid][0], 2), members[rid][1]))
        dropped += ids[1:]
    return dropped


def dropped_alternatives(db: sqlite3.Connection, scope: str) -> dict[str, tuple[str, int, str]]:
    """Alternatives the horizon does not count (see alternatives_to_drop), by id:
    (status, minutes, section)."""
    # One query: every link, with what the horizon needs of the resource it starts from
    # (each pair is stored both ways, so every member starts a link). CROSS JOIN: from
    # the links, which are few, never from every resource (SQLite, without statistics,
    # would rather scan the catalog).
    rows = db.execute(
        "SELECT a.resource, a.other, r.optional, r.cost, r.position, r.minutes, r.section, "
        "coalesce(c.status, 'todo') FROM alternatives a CROSS JOIN resources r "
        "ON r.id = a.resource "
        "LEFT JOIN progress.current c ON c.resource = r.id"
    ).fetchall()
    if not rows:
        return {}
    members = {row[0]: row for row in rows if in_scope(scope, bool(row[2]), row[3], row[7])}
    chosen = {rid: (row[7], row[4]) for rid, row in members.items()}
    return {
        rid: (members[rid][7], members[rid][5], members[rid][6])
        for rid in alternatives_to_drop(chosen, [(row[0], row[1]) for row in rows])
    }


def tally_of(status: str, minutes: int, parts_done: int = 0, parts_settled: int = 0) -> Tally:
    """One resource's share of a tally: its count and its effort done and left."""
    return Tally(
        1,
        status == "done",
        status == "doing",
        status == "skipped",
        minutes if status == "done" else parts_done if status not in SETTLED else 0,
        max(minutes - parts_settled, 0) if status not in SETTLED else 0,
    )


def without(total: Tally, shares: Iterable[Tally]) -> Tally:
    """`total` less each share."""
    for s in shares:
        total = Tally(
            total.total - s.total,
            total.done - s.done,
            total.doing - s.doing,
            total.skipped - s.skipped,
            total.minutes_done - s.minutes_done,
            total.minutes_left - s.minutes_left,
        )
    return total


# --- a finish day, without datetime --------------------------------------------------------


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (m <= 2), m, d


def day_after(today: tuple[int, int, int], days: int) -> str | None:
    """`today` (year, month, day) plus `days`, as YYYY-MM-DD; None after the year 9999."""
    y, m, d = _civil_from_days(_days_from_civil(*today) + days)
    return f"{y:04d}-{m:02d}-{d:02d}" if y <= 9999 else None


def local_today() -> tuple[int, int, int]:
    import time

    now = time.localtime()
    return now.tm_year, now.tm_mon, now.tm_mday


class Horizon:
    """The horizon a total counts, and when it would be done at the goal's pace.

    `done_by` is the last day of the effort left (YYYY-MM-DD), None without a goal (or
    after the year 9999: `beyond` then says so); `offered` counts the optional
    resources outside the horizon.
    """

    __slots__ = ("beyond", "done_by", "goal", "offered", "scope")

    def __init__(
        self,
        scope: str,
        goal: Goal | None,
        done_by: str | None = None,
        offered: int | None = None,
        beyond: bool = False,
    ) -> None:
        self.scope = scope
        self.goal = goal
        self.done_by = done_by
        self.offered = offered
        self.beyond = beyond

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "scope": self.scope,
            "goal": self.goal.to_json() if self.goal else None,
            "done_by": self.done_by,
        }
        if self.offered is not None:
            found["offered"] = self.offered
        return found


def horizon_for(
    goal: Goal | None, minutes_left: int, today: tuple[int, int, int] | None = None
) -> Horizon:
    """The horizon of `goal` (core without one), with its finish day when it has a pace."""
    scope = scope_of(goal)
    if goal is None:
        return Horizon(scope, None)
    if minutes_left <= 0:
        return Horizon(scope, goal)
    done_by = day_after(today or local_today(), days_needed(minutes_left, goal.rate))
    return Horizon(scope, goal, done_by, beyond=done_by is None)
