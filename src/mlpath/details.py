"""Everything known about one resource, for `mlpath show`."""

from __future__ import annotations

from mlpath.errors import UnknownResource
from mlpath.part_status import parts_progress
from mlpath.store import milestones

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from typing import Any

    from mlpath.catalog import Resource
    from mlpath.part_status import PartsProgress
    from mlpath.store import Change
    from mlpath.workspace import Workspace


class ResourceDetails:
    """One resource (None: only the history knows its id), its status and history, and
    what it needs and unlocks as (id, title, status)."""

    __slots__ = (
        "history",
        "parts",
        "prerequisites",
        "resource",
        "resource_id",
        "section_title",
        "status",
        "unlocks",
    )

    def __init__(
        self,
        resource_id: str,
        resource: Resource | None,
        section_title: str | None,
        status: str,
        history: tuple[Change, ...],
        prerequisites: tuple[tuple[str, str, str], ...],
        unlocks: tuple[tuple[str, str, str], ...],
        parts: PartsProgress | None = None,
    ) -> None:
        self.parts = parts
        self.resource_id = resource_id
        self.resource = resource
        self.section_title = section_title
        self.status = status
        self.history = history
        self.prerequisites = prerequisites
        self.unlocks = unlocks

    @property
    def notes(self) -> list[Change]:
        return [c for c in self.history if c.action == "note"]

    @property
    def started(self) -> str | None:
        return milestones(self.history).get(self.resource_id, (None, None))[0]

    @property
    def finished(self) -> str | None:
        return milestones(self.history).get(self.resource_id, (None, None))[1]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.resource_id,
            "in_catalog": self.resource is not None,
            "resource": self.resource.to_json() if self.resource else None,
            "description": self.resource.description if self.resource else None,
            "status": self.status,
            "started": self.started,
            "finished": self.finished,
            "notes": [{"at": c.at, "text": c.note} for c in self.notes],
            "history": [c.to_json() for c in self.history],
            "prerequisites": [{"id": i, "status": s} for i, _, s in self.prerequisites],
            "unlocks": [{"id": i, "status": s} for i, _, s in self.unlocks],
            "parts": self.parts.to_json() if self.parts else None,
        }


def resource_details(ws: Workspace, text: str, lang: str = "en") -> ResourceDetails:
    """What `show` tells about one resource, reading only its rows and its neighbours'."""
    from mlpath.catalog import find_resource, section_by_id
    from mlpath.workspace import statuses_of

    db = ws.db()
    store = ws.existing_store()
    try:
        resource: Resource | None = find_resource(db, text)
    except UnknownResource:
        # An id from an older catalog still has its history.
        history = store.live_changes(text.strip().lower()) if store else []
        if not history:
            raise
        resource = None
    rid = resource.id if resource else text.strip().lower()
    history = store.live_changes(rid) if store else []
    required = resource.prerequisites if resource else ()
    titles = _titles(db, required)
    unlocked = [
        (row[0], row[1])
        for row in db.execute(
            "SELECT r.id, r.title FROM prerequisites q JOIN resources r ON r.id = q.resource "
            "WHERE q.requires = ? ORDER BY r.position",
            (rid,),
        )
    ]
    statuses = statuses_of(ws, [rid, *required, *(u for u, _ in unlocked)]) if store else {}
    return ResourceDetails(
        resource_id=rid,
        resource=resource,
        section_title=section_by_id(db, resource.section).display_title(lang)
        if resource
        else None,
        status=statuses.get(rid, "todo"),
        history=tuple(history),
        prerequisites=tuple((p, titles[p], statuses.get(p, "todo")) for p in required),
        unlocks=tuple((u, title, statuses.get(u, "todo")) for u, title in unlocked),
        parts=parts_progress(db, rid) if resource else None,
    )


def _titles(db: sqlite3.Connection, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    return dict(db.execute(f"SELECT id, title FROM resources WHERE id IN ({marks})", list(ids)))
