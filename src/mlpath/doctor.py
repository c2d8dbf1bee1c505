"""`mlpath doctor`: is the progress store sound, the catalog cache usable, the catalog valid?

Every check reads and nothing writes: the store is opened read-only (as an immutable
file when no write-ahead log is pending, so SQLite creates no -wal or -shm file beside
it), the cache is read, not rebuilt, and a catalog that has to be validated is
validated in memory. Each finding says in plain words what is wrong and what to do.

With `--links`, every link of the catalog is checked too (:mod:`mlpath.links`); that
alone writes, to its own results cache in the cache directory.
"""

from __future__ import annotations

import os

from mlpath import store as store_mod
from mlpath import store_files
from mlpath.catalog import catalog_path
from mlpath.catalog_cache import cache_file_for
from mlpath.db import sqlite3
from mlpath.errors import CatalogError, StoreError
from mlpath.i18n import _, ngettext
from mlpath.os_errors import os_reason
from mlpath.paths import cache_dir, progress_db
from mlpath.record import Record
from mlpath.sqlite_errors import sqlite_reason

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from mlpath.links import LinkResult
    from mlpath.models import Catalog as CatalogModel

OK = "ok"
WARNING = "warning"  # worth knowing, but mlpath copes (and exits 0)
PROBLEM = "problem"  # needs the user to act (exit 1)

STORE = "store"
CACHE = "cache"
CATALOG = "catalog"
# Tables the store's schema has; a store at our version without them is damaged.
STORE_TABLES = ("changes", "current")
MAX_INTEGRITY_MESSAGES = 3


class Finding(Record):
    """One check's outcome: its area, OK/WARNING/PROBLEM, what was found, what to do."""

    __slots__ = ("advice", "area", "level", "message")

    def __init__(self, area: str, level: str, message: str, advice: str = "") -> None:
        self.area = area
        self.level = level
        self.message = message
        self.advice = advice

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "level": self.level,
            "message": self.message,
            "advice": self.advice or None,
        }


class Link(Record):
    """One address of the catalog and every place that uses it (`d2l`, `d2l/3`)."""

    __slots__ = ("places", "url")

    def __init__(self, url: str, places: Sequence[str]) -> None:
        self.url = url
        self.places = tuple(places)


class LinkReport:
    """What `--links` found: a result per distinct address, or that it was offline."""

    __slots__ = ("cached", "links", "offline", "results", "seconds", "timeout")

    def __init__(
        self,
        links: Sequence[Link],
        results: Sequence[LinkResult],
        cached: int,
        offline: bool,
        seconds: float,
        timeout: float,
    ) -> None:
        self.links = tuple(links)
        self.results = tuple(results)
        self.cached = cached
        self.offline = offline
        self.seconds = seconds
        self.timeout = timeout

    @property
    def healthy(self) -> bool:
        """No dead link, and the links could be checked at all."""
        return not self.offline and not any(r.state == "dead" for r in self.results)

    def counts(self) -> dict[str, int]:
        from mlpath.links import STATES

        found = dict.fromkeys(STATES, 0)
        for result in self.results:
            found[result.state] += 1
        return found

    def places(self) -> dict[str, tuple[str, ...]]:
        return {link.url: link.places for link in self.links}

    def to_json(self) -> dict[str, Any]:
        places = self.places()
        return {
            "offline": self.offline,
            "addresses": len(self.links),
            "checked": len(self.results),
            "from_cache": self.cached,
            "seconds": round(self.seconds, 3),
            "timeout": self.timeout,
            "counts": self.counts(),
            "links": [
                {**r.to_json(), "used_by": list(places.get(r.url, ()))} for r in self.results
            ],
        }


class Diagnosis:
    """Everything `mlpath doctor` found, in the order it looked."""

    __slots__ = ("_catalog_model", "cache_file", "catalog_file", "findings", "links", "store_path")

    def __init__(
        self,
        store_path: str,
        catalog_file: str,
        cache_file: str | None,
        findings: Sequence[Finding],
    ) -> None:
        self.store_path = store_path
        self.catalog_file = catalog_file
        self.cache_file = cache_file
        self.findings = tuple(findings)
        self.links: LinkReport | None = None
        # Where the catalog's links are read from: the validated model when the cache was
        # not fresh (it is not rebuilt), else the cache file itself.
        self._catalog_model: CatalogModel | None = None

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.level == PROBLEM]

    @property
    def healthy(self) -> bool:
        return not self.problems and (self.links is None or self.links.healthy)

    @property
    def exit_code(self) -> int:
        """0 when all is well, 1 when something needs doing."""
        return 0 if self.healthy else 1

    @property
    def catalog_readable(self) -> bool:
        return not any(f.area == CATALOG and f.level == PROBLEM for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "store": self.store_path,
            "catalog": self.catalog_file,
            "cache": self.cache_file,
            "findings": [f.to_json() for f in self.findings],
            "links": self.links.to_json() if self.links is not None else None,
        }


def diagnose(catalog_option: str | None = None) -> Diagnosis:
    """Check the store, the catalog cache and the catalog `--catalog` (or the default)
    names. Reads only."""
    findings: list[Finding] = []
    store_path = progress_db()
    findings.extend(check_store(store_path))
    catalog_file = catalog_path(catalog_option)
    chosen = _chosen_by(catalog_option)
    if not os.path.isfile(catalog_file):
        findings.append(_missing_catalog(catalog_file, chosen))
        return Diagnosis(store_path, catalog_file, None, findings)
    cache_file = cache_file_for(os.path.abspath(catalog_file))
    fresh, cache_findings = check_cache(cache_file, catalog_file)
    findings.extend(cache_findings)
    diagnosis = Diagnosis(store_path, catalog_file, cache_file, findings)
    catalog_finding, model = check_catalog(catalog_file, chosen, cache_file if fresh else None)
    findings.append(catalog_finding)
    diagnosis._catalog_model = model
    store_sound = os.path.isfile(store_path) and not any(
        f.area == STORE and f.level == PROBLEM for f in findings
    )
    if store_sound and catalog_finding.level == OK:
        findings.extend(check_history(store_path, catalog_ids(diagnosis)))
    diagnosis.findings = tuple(findings)
    return diagnosis


def check_history(store_path: str, known: set[str]) -> list[Finding]:
    """Progress on resources this catalog lacks: kept, and worth knowing about (it is what
    a mistyped MLPATH_CATALOG or a switch to another path looks like)."""
    try:
        names = history_ids(store_path)
    except sqlite3.DatabaseError:
        return []  # the store's own check has spoken
    missing = sorted(set(names) - known)
    if not missing:
        return []
    listed = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    count = len(missing)
    return [
        Finding(
            STORE,
            OK,
            _(
                "your history names {count} resource{value} this catalog does not "
                "have ({listed}): it is kept, and counts again with a catalog that "
                "has them"
            ).format(count=count, value="s" if count != 1 else "", listed=listed),
        )
    ]


def catalog_ids(diagnosis: Diagnosis) -> set[str]:
    """The keys progress is kept under for the diagnosed catalog: resource ids, and
    RESOURCE/PART-ID for the parts."""
    model = diagnosis._catalog_model
    if model is not None:
        return {r.id for r in model.resources} | {
            f"{r.id}/{p['id']}" for r in model.resources for p in r.parts
        }
    if diagnosis.cache_file is None:
        return set()
    conn = sqlite3.connect(
        store_files.uri(os.path.abspath(diagnosis.cache_file), "mode=ro"), uri=True
    )
    try:
        return {str(row[0]) for row in conn.execute("SELECT id FROM resources")} | {
            str(row[0]) for row in conn.execute("SELECT resource || '/' || id FROM parts")
        }
    finally:
        conn.close()


# --- the progress store ------------------------------------------------------------


def check_store(path: str) -> list[Finding]:
    """The store's file, its integrity, its schema version, and whether it can be written."""
    if not os.path.lexists(path):
        where = _writable_place(os.path.dirname(path))
        absent = [
            Finding(
                STORE,
                OK,
                _(
                    "no progress store yet ({path}): it is made by your first change "
                    "(`mlpath done`, `start`, `skip` or `note`)"
                ).format(path=path),
            )
        ]
        if where is not None:
            absent.append(_unwritable(path, where))
        return absent
    if not os.path.isfile(path):
        return [
            Finding(
                STORE,
                PROBLEM,
                _("progress store {path} is not a file").format(path=path),
                _("move it aside, or set MLPATH_HOME to another directory"),
            )
        ]
    try:
        store_files.check_file(path)
        version, tables, integrity, changes, pending = _read_store_steadily(path)
    except StoreError as exc:
        return [Finding(STORE, PROBLEM, str(exc), _aside_advice(path))]
    except sqlite3.DatabaseError as exc:
        return [
            Finding(
                STORE,
                PROBLEM,
                _("progress store {path} cannot be read as a database: {reason}").format(
                    path=path, reason=sqlite_reason(exc)
                ),
                _aside_advice(path),
            )
        ]
    except OSError as exc:
        return [
            Finding(
                STORE,
                PROBLEM,
                _("progress store {path} cannot be read: {value}").format(
                    path=path, value=os_reason(exc)
                ),
                _("check its permissions, or set MLPATH_HOME to another directory"),
            )
        ]
    if version > store_files.SCHEMA_VERSION:
        return [
            Finding(
                STORE,
                PROBLEM,
                _(
                    "progress store {path} was written by a newer mlpath (schema "
                    "{version}; this one reads up to {SCHEMA_VERSION})"
                ).format(path=path, version=version, SCHEMA_VERSION=store_files.SCHEMA_VERSION),
                _("upgrade mlpath (pip install --upgrade mlpath); the store is left as it is"),
            )
        ]
    if version == 0 and tables:
        return [
            Finding(
                STORE,
                PROBLEM,
                _(
                    "progress store {path} is a database of something else (no mlpath schema)"
                ).format(path=path),
                _("move it aside, or set MLPATH_HOME to another directory"),
            )
        ]
    if integrity != ["ok"]:
        # SQLite may put several messages in one row, under a "*** in database ***" head.
        messages = [
            line.strip()
            for row in integrity
            for line in row.splitlines()
            if line.strip() and not line.startswith("***")
        ]
        shown = "; ".join(messages[:MAX_INTEGRITY_MESSAGES])
        more = len(messages) - MAX_INTEGRITY_MESSAGES
        if more > 0:
            said = _(
                "progress store {path} is damaged: SQLite's integrity check says {shown} "
                "(and {more} more)"
            )
        else:
            said = _("progress store {path} is damaged: SQLite's integrity check says {shown}")
        return [
            Finding(
                STORE,
                PROBLEM,
                said.format(path=path, shown=shown, more=more),
                _(
                    "move it aside to start fresh (mv {path} {path}.broken), then "
                    "`mlpath import` your last export if you have one; sqlite3's "
                    ".recover command may rescue more"
                ).format(path=path),
            )
        ]
    missing = [t for t in STORE_TABLES if t not in tables] if version else []
    if missing:
        return [
            Finding(
                STORE,
                PROBLEM,
                _("progress store {path} lacks its table{count} {join} (schema {version})").format(
                    path=path,
                    count="s" if len(missing) > 1 else "",
                    join=", ".join(missing),
                    version=version,
                ),
                _aside_advice(path),
            )
        ]
    found: list[Finding] = []
    counted = ngettext("{count} change", "{count} changes", changes).format(count=changes)
    if version < store_files.SCHEMA_VERSION:
        found.append(
            Finding(
                STORE,
                OK,
                _(
                    "progress store {path}: intact, {changes}, schema {version} "
                    "(the next mlpath command upgrades it to {SCHEMA_VERSION})"
                ).format(
                    path=path,
                    changes=counted,
                    version=version,
                    SCHEMA_VERSION=store_files.SCHEMA_VERSION,
                ),
            )
        )
    else:
        found.append(
            Finding(
                STORE,
                OK,
                _("progress store {path}: intact, {changes}, schema {version}").format(
                    path=path, changes=counted, version=version
                ),
            )
        )
    if pending:
        found.append(
            Finding(
                STORE,
                WARNING,
                _(
                    "changes are waiting in {path}-wal without its index file (an "
                    "mlpath stopped abruptly?); only the main file was checked"
                ).format(path=path),
                _("the next mlpath command applies them; nothing to do"),
            )
        )
    place = _writable_place(path)
    if place is not None:
        found.append(_unwritable(path, place))
    return found


def _read_store_steadily(path: str, tries: int = 3) -> tuple[int, list[str], list[str], int, bool]:
    """_read_store, again if the file changed meanwhile: read as immutable, a store that
    another mlpath checkpoints under the check could look damaged when it is not."""
    for _i in range(tries - 1):
        before = _state(path)
        try:
            found = _read_store(path)
        except sqlite3.DatabaseError:
            if _state(path) == before:
                raise
            continue
        if found[2] == ["ok"] or _state(path) == before:
            return found
    return _read_store(path)


def _state(path: str) -> tuple[int, int, bool]:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns, os.path.exists(path + "-wal")


def _read_store(path: str) -> tuple[int, list[str], list[str], int, bool]:
    """(user_version, table names, integrity check lines, change count, WAL unread)."""
    conn, unread = _open_store(path)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = [
            str(row[0])
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        integrity: list[str] = []
        try:
            for row in conn.execute("PRAGMA integrity_check"):
                integrity.append(str(row[0]))
        except sqlite3.DatabaseError as exc:
            # The check stops at damage it cannot step over: what it said so far, and why.
            integrity.append(sqlite_reason(exc))
        changes = 0
        if "changes" in tables and integrity == ["ok"]:
            changes = int(conn.execute("SELECT count(*) FROM changes").fetchone()[0])
    finally:
        conn.close()
    return version, tables, integrity, changes, unread


def _open_store(path: str) -> tuple[sqlite3.Connection, bool]:
    """A read-only connection to the store, and whether a write-ahead log is left unread.

    With nothing in the log the main file is the whole database: it is read as immutable,
    and SQLite opens no -wal or -shm beside it. A log in use is read the way any reader
    does, through its index; a log left without one would need it created, so only the
    main file is read then (and the finding says so).
    """
    wal, shm = path + "-wal", path + "-shm"
    pending = os.path.exists(wal) and os.path.getsize(wal) > 0
    live = pending and os.path.exists(shm)
    query = "mode=ro" if live else "immutable=1"
    conn = sqlite3.connect(
        store_files.uri(os.path.abspath(path), query), uri=True, isolation_level=None
    )
    conn.execute(f"PRAGMA busy_timeout = {int(store_mod.BUSY_TIMEOUT_SECONDS * 1000)}")
    return conn, pending and not live


def history_ids(path: str) -> list[str]:
    """Every resource id the store's history names, sorted (read-only, like the checks)."""
    conn, _ = _open_store(path)
    try:
        # Not definitions' keys (parts:ID, goal:), nor the learner's own resources and parts:
        # they are kept with the progress, not looked for in the catalog.
        return [
            str(row[0])
            for row in conn.execute(
                "SELECT DISTINCT resource FROM changes WHERE instr(resource, ':') = 0 "
                "AND resource NOT LIKE 'my-%' AND resource NOT LIKE '%/my-%'"
            )
        ]
    finally:
        conn.close()


def _aside_advice(path: str) -> str:
    return _(
        "move it aside to start fresh (mv {path} {path}.broken); mlpath leaves it untouched"
    ).format(path=path)


def _writable_place(path: str) -> str | None:
    """None if `path` (or the directory it would be made in) can be written, else the
    place that cannot."""
    probe = path
    while not os.path.exists(probe):
        parent = os.path.dirname(probe)
        if parent == probe:
            return None
        probe = parent
    if os.access(probe, os.W_OK) and (
        not os.path.isfile(probe) or os.access(os.path.dirname(probe) or ".", os.W_OK)
    ):
        return None
    return probe


def _unwritable(path: str, place: str) -> Finding:
    return Finding(
        STORE,
        PROBLEM,
        _(
            "progress store {path} cannot be written ({place} is read-only for "
            "you): changes will fail"
        ).format(path=path, place=place),
        _("fix the permissions, or set MLPATH_HOME to a writable directory"),
    )


# --- the catalog cache -------------------------------------------------------------


def check_cache(cache_file: str, catalog_file: str) -> tuple[bool, list[Finding]]:
    """(whether the cache matches the catalog, findings). A stale or missing cache is
    normal (the next command rebuilds it); one that cannot be written is slow."""
    from mlpath import catalog_cache

    found: list[Finding] = []
    fresh = False
    if not os.path.exists(cache_file):
        found.append(
            Finding(
                CACHE,
                OK,
                _("no catalog cache yet ({cache_file}): the next command builds it").format(
                    cache_file=cache_file
                ),
            )
        )
    else:
        try:
            stamp, sha = _read_cache_meta(cache_file)
        except (sqlite3.DatabaseError, OSError, ValueError) as exc:
            found.append(
                Finding(
                    CACHE,
                    WARNING,
                    _("catalog cache {cache_file} cannot be read ({exc})").format(
                        cache_file=cache_file,
                        exc=sqlite_reason(exc)
                        if isinstance(exc, sqlite3.DatabaseError)
                        else os_reason(exc),
                    ),
                    _(
                        "nothing to do: the next command builds it again (if it keeps "
                        "happening, delete {cache_file} and check the disk)"
                    ).format(cache_file=cache_file),
                )
            )
        else:
            stat = os.stat(catalog_file)
            origin = os.path.abspath(catalog_file)
            expected = catalog_cache._stamp(origin, stat)
            same_build = stamp.split("|")[:2] == expected.split("|")[:2]
            if stamp == expected or (same_build and sha == catalog_cache._sha256(origin)):
                fresh = True
                found.append(
                    Finding(
                        CACHE,
                        OK,
                        _("catalog cache {cache_file}: fresh, intact").format(
                            cache_file=cache_file
                        ),
                    )
                )
            elif not same_build:
                found.append(
                    Finding(
                        CACHE,
                        OK,
                        _(
                            "catalog cache {cache_file} was built by another mlpath version: "
                            "the next command builds it again"
                        ).format(cache_file=cache_file),
                    )
                )
            else:
                found.append(
                    Finding(
                        CACHE,
                        OK,
                        _(
                            "catalog cache {cache_file} is older than the catalog: the next "
                            "command validates the catalog again"
                        ).format(cache_file=cache_file),
                    )
                )
    # Rebuilding renames a new file into place: the directory is what must be writable.
    place = _writable_place(os.path.dirname(cache_file))
    if place is not None:
        found.append(
            Finding(
                CACHE,
                WARNING,
                _(
                    "the catalog cache cannot be written ({place} is read-only for "
                    "you), so every command validates the catalog again, which is slow"
                ).format(place=place),
                _("set MLPATH_CACHE_DIR to a writable directory"),
            )
        )
    return fresh, found


def _read_cache_meta(cache_file: str) -> tuple[str, str]:
    # The cache is never in WAL mode: a read-only open creates no file beside it.
    conn = sqlite3.connect(store_files.uri(os.path.abspath(cache_file), "mode=ro"), uri=True)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise ValueError(_("SQLite's check says {check}").format(check=check))
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('stamp', 'sha256')"))
    finally:
        conn.close()
    return str(meta.get("stamp", "")), str(meta.get("sha256", ""))


# --- the catalog -------------------------------------------------------------------


def _chosen_by(option: str | None) -> str:
    if option:
        return "--catalog"
    if os.environ.get("MLPATH_CATALOG"):
        return "MLPATH_CATALOG"
    return "bundled"


def _named(catalog_file: str, chosen: str) -> str:
    if chosen == "bundled":
        return _("the bundled catalog {catalog_file}").format(catalog_file=catalog_file)
    return _("catalog {catalog_file} (from {chosen})").format(
        catalog_file=catalog_file, chosen=chosen
    )


def _missing_catalog(catalog_file: str, chosen: str) -> Finding:
    exists = os.path.exists(catalog_file)
    what = _("is not a file") if exists else _("does not exist")
    advice = {
        "--catalog": _("check the file name given to --catalog"),
        "MLPATH_CATALOG": _("check MLPATH_CATALOG, or unset it to use the bundled catalog"),
        "bundled": _(
            "this installation of mlpath is incomplete: reinstall it (pip "
            "install --force-reinstall mlpath)"
        ),
    }[chosen]
    return Finding(
        CATALOG,
        PROBLEM,
        _("{named} {what}").format(named=_named(catalog_file, chosen), what=what),
        advice,
    )


def check_catalog(
    catalog_file: str, chosen: str, fresh_cache: str | None
) -> tuple[Finding, CatalogModel | None]:
    """The catalog validates: known from a fresh cache (only a valid catalog is cached),
    else validated now, in memory. Returns the model when it had to be validated."""
    named = _named(catalog_file, chosen)
    if fresh_cache is not None:
        try:
            sections, resources, parts = _cache_counts(fresh_cache)
        except sqlite3.DatabaseError:
            pass  # read it the long way below
        else:
            return Finding(
                CATALOG,
                OK,
                _("{named}: valid, {sizes}").format(
                    named=named, sizes=_sizes(sections, resources, parts)
                ),
            ), None
    from mlpath.validate import validate_catalog_bytes

    advice = (
        _("fix the file, then run `mlpath doctor` again")
        if chosen != "bundled"
        else _(
            "this installation of mlpath is damaged: reinstall it (pip install "
            "--force-reinstall mlpath)"
        )
    )
    try:
        with open(catalog_file, "rb") as handle:
            data = handle.read()
        model = validate_catalog_bytes(data, catalog_file)
    except OSError as exc:
        return Finding(
            CATALOG,
            PROBLEM,
            _("{named} cannot be read: {strerror}").format(named=named, strerror=os_reason(exc)),
            advice,
        ), None
    except CatalogError as exc:
        return Finding(CATALOG, PROBLEM, str(exc), advice), None
    parts = sum(len(r.parts) for r in model.resources)
    sizes = _sizes(len(model.sections), len(model.resources), parts)
    return Finding(
        CATALOG, OK, _("{named}: valid, {sizes}").format(named=named, sizes=sizes)
    ), model


def _cache_counts(cache_file: str) -> tuple[int, int, int]:
    conn = sqlite3.connect(store_files.uri(os.path.abspath(cache_file), "mode=ro"), uri=True)
    try:
        return (
            int(conn.execute("SELECT count(*) FROM sections").fetchone()[0]),
            int(conn.execute("SELECT count(*) FROM resources").fetchone()[0]),
            int(conn.execute("SELECT count(*) FROM parts").fetchone()[0]),
        )
    finally:
        conn.close()


def _sizes(sections: int, resources: int, parts: int) -> str:
    return _(", ").join(
        (
            ngettext("{count} section", "{count} sections", sections).format(count=sections),
            ngettext("{count} resource", "{count} resources", resources).format(count=resources),
            ngettext("{count} part", "{count} parts", parts).format(count=parts),
        )
    )


# --- the catalog's links -----------------------------------------------------------


def catalog_links(diagnosis: Diagnosis) -> list[Link]:
    """Every distinct address of the catalog (resource and part urls), in path order,
    with the places that use it. Empty when the catalog could not be read."""
    if not diagnosis.catalog_readable:
        return []
    pairs: list[tuple[str, str]] = []
    model = diagnosis._catalog_model
    if model is not None:
        for r in model.resources:
            if r.url:
                pairs.append((r.url, r.id))
            for number, part in enumerate(r.parts, start=1):
                if part.get("url"):
                    pairs.append((str(part["url"]), f"{r.id}/{number}"))
    elif diagnosis.cache_file is not None:
        pairs = _cached_links(diagnosis.cache_file)
    grouped: dict[str, list[str]] = {}
    for url, place in pairs:
        grouped.setdefault(url, []).append(place)
    return [Link(url, places) for url, places in grouped.items()]


def _cached_links(cache_file: str) -> list[tuple[str, str]]:
    from mlpath.catalog import parts_by_resource

    conn = sqlite3.connect(store_files.uri(os.path.abspath(cache_file), "mode=ro"), uri=True)
    try:
        rows = conn.execute("SELECT id, url FROM resources ORDER BY position").fetchall()
        parts = parts_by_resource(conn)
    finally:
        conn.close()
    pairs: list[tuple[str, str]] = []
    for resource_id, url in rows:
        if url:
            pairs.append((url, resource_id))
        pairs.extend((p.url, p.label) for p in parts.get(resource_id, ()) if p.url)
    return pairs


def check_catalog_links(
    diagnosis: Diagnosis,
    timeout: float | None = None,
    fresh: bool = False,
    on_checked: Callable[[int, int], None] | None = None,
    now: float | None = None,
    **checker: Any,
) -> LinkReport:
    """Check every link of the diagnosed catalog, reusing results of the last day unless
    `fresh`; records the report on the diagnosis. `checker` goes to links.check_links."""
    import time

    from mlpath import links as links_mod

    started = time.monotonic()
    when = time.time() if now is None else now
    wanted = catalog_links(diagnosis)
    cache = links_mod.cache_path(cache_dir())
    known = {} if fresh else links_mod.load_cache(cache, when)
    reused = {link.url: known[link.url] for link in wanted if link.url in known}
    to_check = [link.url for link in wanted if link.url not in reused]
    limit = links_mod.DEFAULT_TIMEOUT if timeout is None else timeout

    def progress(done: int, total: int) -> None:
        if on_checked is not None:
            on_checked(len(reused) + done, len(wanted))

    if on_checked is not None and wanted:
        on_checked(len(reused), len(wanted))
    checked = links_mod.check_links(to_check, limit, on_checked=progress, **checker)
    is_offline = links_mod.offline(checked)
    by_url = {**reused, **{r.url: r for r in checked}}
    # Offline, what the checks got says nothing about the links: none is reported.
    results = [] if is_offline else [by_url[link.url] for link in wanted]
    if checked and not is_offline:
        # Entries for links of other catalogs stay, until they are a day old.
        merged = {**links_mod.load_cache(cache, when), **by_url}
        links_mod.save_cache(cache, merged.values(), time.time() if now is None else now)
    report = LinkReport(
        wanted, results, len(reused), is_offline, time.monotonic() - started, limit
    )
    diagnosis.links = report
    return report
