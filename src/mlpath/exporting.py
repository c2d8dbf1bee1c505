"""What `mlpath export` gathers, the document `mlpath import` reads back, and writing
an export file whole or not at all. How Markdown and CSV read is mlpath.output's."""

from __future__ import annotations

import os

from mlpath import store as store_mod
from mlpath.db import sqlite3
from mlpath.errors import ExportError, StoreError
from mlpath.export_format import EXPORT_VERSION, FORMAT_MARKER
from mlpath.i18n import _
from mlpath.store import Change, milestones

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any

    from mlpath.catalog import Catalog, Part
    from mlpath.workspace import Workspace


class ExportData:
    """Everything an export shows: the catalog, the whole history (oldest first), the
    current statuses, and the (uid, label, time) of the changes' units."""

    __slots__ = ("catalog", "changes", "exported_at", "parts", "statuses", "units")

    def __init__(
        self,
        catalog: Catalog,
        changes: tuple[Change, ...],
        statuses: Mapping[str, str],
        exported_at: str,
        units: tuple[tuple[str, str, str], ...] = (),
        parts: dict[str, tuple[Part, ...]] | None = None,
    ) -> None:
        self.parts = parts or {}  # resource id -> its parts, for the resources with parts
        self.catalog = catalog
        self.changes = changes
        self.statuses = statuses
        self.exported_at = exported_at
        self.units = units

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def unknown_ids(self) -> list[str]:
        """Resources with history that this catalog does not have (any more); parts are
        shown under their resource. Neither definitions (their keys name no resource) nor
        resources of the learner's own they took away (their history is kept, unshown)."""
        return sorted(
            {
                c.resource
                for c in self.changes
                if "/" not in c.resource
                and c.action != "define"
                and not c.resource.startswith("my-")
                and self.catalog.get(c.resource) is None
            }
        )

    def notes(self) -> dict[str, list[str]]:
        """Per resource (or part), the texts of its notes no undo took back, oldest first."""
        reverted = {c.reverts for c in self.changes if c.action == "undo"}
        found: dict[str, list[str]] = {}
        for c in self.changes:
            if c.action == "note" and c.note and c.uid not in reverted:
                found.setdefault(c.resource, []).append(c.note)
        return found

    def dates(self) -> dict[str, tuple[str | None, str | None]]:
        """Per resource: when it was first started and last finished (as `mlpath show`)."""
        return milestones(self.changes)


def gather(ws: Workspace) -> ExportData:
    """Read what an export needs; a fresh machine exports an empty history, creating nothing."""
    catalog = ws.catalog()
    store = ws.existing_store()
    changes = tuple(store.changes(newest_first=False)) if store else ()
    statuses = store.statuses() if store else {}
    units = tuple(store.units()) if store else ()
    from mlpath.catalog import parts_by_resource

    parts = parts_by_resource(ws.db())
    return ExportData(catalog, changes, statuses, store_mod.now(), units, parts)


def export_document(data: ExportData) -> dict[str, Any]:
    """The whole history, every change with every field: what `mlpath import` reads."""
    return {
        "format": FORMAT_MARKER,
        "version": EXPORT_VERSION,
        "exported_at": data.exported_at,
        "catalog_title": data.catalog.source.get("title"),
        "units": [{"uid": uid, "label": label, "at": at} for uid, label, at in data.units],
        "changes": [c.to_export() for c in data.changes],
    }


def json_head(ws: Workspace) -> dict[str, Any]:
    """`export_document` with its units and changes left empty (the two last lists):
    they are streamed into it (iter_units, iter_changes). Reads not the whole catalog,
    only its title (through SQLite's JSON reader: the json package costs more)."""
    row = (
        ws.db()
        .execute("SELECT json_extract(value, '$.title') FROM meta WHERE key = 'source'")
        .fetchone()
    )
    return {
        "format": FORMAT_MARKER,
        "version": EXPORT_VERSION,
        "exported_at": store_mod.now(),
        "catalog_title": row[0] if row else None,
        "units": [],
        "changes": [],
    }


def iter_units(ws: Workspace) -> Iterator[dict[str, str]]:
    """The units as `export_document` lists them (Store.units()), read as taken: a
    history can hold a unit a change."""
    store = ws.existing_store()
    if store is None:
        return
    try:
        for uid, label, at in store.conn.execute(
            "SELECT uid, label, at FROM units WHERE seq IN (SELECT unit FROM changes) ORDER BY seq"
        ):
            yield {"uid": str(uid), "label": str(label), "at": str(at)}
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None


def change_count(ws: Workspace) -> int:
    store = ws.existing_store()
    return int(store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]) if store else 0


def iter_changes(ws: Workspace) -> Iterator[Change]:
    """The whole history, oldest first, as Store.changes(newest_first=False) gives it,
    but read as it is taken: an export of a million changes never holds them all."""
    store = ws.existing_store()
    if store is None:
        return
    try:
        cursor = store.conn.execute(
            f"SELECT {store_mod._FULL_COLUMNS} FROM {store_mod._FROM} ORDER BY c.clock, c.uid"
        )
        for row in cursor:
            yield Change(*row)
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None
    except StoreError as exc:
        raise StoreError(
            _("progress store {path}: {exc}").format(path=store.path, exc=exc)
        ) from None


def write_file(name: str, text: str, force: bool = False) -> None:
    """Write `text` to the file `name` whole or not at all; an existing file needs `force`."""
    write_chunks(name, [text], force)


def write_chunks(name: str, chunks: Iterable[str], force: bool = False) -> None:
    """Write `chunks` to the file `name` whole or not at all; an existing file needs `force`.

    The text goes to a temporary file in the same directory first, so a crash or a
    full disk never leaves a half-written export, and without `force` it is linked
    into place, which fails rather than replace a file that appeared meanwhile.
    """
    if os.path.isdir(name):
        raise ExportError(_("{name} is a directory — name a file to write").format(name=name))
    if not force and os.path.lexists(name):
        raise _exists(name)
    directory = os.path.dirname(name) or "."
    tmp = os.path.join(directory, f".{os.path.basename(name)}-{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise ExportError(
            _("cannot write {name}: {strerror}").format(name=name, strerror=os_reason(exc))
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, name)
        else:
            try:
                os.link(tmp, name)
            except FileExistsError:
                raise _exists(name) from None
            except OSError:
                # Some filesystems (FAT, a few network mounts) have no hard links.
                if os.path.lexists(name):
                    raise _exists(name) from None
                os.replace(tmp, name)
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise ExportError(
            _("cannot write {name}: {strerror}").format(name=name, strerror=os_reason(exc))
        ) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _exists(name: str) -> ExportError:
    return ExportError(
        _("{name} already exists — choose another name, or add --force to replace it").format(
            name=name
        )
    )
