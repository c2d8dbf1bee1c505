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
from mlpath.db import sqlite3
from mlpath.errors import CatalogError
from mlpath.i18n import _
from mlpath.paths import cache_dir, name_hash

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    from mlpath.catalog_quick import Plain
    from mlpath.catalog_stream import SideCheck
    from mlpath.catalog_tables import Totals
    from mlpath.models import Catalog as CatalogModel

    # Given the steps of a long build and how many there are, the same steps: a progress
    # bar's hook (mlpath.output's; domain code never imports Rich).
    Watch = Callable[[Iterable[Any], int], Iterable[Any]]

# Bump when the cache's tables change, so older caches are rebuilt rather than misread.
CACHE_FORMAT = "13"


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
    from mlpath.catalog_quick import MAX_CATALOG_BYTES, plain_from_model

    data = files.read_regular_file(catalog_file, _("catalog"), CatalogError)
    stamp = _stamp(origin, stat)
    text = None
    if len(data) <= MAX_CATALOG_BYTES:
        # utf-8-sig without its codec module: the BOM, if any, then UTF-8.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if text.startswith("\ufeff"):
                text = text[1:]
    if text is None:
        from mlpath.validate import validate_catalog_bytes

        sha256 = sha256_hex(data)
        # It words what is wrong with the bytes.
        catalog = plain_from_model(validate_catalog_bytes(data, catalog_file))
    else:
        from mlpath.catalog_stream import Refused, SideCheck, Unusual

        # Forked before the hashing thread starts: a child gets only the forking thread.
        side = SideCheck.start(text)
        digest = Digest(data, beside=side is not None)
        # A 100,000-resource catalog is tens of MB, as bytes and again as text: each is
        # let go as soon as it has served.
        del data
        try:
            return _write(cache_file, stamp, _streamed(text, stamp, digest, watch, side))
        except Refused:
            quick = None
        except Unusual:
            from mlpath.catalog_quick import quick_catalog

            quick = quick_catalog(text)
        finally:
            if side is not None:
                side.stop()
        sha256 = digest.hex()
        if quick is None:
            # Anything out of the ordinary, errors included: the models decide and
            # explain, as validate_catalog_bytes would once the bytes decode.
            from mlpath.validate import validate_catalog_text

            quick = plain_from_model(validate_catalog_text(text, catalog_file))
        del text
        catalog = quick
    meta = catalog_meta(catalog, stamp, sha256)
    return _write(cache_file, stamp, lambda conn: fill(conn, catalog, meta, watch))


def catalog_meta(catalog: Plain, stamp: str, sha256: str) -> dict[str, str]:
    """The cache's meta table for `catalog`."""
    from mlpath.catalog_quick import keys_of
    from mlpath.catalog_tables import Totals

    totals = Totals()
    totals.add(catalog.resources, keys_of(catalog.resources))
    return totals.meta(stamp, sha256, source_json(catalog.source))


def source_json(source: Mapping[str, Any]) -> str:
    """The catalog's source as the meta table keeps it."""
    import json

    from mlpath.catalog_quick import source_record

    return json.dumps(source_record(source), ensure_ascii=False)


def _write(
    cache_file: str, stamp: str, build: Callable[[sqlite3.Connection], None]
) -> sqlite3.Connection:
    """A connection to the cache `build` writes: sealed in place, or without a writable
    cache directory in memory for this run."""
    if write_sealed(cache_file, build, stamp):
        return _connect_ro(cache_file)
    conn = sqlite3.connect("file::memory:", uri=True, isolation_level=None)
    build(conn)
    return conn


class Digest:
    """The SHA-256 of a catalog's bytes; `beside` the build, on a thread of its own
    (OpenSSL lets go of the GIL while it hashes a big buffer), which holds the only
    reference to the bytes and drops it once hashed."""

    __slots__ = ("_done", "_failed", "_hex")

    def __init__(self, data: bytes, beside: bool = False) -> None:
        self._hex = ""
        self._failed: BaseException | None = None
        self._done = None
        if not beside:
            self._hex = sha256_hex(data)
            return
        # _thread rather than threading, which costs a first run more to import than
        # the thread saves.
        import _thread

        self._done = _thread.allocate_lock()
        self._done.acquire()
        _thread.start_new_thread(self._run, (data,))

    def _run(self, data: bytes) -> None:
        try:
            self._hex = sha256_hex(data)
        except BaseException as exc:  # told to whoever asks for the digest
            self._failed = exc
        finally:
            assert self._done is not None
            self._done.release()

    def hex(self) -> str:
        if self._done is not None:
            with self._done:
                pass
        if self._failed is not None:
            raise self._failed
        return self._hex


def _streamed(
    text: str, stamp: str, digest: Digest, watch: Watch | None, side: SideCheck | None
) -> Callable[[sqlite3.Connection], None]:
    """How to write the cache of `text` a piece at a time (mlpath.catalog_stream)."""
    from mlpath.catalog_stream import stream_catalog

    def finish(totals: Totals, head: dict[str, Any]) -> dict[str, str]:
        return totals.meta(stamp, digest.hex(), source_json(head["source"]))

    def build(conn: sqlite3.Connection) -> None:
        ticker: list[Ticker] = []

        def written(count: int, of: int) -> None:
            # The first piece tells about how many there are; the bar's end is exact.
            if not ticker:
                ticker.append(Ticker(watch, of))
            ticker[0].tick(count - ticker[0].done)

        stream_catalog(conn, text, finish, written if watch is not None else None, side)
        if ticker:
            ticker[0].finish()

    return build


def write_sealed(cache_file: str, fill: Callable[[sqlite3.Connection], None], stamp: str) -> bool:
    """Build a cache file (the catalog's copy, or its search index) with `fill` under a
    temporary name, rename it into place and seal it with `stamp`; False when it cannot.

    Readers never see a half-written cache, and processes rebuilding at the same moment
    each rename a complete file over the other's. The builder holds a lock on its
    temporary file while it works, so a later rebuild can tell the leftovers of a
    killed one (unlocked) from another's work in progress.
    """
    from mlpath.held_files import hold_new

    directory = os.path.dirname(cache_file)
    try:
        files.make_private_dirs(directory)
        if not files.is_trusted_dir(os.stat(directory)):
            return False
        _remove_unsealed(directory)
        held = hold_new(directory, TMP_PREFIX, ".tmp")
    except OSError:
        return False
    try:
        conn = sqlite3.connect(held.path, isolation_level=None)
        try:
            fill(conn)
        finally:
            conn.close()
        os.replace(held.path, cache_file)
        _write_seal(cache_file, os.fstat(held.fd), stamp)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        held.remove()


TMP_PREFIX = ".catalog-"


def _remove_unsealed(directory: str) -> None:
    """Delete what rebuilds killed midway left in the cache directory besides their
    held files (mlpath.held_files removes those): a journal whose file is gone, and a
    seal, which is renamed into place the moment it is written."""
    try:
        names = [n for n in os.listdir(directory) if n.startswith(TMP_PREFIX)]
    except OSError:
        return
    for name in names:
        path = os.path.join(directory, name)
        journal = name.endswith(".tmp-journal") and not os.path.exists(path[: -len("-journal")])
        if journal or name.endswith(".seal"):
            try:
                os.unlink(path)
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
    from mlpath import catalog_tables
    from mlpath.catalog_quick import keys_of
    from mlpath.catalog_stream import PIECE

    # The search index is built by the first search (mlpath.search_index), in a file of
    # its own: most first runs need none, and it costs more than the rest.
    sections = catalog.sections
    resources = catalog.resources
    section_rank = {section["id"]: index for index, section in enumerate(sections)}
    # Path order: sections in their order, resources in file order within each section.
    ordered = sorted(
        range(len(resources)), key=lambda index: (section_rank[resources[index]["section"]], index)
    )
    catalog_tables.begin(conn)
    catalog_tables.write_sections(conn, sections)
    ticker = Ticker(watch, len(resources))
    # A piece at a time, as mlpath.catalog_stream writes them.
    for start in range(0, len(ordered), PIECE):
        piece = [resources[index] for index in ordered[start : start + PIECE]]
        fields = keys_of(piece)
        catalog_tables.write_resources(conn, piece, start, fields)
        catalog_tables.write_links(conn, piece, fields)
        ticker.tick(len(piece))
    catalog_tables.finish(conn, sections, meta)
    ticker.finish()


def index_file_for(cache_file: str) -> str:
    """Where the search index of the catalog cache `cache_file` is kept."""
    return cache_file.removesuffix(".sqlite3") + "-search.sqlite3"


class Ticker:
    """Counts steps of a build through a Watch (a progress bar's hook), if there is one."""

    __slots__ = ("_steps", "left", "total")

    def __init__(self, watch: Watch | None, total: int) -> None:
        self._steps = iter(watch(range(total), total)) if watch is not None else None
        self.total = self.left = total

    @property
    def done(self) -> int:
        return self.total - self.left

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
