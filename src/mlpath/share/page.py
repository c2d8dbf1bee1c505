"""What the shared page shows, gathered from the catalog and the progress store.

The path by section (what is done, in progress, skipped, and what is left in the
horizon), parts of the resources the learner has touched, finished resources with the
day they were finished, and the `progress` report (counts, hours, streak, calendar,
goal). Notes only when the learner asks for them: the page is for other people.
Nothing here knows HTML; mlpath.share.html lays it out.
"""

from __future__ import annotations

from mlpath.catalog import RESOURCE_COLUMNS, Part, parts_by_resource, resource_from_row
from mlpath.goal import dropped_alternatives, in_scope, scope_of
from mlpath.progress import has_history, read_progress
from mlpath.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, tzinfo
    from typing import Any

    from mlpath.catalog import Resource, Section
    from mlpath.counts import Tally
    from mlpath.db import sqlite3
    from mlpath.goal import Goal
    from mlpath.progress import ProgressReport

# A year of activity, as code hosts draw it.
CALENDAR_WEEKS = 53
SHOWN = ("done", "doing", "skipped")


class PartEntry(Record):
    """One part of a resource, with its status."""

    __slots__ = ("part", "status")

    def __init__(self, part: Part, status: str) -> None:
        self.part = part
        self.status = status

    def to_json(self) -> dict[str, Any]:
        return {"id": self.part.id, "title": self.part.title, "status": self.status}


class Entry(Record):
    """A resource on the page: its status, the local day it was finished (done only),
    its parts (for a resource the learner has touched) and, when asked for, its notes."""

    __slots__ = ("finished", "notes", "parts", "resource", "status")

    def __init__(
        self,
        resource: Resource,
        status: str,
        finished: str | None = None,
        parts: tuple[PartEntry, ...] = (),
        notes: tuple[str, ...] = (),
    ) -> None:
        self.resource = resource
        self.status = status
        self.finished = finished
        self.parts = parts
        self.notes = notes

    @property
    def parts_done(self) -> int:
        return sum(p.status == "done" for p in self.parts)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.resource.id,
            "title": self.resource.title,
            "status": self.status,
            "finished": self.finished,
            "url": self.resource.url,
        }
        if self.parts:
            found["parts"] = [p.to_json() for p in self.parts]
        if self.notes:
            found["notes"] = list(self.notes)
        return found


class SectionPage(Record):
    """A section: its counts over the horizon, what the learner did in it (`shown`), what
    is left in the horizon (`todo`), and how many resources are outside it (`offered`)."""

    __slots__ = ("offered", "section", "shown", "tally", "todo")

    def __init__(
        self,
        section: Section,
        tally: Tally,
        shown: tuple[Entry, ...],
        todo: tuple[Entry, ...],
        offered: int,
    ) -> None:
        self.section = section
        self.tally = tally
        self.shown = shown
        self.todo = todo
        self.offered = offered


class Page:
    """Everything the shared page and the badge show; `today` is the day it was made."""

    __slots__ = ("finished", "report", "sections", "source", "today", "version", "with_notes")

    def __init__(
        self,
        report: ProgressReport,
        sections: tuple[SectionPage, ...],
        finished: tuple[Entry, ...],
        source: dict[str, Any],
        today: date,
        version: str,
        with_notes: bool = False,
    ) -> None:
        self.report = report
        self.sections = sections
        self.finished = finished  # newest first
        self.source = source
        self.today = today
        self.version = version
        self.with_notes = with_notes

    def to_json(self) -> dict[str, Any]:
        overall = self.report.overall.to_json()
        return {
            "made": self.today.isoformat(),
            "version": self.version,
            "done": overall["done"],
            "total": overall["total"],
            "done_percent": overall["done_percent"],
            "streak_days": self.report.streak.days,
            "finished": [e.to_json() for e in self.finished],
            "with_notes": self.with_notes,
        }


def read_source(db: sqlite3.Connection) -> dict[str, Any]:
    """The path's origin as the catalog names it (title, author, url); never a file path."""
    import json

    row = db.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()
    source = json.loads(row[0]) if row else {}
    return source if isinstance(source, dict) else {}


def read_notes(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Live notes by store key, oldest first."""
    if not has_history(db):
        return {}
    notes: dict[str, list[str]] = {}
    for key, text in db.execute(
        "SELECT resource, note FROM progress.changes "
        "WHERE action = 'note' AND reverted = 0 AND note IS NOT NULL ORDER BY at, seq"
    ):
        notes.setdefault(key, []).append(text)
    return notes


def build_page(
    db: sqlite3.Connection,
    today: date,
    version: str,
    goal: Goal | None = None,
    with_notes: bool = False,
    tz: tzinfo | None = None,
) -> Page:
    """The page for the catalog and store behind `db` (a workspace's), as of local `today`."""
    from mlpath.timefmt import local_date

    report = read_progress(db, today, tz, weeks=CALENDAR_WEEKS, goal=goal)
    scope = scope_of(goal)
    statuses: dict[str, tuple[str, str]] = {
        key: (status, since)
        for key, status, since in db.execute(
            "SELECT resource, status, since FROM progress.current"
        )
    }
    dropped = dropped_alternatives(db, scope)
    resources = [
        resource_from_row(row)
        for row in db.execute(f"SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY position")
    ]
    touched = [r.id for r in resources if statuses.get(r.id, ("todo",))[0] in SHOWN]
    # Parts of the resources the learner has touched; the rest show as one line each.
    parts = parts_by_resource(db, touched) if touched else {}
    notes = read_notes(db) if with_notes else {}
    by_section: dict[str, tuple[list[Entry], list[Entry]]] = {}
    finished: list[Entry] = []
    for resource in resources:
        status, since = statuses.get(resource.id, ("todo", ""))
        shown, todo = by_section.setdefault(resource.section, ([], []))
        if status not in SHOWN:
            if resource.id not in dropped and in_scope(
                scope, resource.optional, resource.cost, status
            ):
                todo.append(Entry(resource, status))
            continue
        entry = Entry(
            resource,
            status,
            local_date(since, tz).isoformat() if status == "done" and since else None,
            tuple(
                PartEntry(part, statuses.get(f"{resource.id}/{part.id}", ("todo",))[0])
                for part in parts.get(resource.id, ())
            ),
            _notes_of(resource.id, parts.get(resource.id, ()), notes),
        )
        shown.append(entry)
        if entry.finished:
            finished.append(entry)
    # Newest first; on one day, in path order.
    finished.sort(key=lambda e: e.finished or "", reverse=True)
    sections = tuple(
        SectionPage(
            sp.section,
            sp.tally,
            tuple(by_section.get(sp.section.id, ([], []))[0]),
            tuple(by_section.get(sp.section.id, ([], []))[1]),
            sp.offered,
        )
        for sp in report.sections
    )
    return Page(report, sections, tuple(finished), read_source(db), today, version, with_notes)


def _notes_of(
    resource_id: str, parts: Sequence[Part], notes: dict[str, list[str]]
) -> tuple[str, ...]:
    found = list(notes.get(resource_id, ()))
    for part in parts:
        found += notes.get(f"{resource_id}/{part.id}", ())
    return tuple(found)


class Shared:
    """`mlpath share`: the page written (`path`, its index.html) and what it shows."""

    __slots__ = ("page", "path")

    def __init__(self, page: Page, path: str) -> None:
        self.page = page
        self.path = path

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, **self.page.to_json()}


class BadgeResult:
    """`mlpath badge`: the SVG, its text, and the file it went to (None: stdout)."""

    __slots__ = ("done", "path", "percent", "streak_days", "svg", "text", "total")

    def __init__(
        self,
        svg: str,
        text: str,
        path: str | None,
        done: int,
        total: int,
        percent: str,
        streak_days: int,
    ) -> None:
        self.svg = svg
        self.text = text
        self.path = path
        self.done = done
        self.total = total
        self.percent = percent
        self.streak_days = streak_days

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "text": self.text,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "streak_days": self.streak_days,
            "svg": self.svg if self.path is None else None,
        }
