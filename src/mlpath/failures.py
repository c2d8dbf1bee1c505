"""What to tell the user when SQLite fails in the middle of a command.

SQLite reports damage only when a query reads a damaged page, which can be deep inside
any command, long after the files were opened and checked. The CLI edge hands such an
error here and prints the answer as one line: which file is damaged and what to do.
Only called after a failure, so it may read the files in full.
"""

from __future__ import annotations

import os

from mlpath import store_files
from mlpath.db import sqlite3
from mlpath.errors import CatalogError, MlpathError, StoreError
from mlpath.i18n import _
from mlpath.sqlite_errors import sqlite_reason


def explain(exc: sqlite3.DatabaseError, store_path: str, cache_file: str | None) -> MlpathError:
    """The error to report for `exc`, raised by a query on the catalog cache connection
    (the store attached to it) or on the store's own.

    A damaged cache is removed, so the next run rebuilds it from the catalog; a
    damaged store is left exactly as it is, with how to save what is readable.
    """
    if _damaged(store_files.uri(store_path, "mode=ro")):
        return StoreError(store_files.damaged(store_path))
    if cache_file is not None and _damaged(store_files.uri(cache_file, "mode=ro")):
        for name in (cache_file, cache_file + "-seal"):
            try:
                os.unlink(name)
            except OSError:
                pass
        return CatalogError(
            _(
                "the catalog cache {cache_file} was damaged and has been removed; run the "
                "command again to rebuild it from the catalog"
            ).format(cache_file=cache_file)
        )
    return StoreError(
        _(
            "reading mlpath's data failed: {reason}; if it happens again, check the disk "
            "and run `sqlite3 {path} 'PRAGMA integrity_check'`"
        ).format(reason=sqlite_reason(exc), path=store_path)
    )


def _damaged(uri: str) -> bool:
    """Whether SQLite finds the file damaged; a missing or unreadable file is not."""
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return store_files.is_damage(exc)
    finally:
        conn.close()
    return rows != [("ok",)]
