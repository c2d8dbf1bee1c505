"""JSON read and written without importing the json package.

Importing json loads its decoder and with it `re`, which costs more than most mlpath
commands do (and its encoder with an indent runs in Python anyway). Text is written
here as json.dumps writes it, every string escaped by json's own C function, and read
by SQLite's JSON reader where a connection is at hand.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from mlpath.db import sqlite3


def compact(value: object) -> str | None:
    """json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
    or None where this cannot be sure."""
    return indented(value, "", string_quoter(), "", ":", sort_keys=True)


def string_quoter() -> Callable[[str], str]:
    """json's own C function that writes a string as JSON, without loading the json
    package around it (its decoder and scanner too)."""
    try:
        from _json import encode_basestring
    except ImportError:
        from json.encoder import encode_basestring
    return encode_basestring


def indented(
    value: object,
    newline: str,
    quote: Callable[[str], str],
    step: str = "  ",
    colon: str = ": ",
    sort_keys: bool = False,
) -> str | None:
    """`value` as json.dumps(value, ensure_ascii=False, indent=2) writes it at the depth
    `newline` (a newline and its indent) gives; None where this cannot be sure.

    With newline, step and colon "", "" and ":", and sort_keys: as json.dumps(value,
    ensure_ascii=False, sort_keys=True, separators=(",", ":")) writes it."""
    if isinstance(value, str):
        return quote(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        # json writes finite floats as repr does; NaN and infinities (value - value is
        # NaN for them) are json's to spell.
        return float.__repr__(value) if value - value == 0.0 else None
    inner = newline + step
    parts: list[str] = []
    if isinstance(value, list):
        for item in value:
            shown = indented(item, inner, quote, step, colon, sort_keys)
            if shown is None:
                return None
            parts.append(shown)
        return f"[{inner}{(',' + inner).join(parts)}{newline}]" if parts else "[]"
    if isinstance(value, dict):
        if sort_keys and not all(isinstance(key, str) for key in value):
            return None
        for key, item in sorted(value.items()) if sort_keys else value.items():
            shown = indented(item, inner, quote, step, colon, sort_keys)
            if not isinstance(key, str) or shown is None:
                return None
            parts.append(f"{quote(key)}{colon}{shown}")
        return f"{{{inner}{(',' + inner).join(parts)}{newline}}}" if parts else "{}"
    return None


def parsed(text: str, db: sqlite3.Connection | None = None) -> object:
    """json.loads(text), read by SQLite where it can (through `db`, or a database in
    memory, which costs far less than importing json); a ValueError (or a TypeError)
    where the text is not JSON."""
    if db is None:
        from mlpath.db import sqlite3

        memory = sqlite3.connect(":memory:")
        try:
            value = sqlite_json(memory, text)
        finally:
            memory.close()
    else:
        value = sqlite_json(db, text)
    if value is NOT_READ:
        import json

        return json.loads(text)
    return value


NOT_READ = object()
_ATOMS = {"true": True, "false": False}


def sqlite_json(db: sqlite3.Connection, text: str) -> object:
    """JSON text as Python values, from SQLite's json_tree (one row per node, in document
    order); NOT_READ where SQLite cannot say (no JSON support, malformed text)."""
    from mlpath.db import sqlite3

    if "\\u0000" in text:
        return NOT_READ  # SQLite's text ends at a NUL: Python's reader sees all of it
    try:
        rows = db.execute(
            "SELECT id, parent, key, type, atom FROM json_tree(?) ORDER BY id", (text,)
        ).fetchall()
    except sqlite3.Error:
        return NOT_READ
    nodes: dict[int, Any] = {}
    root: object = NOT_READ
    for node, parent, name, kind, atom in rows:
        value: object = (
            {} if kind == "object" else [] if kind == "array" else _ATOMS.get(kind, atom)
        )
        if kind in ("object", "array"):
            nodes[node] = value
        if parent is None:
            root = value
        elif isinstance(nodes[parent], list):
            nodes[parent].append(value)
        else:
            nodes[parent][name] = value
    return root
