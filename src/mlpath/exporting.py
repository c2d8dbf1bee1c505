"""What `mlpath export` gathers, the document `mlpath import` reads back, and writing
an export file whole or not at all. How Markdown and CSV read is mlpath.output's."""

from __future__ import annotations

import os

from mlpath import store as store_mod
from mlpath.catalog import OWN_PREFIX
from mlpath.db import sqlite3
from mlpath.errors import ExportError, StoreError
from mlpath.export_format import EXPORT_VERSION, FORMAT_MARKER
from mlpath.i18n import _
from mlpath.store import Change, milestones

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from typing import Any

    # Given the changes about to be read and how many there are, the same changes (a
    # progress bar's hook: domain code never imports the output's Rich).
    Watch = Callable[[Iterable[Change], int], Iterable[Change]]

    from mlpath.catalog import Catalog, Part
    from mlpath.workspace import Workspace


class ExportData:
    """Everything a Markdown or CSV export shows: the catalog, the current statuses, and
    what they need of the history (each resource's notes and dates, the resources with
    history the catalog does not have), read from it as it streams, never held whole."""

    __slots__ = (
        "catalog",
        "changes",
        "dates",
        "exported_at",
        "history_keys",
        "notes",
        "parts",
        "statuses",
    )

    def __init__(
        self,
        catalog: Catalog,
        statuses: Mapping[str, str],
        exported_at: str,
        parts: dict[str, tuple[Part, ...]] | None = None,
        notes: dict[str, list[str]] | None = None,
        dates: dict[str, tuple[str | None, str | None]] | None = None,
        history_keys: Iterable[str] = (),
        changes: int = 0,
    ) -> None:
        self.parts = parts or {}  # resource id -> its parts, for the resources with parts
        self.catalog = catalog
        self.statuses = statuses
        self.exported_at = exported_at
        # Per resource (or part), the texts of its notes no undo took back, oldest first.
        self.notes = notes or {}
        # Per resource: when it was first started and last finished (as `mlpath show`).
        self.dates = dates or {}
        self.history_keys = history_keys  # what the history names that may be a resource
        self.changes = changes  # how long the history is

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def unknown_ids(self) -> list[str]:
        """Resources with history that this catalog does not have (any more); parts are
        shown under their resource. Neither definitions (their keys name no resource) nor
        resources of the learner's own they took away (their history is kept, unshown)."""
        return sorted(rid for rid in self.history_keys if self.catalog.get(rid) is None)


def gather(ws: Workspace, watch: Watch | None = None) -> ExportData:
    """Read what a Markdown or CSV export needs, the history one change at a time (its
    live status changes and notes, through `watch` when given: a progress bar's hook);
    a fresh machine exports an empty history, creating nothing."""
    catalog = ws.catalog()
    store = ws.existing_store()
    statuses = store.statuses() if store else {}
    from mlpath.catalog import parts_by_resource

    parts = parts_by_resource(ws.db())
    changes: Iterable[Change] = iter_changes(ws, live_only=True)
    if watch is not None:
        changes = watch(changes, live_count(ws))
    notes: dict[str, list[str]] = {}

    def status_changes() -> Iterator[Change]:
        for change in changes:
            if change.action == "status":
                yield change
            elif change.note:
                notes.setdefault(change.resource, []).append(change.note)

    dates = milestones(status_changes())
    return ExportData(
        catalog,
        statuses,
        store_mod.now(),
        parts,
        notes,
        dates,
        _history_resources(ws),
        change_count(ws),
    )


def _history_resources(ws: Workspace) -> list[str]:
    """The keys with history that could name a catalog resource: no part (`id/part`),
    definition or resource of the learner's own. One pass over the index by resource."""
    store = ws.existing_store()
    if store is None:
        return []
    try:
        return [
            str(row[0])
            for row in store.conn.execute(
                "SELECT DISTINCT resource FROM changes WHERE action != 'define' "
                "AND instr(resource, '/') = 0 AND substr(resource, 1, ?) != ?",
                (len(OWN_PREFIX), OWN_PREFIX),
            )
        ]
    except sqlite3.DatabaseError as exc:
        raise store.failure(exc) from None


def json_head(ws: Workspace) -> dict[str, Any]:
    """The JSON export (what `mlpath import` reads) with its units and changes left
    empty (the two last lists): they are streamed into it (iter_units, iter_changes).
    Reads not the whole catalog, only its title (through SQLite's JSON reader: the json
    package costs more)."""
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
    """The units as the JSON export lists them (Store.units()), read as taken: a
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


# The changes a Markdown or CSV export reads: status changes and notes no undo took back.
_LIVE = " WHERE c.action IN ('status', 'note') AND c.reverted = 0"


def change_count(ws: Workspace, live_only: bool = False) -> int:
    store = ws.existing_store()
    if store is None:
        return 0
    where = _LIVE if live_only else ""
    return int(store.conn.execute(f"SELECT count(*) FROM changes c{where}").fetchone()[0])


def live_count(ws: Workspace) -> int:
    return change_count(ws, live_only=True)


def iter_changes(ws: Workspace, live_only: bool = False) -> Iterator[Change]:
    """The whole history, oldest first, as Store.changes(newest_first=False) gives it
    (with `live_only`, its status changes and notes no undo took back), but read as it
    is taken: an export of a million changes never holds them all."""
    store = ws.existing_store()
    if store is None:
        return
    where = _LIVE if live_only else ""
    try:
        cursor = store.conn.execute(
            f"SELECT {store_mod._FULL_COLUMNS} FROM {store_mod._FROM}{where} "
            "ORDER BY c.clock, c.uid"
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
