"""A validated copy of the catalog in SQLite, rebuilt whenever the catalog file changes.

Validating JSON with pydantic costs more than the rest of a command put together, and
a 10,000-resource catalog is slow even to parse; the cache lets `mlpath next` answer
from a few indexed queries. The JSON file stays the single source of truth: the cache
records the file's size, modification time and content hash and the mlpath version
that built it, and anything that does not match is rebuilt through the same
pydantic validation.
"""

from __future__ import annotations

import os

from mlpath import __version__
from mlpath.catalog import LIST_SEPARATOR, join_versions
from mlpath.db import sqlite3
from mlpath.errors import CatalogError
from mlpath.paths import cache_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.models import Catalog as CatalogModel

# Bump when the cache's tables change, so older caches are rebuilt rather than misread.
CACHE_FORMAT = "7"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sections (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_zh TEXT,
    summary TEXT NOT NULL,
    optional INTEGER NOT NULL,
    title_zh_seed TEXT,
    summary_zh TEXT
);
CREATE TABLE resources (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
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
    tags TEXT NOT NULL,
    title_zh_seed TEXT,
    aliases TEXT NOT NULL,
    author_zh TEXT,
    description_zh TEXT,
    versions TEXT NOT NULL
);
CREATE INDEX resources_by_section ON resources (section, position);
-- Ids are unique (validation guarantees it). Joins from the learner's statuses read
-- only this index, not the wide rows.
CREATE UNIQUE INDEX resources_by_id ON resources (id, minutes, position, section);
CREATE TABLE prerequisites (
    resource TEXT NOT NULL,
    requires TEXT NOT NULL,
    PRIMARY KEY (resource, requires)
) WITHOUT ROWID;
-- Parts of a resource by 1-based position (how people type them: d2l/3); progress is
-- kept by part id, so the (resource, id) index maps it back after a reorder.
CREATE TABLE parts (
    resource TEXT NOT NULL,
    position INTEGER NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    title_zh TEXT,
    minutes INTEGER NOT NULL,
    url TEXT,
    PRIMARY KEY (resource, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX parts_by_id ON parts (resource, id);
-- Both directions of every pair (validation guarantees each is listed both ways).
CREATE TABLE alternatives (
    resource TEXT NOT NULL,
    other TEXT NOT NULL,
    PRIMARY KEY (resource, other)
) WITHOUT ROWID;
"""


def open_catalog_db(catalog_file: str) -> sqlite3.Connection:
    """A read-only connection to an up-to-date validated copy of `catalog_file`."""
    try:
        stat = os.stat(catalog_file)
    except FileNotFoundError:
        raise CatalogError(f"catalog {catalog_file} does not exist") from None
    except OSError as exc:
        raise CatalogError(f"catalog {catalog_file} cannot be read: {exc.strerror}") from None
    origin = os.path.abspath(catalog_file)
    cache_file = cache_file_for(origin)
    conn = _open_if_fresh(cache_file, origin, stat)
    if conn is not None:
        return conn
    return _rebuild(catalog_file, origin, stat, cache_file)


def cache_file_for(origin: str) -> str:
    """One cache file per catalog path: its name, and a hash of the full path."""
    name = os.path.basename(origin).rsplit(".", 1)[0]
    return os.path.join(cache_dir(), f"catalog-{name}-{_path_hash(origin):08x}.sqlite3")


def _path_hash(text: str) -> int:
    """32-bit FNV-1a: stable across runs (unlike hash()), and needs no C extension
    loaded at start-up (zlib or hashlib would cost more than answering `next`)."""
    value = 0x811C9DC5
    for byte in text.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _stamp(origin: str, stat: os.stat_result) -> str:
    return f"{CACHE_FORMAT}|{__version__}|{stat.st_size}|{stat.st_mtime_ns}|{origin}"


def _connect_ro(cache_file: str) -> sqlite3.Connection:
    # uri=True also lets the caller ATTACH the progress store by URI, read-only.
    return sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, isolation_level=None)


def _open_if_fresh(
    cache_file: str, origin: str, stat: os.stat_result
) -> sqlite3.Connection | None:
    try:
        conn = _connect_ro(cache_file)
    except sqlite3.Error:
        return None  # no cache yet
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('stamp', 'sha256')"))
        stamp = meta.get("stamp", "")
        if stamp == _stamp(origin, stat):
            return conn
        conn.close()
        # Same content under a new modification time (a fresh checkout, a copy): still
        # valid, so record the new time instead of validating again.
        same_build = stamp.split("|")[:2] == [CACHE_FORMAT, __version__]
        if same_build and meta.get("sha256") == _sha256(origin):
            rw = sqlite3.connect(cache_file)
            try:
                with rw:
                    rw.execute(
                        "UPDATE meta SET value = ? WHERE key = 'stamp'", (_stamp(origin, stat),)
                    )
            finally:
                rw.close()
            return _connect_ro(cache_file)
    except (sqlite3.Error, OSError):
        conn.close()
    return None


def _sha256(path: str) -> str:
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _rebuild(
    catalog_file: str, origin: str, stat: os.stat_result, cache_file: str
) -> sqlite3.Connection:
    import hashlib
    import json

    from mlpath.validate import validate_catalog_text

    try:
        with open(catalog_file, "rb") as handle:
            data = handle.read()
        text = data.decode("utf-8")
    except OSError as exc:
        raise CatalogError(f"catalog {catalog_file} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"catalog {catalog_file} is not UTF-8 text") from None
    model = validate_catalog_text(text, catalog_file)
    meta = {
        "stamp": _stamp(origin, stat),
        "sha256": hashlib.sha256(data).hexdigest(),
        "source": json.dumps(model.source.model_dump(), ensure_ascii=False),
        # Whole-path totals, so `mlpath next` adds up only what the learner touched.
        "resources": str(len(model.resources)),
        "minutes": str(sum(r.minutes for r in model.resources)),
    }
    if _write_cache_file(cache_file, model, meta):
        return _connect_ro(cache_file)
    # No writable cache directory: keep the validated copy in memory for this run.
    conn = sqlite3.connect("file::memory:", uri=True, isolation_level=None)
    _fill(conn, model, meta)
    return conn


def _write_cache_file(cache_file: str, model: CatalogModel, meta: dict[str, str]) -> bool:
    """Build the cache under a temporary name and rename it into place.

    Readers never see a half-written cache, and processes rebuilding at the same moment
    each rename a complete file over the other's.
    """
    import tempfile

    directory = os.path.dirname(cache_file)
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=directory)
        os.close(fd)
    except OSError:
        return False
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
        if os.path.exists(tmp):
            os.unlink(tmp)


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
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                index,
                s.id,
                s.title,
                s.title_zh,
                s.summary,
                int(s.optional),
                s.title_zh_seed,
                s.summary_zh,
            )
            for index, s in enumerate(model.sections)
        ],
    )
    conn.executemany(
        f"INSERT INTO resources VALUES ({', '.join('?' * 22)})",
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
                LIST_SEPARATOR.join(r.prerequisites),
                r.description,
                LIST_SEPARATOR.join(r.tags),
                r.title_zh_seed,
                LIST_SEPARATOR.join(r.aliases),
                r.author_zh,
                r.description_zh,
                join_versions(r.versions),
            )
            for position, (_, r) in enumerate(ordered)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO prerequisites VALUES (?, ?)",
        [(r.id, required) for r in model.resources for required in r.prerequisites],
    )
    conn.executemany(
        "INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (r.id, position, p["id"], p["title"], p.get("title_zh"), p["minutes"], p.get("url"))
            for r in model.resources
            for position, p in enumerate(r.parts, start=1)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO alternatives VALUES (?, ?)",
        [(r.id, other) for r in model.resources for other in r.alternatives],
    )
    conn.execute("COMMIT")
