"""The daily commands as plain functions: shared by the Typer commands and the fast path."""

from __future__ import annotations

from mlpath.catalog import RESOURCE_COLUMNS, Resource, check_choices, resolve_id, resource_from_row
from mlpath.path import NextResult, next_steps

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from typing import Any

    from mlpath.workspace import Workspace


def section_ids(db: sqlite3.Connection) -> list[str]:
    return [row[0] for row in db.execute("SELECT id FROM sections ORDER BY position")]


def find_next(
    ws: Workspace, count: int, free_only: bool, sections: Sequence[str], lang: str
) -> NextResult:
    db = ws.db()
    if sections:
        check_choices("section", sections, section_ids(db))
    return next_steps(db, count=count, free_only=free_only, sections=sections, lang=lang)


def resolve_resources(ws: Workspace, texts: Sequence[str]) -> list[Resource]:
    """Resources for ids or unique prefixes, without loading the whole catalog."""
    db = ws.db()
    found: list[Resource] = []
    for text in texts:
        wanted = text.strip().lower()
        row = db.execute(
            f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?", (wanted,)
        ).fetchone()
        if row is None:
            ids = [r[0] for r in db.execute("SELECT id FROM resources ORDER BY position")]
            resource_id = resolve_id(text, ids)
            row = db.execute(
                f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?", (resource_id,)
            ).fetchone()
        resource = resource_from_row(row)
        if resource not in found:
            found.append(resource)
    return found


def change_status(
    ws: Workspace, texts: Sequence[str], status: str, note: str | None = None
) -> list[tuple[Resource, str, bool]]:
    """Set `status` on each named resource in one transaction; (resource, before, changed)."""
    resources = resolve_resources(ws, texts)
    results = ws.store().set_status([r.id for r in resources], status, note)
    return [
        (r, previous, changed)
        for r, (_, previous, changed) in zip(resources, results, strict=True)
    ]


def dumps(data: Any) -> str:
    """Machine output: stable keys, real characters, no colour."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2)


def section_resource_ids(ws: Workspace, sections: Sequence[str]) -> list[str]:
    db = ws.db()
    check_choices("section", sections, section_ids(db))
    marks = ", ".join("?" for _ in sections)
    return [
        row[0]
        for row in db.execute(
            f"SELECT id FROM resources WHERE section IN ({marks}) ORDER BY position",
            list(sections),
        )
    ]
