"""Progress in and out of mlpath: what `export` writes and what `import` merges.

JSON carries the whole history and is the only format `import` reads back; Markdown
(a checklist) and CSV (a spreadsheet) are one-way views of the current statuses. An
import file is read and validated completely before the store is opened, and its new
changes land in one transaction, so a bad file or a failed import changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlpath import store as store_mod
from mlpath.catalog import Catalog
from mlpath.db import sqlite3
from mlpath.errors import ExportError, StoreError
from mlpath.export_format import EXPORT_VERSION, FORMAT_MARKER
from mlpath.store import Change, Store, milestones
from mlpath.workspace import Workspace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.import_file import ExportFile, ExportFileV2


# --- export --------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportData:
    """Everything an export shows: the catalog, the whole history, the current statuses."""

    catalog: Catalog
    changes: tuple[Change, ...]  # oldest first
    statuses: Mapping[str, str]
    exported_at: str
    units: tuple[tuple[str, str, str], ...] = ()  # (uid, label, time) of the changes' units

    def status(self, resource_id: str) -> str:
        return self.statuses.get(resource_id, "todo")

    def unknown_ids(self) -> list[str]:
        """Resources with history that this catalog does not have (any more)."""
        return sorted({c.resource for c in self.changes if self.catalog.get(c.resource) is None})

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
    return ExportData(catalog, changes, statuses, store_mod.now(), units)


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


def write_file(name: str, text: str, force: bool = False) -> None:
    """Write `text` to `path` whole or not at all; an existing file needs `force`.

    The text goes to a temporary file in the same directory first, so a crash or a
    full disk never leaves a half-written export, and without `force` it is linked
    into place, which fails rather than replace a file that appeared meanwhile.
    """
    path = Path(name)
    if path.is_dir():
        raise ExportError(f"{path} is a directory — name a file to write")
    if not force and (path.exists() or path.is_symlink()):
        raise _exists(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise _exists(path) from None
            except OSError:
                # Some filesystems (FAT, a few network mounts) have no hard links.
                if path.exists():
                    raise _exists(path) from None
                os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _exists(path: Path) -> ExportError:
    return ExportError(
        f"{path} already exists — choose another name, or add --force to replace it"
    )


# --- the export file, validated ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A resource whose status an import changes."""

    resource: str
    before: str
    after: str


@dataclass(frozen=True)
class ImportReport:
    """What an import added (or, for a dry run, would add)."""

    in_file: int
    added: int
    dry_run: bool
    status_changes: tuple[StatusChange, ...]

    @property
    def already_present(self) -> int:
        return self.in_file - self.added

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "changes_in_file": self.in_file,
            "imported": self.added,
            "already_present": self.already_present,
            "status_changes": [
                {"id": s.resource, "from": s.before, "to": s.after} for s in self.status_changes
            ],
        }


def import_export(
    ws: Workspace,
    export: ExportFile | ExportFileV2,
    dry_run: bool = False,
    label: str = "import",
) -> ImportReport:
    """Merge an export's history into this machine's: the union, matched by uid.

    The import is one unit (`label`, say `import FILE`): one `mlpath undo` takes it
    back. Inside an enclosing `ws.unit(...)` block it joins that block's unit and
    transaction instead, so the caller can report before anything is committed. A dry
    run merges into an in-memory copy of the store, so it reports exactly what the real
    import would, and never creates or touches the store.
    """
    order = {r.id: r.position for r in ws.catalog().resources}
    units = [(u.uid, u.label, u.at) for u in getattr(export, "units", ())]
    store = ws.store() if not dry_run else ws.existing_store()
    # Only what the store lacks is converted and merged: a re-import is cheap.
    known = store.known_uids([c.uid for c in export.changes]) if store else set()
    changes = [c.to_change() for c in export.changes if c.uid not in known]
    if not changes:
        added: list[Change] = []
        moved: list[StatusChange] = []
    elif dry_run:
        with _scratch_copy(store) as scratch:
            added, moved = _merge(scratch, changes, units, label)
    else:
        assert store is not None
        added, moved = _merge(store, changes, units, label)
    moved.sort(key=lambda s: (s.resource not in order, order.get(s.resource, 0), s.resource))
    return ImportReport(len(export.changes), len(added), dry_run, tuple(moved))


def _merge(
    store: Store,
    changes: Sequence[Change],
    units: Sequence[tuple[str, str, str]],
    label: str,
) -> tuple[list[Change], list[StatusChange]]:
    with store.unit(label):
        before = store.statuses()
        added = store.merge(changes, units, label)
        after = store.statuses() if added else before
    # Compare every resource: an imported undo can revert a change filed under another id.
    moved = [
        StatusChange(rid, before.get(rid, "todo"), after.get(rid, "todo"))
        for rid in before.keys() | after.keys()
        if before.get(rid, "todo") != after.get(rid, "todo")
    ]
    return added, moved


@contextlib.contextmanager
def _scratch_copy(store: Store | None) -> Iterator[Store]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        if store is not None:
            store.conn.backup(conn)
        else:
            for script in store_mod.MIGRATIONS:
                store_mod.run_script(conn, script)
        yield Store(conn, ":memory:", store.clock if store is not None else None)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot preview the import: {exc}") from None
    finally:
        conn.close()
