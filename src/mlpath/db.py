"""The standard library's SQLite binding, imported as cheaply as it can be.

`sqlite3` is a thin Python wrapper over the C extension `_sqlite3`: it re-exports it
and registers date and time adapters that mlpath does not use (all its times are
text). Importing the wrapper pulls in `datetime` and costs a fifth of a bare Python
start, more than the rest of `mlpath next`, so where the extension is importable
under its own name (CPython), mlpath uses it directly. It is the same module:
`sqlite3.connect is _sqlite3.connect`.

The extension itself, as it starts, takes `functools.lru_cache` for each connection's
cache of prepared statements, and importing `functools` brings `collections`,
`types`, `operator`, `keyword` and `reprlib` with it: about 11 million instructions,
nearly a third of a bare Python start, for one function. Where nothing has imported
`functools` yet, the extension is handed, for the length of its own import, a module
holding only `lru_cache`, built on the same C cache `functools.lru_cache` wraps
(`_functools._lru_cache_wrapper`), so connections cache statements exactly as before.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
else:
    import sys

    def _extension():
        """`_sqlite3`, imported beside the stand-in `functools` where it can be."""
        if "functools" not in sys.modules:
            from _functools import _lru_cache_wrapper

            def lru_cache(maxsize=128, typed=False):
                def decorating_function(user_function):
                    return _lru_cache_wrapper(user_function, maxsize, typed, tuple)

                return decorating_function

            stand_in = type(sys)("functools")
            stand_in.lru_cache = lru_cache
            sys.modules["functools"] = stand_in
            try:
                import _sqlite3

                return _sqlite3
            except Exception:
                pass  # an extension wanting more of functools: the real one, below
            finally:
                if sys.modules.get("functools") is stand_in:
                    del sys.modules["functools"]
        import _sqlite3

        return _sqlite3

    try:
        sqlite3 = _extension()
    except ImportError:  # an interpreter that only ships the wrapper
        import sqlite3

__all__ = ["sqlite3"]
