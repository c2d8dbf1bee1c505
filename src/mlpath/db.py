"""The standard library's SQLite binding, imported as cheaply as it can be.

`sqlite3` is a thin Python wrapper over the C extension `_sqlite3`: it re-exports it
and registers date and time adapters that mlpath does not use (all its times are
text). Importing the wrapper pulls in `datetime` and costs a fifth of a bare Python
start, more than the rest of `mlpath next`, so where the extension is importable
under its own name (CPython), mlpath uses it directly. It is the same module:
`sqlite3.connect is _sqlite3.connect`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
else:
    try:
        import _sqlite3 as sqlite3
    except ImportError:  # an interpreter that only ships the wrapper
        import sqlite3

__all__ = ["sqlite3"]
