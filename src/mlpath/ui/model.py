"""What the full-screen view shows, read from the catalog and the store (no Textual).

The rows of the list (sections, resources, the parts of an expanded resource), the
filter and search that narrow them, and the header's figures. Everything is read with
the functions the commands use, from a fresh workspace each time the store changes.
"""

from __future__ import annotations

from mlpath.catalog import Filters, parts_by_resource
from mlpath.counts import SETTLED
from mlpath.part_status import PartsProgress, part_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.catalog import Catalog, Part, Resource, Section
    from mlpath.counts import Tally
    from mlpath.goal import Horizon
    from mlpath.workspace import Workspace

SECTION = "section"
RESOURCE = "resource"
PART = "part"


class Row:
    """One line of the list: a section, a resource, or a part of an expanded resource."""

    __slots__ = ("kind", "part", "progress", "resource", "section", "status")

    def __init__(
        self,
        kind: str,
        section: Section,
        resource: Resource | None = None,
        part: Part | None = None,
        status: str = "todo",
        progress: PartsProgress | None = None,
    ) -> None:
        self.kind = kind
        self.section = section
        self.resource = resource
        self.part = part
        self.status = status
        self.progress = progress

    @property
    def key(self) -> str:
        """What a command names for this row: `ID`, `ID/N`, or the section's id."""
        if self.part is not None:
            return self.part.label
        if self.resource is not None:
            return self.resource.id
        return self.section.id


class ViewFilter:
    """The `f` filter: free only, one section, one status (None: any)."""

    __slots__ = ("free", "section", "status")

    def __init__(
        self, free: bool = False, section: str | None = None, status: str | None = None
    ) -> None:
        self.free = free
        self.section = section
        self.status = status

    @property
    def active(self) -> bool:
        return self.free or self.section is not None or self.status is not None

    def as_filters(self) -> Filters:
        """The same filter `mlpath list --free --section S --status X` applies."""
        return Filters(
            sections=[self.section] if self.section else [],
            cost="free" if self.free else None,
            statuses=[self.status] if self.status else [],
        )


class PathData:
    """The catalog and every status, read once per change of the store."""

    __slots__ = ("_sections", "catalog", "horizon", "parts", "statuses", "tally")

    def __init__(
        self,
        catalog: Catalog,
        statuses: dict[str, str],
        parts: dict[str, tuple[Part, ...]],
        tally: Tally,
        horizon: Horizon,
    ) -> None:
        self.catalog = catalog
        self.statuses = statuses
        self.parts = parts
        self.tally = tally
        self.horizon = horizon
        self._sections: dict[str, tuple[int, int]] | None = None

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def progress(self, resource_id: str) -> PartsProgress | None:
        parts = self.parts.get(resource_id)
        if not parts:
            return None
        return PartsProgress(
            parts, [self.statuses.get(part_key(resource_id, p.id), "todo") for p in parts]
        )

    def section_counts(self, section_id: str) -> tuple[int, int]:
        """(settled, total) resources of a section."""
        if self._sections is None:
            counts: dict[str, list[int]] = {}
            for r in self.catalog.resources:
                count = counts.setdefault(r.section, [0, 0])
                count[0] += self.status(r.id) in SETTLED
                count[1] += 1
            self._sections = {k: (v[0], v[1]) for k, v in counts.items()}
        return self._sections.get(section_id, (0, 0))


def read_path(ws: Workspace, today: tuple[int, int, int] | None = None) -> PathData:
    """Everything the view shows, as `list`, `next` and `progress` read it."""
    from mlpath.goal import horizon_for, read_goal, scope_of
    from mlpath.next_steps import totals

    db = ws.db()
    goal = read_goal(db)
    tally = totals(db, scope_of(goal))
    return PathData(
        ws.catalog(),
        ws.statuses(),
        parts_by_resource(db),
        tally,
        horizon_for(goal, tally.minutes_left, today),
    )


def build_rows(
    data: PathData,
    expanded: set[str],
    view_filter: ViewFilter | None = None,
    found: Sequence[str] | None = None,
) -> list[Row]:
    """The list's rows: by section in path order, or the search's hits in rank order."""
    catalog = data.catalog
    if found is not None:
        chosen = [r for r in (catalog.get(i) for i in found) if r is not None]
    elif view_filter is not None and view_filter.active:
        chosen = view_filter.as_filters().select(catalog, data.statuses)
    else:
        chosen = list(catalog.resources)
    rows: list[Row] = []
    last_section: str | None = None
    for resource in chosen:
        section = catalog.section(resource.section)
        if found is None and resource.section != last_section:
            rows.append(Row(SECTION, section))
            last_section = resource.section
        progress = data.progress(resource.id)
        rows.append(Row(RESOURCE, section, resource, None, data.status(resource.id), progress))
        if progress is not None and resource.id in expanded:
            rows += [
                Row(PART, section, resource, part, status)
                for part, status in zip(progress.parts, progress.statuses, strict=True)
            ]
    return rows
