"""What to do next, and how far along the path the learner is.

`next_steps` answers from indexed SQL over the catalog cache joined with the progress
store (attached as `progress`), so it stays fast on a 10,000-resource catalog with a
long history.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mlpath.catalog import RESOURCE_COLUMNS, Resource, resource_from_row

# A skipped prerequisite counts as settled: people skip what they already know.
SETTLED = ("done", "skipped")


@dataclass(frozen=True, slots=True)
class Totals:
    total: int
    done: int
    doing: int
    skipped: int
    minutes_left: int

    @property
    def todo(self) -> int:
        return self.total - self.done - self.doing - self.skipped

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done": self.done,
            "doing": self.doing,
            "skipped": self.skipped,
            "todo": self.todo,
            "minutes_left": self.minutes_left,
        }


@dataclass(frozen=True, slots=True)
class Step:
    resource: Resource
    status: str
    section_title: str
    section_done: int
    section_total: int
    since: str | None

    @property
    def reason(self) -> str:
        if self.status == "doing":
            started = f" (started {self.since[:10]})" if self.since else ""
            return f"continue{started} — {self.section_title}, {self.progress_text}"
        return f"next in {self.section_title} — {self.progress_text}"

    @property
    def progress_text(self) -> str:
        return f"{self.section_done} of {self.section_total} done"

    def to_json(self) -> dict[str, Any]:
        return {**self.resource.to_json(), "status": self.status, "why": self.reason}


@dataclass(frozen=True, slots=True)
class NextResult:
    steps: tuple[Step, ...]
    totals: Totals

    @property
    def path_complete(self) -> bool:
        return self.totals.todo == 0 and self.totals.doing == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "next": [step.to_json() for step in self.steps],
            "progress": self.totals.to_json(),
            "complete": self.path_complete,
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


def next_steps(
    db: sqlite3.Connection,
    count: int = 1,
    free_only: bool = False,
    sections: Sequence[str] = (),
    lang: str = "en",
) -> NextResult:
    """Resources in progress first, then the first open ones whose prerequisites are settled."""
    where, params = _filters(free_only, sections)
    columns = ", ".join(f"r.{c.strip()}" for c in RESOURCE_COLUMNS.split(","))
    doing = db.execute(
        f"SELECT {columns}, c.status, c.since FROM resources r "
        f"JOIN progress.current c ON c.resource = r.id "
        f"WHERE c.status = 'doing'{where} ORDER BY r.position LIMIT ?",
        [*params, count],
    ).fetchall()
    rows = list(doing)
    if len(rows) < count:
        rows += db.execute(
            f"SELECT {columns}, 'todo', NULL FROM resources r "
            "LEFT JOIN progress.current c ON c.resource = r.id "
            f"WHERE c.status IS NULL{where} AND NOT EXISTS ("
            "  SELECT 1 FROM prerequisites q "
            "  LEFT JOIN progress.current d ON d.resource = q.requires "
            "  WHERE q.resource = r.id AND (d.status IS NULL OR d.status NOT IN (?, ?))"
            ") ORDER BY r.position LIMIT ?",
            [*params, *SETTLED, count - len(rows)],
        ).fetchall()
    steps = []
    section_cache: dict[str, tuple[str, int, int]] = {}
    for row in rows:
        resource = resource_from_row(row)
        if resource.section not in section_cache:
            section_cache[resource.section] = _section_progress(db, resource.section, lang)
        title, done, total = section_cache[resource.section]
        steps.append(Step(resource, row[-2], title, done, total, row[-1]))
    return NextResult(tuple(steps), totals(db))


def _section_progress(db: sqlite3.Connection, section: str, lang: str) -> tuple[str, int, int]:
    title_row = db.execute(
        "SELECT title, title_zh FROM sections WHERE id = ?", (section,)
    ).fetchone()
    title = title_row[1] if lang == "zh" and title_row[1] else title_row[0]
    done, total = db.execute(
        "SELECT count(c.status), count(*) FROM resources r "
        "LEFT JOIN progress.current c ON c.resource = r.id AND c.status = 'done' "
        "WHERE r.section = ?",
        (section,),
    ).fetchone()
    return title, done, total


def totals(db: sqlite3.Connection) -> Totals:
    """Counts over the whole path, and the estimated minutes of what is left."""
    row = db.execute(
        "SELECT count(*), "
        "coalesce(sum(c.status = 'done'), 0), coalesce(sum(c.status = 'doing'), 0), "
        "coalesce(sum(c.status = 'skipped'), 0), "
        "coalesce(sum(CASE WHEN c.status IS NULL OR c.status = 'doing' "
        "THEN r.minutes ELSE 0 END), 0) "
        "FROM resources r LEFT JOIN progress.current c ON c.resource = r.id"
    ).fetchone()
    return Totals(*row)


def format_minutes(minutes: int) -> str:
    """Human estimate: '45 min', '3 h', '1 h 30 min'."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 10 or rest == 0:
        return f"{round(minutes / 60)} h"
    return f"{hours} h {rest} min"


def progress_line(t: Totals) -> str:
    left = format_minutes(t.minutes_left) if t.minutes_left else "nothing"
    return f"{t.done} of {t.total} done · about {left} left"
