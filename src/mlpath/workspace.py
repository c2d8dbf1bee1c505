"""Everything one command run works with: the catalog and the learner's progress.

Opened lazily, once per run: read-only commands never create the progress store.
"""

from __future__ import annotations

import os

from mlpath import store_files
from mlpath.catalog import (
    RESOURCE_COLUMNS,
    Catalog,
    Resource,
    check_choices,
    load_catalog,
    resolve_id,
    resource_from_row,
)
from mlpath.catalog_cache import open_catalog_db
from mlpath.db import sqlite3
from mlpath.errors import StoreError, UnknownResource
from mlpath.i18n import _
from mlpath.paths import progress_db

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath import store as store_mod
    from mlpath.catalog_cache import Watch
    from mlpath.store_beside import StoreBeside


class Workspace:
    """The catalog file and progress store a command uses."""

    def __init__(self, catalog_file: str | os.PathLike[str]) -> None:
        self.catalog_file = os.fspath(catalog_file)
        self._db: sqlite3.Connection | None = None
        self._catalog: Catalog | None = None
        self._store: store_mod.Store | None = None
        # Whether the store file was already checked: see store.open_store(checked=).
        self._store_checked = False
        self._store_writable = False
        # A new store being built beside its place, linked there by close().
        self._beside: StoreBeside | None = None
        # With a label, every write of this run is one unit, committed by close(): a
        # command reports what it did before that, so output that cannot be written
        # leaves the store as it was.
        self.unit_label: str | None = None
        self._unit: store_mod.UnitScope | None = None
        # Told the steps of a long catalog cache build (a progress bar, at a terminal).
        self.watch: Watch | None = None

    @property
    def store_path(self) -> str:
        return progress_db()

    def db(self) -> sqlite3.Connection:
        """The catalog cache, with the progress store's tables attached as `progress`."""
        if self._db is None:
            conn = open_catalog_db(self.catalog_file, self.watch)
            try:
                exists = _attach_progress(conn, self.store_path, self._store_checked)
                self._store_checked = self._store_checked or exists
                if exists:
                    _lay_own(conn)
            except BaseException:
                conn.close()
                raise
            self._db = conn
        return self._db

    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = load_catalog(self.db(), self.catalog_file)
        return self._catalog

    def store(self, built_beside: bool = False) -> store_mod.Store:
        """The progress store, created on first use: only changes call this.

        `built_beside`: where no store exists yet, the new one is built under another
        name with no journal and linked into place as :meth:`close` commits (see
        mlpath.store_beside), for a command that fills it with much at once."""
        if built_beside and self._store is None and not store_files.exists(self.store_path):
            from mlpath.store_beside import StoreBeside

            self._beside = StoreBeside(self.store_path)
            self._store = self._beside.store
            self._store_checked = self._store_writable = True
        if self._store is not None and not self._store_writable:
            # Opened for reading first (a command that looks before it writes): open it
            # again for writing, so the checks a write needs are made.
            self._store.close()
            self._store = None
        if self._store is None:
            from mlpath.store import open_store

            opened = open_store(self.store_path, create=True, checked=self._store_checked)
            assert opened is not None
            self._store = opened
            self._store_checked = True
            self._store_writable = True
        if self.unit_label is not None and self._unit is None:
            self._unit = self._store.unit(self.unit_label)
            self._unit.__enter__()
        return self._store

    def existing_store(self) -> store_mod.Store | None:
        """The progress store if there is one; reading never creates it."""
        if self._store is None:
            from mlpath.store import open_store

            self._store = open_store(self.store_path, create=False, checked=self._store_checked)
            self._store_checked = self._store is not None
        return self._store

    def statuses(self) -> dict[str, str]:
        """Every status the store holds (none without a store)."""
        if self._store is None and self._db is not None:
            # Through the read-only view this command already opened: opening the store
            # would load its code and check its file again, for a read.
            return store_files.checked_statuses(
                self.store_path, self._db.execute("SELECT resource, status FROM progress.current")
            )
        # The store may hold this command's own writes; or nothing else is open yet.
        store = self.existing_store()
        return store.statuses() if store else {}

    def catalog_ids(self) -> list[str]:
        """Every resource id of the catalog, in path order."""
        return [row[0] for row in self.db().execute("SELECT id FROM resources ORDER BY position")]

    def taken_ids(self) -> set[str]:
        """Ids a new resource of the learner's own may not take: every id on the path, and
        every own id with a history, so a new one never inherits a removed one's progress."""
        db = self.db()
        taken = {str(row[0]) for row in db.execute("SELECT id FROM resources")}
        if _has_changes(db):
            taken.update(
                str(row[0]).split("/")[0]
                for row in db.execute(
                    "SELECT DISTINCT resource FROM progress.changes "
                    "WHERE resource >= 'my-' AND resource < 'my.'"
                )
            )
        return taken

    def taken_part_keys(self, resource_id: str) -> set[str]:
        """Keys of own parts of this resource with a history (RESOURCE/my-...)."""
        db = self.db()
        if not _has_changes(db):
            return set()
        low = f"{resource_id}/my-"
        return {
            str(row[0])
            for row in db.execute(
                "SELECT DISTINCT resource FROM progress.changes WHERE resource >= ? "
                "AND resource < ?",
                (low, low[:-1] + "."),
            )
        }

    def section_ids(self) -> list[str]:
        return [row[0] for row in self.db().execute("SELECT id FROM sections ORDER BY position")]

    def section_resource_ids(self, sections: Sequence[str]) -> list[str]:
        """Every resource of these sections, in path order."""
        check_choices("section", sections, self.section_ids())
        marks = ", ".join("?" for _ in sections)
        return [
            row[0]
            for row in self.db().execute(
                f"SELECT id FROM resources WHERE section IN ({marks}) ORDER BY position",
                list(sections),
            )
        ]

    def resolve(self, texts: Sequence[str]) -> list[Resource]:
        """Resources for ids or unique prefixes, without loading the whole catalog."""
        db = self.db()
        found: list[Resource] = []
        seen: set[str] = set()
        for text in texts:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                from mlpath.store import shown_text

                shown = shown_text(text)
                raise UnknownResource(
                    _(
                        "unknown resource {shown} — it is not valid text; `mlpath list` "
                        "shows every id"
                    ).format(shown=shown)
                ) from None
            query = f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?"
            row = db.execute(query, (text.strip().lower(),)).fetchone()
            if row is None:
                ids = [r[0] for r in db.execute("SELECT id FROM resources ORDER BY position")]
                row = db.execute(query, (resolve_id(text, ids),)).fetchone()
            resource = resource_from_row(row)
            if resource.id not in seen:
                seen.add(resource.id)
                found.append(resource)
        return found

    def unit(self, label: str) -> store_mod.UnitScope:
        """`with ws.unit("done"):` — every write inside is one unit, committed at the end
        of the block and rolled back if it raises (see :mod:`mlpath.store`)."""
        return self.store().unit(label)

    def set_status(
        self,
        texts: Sequence[str],
        status: str,
        note: str | None = None,
        label: str | None = None,
    ) -> list[tuple[Resource, str, bool]]:
        """Set `status` on each named resource as one unit: all of them or none.

        Returns (resource, status before, whether anything was recorded) for each.
        `label` names the command in the history (the status's verb by default).
        """
        resources = self.resolve(texts)
        results = self.store().set_status([r.id for r in resources], status, note, label)
        return [
            (r, previous, changed)
            for r, (_, previous, changed) in zip(resources, results, strict=True)
        ]

    def close(self, failed: bool = False) -> None:
        """Commit this run's unit (roll it back when `failed`), then close everything."""
        unit, self._unit = self._unit, None
        beside, self._beside = self._beside, None
        committed = False
        try:
            if unit is not None:
                if failed:
                    unit.__exit__(RuntimeError, RuntimeError("the command failed"), None)
                else:
                    unit.__exit__(None, None, None)
            committed = not failed
        finally:
            try:
                if beside is not None:
                    self._store = None  # its connection is the new store's, closed here
                    beside.finish(keep=committed)
            finally:
                self._close_connections()

    def _close_connections(self) -> None:
        # The writer closes last: the last connection to a WAL database checkpoints it
        # and removes the -wal file, which a read-only connection cannot do.
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._store is not None:
            self._store.close()
            self._store = None


# The live definitions of own resources (`my-...`) and own parts (`parts:...`): two
# range reads of the store's primary key. See mlpath.own.
OWN_DEFINITIONS_SQL = (
    "SELECT key, value FROM progress.defined WHERE "
    "(key >= 'my-' AND key < 'my.') OR (key >= 'parts:' AND key < 'parts;')"
)


def _has_changes(db: sqlite3.Connection) -> bool:
    """False when no store file exists (an empty stand-in is attached)."""
    row = db.execute(
        "SELECT 1 FROM progress.sqlite_master WHERE type = 'table' AND name = 'changes'"
    ).fetchone()
    return row is not None


def _lay_own(conn: sqlite3.Connection) -> None:
    """Lay the learner's own resources and parts over the catalog, if they have any."""
    stored = dict(conn.execute(OWN_DEFINITIONS_SQL).fetchall())
    if stored:
        from mlpath.own_overlay import install

        install(conn, stored)


def _attach_progress(conn: sqlite3.Connection, path: str, checked: bool) -> bool:
    """Attach the store read-only as `progress`; True if its file exists (and is checked)."""
    if not store_files.exists(path):
        conn.execute("ATTACH DATABASE ':memory:' AS progress")
        conn.execute("CREATE TABLE progress.current (resource TEXT PRIMARY KEY, status, since)")
        conn.execute(f"CREATE TABLE progress.{store_files.DEFINED_TABLE}")
        return False
    if not checked:
        store_files.check_file(path)
    try:
        _attach_file(conn, path)
        version = conn.execute("PRAGMA progress.user_version").fetchone()[0]
        if version != store_files.SCHEMA_VERSION:
            # Too new or not ours: open_store explains; too old: open_store migrates it.
            conn.execute("DETACH DATABASE progress")
            from mlpath.store import open_store

            opened = open_store(path, create=False, checked=True)
            if opened is not None:
                opened.close()
            _attach_file(conn, path)
    except sqlite3.DatabaseError:
        raise StoreError(store_files.not_a_database(path)) from None
    return True


def _attach_file(conn: sqlite3.Connection, path: str) -> None:
    uri = store_files.read_only_uri(path) or store_files.uri(path, "mode=ro")
    try:
        conn.execute("ATTACH DATABASE ? AS progress", (uri,))
    except sqlite3.OperationalError as exc:
        from mlpath.sqlite_errors import sqlite_reason

        raise StoreError(
            _("progress store {path} cannot be read: {reason}").format(
                path=path, reason=sqlite_reason(exc)
            )
        ) from None


def statuses_of(ws: Workspace, keys: Sequence[str]) -> dict[str, str]:
    """The status of each of these resources (or RESOURCE/PART keys) that has one.

    Reads only these keys (the store's current statuses are indexed by key), so a
    command that shows a few resources does not read every status; an unknown status
    is refused as Store.statuses() refuses it.
    """
    db = ws.db()
    found: dict[str, str] = {}
    wanted = list(dict.fromkeys(keys))
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        marks = ", ".join("?" * len(batch))
        query = f"SELECT resource, status FROM progress.current WHERE resource IN ({marks})"
        found.update(store_files.checked_statuses(ws.store_path, db.execute(query, batch)))
    return found
