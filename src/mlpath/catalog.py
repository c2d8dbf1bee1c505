"""The catalog as everyday commands see it: plain, immutable records read from the cache.

Validation lives in :mod:`mlpath.validate` (pydantic); this module never imports it, so
reading the path costs no more than a few SQLite queries.
"""

from __future__ import annotations

import difflib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlpath.errors import AmbiguousResource, UnknownChoice, UnknownResource

STATUSES = ("todo", "doing", "done", "skipped")
KINDS = (
    "video",
    "lectures",
    "course",
    "article",
    "book",
    "tutorial",
    "exercises",
    "website",
    "community",
    "cheatsheet",
    "channel",
    "newsletter",
    "publication",
    "guide",
)


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    title_zh: str | None
    summary: str
    optional: bool

    def display_title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    title: str
    title_zh: str | None
    section: str
    url: str | None
    url_note: str | None
    author: str | None
    kind: str
    cost: str
    free_to_audit: bool
    optional: bool
    minutes: int
    minutes_note: str | None
    prerequisites: tuple[str, ...]
    description: str
    tags: tuple[str, ...]
    position: int

    def display_title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def to_json(self) -> dict[str, Any]:
        """Stable, documented keys for `--json` output."""
        return {
            "id": self.id,
            "title": self.title,
            "title_zh": self.title_zh,
            "section": self.section,
            "url": self.url,
            "author": self.author,
            "kind": self.kind,
            "cost": self.cost,
            "free_to_audit": self.free_to_audit,
            "optional": self.optional,
            "minutes": self.minutes,
            "prerequisites": list(self.prerequisites),
            "tags": list(self.tags),
        }


RESOURCE_COLUMNS = (
    "id, title, title_zh, section, url, url_note, author, kind, cost, free_to_audit, optional, "
    "minutes, minutes_note, prerequisites, description, tags, position"
)


def resource_from_row(row: Sequence[Any]) -> Resource:
    """Build a Resource from a row selected with RESOURCE_COLUMNS (in that order)."""
    return Resource(
        id=row[0],
        title=row[1],
        title_zh=row[2],
        section=row[3],
        url=row[4],
        url_note=row[5],
        author=row[6],
        kind=row[7],
        cost=row[8],
        free_to_audit=bool(row[9]),
        optional=bool(row[10]),
        minutes=row[11],
        minutes_note=row[12],
        prerequisites=tuple(json.loads(row[13])),
        description=row[14],
        tags=tuple(json.loads(row[15])),
        position=row[16],
    )


@dataclass(frozen=True)
class Catalog:
    """Every section and resource, in path order."""

    origin: str
    source: dict[str, Any]
    sections: tuple[Section, ...]
    resources: tuple[Resource, ...]
    _by_id: dict[str, Resource] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update((r.id, r) for r in self.resources)

    def get(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise UnknownChoice(f"unknown section '{section_id}'")

    def resolve(self, text: str) -> Resource:
        """The resource an id or unique prefix names (case-insensitive)."""
        return self._by_id[resolve_id(text, self._by_id)]

    def unlocks(self, resource_id: str) -> list[Resource]:
        return [r for r in self.resources if resource_id in r.prerequisites]

    def dependents(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for resource in self.resources:
            for required in resource.prerequisites:
                out.setdefault(required, []).append(resource.id)
        return out


def load_catalog(conn: sqlite3.Connection, origin: str) -> Catalog:
    """Read the whole validated catalog from its cache connection."""
    source = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'source'").fetchone()[0])
    sections = tuple(
        Section(id=row[0], title=row[1], title_zh=row[2], summary=row[3], optional=bool(row[4]))
        for row in conn.execute(
            "SELECT id, title, title_zh, summary, optional FROM sections ORDER BY position"
        )
    )
    resources = tuple(
        resource_from_row(row)
        for row in conn.execute(f"SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY position")
    )
    return Catalog(origin=origin, source=source, sections=sections, resources=resources)


def resolve_id(text: str, known: Iterable[str]) -> str:
    """Exact id, else a unique case-insensitive prefix; otherwise a helpful error."""
    wanted = text.strip().lower()
    ids = list(known)
    lowered = {i.lower(): i for i in ids}
    if wanted in lowered:
        return lowered[wanted]
    matches = [i for i in ids if i.lower().startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = ", ".join(sorted(matches)[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        raise AmbiguousResource(f"'{text}' matches several resources: {listed}{more}")
    raise UnknownResource(unknown_message(text, ids))


def unknown_message(text: str, ids: Sequence[str]) -> str:
    close = difflib.get_close_matches(text.lower(), ids, n=3, cutoff=0.6)
    if close:
        quoted = " or ".join(f"'{c}'" for c in close)
        return f"unknown resource '{text}' — did you mean {quoted}?"
    return f"unknown resource '{text}' — `mlpath list` shows every id"


def check_choices(kind: str, values: Iterable[str], valid: Sequence[str]) -> None:
    """Refuse filter values that match nothing, listing the valid ones."""
    for value in values:
        if value not in valid:
            raise UnknownChoice(f"unknown {kind} '{value}' — choose from: {', '.join(valid)}")


def bundled_catalog_path() -> Path:
    """The catalog shipped inside the package."""
    from importlib.resources import files

    return Path(str(files("mlpath") / "data" / "resources.json"))


def catalog_path(option: str | Path | None = None) -> Path:
    """`--catalog`, else MLPATH_CATALOG, else the bundled catalog."""
    chosen = option or os.environ.get("MLPATH_CATALOG")
    if chosen:
        return Path(chosen).expanduser()
    return bundled_catalog_path()


@dataclass(frozen=True)
class Filters:
    """What `mlpath list` (and friends) narrow the path to; empty means everything."""

    sections: tuple[str, ...] = ()
    cost: str | None = None
    kinds: tuple[str, ...] = ()
    optional: bool | None = None
    statuses: tuple[str, ...] = ()

    def check(self, catalog: Catalog) -> None:
        check_choices("section", self.sections, [s.id for s in catalog.sections])
        check_choices("kind", self.kinds, KINDS)
        check_choices("status", self.statuses, STATUSES)

    def select(self, catalog: Catalog, statuses: dict[str, str]) -> list[Resource]:
        self.check(catalog)
        return [
            r
            for r in catalog.resources
            if (not self.sections or r.section in self.sections)
            and (self.cost is None or r.cost == self.cost)
            and (not self.kinds or r.kind in self.kinds)
            and (self.optional is None or r.optional == self.optional)
            and (not self.statuses or statuses.get(r.id, "todo") in self.statuses)
        ]
