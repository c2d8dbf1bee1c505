"""`mlpath import`: an export's history merged into this machine's, as one unit.

An import file is read and validated completely (mlpath.import_file) before the store
is opened, and its new changes land in one transaction, so a bad file or a failed
import changes nothing.
"""

from __future__ import annotations

from mlpath import store as store_mod
from mlpath.db import sqlite3
from mlpath.errors import StoreError
from mlpath.i18n import _
from mlpath.import_quick import QuickChange
from mlpath.record import Record
from mlpath.store import Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from mlpath.catalog import Part, Resource
    from mlpath.catalog_cache import Watch
    from mlpath.import_file import ExportFile, ExportFileV2
    from mlpath.import_quick import QuickExport
    from mlpath.import_stream import StagedExport
    from mlpath.store import Incoming
    from mlpath.sync_log import Batch
    from mlpath.workspace import Workspace


# Plain records, not dataclasses: importing dataclasses (and inspect) would cost more
# than the rest of a small import.
class StatusChange(Record):
    """A resource whose status an import changes."""

    __slots__ = ("resource", "before", "after")

    def __init__(self, resource: str, before: str, after: str) -> None:
        self.resource = resource
        self.before = before
        self.after = after


class Named(Record):
    """The catalog's resources (by id) and parts (by store key) that ordering what an
    import moved read: what names them afterwards, without reading them again."""

    __slots__ = ("resources", "parts")

    def __init__(self, resources: dict[str, Resource], parts: dict[str, Part]) -> None:
        self.resources = resources
        self.parts = parts


class ImportReport(Record):
    """What an import added (or, for a dry run, would add)."""

    __slots__ = ("in_file", "added", "dry_run", "status_changes", "named")

    def __init__(
        self,
        in_file: int,
        added: int,
        dry_run: bool,
        status_changes: tuple[StatusChange, ...],
        named: Named | None = None,
    ) -> None:
        self.in_file = in_file
        self.added = added
        self.dry_run = dry_run
        self.status_changes = status_changes
        # What the ordering read of the catalog: not part of what the import did.
        self.named = named

    def _names(self) -> tuple[str, ...]:
        return ("in_file", "added", "dry_run", "status_changes")

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
    export: ExportFile | ExportFileV2 | QuickExport | Batch,
    dry_run: bool = False,
    label: str = "import",
    watch: Watch | None = None,
) -> ImportReport:
    """Merge an export's history into this machine's: the union, matched by uid.

    The import is one unit (`label`, say `import FILE`): one `mlpath undo` takes it
    back. Inside an enclosing `ws.unit(...)` block it joins that block's unit and
    transaction instead, so the caller can report before anything is committed. A dry
    run merges into an in-memory copy of the store, so it reports exactly what the real
    import would, and never creates or touches the store.
    """
    units = [(u.uid, u.label, u.at) for u in getattr(export, "units", ())]
    store = ws.store() if not dry_run else ws.existing_store()
    # Only what the store lacks is converted and merged: a re-import is cheap.
    known = store.known_uids([c.uid for c in export.changes]) if store else set()
    # What the quick check read merges as it is; the models' changes become Changes.
    changes = [
        c if isinstance(c, QuickChange) else c.to_change()
        for c in export.changes
        if c.uid not in known
    ]
    if not changes:
        added: Sequence[Incoming] = []
        moved: list[StatusChange] = []
    elif dry_run:
        with _ScratchCopy(store) as scratch:
            added, moved = _merge(scratch, changes, units, label, watch)
    else:
        assert store is not None
        added, moved = _merge(store, changes, units, label, watch)
    named = in_path_order(ws, moved)
    return ImportReport(len(export.changes), len(added), dry_run, tuple(moved), named)


def import_streamed(
    ws: Workspace,
    name: str,
    data: bytes | None,
    now: int,
    dry_run: bool = False,
    watch: Watch | None = None,
) -> ImportReport | None:
    """:func:`import_export` of the big export in the file `name` (or in `data`, standard
    input's bytes), read as it streams (mlpath.import_stream); None where it is small or
    not laid out as mlpath writes it: then it is read whole. The same merge, the same
    report, in a few statements whatever its size; a file imported already is only
    hashed (mlpath.import_memo)."""
    import os

    from mlpath.import_quick import WHOLE_MAX, origin_of

    size = 0
    if data is None:
        try:
            size = os.stat(name).st_size
        except OSError:
            return None  # read whole, which says what failed
    if (len(data) if data is not None else size) <= WHOLE_MAX:
        return None  # read whole: the streaming reader and the memo are not loaded
    from mlpath import import_memo, import_stream

    if data is None:
        kept = import_memo.recall(ws.store_path, ws.existing_store, name, size, now)
        if kept is not None:
            return ImportReport(kept, 0, dry_run, ())
    staged = import_stream.stage_import(name, data, now, watch)
    if staged is None:
        return None
    try:
        import_stream.refuse_bad_staged_definitions(staged, origin_of(name))
        report, unit = _import_staged(ws, staged, dry_run, watch)
        if unit is not None and data is None:
            import_memo.remember(ws.store_path, size, staged, unit)
    finally:
        staged.close()
    return report


def _import_staged(
    ws: Workspace, staged: StagedExport, dry_run: bool, watch: Watch | None
) -> tuple[ImportReport, str | None]:
    """The import of a staged export, and the uid of the unit it recorded (None: it
    recorded none)."""
    from mlpath.import_bulk import attach, fresh_count, insert_staged

    # Into no store yet, the whole import is written once, to a new file beside its place.
    store = ws.store(built_beside=True) if not dry_run else ws.existing_store()
    # Only what the store lacks is merged: a re-import only counts.
    fresh = staged.changes
    if store is not None:
        attach(store, staged.path)
        fresh = fresh_count(store)
    moved: list[StatusChange] = []
    units: list[str] = []

    def merge(target: Store) -> None:
        units.append(insert_staged(target, fresh, watch))

    if fresh and not dry_run:
        assert store is not None
        with store.unit("import"):
            moved = _moved(store, lambda: merge(store))
    elif fresh:
        with _ScratchCopy(store) as scratch:
            attach(scratch, staged.path)
            with scratch.unit("import"):
                moved = _moved(scratch, lambda: merge(scratch))
    named = in_path_order(ws, moved)
    unit = units[0] if units and not dry_run else None
    return ImportReport(staged.changes, fresh, dry_run, tuple(moved), named), unit


def _moved(store: Store, merge: Callable[[], object]) -> list[StatusChange]:
    """The resources whose status `merge` changes (inside the store's unit)."""
    before = store.statuses()
    merge()
    after = store.statuses()
    # Compare every resource: an imported undo can revert a change filed under another id.
    return [
        StatusChange(rid, before.get(rid, "todo"), after.get(rid, "todo"))
        for rid in before.keys() | after.keys()
        if before.get(rid, "todo") != after.get(rid, "todo")
    ]


def in_path_order(ws: Workspace, moved: list[StatusChange]) -> Named | None:
    """Sort what an import or a sync moved as the path runs, each part under its
    resource; what the catalog lacks last, by key. Returns what it read of the catalog
    (None: nothing moved)."""
    if not moved:
        return None
    from mlpath.catalog import resources_by_id
    from mlpath.part_status import is_part_key, read_parts

    keys = [s.resource for s in moved]
    # The moved resources' places only: a big catalog read whole for them cost more
    # than a small import's merge. A part goes under its resource, in its own order.
    found = resources_by_id(ws.db(), {key.partition("/")[0] for key in keys})
    parts = read_parts(ws.db(), [key for key in keys if is_part_key(key)])

    def place(change: StatusChange) -> tuple[bool, float, int, str]:
        resource = found.get(change.resource.partition("/")[0])
        part = parts.get(change.resource)
        return (
            resource is None,
            resource.position if resource is not None else 0,
            part.position if part is not None else 0,
            change.resource,
        )

    moved.sort(key=place)
    return Named(found, parts)


def _merge(
    store: Store,
    changes: Sequence[Incoming],
    units: Sequence[tuple[str, str, str]],
    label: str,
    watch: Watch | None = None,
) -> tuple[list[Incoming], list[StatusChange]]:
    added: list[Incoming] = []

    def merge() -> None:
        added.extend(store.merge(changes, units, label, watch))

    with store.unit(label):
        moved = _moved(store, merge)
    return added, moved


class _ScratchCopy:
    """`with _ScratchCopy(store) as scratch`: a copy of the store in memory (an empty one
    for no store), closed on leaving. A class rather than contextlib's decorator, whose
    import alone costs an import command a tenth of a bare Python start."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self.conn = sqlite3.connect(":memory:", isolation_level=None)

    def __enter__(self) -> Store:
        try:
            if self.store is not None:
                self.store.conn.backup(self.conn)
            else:
                for script in store_mod.MIGRATIONS:
                    store_mod.run_script(self.conn, script)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise _preview_failed(exc) from None
        return Store(self.conn, ":memory:", self.store.clock if self.store is not None else None)

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        self.conn.close()
        if isinstance(exc, sqlite3.DatabaseError):
            raise _preview_failed(exc) from None


def _preview_failed(exc: sqlite3.DatabaseError) -> StoreError:
    from mlpath.sqlite_errors import sqlite_reason

    return StoreError(_("cannot preview the import: {reason}").format(reason=sqlite_reason(exc)))
