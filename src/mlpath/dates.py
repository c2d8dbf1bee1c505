"""The standard library's date and time types, imported as cheaply as they can be.

`datetime` is a Python module that defines every class in Python and then replaces
them all with the C extension `_datetime`'s: importing it costs more than the rest of
what `mlpath plan` imports put together (about 6 million instructions, where a bare
`python -c pass` takes 38 million). Where the extension is importable under its own
name (CPython), mlpath takes the classes from it directly. They are the same classes:
`datetime.date is _datetime.date`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
else:
    try:
        from _datetime import date, datetime, time, timedelta, timezone, tzinfo
    except ImportError:  # an interpreter that only ships the Python module
        from datetime import date, datetime, time, timedelta, timezone, tzinfo
    UTC = timezone.utc  # noqa: UP017 (datetime.UTC is this, set by the module skipped)

__all__ = ["UTC", "date", "datetime", "time", "timedelta", "timezone", "tzinfo"]
