"""A validated copy of the catalog in SQLite, rebuilt whenever the catalog file changes.

Validating JSON with pydantic costs more than the rest of a command put together, and
a 10,000-resource catalog is slow even to parse; the cache lets `mlpath next` answer
from a few indexed queries. The JSON file stays the single source of truth: the cache
is keyed by the file's content hash and by the mlpath version that built it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mlpath import __version__
from mlpath.errors import CatalogError
from mlpath.paths import cache_dir

if TYPE_CHECKING:
    from mlpath.models import Catalog as CatalogModel

# Bump when the cache's tables change, so older caches are rebuilt rather than misread.
CACHE_FORMAT = "1"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sections (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_zh TEXT,
    summary TEXT NOT NULL,
    optional INTEGER NOT NULL
);
CREATE TABLE resources (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_zh TEXT,
    section TEXT NOT NULL,
    url TEXT,
    url_note TEXT,
    author TEXT,
    kind TEXT NOT NULL,
    cost TEXT NOT NULL,
    free_to_audit INTEGER NOT NULL,
    optional INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    minutes_note TEXT,
    prerequisites TEXT NOT NULL,
    description TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE INDEX resources_by_section ON resources (section, position);
CREATE TABLE prerequisites (
    resource TEXT NOT NULL,
    requires TEXT NOT NULL,
    PRIMARY KEY (resource, requires)
) WITHOUT ROWID;
"""


def open_catalog_db(catalog_file: Path) -> sqlite3.Connection:
    """A connection to an up-to-date validated copy of `catalog_file`."""
    try:
        stat = catalog_file.stat()
    except FileNotFoundError:
        raise CatalogError(f"catalog {catalog_file} does not exist") from None
    except OSError as exc:
        raise CatalogError(f"catalog {catalog_file} cannot be read: {exc.strerror}") from None
    cache_file = _cache_file(catalog_file)
    conn = _open_if_fresh(cache_file, catalog_file, stat) if cache_file else None
    if conn is not None:
        return conn
    return _rebuild(catalog_file, stat, cache_file)


def _cache_file(catalog_file: Path) -> Path | None:
    try:
        key = hashlib.sha256(str(catalog_file.resolve()).encode()).hexdigest()[:16]
        return cache_dir() / f"catalog-{key}.sqlite3"
    except OSError:
        return None


def _stamp(stat: os.stat_result) -> str:
    return f"{CACHE_FORMAT}:{__version__}:{stat.st_size}:{stat.st_mtime_ns}"


def _open_if_fresh(
    cache_file: Path, catalog_file: Path, stat: os.stat_result
) -> sqlite3.Connection | None:
    if not cache_file.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('stamp', 'sha256')"))
        if meta.get("stamp") == _stamp(stat):
            return conn
        # Same content under a new mtime (a fresh checkout, a copy): still valid.
        if meta.get("stamp", "").split(":")[:2] == [CACHE_FORMAT, __version__] and meta.get(
            "sha256"
        ) == _sha256(catalog_file):
            conn.close()
            with contextlib.suppress(sqlite3.Error), sqlite3.connect(cache_file) as rw:
                rw.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (_stamp(stat),))
            return sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, isolation_level=None)
    except (sqlite3.Error, OSError):
        pass
    conn.close()
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rebuild(
    catalog_file: Path, stat: os.stat_result, cache_file: Path | None
) -> sqlite3.Connection:
    from mlpath.validate import validate_catalog_text

    try:
        data = catalog_file.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise CatalogError(f"catalog {catalog_file} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"catalog {catalog_file} is not UTF-8 text") from None
    model = validate_catalog_text(text, str(catalog_file))
    meta = {
        "stamp": _stamp(stat),
        "sha256": hashlib.sha256(data).hexdigest(),
        "origin": str(catalog_file),
        "source": json.dumps(model.source.model_dump(), ensure_ascii=False),
    }
    if cache_file is not None:
        written = _write_cache_file(cache_file, model, meta)
        if written:
            return sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, isolation_level=None)
    # No writable cache directory: keep the validated copy in memory for this run.
    conn = sqlite3.connect("file::memory:", uri=True, isolation_level=None)
    _fill(conn, model, meta)
    return conn


def _write_cache_file(cache_file: Path, model: CatalogModel, meta: dict[str, str]) -> bool:
    """Write the cache beside its final name and rename it into place (atomic for readers)."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=cache_file.name, dir=cache_file.parent)
        os.close(fd)
    except OSError:
        return False
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _fill(conn, model, meta)
        finally:
            conn.close()
        os.replace(tmp, cache_file)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _fill(conn: sqlite3.Connection, model: CatalogModel, meta: dict[str, str]) -> None:
    conn.executescript(SCHEMA)
    section_rank = {section.id: index for index, section in enumerate(model.sections)}
    # Path order: sections in their order, resources in file order within each section.
    ordered = sorted(
        enumerate(model.resources), key=lambda pair: (section_rank[pair[1].section], pair[0])
    )
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?)",
        [
            (index, s.id, s.title, s.title_zh, s.summary, int(s.optional))
            for index, s in enumerate(model.sections)
        ],
    )
    conn.executemany(
        "INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                position,
                r.id,
                r.title,
                r.title_zh,
                r.section,
                r.url,
                r.url_note,
                r.author,
                r.kind,
                r.cost,
                int(r.free_to_audit),
                int(r.optional),
                r.minutes,
                r.minutes_note,
                json.dumps(list(r.prerequisites)),
                r.description,
                json.dumps(list(r.tags)),
            )
            for position, (_, r) in enumerate(ordered)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO prerequisites VALUES (?, ?)",
        [(r.id, required) for r in model.resources for required in r.prerequisites],
    )
    conn.execute("COMMIT")
