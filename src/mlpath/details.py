"""Everything known about one resource, for `mlpath show`."""

from __future__ import annotations

from mlpath.errors import UnknownResource
from mlpath.part_status import parts_progress
from mlpath.store import milestones

TYPE_CHECKING = False
if TYPE_CHECKING:
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
    catalog = ws.catalog()
    store = ws.existing_store()
    statuses = store.statuses() if store else {}
    try:
        resource: Resource | None = catalog.resolve(text)
    except UnknownResource:
        # An id from an older catalog still has its history.
        history = store.live_changes(text.strip().lower()) if store else []
        if not history:
            raise
        resource = None
    rid = resource.id if resource else text.strip().lower()
    history = store.live_changes(rid) if store else []
    prereqs = tuple(
        (p, catalog.resolve(p).title, statuses.get(p, "todo"))
        for p in (resource.prerequisites if resource else ())
    )
    unlocks = tuple((u.id, u.title, statuses.get(u.id, "todo")) for u in catalog.unlocks(rid))
    return ResourceDetails(
        resource_id=rid,
        resource=resource,
        section_title=catalog.section(resource.section).display_title(lang) if resource else None,
        status=statuses.get(rid, "todo"),
        history=tuple(history),
        prerequisites=prereqs,
        unlocks=unlocks,
        parts=parts_progress(ws.db(), rid) if resource else None,
    )
