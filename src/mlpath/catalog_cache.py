"""A validated copy of the catalog in SQLite, rebuilt whenever the catalog file changes.

Validating JSON with pydantic costs more than the rest of a command put together, and
a 10,000-resource catalog is slow even to parse; the cache lets `mlpath next` answer
from a few indexed queries. The JSON file stays the single source of truth: the cache
records the file's size, times, inode and content hash and the mlpath version that
built it, and anything that does not match is rebuilt through the same pydantic
validation. A cache that is damaged, not ours, or written since it was built is
rebuilt the same way.
"""

from __future__ import annotations

import os
from stat import S_ISREG

from mlpath import __version__, files
from mlpath.catalog import LIST_SEPARATOR, join_versions
from mlpath.db import sqlite3
from mlpath.errors import CatalogError
from mlpath.i18n import _
from mlpath.paths import cache_dir, name_hash

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from mlpath.catalog_quick import Plain
    from mlpath.models import Catalog as CatalogModel

    # Given the steps of a long build and how many there are, the same steps: a progress
    # bar's hook (mlpath.output's; domain code never imports Rich).
    Watch = Callable[[Iterable[Any], int], Iterable[Any]]

# Bump when the cache's tables change, so older caches are rebuilt rather than misread.
CACHE_FORMAT = "12"

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
    versions TEXT NOT NULL,
    url_note_zh TEXT,
    minutes_note_zh TEXT
);
CREATE TABLE prerequisites (
    resource TEXT NOT NULL,
    requires TEXT NOT NULL,
    PRIMARY KEY (resource, requires)
) WITHOUT ROWID;
-- Per section: how many resources and minutes, so `sections` need not count them.
CREATE TABLE section_totals (
    section TEXT PRIMARY KEY,
    resources INTEGER NOT NULL,
    minutes INTEGER NOT NULL
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
-- Both directions of every pair (validation guarantees each is listed both ways).
CREATE TABLE alternatives (
    resource TEXT NOT NULL,
    other TEXT NOT NULL,
    PRIMARY KEY (resource, other)
) WITHOUT ROWID;
"""
# Made once the rows are in: sorting them once costs a fraction of keeping each index
# in order row by row.
INDEXES = (
    "CREATE INDEX resources_by_section ON resources (section, position)",
    # Ids are unique (validation guarantees it). Joins from the learner's statuses read
    # only this index, not the wide rows.
    "CREATE UNIQUE INDEX resources_by_id ON resources (id, minutes, position, section)",
    # The horizon (mlpath.goal): the optional resources nobody chose are found here, not
    # by reading every resource.
    "CREATE INDEX resources_optional ON resources (optional, cost, id, minutes, section)",
    # What each resource unlocks, for `show`, without reading every prerequisite.
    "CREATE INDEX prerequisites_by_requires ON prerequisites (requires, resource)",
    "CREATE UNIQUE INDEX parts_by_id ON parts (resource, id)",
)


# The resources' values as `fill` binds them: 0 for each absent text (no text is 0).
RESOURCE_VALUES = ", ".join(
    "NULLIF(?, 0)" if nullable else "?"
    for nullable in (
        *(False, False, False, True, False),  # position, id, title, title_zh, section
        *(False, True, True),  # url (given, perhaps as null), url_note, author
        *(False,) * 5,  # kind, cost, free_to_audit, optional, minutes
        *(True, False, False, False),  # minutes_note, prerequisites, description, tags
        *(True, False, True, True),  # title_zh_seed, aliases, author_zh, description_zh
        *(False, True, True),  # versions, url_note_zh, minutes_note_zh
    )
)


def open_catalog_db(catalog_file: str, watch: Watch | None = None) -> sqlite3.Connection:
    """A read-only connection to an up-to-date validated copy of `catalog_file`; a
    rebuild reports its steps through `watch`."""
    try:
        stat = os.stat(catalog_file)
    except FileNotFoundError:
        raise CatalogError(
            _("catalog {catalog_file} does not exist").format(catalog_file=catalog_file)
        ) from None
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise CatalogError(
            _("catalog {catalog_file} cannot be read: {strerror}").format(
                catalog_file=catalog_file, strerror=os_reason(exc)
            )
        ) from None
    if not S_ISREG(stat.st_mode):
        # A FIFO would hang the read and /dev/zero would fill memory.
        raise CatalogError(
            _(
                "catalog {catalog_file} is {kind_of}, not a regular file; give the "
                "path of a catalog JSON file"
            ).format(catalog_file=catalog_file, kind_of=files.kind_of(stat.st_mode))
        )
    origin = os.path.abspath(catalog_file)
    cache_file = cache_file_for(origin)
    conn = _open_if_fresh(cache_file, origin, stat)
    if conn is not None:
        return conn
    return _rebuild(catalog_file, origin, stat, cache_file, watch)


def cache_file_for(origin: str) -> str:
    """One cache file per catalog path: its name, and a hash of the full path."""
    name = os.path.basename(origin).rsplit(".", 1)[0]
    return os.path.join(cache_dir(), f"catalog-{name}-{name_hash(origin):08x}.sqlite3")


def _stamp(origin: str, stat: os.stat_result) -> str:
    """What the catalog file was when the cache was built, as far as stat can tell.

    Size and modification time alone miss an edit that keeps both (`touch -r`, a
    rewrite within one clock tick). The change time cannot be set by a user and moves
    on every write, and inode and device change when another file takes the name, so
    a match means the same bytes without reading them.
    """
    return (
        f"{CACHE_FORMAT}|{__version__}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}"
        f"|{stat.st_ino}|{stat.st_dev}|{origin}"
    )


def _connect_ro(cache_file: str) -> sqlite3.Connection:
    # uri=True also lets the caller ATTACH the progress store by URI, read-only.
    return sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, isolation_level=None)


def _trusted_cache(cache_file: str) -> os.stat_result | None:
    """The cache file's stat if it can be taken as mlpath left it, else None.

    Only a regular file of ours, in a directory of ours, that nobody else can write:
    anyone who could write either could make `next` show what they like.
    """
    try:
        info = os.lstat(cache_file)
        directory = os.stat(os.path.dirname(cache_file))
    except OSError:
        return None
    if not files.is_trusted_file(info) or not files.is_trusted_dir(directory):
        return None
    return info


def _identity(info: os.stat_result) -> str:
    """The cache file as mlpath left it: any write, chmod or touch since moves its ctime."""
    return f"{info.st_ino}|{info.st_size}|{info.st_ctime_ns}"


def _seal_file(cache_file: str) -> str:
    return cache_file + "-seal"


def _read_seal(cache_file: str) -> tuple[str, str] | None:
    """(the cache's identity, the catalog's stamp) as recorded when the cache was made or
    last found current. Beside the cache, as a file cannot hold its own change time; the
    cache itself is never written once in place. Kept only if it is a regular file of ours.
    """
    try:
        fd, info = files.open_regular(_seal_file(cache_file), follow_links=False)
    except OSError:
        return None
    try:
        if not files.is_trusted_file(info):
            return None
        identity, _, stamp = os.read(fd, 16384).decode("utf-8", "replace").partition("\n")
    except OSError:
        return None
    finally:
        os.close(fd)
    return identity, stamp


def _write_seal(cache_file: str, info: os.stat_result, stamp: str) -> None:
    """Record the cache's identity and the stamp it matches; on failure the next run just
    rebuilds.

    Under a random name first, then renamed: by hand rather than with tempfile, which
    costs more to import than re-stamping a touched catalog's cache.
    """
    tmp = os.path.join(os.path.dirname(cache_file), f"{TMP_PREFIX}{os.urandom(8).hex()}.seal")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, f"{_identity(info)}\n{stamp}".encode())
        finally:
            os.close(fd)
        os.replace(tmp, _seal_file(cache_file))
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _sealed(cache_file: str) -> tuple[os.stat_result, str] | None:
    """The cache file's stat and the stamp it was sealed with, if it is ours and unchanged
    since: None for no cache yet, one not to trust, or one written since it was built."""
    info = _trusted_cache(cache_file)
    seal = _read_seal(cache_file) if info is not None else None
    if info is None or seal is None or seal[0] != _identity(info):
        return None
    return info, seal[1]


def is_current(cache_file: str, stamp: str) -> bool:
    """Whether `cache_file` is as mlpath sealed it, for what `stamp` describes."""
    sealed = _sealed(cache_file)
    return sealed is not None and sealed[1] == stamp


def _open_if_fresh(
    cache_file: str, origin: str, stat: os.stat_result
) -> sqlite3.Connection | None:
    sealed = _sealed(cache_file)
    if sealed is None:
        return None
    info, seal_stamp = sealed
    stamp = _stamp(origin, stat)
    try:
        conn = _connect_ro(cache_file)
    except sqlite3.Error:
        return None
    if seal_stamp == stamp:
        return conn
    try:
        # Same content under new times (a fresh checkout, a copy back): still valid, so
        # record the new stamp instead of validating again.
        same_build = seal_stamp.split("|")[:2] == [CACHE_FORMAT, __version__]
        if same_build:
            row = conn.execute("SELECT value FROM meta WHERE key = 'sha256'").fetchone()
            if row is not None and row[0] == _sha256(origin):
                _write_seal(cache_file, info, stamp)
                return conn
    except (sqlite3.Error, OSError, CatalogError):
        pass  # a damaged cache, or a SQLite file of something else: rebuilt
    conn.close()
    return None


def _sha256(path: str) -> str:
    return sha256_hex(files.read_regular_file(path, _("catalog"), CatalogError))


# Past this size OpenSSL's SHA-256 (hashlib) saves more than loading it costs: it hashes
# several times faster than CPython's own.
OPENSSL_FROM_BYTES = 1024 * 1024


def sha256_hex(data: bytes) -> str:
    """SHA-256 from CPython's own module where there is one and `data` is small: hashlib
    loads OpenSSL first, which costs a third of a bare Python start."""
    if len(data) > OPENSSL_FROM_BYTES:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
        except ImportError:
            from hashlib import sha256
    return str(sha256(data).hexdigest())


def _rebuild(
    catalog_file: str,
    origin: str,
    stat: os.stat_result,
    cache_file: str,
    watch: Watch | None = None,
) -> sqlite3.Connection:
    # The parse makes a container per catalog object, and each few hundred start a
    # collection that walks all the others: without it a 100,000-resource catalog parses
    # in less than half the time. Nothing here makes reference cycles to collect.
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(catalog_file, origin, stat, cache_file, watch)
    finally:
        if collecting:
            gc.enable()


def _build(
    catalog_file: str,
    origin: str,
    stat: os.stat_result,
    cache_file: str,
    watch: Watch | None = None,
) -> sqlite3.Connection:
    # Not at the top: only a rebuild needs them, and they import json and re.
    from mlpath.catalog_quick import MAX_CATALOG_BYTES, plain_from_model, quick_catalog

    data = files.read_regular_file(catalog_file, _("catalog"), CatalogError)
    sha256 = sha256_hex(data)
    text = None
    if len(data) <= MAX_CATALOG_BYTES:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    if text is None:
        from mlpath.validate import validate_catalog_bytes

        # It words what is wrong with the bytes.
        catalog = plain_from_model(validate_catalog_bytes(data, catalog_file))
    else:
        # A 100,000-resource catalog is tens of MB, as bytes and again as text: each is
        # let go as soon as it has served.
        del data
        quick = quick_catalog(text)
        if quick is None:
            # Anything out of the ordinary, errors included: the models decide and
            # explain, as validate_catalog_bytes would once the bytes decode.
            from mlpath.validate import validate_catalog_text

            quick = plain_from_model(validate_catalog_text(text, catalog_file))
        del text
        catalog = quick
    meta = catalog_meta(catalog, _stamp(origin, stat), sha256)
    if write_sealed(cache_file, lambda conn: fill(conn, catalog, meta, watch), meta["stamp"]):
        return _connect_ro(cache_file)
    # No writable cache directory: keep the validated copy in memory for this run.
    conn = sqlite3.connect("file::memory:", uri=True, isolation_level=None)
    fill(conn, catalog, meta, watch)
    return conn


def catalog_meta(catalog: Plain, stamp: str, sha256: str) -> dict[str, str]:
    """The cache's meta table for `catalog`."""
    import json
    from operator import itemgetter

    from mlpath.catalog_quick import source_record

    resources = catalog.resources
    return {
        "stamp": stamp,
        "sha256": sha256,
        "source": json.dumps(source_record(catalog.source), ensure_ascii=False),
        # Whole-path totals, so `mlpath next` adds up only what the learner touched.
        "resources": str(len(resources)),
        "minutes": str(sum(map(itemgetter("minutes"), resources))),
        "listing": _listing_extent(catalog),
    }


def _listing_extent(catalog: Plain) -> str:
    """What `mlpath list` of the whole catalog needs before its first row (see
    mlpath.listing.Extent), one text: the widest id, section and title, and the kinds,
    costs and minutes present; empty when some title is not ASCII (measured then)."""
    from operator import itemgetter

    resources = catalog.resources
    titles = list(map(itemgetter("title"), resources))
    if not resources or not all(map(str.isascii, titles)):
        return ""
    costs = {f"{r['cost']}{int(r.get('free_to_audit', False))}" for r in resources}
    fields = (
        str(len(resources)),
        str(max(map(len, map(itemgetter("id"), resources)))),
        str(max(map(len, map(itemgetter("section"), resources)))),
        str(max(map(len, titles))),
        ",".join(sorted(set(map(itemgetter("kind"), resources)))),
        ",".join(sorted(costs)),
        ",".join(sorted(map(str, set(map(itemgetter("minutes"), resources))))),
    )
    return "|".join(fields)


def write_sealed(cache_file: str, fill: Callable[[sqlite3.Connection], None], stamp: str) -> bool:
    """Build a cache file (the catalog's copy, or its search index) with `fill` under a
    temporary name, rename it into place and seal it with `stamp`; False when it cannot.

    Readers never see a half-written cache, and processes rebuilding at the same moment
    each rename a complete file over the other's. The builder holds a lock on its
    temporary file while it works, so a later rebuild can tell the leftovers of a
    killed one (unlocked) from another's work in progress.
    """
    directory = os.path.dirname(cache_file)
    try:
        files.make_private_dirs(directory)
        if not files.is_trusted_dir(os.stat(directory)):
            return False
        remove_leftovers(directory)
        # What tempfile.mkstemp does, without importing it (a first run's tenth).
        tmp = os.path.join(directory, f"{TMP_PREFIX}{os.urandom(8).hex()}.tmp")
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return False
    try:
        _lock(fd)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            fill(conn)
        finally:
            conn.close()
        os.replace(tmp, cache_file)
        _write_seal(cache_file, os.fstat(fd), stamp)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        # Closed only now: closing any descriptor of the file drops SQLite's locks on it.
        os.close(fd)
        for name in (tmp, tmp + "-journal"):
            if os.path.exists(name):
                os.unlink(name)


TMP_PREFIX = ".catalog-"


def _lock(fd: int) -> bool:
    """Take the builder's lock on an open file; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # no flock here: leftovers stay rather than risk another's work
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def remove_leftovers(directory: str) -> None:
    """Delete what rebuilds killed midway left in the cache directory.

    A temporary file nobody holds the lock of belongs to a dead builder; SQLite's
    journal beside it goes with it, or on its own once the file is gone.
    """
    try:
        names = [n for n in os.listdir(directory) if n.startswith(TMP_PREFIX)]
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        if name.endswith(".tmp"):
            try:
                fd, _ = files.open_regular(path, follow_links=False)
            except OSError:
                continue
            try:
                if not _lock(fd):
                    continue  # a rebuild at work, or no way to tell
            finally:
                os.close(fd)
            stale = [path, path + "-journal"]
        elif name.endswith(".tmp-journal") and not os.path.exists(path[: -len("-journal")]):
            stale = [path]
        elif name.endswith(".seal"):
            stale = [path]  # a seal is renamed into place the moment it is written
        else:
            continue
        for leftover in stale:
            try:
                os.unlink(leftover)
            except OSError:
                pass


def _fill(
    conn: sqlite3.Connection,
    model: CatalogModel,
    meta: dict[str, str],
    watch: Watch | None = None,
) -> None:
    """`fill` from the validated models."""
    from mlpath.catalog_quick import plain_from_model

    fill(conn, plain_from_model(model), meta, watch)


def fill(
    conn: sqlite3.Connection,
    catalog: Plain,
    meta: dict[str, str],
    watch: Watch | None = None,
) -> None:
    """Write the cache's tables for `catalog` into the empty database `conn`, in one
    transaction (each statement on its own would sync the file to disk)."""
    # The search index is built by the first search (mlpath.search_index), in a file of
    # its own: most first runs need none, and it costs more than the rest.
    sections = catalog.sections
    resources = catalog.resources
    section_rank = {section["id"]: index for index, section in enumerate(sections)}
    # Path order: sections in their order, resources in file order within each section.
    ordered = sorted(
        range(len(resources)), key=lambda index: (section_rank[resources[index]["section"]], index)
    )
    # The script leaves the transaction it begins open for the rows below.
    conn.executescript(f"BEGIN;\n{SCHEMA}")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.executemany(
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                index,
                s["id"],
                s["title"],
                s.get("title_zh"),
                s["summary"],
                int(s.get("optional", False)),
                s.get("title_zh_seed"),
                s.get("summary_zh"),
            )
            for index, s in enumerate(sections)
        ],
    )
    # Made as they are written: a 100,000-resource catalog's rows are tens of MB. An
    # absent optional field is bound as 0 and stored as NULL (RESOURCE_VALUES): binding
    # None goes through the sqlite3 module's adapter lookup, a third of the insert.
    rows = (
        (
            position,
            r["id"],
            r["title"],
            r.get("title_zh", 0),
            r["section"],
            r["url"],
            r.get("url_note", 0),
            r.get("author", 0),
            r["kind"],
            r["cost"],
            int(r.get("free_to_audit", False)),
            int(r.get("optional", False)),
            r["minutes"],
            r.get("minutes_note", 0),
            LIST_SEPARATOR.join(r.get("prerequisites", ())),
            r["description"],
            LIST_SEPARATOR.join(r.get("tags", ())),
            r.get("title_zh_seed", 0),
            LIST_SEPARATOR.join(r.get("aliases", ())),
            r.get("author_zh", 0),
            r.get("description_zh", 0),
            join_versions(r["versions"]) if "versions" in r else "",
            r.get("url_note_zh", 0),
            r.get("minutes_note_zh", 0),
        )
        for position, r in enumerate(resources[index] for index in ordered)
    )
    del ordered
    insert = f"INSERT INTO resources VALUES ({RESOURCE_VALUES})"
    conn.executemany(insert, watch(rows, len(resources)) if watch is not None else rows)
    conn.executemany(
        "INSERT OR IGNORE INTO prerequisites VALUES (?, ?)",
        ((r["id"], required) for r in resources for required in r.get("prerequisites", ())),
    )
    conn.executemany(
        "INSERT INTO parts VALUES (?, ?, ?, ?, NULLIF(?, 0), ?, NULLIF(?, 0))",
        (
            (
                r["id"],
                position,
                p["id"],
                p["title"],
                p.get("title_zh", 0),
                p["minutes"],
                p.get("url", 0),
            )
            for r in resources
            for position, p in enumerate(r.get("parts", ()), start=1)
        ),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO alternatives VALUES (?, ?)",
        ((r["id"], other) for r in resources for other in r.get("alternatives", ())),
    )
    # Not executescript, which would commit first.
    for statement in INDEXES:
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO section_totals SELECT ?, count(*), coalesce(sum(minutes), 0) "
        "FROM resources WHERE section = ?",
        [(s["id"], s["id"]) for s in sections],
    )
    conn.execute("COMMIT")


def index_file_for(cache_file: str) -> str:
    """Where the search index of the catalog cache `cache_file` is kept."""
    return cache_file.removesuffix(".sqlite3") + "-search.sqlite3"


class Ticker:
    """Counts steps of a build through a Watch (a progress bar's hook), if there is one."""

    __slots__ = ("_steps", "left")

    def __init__(self, watch: Watch | None, total: int) -> None:
        self._steps = iter(watch(range(total), total)) if watch is not None else None
        self.left = total

    def tick(self, count: int = 1) -> None:
        if self._steps is None:
            return
        count = min(count, self.left)
        self.left -= count
        for _step in range(count):
            next(self._steps, None)

    def finish(self) -> None:
        """Every step done: the watcher's end (a bar goes away)."""
        self.tick(self.left)
        if self._steps is not None:
            next(self._steps, None)
