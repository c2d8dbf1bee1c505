"""A new progress store filled whole before anyone sees it: built beside its place.

Where no store exists yet, a command that fills one at once (`mlpath import` of a big
export) has nothing to lose and no other process to share the file with. So the store
is built under a temporary name in its directory (as store._create_file builds an
empty one) and written there with no journal and no syncs: a crash or a failure leaves
no store at all, only that file, which the next run to make a store removes
(mlpath.held_files). As the run commits, the file is switched to WAL (which every store
is in), synced, and linked into place; a link never replaces a store another process
made meanwhile. Against today's path into a new store (every page written to the WAL,
synced, then copied into the file at the checkpoint) this writes each page once.
"""

from __future__ import annotations

import os

from mlpath.db import sqlite3
from mlpath.errors import StoreError
from mlpath.i18n import _
from mlpath.store import (
    Store,
    file_not_created,
    link_into_place,
    new_file_beside,
)


class StoreBeside:
    """The store being built for `path` (:attr:`store`, its connection's journal off),
    until :meth:`finish` links it into place or deletes it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.held = new_file_beside(path)
        self.tmp = self.held.path
        try:
            self.store = Store(sqlite3.connect(self.tmp, isolation_level=None), path)
        except BaseException:
            self.held.remove()
            raise
        try:
            # main only: a database attached later (import's scratch) keeps its own.
            self.store.conn.execute("PRAGMA main.journal_mode = OFF")
            self.store.conn.execute("PRAGMA main.synchronous = OFF")
        except sqlite3.DatabaseError as exc:
            self.discard()
            raise self.store.failure(exc) from None

    def finish(self, keep: bool) -> None:
        """Link the store into place (`keep`: its writes were committed) or delete it.

        Linked, it is the store; where another process made one meanwhile, this one is
        deleted and the run fails, having changed nothing: what it reported was measured
        against no store at all, and may not hold for that one."""
        if not keep:
            self.discard()
            return
        conn = self.store.conn
        try:
            try:
                conn.execute("PRAGMA main.journal_mode = WAL")
            except sqlite3.DatabaseError as exc:
                raise self.store.failure(exc) from None
            conn.close()
            # Written without syncs: on disk before its name says it is a store.
            _sync(self.tmp)
            if not link_into_place(self.tmp, self.path):
                raise StoreError(
                    _(
                        "another mlpath created the progress store {path} while this ran; "
                        "nothing was changed — run the command again"
                    ).format(path=self.path)
                )
            _sync_directory(os.path.dirname(self.path) or ".")
        except OSError as exc:
            raise file_not_created(self.path, exc) from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Close the connection and remove the temporary name (the store's, once linked)."""
        self.store.conn.close()
        self.held.remove()


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_directory(path: str) -> None:
    """Sync the directory that now names the store, where the system can: the store is
    in place and whole either way, so a failure here must not report that nothing was
    changed (Windows opens no directory to sync it)."""
    try:
        _sync(path)
    except OSError:
        pass
