"""The paths shipped with mlpath: what each holds, and which one this user follows.

`mlpath paths` lists them; `mlpath paths use NAME` writes the user's choice to a small
file in the data directory (mlpath.paths.default_path_file), which
mlpath.catalog.catalog_path reads on every start. Progress lives in one store for every
path, keyed by resource id, and a resource in two paths has one id in both: switching
paths keeps everything done, and what only the other path has waits until you go back.
"""

from __future__ import annotations

import os

from mlpath.catalog import (
    BUNDLED_PATHS,
    DEFAULT_PATH,
    bundled_catalog_path,
    chosen_path_name,
    load_catalog,
)
from mlpath.catalog_cache import open_catalog_db
from mlpath.errors import StoreError, UnknownChoice
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from mlpath.catalog import Catalog


class PathSummary:
    """One bundled path: its name, where it comes from, its size, and your progress on it."""

    __slots__ = ("default", "done", "file", "minutes", "name", "resources", "source")

    def __init__(
        self,
        name: str,
        file: str,
        source: dict[str, object],
        resources: int,
        minutes: int,
        done: int,
        default: bool,
    ) -> None:
        self.name = name
        self.file = file
        self.source = source
        self.resources = resources
        self.minutes = minutes
        self.done = done
        # The user's default (`mlpath paths use`), whatever --catalog says this time.
        self.default = default

    @property
    def title(self) -> str:
        return str(self.source.get("title", ""))

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "source_url": self.source.get("url"),
            "resources": self.resources,
            "minutes": self.minutes,
            "done": self.done,
            "default": self.default,
        }


def names() -> tuple[str, ...]:
    return tuple(BUNDLED_PATHS)


def check_name(name: str) -> str:
    if name not in BUNDLED_PATHS:
        from mlpath.suggest import did_you_mean

        raise UnknownChoice(
            _("unknown path '{name}'{did_you_mean} — the bundled paths are {join}").format(
                name=name, did_you_mean=did_you_mean(name, names()), join=", ".join(names())
            )
        )
    return name


def summary(name: str, statuses: Mapping[str, str], default: str) -> PathSummary:
    """A bundled path's size and how much of it `statuses` has done."""
    file = bundled_catalog_path(name)
    conn = open_catalog_db(file)
    try:
        catalog = load_catalog(conn, file)
    finally:
        conn.close()
    return PathSummary(
        name,
        file,
        catalog.source,
        len(catalog.resources),
        minutes_once(catalog),
        sum(statuses.get(r.id) == "done" for r in catalog.resources),
        name == default,
    )


def minutes_once(catalog: Catalog) -> int:
    """Every resource's estimate, the same material in two places (alternatives) once."""
    counted: set[str] = set()
    total = 0
    for r in catalog.resources:
        if r.id in counted:
            continue
        counted.add(r.id)
        counted.update(catalog.alternatives.get(r.id, ()))
        total += r.minutes
    return total


def summaries(statuses: Mapping[str, str]) -> list[PathSummary]:
    default = chosen_path_name()
    return [summary(name, statuses, default) for name in BUNDLED_PATHS]


def name_of(catalog_file: str) -> str | None:
    """The bundled path a catalog file is, or None for a file of your own."""
    target = os.path.realpath(catalog_file)
    for name in BUNDLED_PATHS:
        if os.path.realpath(bundled_catalog_path(name)) == target:
            return name
    return None


def use(name: str) -> None:
    """Make `name` this user's default path; the default one leaves no file behind."""
    from mlpath import files
    from mlpath.paths import data_dir, default_path_file

    check_name(name)
    where = default_path_file()
    try:
        if name == DEFAULT_PATH:
            if os.path.lexists(where):
                os.unlink(where)
            return
        directory = data_dir()
        files.make_private_dirs(directory)
        files.check_private_dir(directory, _("your default path"), _("set MLPATH_HOME elsewhere"))
        # Written beside it and renamed over it: a reader sees the old name or the new.
        temporary = f"{where}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                os.write(fd, f"{name}\n".encode())
            finally:
                os.close(fd)
            os.replace(temporary, where)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        from mlpath.os_errors import os_reason

        raise StoreError(
            _("cannot record your default path in {where}: {strerror}").format(
                where=where, strerror=os_reason(exc)
            )
        ) from None
