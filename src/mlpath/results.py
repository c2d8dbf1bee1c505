"""What the commands that have no richer domain object return, for the output layer.

Each result says what happened in data (`to_json`); how it reads is the output layer's
business (mlpath.output). Plain slotted classes: several are on the start-up path.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from typing import Any

    from mlpath.browser import OpenOutcome
    from mlpath.bundled_paths import PathSummary
    from mlpath.catalog import Filters, Part, Resource, Section
    from mlpath.db import sqlite3
    from mlpath.importing import ImportReport
    from mlpath.search import SearchHit
    from mlpath.store import Change


class StatusOutcome:
    """One resource (or one of its parts) a status command changed or named: its status
    before, and whether it changed. `follows`: the status the resource took because of
    its parts; `parts_moved`: parts that went with a whole resource."""

    __slots__ = (
        "alternative_of",
        "before",
        "changed",
        "follows",
        "part",
        "parts_moved",
        "resource",
    )

    def __init__(
        self,
        resource: Resource,
        before: str,
        changed: bool,
        part: Part | None = None,
        follows: str | None = None,
        parts_moved: int = 0,
        alternative_of: str | None = None,
    ) -> None:
        # Skipped because the same material was finished under this id.
        self.alternative_of = alternative_of
        self.resource = resource
        self.before = before
        self.changed = changed
        self.part = part
        self.follows = follows
        self.parts_moved = parts_moved


class StatusChanges:
    """What `done`, `start`, `skip` and `reset` recorded."""

    __slots__ = ("outcomes", "status")

    def __init__(self, status: str, outcomes: Sequence[StatusOutcome]) -> None:
        self.status = status
        self.outcomes = tuple(outcomes)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "resources": [
                {
                    "id": o.part.label if o.part else o.resource.id,
                    "resource": o.resource.id,
                    "part": o.part.id if o.part else None,
                    "title": o.part.title if o.part else o.resource.title,
                    "before": o.before,
                    "after": (
                        "skipped"
                        if o.alternative_of
                        else o.follows or (self.status if o.changed else o.before)
                    ),
                    "alternative_of": o.alternative_of,
                    "changed": o.changed,
                }
                for o in self.outcomes
            ],
        }


class NothingToReset:
    """`reset --all` found every resource already to do."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return {"status": "todo", "resources": []}


# How many of the changes it took back `undo` reads for its text report (which shows
# a few lines, parts grouped): all of them only for --json.
UNDONE_READ = 200


class Undone:
    """The changes `undo` took back, newest first: all of them, or the first few of
    `count` (a text report of a huge command names a few and counts the rest)."""

    __slots__ = ("changes", "count")

    def __init__(self, changes: Sequence[Change], count: int | None = None) -> None:
        self.changes = tuple(changes)
        self.count = len(self.changes) if count is None else count

    def to_json(self) -> dict[str, Any]:
        return {"undone": [c.to_json() for c in self.changes]}


class Noted:
    __slots__ = ("change", "resource")

    def __init__(self, resource: Resource, change: Change) -> None:
        self.resource = resource
        self.change = change

    def to_json(self) -> dict[str, Any]:
        return {"id": self.resource.id, "note": self.change.to_json()}


class History:
    """The newest changes, newest first; `more` when older ones were left out."""

    __slots__ = ("changes", "more")

    def __init__(self, changes: Sequence[Change], more: bool) -> None:
        self.changes = tuple(changes)
        self.more = more

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], "more": self.more}


class Listing:
    """The resources `list` selected, in path order, with their statuses.

    Read lazily from the catalog cache: `rows()` reads them afresh as they are written
    (a listing of a huge catalog streams into a pipe), `resources` reads them all once,
    for the outputs that need the whole table first.
    """

    __slots__ = ("_resources", "db", "filters", "sections", "statuses")

    def __init__(self, db: sqlite3.Connection, filters: Filters, sections: Sequence[Section]):
        self.db = db
        self.filters = filters
        self.sections = {s.id: s for s in sections}
        self._resources: tuple[Resource, ...] | None = None
        self.statuses: dict[str, str] = {}

    def rows(self) -> Iterator[tuple[Resource, str]]:
        """(resource, status) of each selected resource, read as they are taken."""
        from mlpath.listing import iter_listing

        if self._resources is not None:
            return ((r, self.status(r.id)) for r in self._resources)
        return iter_listing(self.db, self.filters)

    @property
    def resources(self) -> tuple[Resource, ...]:
        return self._load()

    def _load(self) -> tuple[Resource, ...]:
        if self._resources is None:
            pairs = list(self.rows())
            self.statuses = {r.id: status for r, status in pairs if status != "todo"}
            self._resources = tuple(r for r, _ in pairs)
        return self._resources

    def section(self, section_id: str) -> Section:
        return self.sections[section_id]

    def status(self, resource_id: str) -> str:
        self._load()  # the statuses come with the rows
        return self.statuses.get(resource_id, "todo")

    def to_json(self) -> dict[str, Any]:
        return {"resources": [{**r.to_json(), "status": status} for r, status in self.rows()]}


class SectionSummary:
    __slots__ = ("done", "minutes", "resources", "section")

    def __init__(self, section: Section, resources: int, done: int, minutes: int) -> None:
        self.section = section
        self.resources = resources
        self.done = done
        self.minutes = minutes


class Sections:
    __slots__ = ("sections",)

    def __init__(self, sections: Sequence[SectionSummary]) -> None:
        self.sections = tuple(sections)

    def to_json(self) -> dict[str, Any]:
        return {
            "sections": [
                {
                    **s.section.to_json(),
                    "resources": s.resources,
                    "done": s.done,
                    "minutes": s.minutes,
                }
                for s in self.sections
            ]
        }


class SearchResults:
    __slots__ = ("hits", "query")

    def __init__(self, query: str, hits: Sequence[SearchHit]) -> None:
        self.query = query
        self.hits = tuple(hits)

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "hits": [h.to_json() for h in self.hits]}


class Opened:
    """What `open` did, and what `--start` recorded."""

    __slots__ = ("outcome", "started")

    def __init__(self, outcome: OpenOutcome, started: StatusChanges | None) -> None:
        self.outcome = outcome
        self.started = started

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.outcome.resource.id,
            "url": self.outcome.url,
            "opened": self.outcome.opened,
            "started": self.started.to_json() if self.started else None,
        }


class Exported:
    """An export: its text for stdout, or the file it was written to."""

    __slots__ = ("changes", "chunks", "format", "path", "text")

    def __init__(
        self,
        format: str,
        text: str,
        path: str | None,
        changes: int,
        chunks: Iterable[str] | None = None,
    ) -> None:
        self.format = format
        self.text = text
        # For stdout, the text as it is read (a long history streams): `text` then empty.
        self.chunks = chunks
        self.path = path
        self.changes = changes

    def to_json(self) -> dict[str, Any]:
        return {"format": self.format, "path": self.path, "changes": self.changes}


class Imported:
    """What an import merged, with the resources it moved (and their parts, by store
    key) to name them, by id (None: it moved none)."""

    __slots__ = ("parts", "report", "resources")

    def __init__(
        self,
        report: ImportReport,
        resources: Mapping[str, Resource] | None,
        parts: dict[str, Part] | None = None,
    ) -> None:
        self.report = report
        self.resources = resources
        self.parts = parts or {}

    def to_json(self) -> dict[str, Any]:
        return self.report.to_json()


class OwnAdded:
    """What `add` put on the path: a resource of the learner's own, with its parts (if
    `--parts`), and the resource it was placed after (None: the end of its section)."""

    __slots__ = ("after", "parts", "resource")

    def __init__(self, resource: Resource, parts: Sequence[Part], after: str | None) -> None:
        self.resource = resource
        self.parts = tuple(parts)
        self.after = after

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "resource": self.resource.to_json(),
            "after": self.after,
            "parts": [p.to_json() for p in self.parts],
        }


class OwnRemoved:
    """What `remove` took off the path: the resource, how many parts of its own went with
    it, and the status its progress had (kept in the history; `undo` brings it back)."""

    __slots__ = ("parts", "resource", "status")

    def __init__(self, resource: Resource, parts: int, status: str) -> None:
        self.resource = resource
        self.parts = parts
        self.status = status

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "resource": self.resource.to_json(),
            "parts_removed": self.parts,
            "status": self.status,
        }


class OwnParts:
    """What `parts` changed on a resource: `action` (split, add, remove, clear), the parts
    it added or took away, and every part the resource has now, in order."""

    __slots__ = ("action", "changed", "parts", "resource")

    def __init__(
        self, resource: Resource, action: str, changed: Sequence[Part], parts: Sequence[Part]
    ) -> None:
        self.resource = resource
        self.action = action
        self.changed = tuple(changed)
        self.parts = tuple(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.resource.id,
            "action": self.action,
            "changed": [p.to_json() for p in self.changed],
            "parts": [p.to_json() for p in self.parts],
            "resource": self.resource.to_json(),
        }


if TYPE_CHECKING:
    from mlpath.counts import Tally
    from mlpath.goal import Goal, Horizon


class GoalResult:
    """`mlpath goal`: the goal as it now stands (None: none), what the command did
    ("shown", "set", "unchanged" or "cleared"), and the horizon's totals under it."""

    __slots__ = ("action", "goal", "horizon", "totals")

    def __init__(self, action: str, goal: Goal | None, totals: Tally, horizon: Horizon) -> None:
        self.action = action
        self.goal = goal
        self.totals = totals
        self.horizon = horizon

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "goal": self.goal.to_json() if self.goal else None,
            "progress": self.totals.to_json(),
            "horizon": self.horizon.to_json(),
        }


class PathsListing:
    """`mlpath paths`: the bundled paths, and which catalog this command used and why.

    `in_use`: the bundled path in use, or None for a catalog file of one's own
    (`catalog_file`); `chosen_by`: "--catalog", "MLPATH_CATALOG" or "default".
    """

    __slots__ = ("catalog_file", "chosen_by", "in_use", "paths")

    def __init__(
        self,
        paths: Sequence[PathSummary],
        in_use: str | None,
        catalog_file: str,
        chosen_by: str,
    ) -> None:
        self.paths = tuple(paths)
        self.in_use = in_use
        self.catalog_file = catalog_file
        self.chosen_by = chosen_by

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": [{**p.to_json(), "in_use": p.name == self.in_use} for p in self.paths],
            "in_use": self.in_use,
            "catalog_file": self.catalog_file,
            "chosen_by": self.chosen_by,
        }


class PathChosen:
    """`mlpath paths use NAME`: the new default, and what still overrides it (if anything)."""

    __slots__ = ("overridden_by", "path", "previous")

    def __init__(self, path: PathSummary, previous: str | None, overridden_by: str | None) -> None:
        self.path = path
        self.previous = previous
        self.overridden_by = overridden_by

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path.to_json(),
            "previous": self.previous,
            "changed": self.previous != self.path.name,
            "overridden_by": self.overridden_by,
        }
