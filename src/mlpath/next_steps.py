"""What to do next on the path, and how far along it the learner is.

`next_steps` answers from indexed SQL over the catalog cache joined with the progress
store (attached as `progress`), so it stays fast on a 10,000-resource catalog with a
long history. Plain classes, not dataclasses: this is on every start-up.
"""

from __future__ import annotations

from mlpath.catalog import RESOURCE_COLUMNS, Resource, check_choices, resource_from_row
from mlpath.counts import SETTLED, Tally
from mlpath.goal import (
    DEFAULT_SCOPE,
    Horizon,
    dropped_alternatives,
    horizon_for,
    in_horizon,
    read_goal,
    scope_of,
    tally_of,
    without,
)
from mlpath.part_status import PartsProgress, parts_progress
from mlpath.section_counts import SectionCounts, section_counts, unchosen

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from typing import Any

    from mlpath.goal import Goal
    from mlpath.workspace import Workspace


class Step:
    """One suggestion of `mlpath next`, and why it is suggested."""

    __slots__ = (
        "parts",
        "resource",
        "section_done",
        "section_title",
        "section_total",
        "since",
        "status",
    )

    def __init__(
        self,
        resource: Resource,
        status: str,
        section_title: str,
        section_done: int,
        section_total: int,
        since: str | None,
        parts: PartsProgress | None = None,
    ) -> None:
        self.resource = resource
        self.parts = parts  # None: a resource without parts
        self.status = status
        self.section_title = section_title
        self.section_done = section_done
        self.section_total = section_total
        self.since = since

    @property
    def started_on(self) -> str | None:
        """The day (YYYY-MM-DD, UTC) a resource in progress was started."""
        return self.since[:10] if self.status == "doing" and self.since else None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.resource.to_json(),
            "status": self.status,
            "started": self.started_on,
            "section_title": self.section_title,
            "section_done": self.section_done,
            "section_total": self.section_total,
            "next_part": self._next_part(),
        }

    def _next_part(self) -> dict[str, Any] | None:
        following = self.parts.next if self.parts else None
        if self.parts is None or following is None:
            return None
        return {
            **following.to_json(),
            "of": self.parts.total,
            "status": self.parts.status_of(following),
            "parts_settled": self.parts.settled,
        }


class NextResult:
    """The steps, and the totals of the learner's horizon (`horizon`: which, and when
    it would be done at the goal's pace)."""

    __slots__ = ("horizon", "steps", "totals")

    def __init__(
        self, steps: tuple[Step, ...], totals: Tally, horizon: Horizon | None = None
    ) -> None:
        self.steps = steps
        self.totals = totals
        self.horizon = horizon or Horizon(DEFAULT_SCOPE, None)

    @property
    def path_complete(self) -> bool:
        return self.totals.complete

    def to_json(self) -> dict[str, Any]:
        return {
            "next": [step.to_json() for step in self.steps],
            "progress": self.totals.to_json(),
            "complete": self.path_complete,
            "horizon": self.horizon.to_json(),
        }


def _filters(free_only: bool, sections: Sequence[str]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if free_only:
        clauses.append("r.cost = 'free'")
    if sections:
        clauses.append(f"r.section IN ({', '.join('?' for _ in sections)})")
        params.extend(sections)
    return "".join(f" AND {c}" for c in clauses), params


_COLUMNS = ", ".join(f"r.{c.strip()}" for c in RESOURCE_COLUMNS.split(","))


def next_steps(
    db: sqlite3.Connection,
    count: int = 1,
    free_only: bool = False,
    sections: Sequence[str] = (),
    lang: str = "en",
    goal: Goal | None = None,
) -> NextResult:
    """Resources in progress first, then the first open ones whose prerequisites are settled."""
    where, params = _filters(free_only, sections)
    rows = _in_progress(db, where, params, count)
    if len(rows) < count:
        rows += db.execute(
            f"SELECT {_COLUMNS}, 'todo', NULL FROM resources r "
            "LEFT JOIN progress.current c ON c.resource = r.id "
            f"WHERE c.status IS NULL{where} AND NOT EXISTS ("
            "  SELECT 1 FROM prerequisites q "
            "  LEFT JOIN progress.current d ON d.resource = q.requires "
            "  WHERE q.resource = r.id AND (d.status IS NULL OR d.status NOT IN (?, ?))"
            ") ORDER BY r.position LIMIT ?",
            [*params, *SETTLED, count - len(rows)],
        ).fetchall()
    steps = []
    sections_seen: dict[str, tuple[str, int, int]] = {}
    counts = section_counts(db).sections if rows else {}
    for row in rows:
        resource = resource_from_row(row)
        if resource.section not in sections_seen:
            sections_seen[resource.section] = _section_progress(db, resource.section, lang, counts)
        title, done, total = sections_seen[resource.section]
        parts = parts_progress(db, resource.id)
        steps.append(Step(resource, row[-2], title, done, total, row[-1], parts))
    tally = totals(db, scope_of(goal))
    return NextResult(tuple(steps), tally, horizon_for(goal, tally.minutes_left))


# Up to this many resources in progress, they are all read and sorted by position;
# beyond it, the path is walked in order until enough of them are met.
_FEW_IN_PROGRESS = 256


def _in_progress(db: sqlite3.Connection, where: str, params: list[Any], count: int) -> list[Any]:
    """The first `count` resources in progress, in path order, with their statuses.

    Sorting every one in progress costs what the learner has started; walking the
    path costs how far along it the first ones lie. A few are cheap to sort, and among
    many one is soon met, so the count (read off the status index, stopping past the
    few) picks the walk. Either way the ids come from indexes; only the wide rows of
    the few chosen are read.
    """
    many = (
        db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM progress.current WHERE status = 'doing' LIMIT ?)",
            (_FEW_IN_PROGRESS + 1,),
        ).fetchone()[0]
        > _FEW_IN_PROGRESS
    )
    # CROSS JOIN keeps the resources outermost, read in path order (their rowid).
    pick = (
        "SELECT r.id FROM resources r CROSS JOIN progress.current c ON c.resource = r.id"
        if many
        else "SELECT r.id FROM progress.current c JOIN resources r ON r.id = c.resource"
    )
    rows: list[Any] = db.execute(
        f"SELECT {_COLUMNS}, c.status, c.since FROM resources r "
        f"JOIN progress.current c ON c.resource = r.id WHERE r.id IN ("
        f"  {pick} WHERE c.status = 'doing'{where} ORDER BY r.position LIMIT ?"
        ") ORDER BY r.position",
        [*params, count],
    ).fetchall()
    return rows


def next_steps_for(
    ws: Workspace, count: int, free_only: bool, sections: Sequence[str], lang: str
) -> NextResult:
    """`mlpath next`: check the section filter, then ask the catalog and the store."""
    if sections:
        check_choices("section", sections, ws.section_ids())
    db = ws.db()
    goal = read_goal(db)
    return next_steps(
        db, count=count, free_only=free_only, sections=sections, lang=lang, goal=goal
    )


def _section_progress(
    db: sqlite3.Connection, section: str, lang: str, counts: dict[str, SectionCounts]
) -> tuple[str, int, int]:
    """The section's title, and how many of its resources are done of how many."""
    title, title_zh = db.execute(
        "SELECT title, title_zh FROM sections WHERE id = ?", (section,)
    ).fetchone()
    tally = counts[section].tally
    return (title_zh if lang == "zh" and title_zh else title), tally.done, tally.total


def totals(db: sqlite3.Connection, scope: str = DEFAULT_SCOPE) -> Tally:
    """Counts over the learner's horizon (see mlpath.goal), and the minutes left in it.

    From the catalog's stored totals and the sections' counts, kept between runs and
    moved by what changed (see mlpath.section_counts), so the cost follows what the
    learner did since, not the catalog's size;
    outside the scope `all`, less the optional resources the learner has not chosen.
    """
    total, all_minutes = (
        int(value)
        for (value,) in db.execute(
            "SELECT value FROM meta WHERE key IN ('resources', 'minutes') ORDER BY key DESC"
        )
    )
    # What the statuses hold, from the sections' counts (kept between runs).
    kept = section_counts(db)
    sections = kept.sections.values()
    counts = {
        "done": sum(c.tally.done for c in sections),
        "doing": sum(c.tally.doing for c in sections),
        "skipped": sum(c.tally.skipped for c in sections),
    }
    minutes_by_status = {
        "done": sum(c.tally.minutes_done for c in sections),
        "skipped": sum(c.minutes_skipped for c in sections),
    }
    # Less the optional resources outside the scope that the learner has not chosen.
    for status, count, minutes in unchosen(kept, scope):
        total -= count
        all_minutes -= minutes
        if status == "skipped":
            counts[status] -= count
            minutes_by_status[status] -= minutes
    # Parts finished inside resources still open count as effort done, not left.
    inside = kept.settled_parts
    if inside and scope != "all":
        inside = {rid: inside[rid] for rid in in_horizon(db, scope, inside)}
    tally = Tally(
        total,
        counts["done"],
        counts["doing"],
        counts["skipped"],
        minutes_by_status["done"] + sum(done for done, _ in inside.values()),
        all_minutes
        - minutes_by_status["done"]
        - minutes_by_status["skipped"]
        - sum(settled for _, settled in inside.values()),
    )
    dropped = dropped_alternatives(db, scope)
    return without(
        tally,
        (
            tally_of(status, minutes, *inside.get(rid, (0, 0)))
            for rid, (status, minutes, _) in dropped.items()
        ),
    )


class NextLine:
    """`next --short`: the first step alone, on one line."""

    __slots__ = ("next",)

    def __init__(self, next: NextResult) -> None:
        self.next = next

    def to_json(self) -> dict[str, Any]:
        return self.next.to_json()
