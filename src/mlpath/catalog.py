"""The catalog as everyday commands see it: plain records read from the validated cache.

Validation lives in :mod:`mlpath.validate` (pydantic). This module is on the start-up
path of `mlpath next`, so it imports nothing beyond the standard library's cheapest
modules: plain slotted classes instead of dataclasses, no json, no pathlib.
"""

from __future__ import annotations

import os

from mlpath.errors import (
    AmbiguousResource,
    CatalogError,
    UnknownChoice,
    UnknownPart,
    UnknownResource,
)
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

STATUSES = ("todo", "doing", "done", "skipped")
KINDS = (
    "video",
    "lectures",
    "course",
    "article",
    "book",
    "tutorial",
    "exercises",
    "website",
    "community",
    "cheatsheet",
    "channel",
    "newsletter",
    "publication",
    "guide",
)
# What the ids of the learner's own resources (and own parts) start with; mlpath.own.
OWN_PREFIX = "my-"
# The kind of an own resource, where the catalog says video or book.
OWN_KIND = "own"
# Lists of ids and tags are stored as one text column; neither can contain a newline.
LIST_SEPARATOR = "\n"


def split_list(text: str) -> tuple[str, ...]:
    return tuple(text.split(LIST_SEPARATOR)) if text else ()


class Section:
    __slots__ = ("id", "optional", "summary", "summary_zh", "title", "title_zh", "title_zh_seed")

    def __init__(
        self,
        id: str,
        title: str,
        title_zh: str | None,
        summary: str,
        optional: bool,
        title_zh_seed: str | None = None,
        summary_zh: str | None = None,
    ) -> None:
        self.id = id
        self.title = title
        self.title_zh = title_zh
        self.summary = summary
        self.optional = optional
        self.title_zh_seed = title_zh_seed
        self.summary_zh = summary_zh

    def display_title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def display_summary(self, lang: str = "en") -> str:
        return self.summary_zh if lang == "zh" and self.summary_zh else self.summary

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "title_zh": self.title_zh,
            "title_zh_seed": self.title_zh_seed,
            "summary": self.summary,
            "summary_zh": self.summary_zh,
            "optional": self.optional,
        }


# A resource's language versions are stored as one text column: one version a line, its
# fields split by a tab (catalog text can hold neither).
VERSION_FIELD_SEPARATOR = "\t"


class Version:
    """The resource in another language: a translation, or its videos with subtitles."""

    __slots__ = ("kind", "lang", "source", "title", "url")

    def __init__(self, lang: str, kind: str, title: str, url: str, source: str) -> None:
        self.lang = lang
        self.kind = kind
        self.title = title
        self.url = url
        self.source = source

    def __repr__(self) -> str:
        return f"Version({self.lang!r}, {self.url!r})"

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "source": self.source,
        }


def join_versions(versions: Iterable[Mapping[str, Any]]) -> str:
    """The stored form of a resource's versions (see VERSION_FIELD_SEPARATOR)."""
    return LIST_SEPARATOR.join(
        VERSION_FIELD_SEPARATOR.join((v["lang"], v["kind"], v["title"], v["url"], v["source"]))
        for v in versions
    )


def split_versions(text: str) -> tuple[Version, ...]:
    return tuple(Version(*line.split(VERSION_FIELD_SEPARATOR)) for line in split_list(text))


RESOURCE_COLUMNS = (
    "id, title, title_zh, section, url, url_note, author, kind, cost, free_to_audit, optional, "
    "minutes, minutes_note, prerequisites, description, tags, position, "
    "title_zh_seed, aliases, author_zh, description_zh, versions, url_note_zh, minutes_note_zh"
)
# Extra columns selected after RESOURCE_COLUMNS start at this index.
RESOURCE_WIDTH = RESOURCE_COLUMNS.count(",") + 1


class Resource:
    """One resource of the path; build it with :func:`resource_from_row`."""

    __slots__ = (
        "aliases",
        "author",
        "author_zh",
        "cost",
        "description",
        "description_zh",
        "free_to_audit",
        "id",
        "kind",
        "minutes",
        "minutes_note",
        "minutes_note_zh",
        "optional",
        "position",
        "prerequisites",
        "section",
        "tags",
        "title",
        "title_zh",
        "title_zh_seed",
        "url",
        "url_note",
        "url_note_zh",
        "versions",
    )

    id: str
    title: str
    title_zh: str | None
    section: str
    url: str | None
    url_note: str | None
    author: str | None
    kind: str
    cost: str
    free_to_audit: bool
    optional: bool
    minutes: int
    minutes_note: str | None
    prerequisites: tuple[str, ...]
    description: str
    tags: tuple[str, ...]
    # Whole numbers for the catalog's resources; the learner's own fall between them.
    position: float
    title_zh_seed: str | None
    aliases: tuple[str, ...]
    author_zh: str | None
    description_zh: str | None
    versions: tuple[Version, ...]
    url_note_zh: str | None
    minutes_note_zh: str | None

    def __repr__(self) -> str:
        return f"Resource({self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Resource) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def display_title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def display_description(self, lang: str = "en") -> str:
        return self.description_zh if lang == "zh" and self.description_zh else self.description

    def display_url_note(self, lang: str = "en") -> str | None:
        return self.url_note_zh if lang == "zh" and self.url_note_zh else self.url_note

    def display_minutes_note(self, lang: str = "en") -> str | None:
        return self.minutes_note_zh if lang == "zh" and self.minutes_note_zh else self.minutes_note

    @property
    def own(self) -> bool:
        """Added by the learner (`mlpath add`), not from the catalog: catalog ids never
        start with `my-` (mlpath.validate refuses them)."""
        return self.id.startswith(OWN_PREFIX)

    def version(self, lang: str) -> Version | None:
        """The first version in `lang` (zh also finds zh-Hans, zh-Hant), or None."""
        for v in self.versions:
            if v.lang == lang or v.lang.startswith(f"{lang}-"):
                return v
        return None

    def to_json(self) -> dict[str, Any]:
        """Stable, documented keys for `--json` output."""
        return {
            "id": self.id,
            "title": self.title,
            "title_zh": self.title_zh,
            "title_zh_seed": self.title_zh_seed,
            "aliases": list(self.aliases),
            "section": self.section,
            "url": self.url,
            "author": self.author,
            "author_zh": self.author_zh,
            "kind": self.kind,
            "cost": self.cost,
            "free_to_audit": self.free_to_audit,
            "optional": self.optional,
            "minutes": self.minutes,
            "prerequisites": list(self.prerequisites),
            "tags": list(self.tags),
            "versions": [v.to_json() for v in self.versions],
            "own": self.own,
        }


def resource_from_row(row: Sequence[Any]) -> Resource:
    """Build a Resource from a row selected with RESOURCE_COLUMNS (in that order)."""
    r = Resource()
    (
        r.id,
        r.title,
        r.title_zh,
        r.section,
        r.url,
        r.url_note,
        r.author,
        r.kind,
        r.cost,
        free_to_audit,
        optional,
        r.minutes,
        r.minutes_note,
        prerequisites,
        r.description,
        tags,
        r.position,
        r.title_zh_seed,
        aliases,
        r.author_zh,
        r.description_zh,
        versions,
        r.url_note_zh,
        r.minutes_note_zh,
    ) = row[:RESOURCE_WIDTH]
    r.free_to_audit = bool(free_to_audit)
    r.optional = bool(optional)
    r.prerequisites = split_list(prerequisites)
    r.tags = split_list(tags)
    r.aliases = split_list(aliases)
    r.versions = split_versions(versions) if versions else ()
    return r


class Part:
    """One sitting inside a resource; `position` is 1-based, as people type it (d2l/3)."""

    __slots__ = ("id", "minutes", "position", "resource", "title", "title_zh", "url")

    def __init__(
        self,
        resource: str,
        position: int,
        id: str,
        title: str,
        title_zh: str | None,
        minutes: int,
        url: str | None,
    ) -> None:
        self.resource = resource
        self.position = position
        self.id = id
        self.title = title
        self.title_zh = title_zh
        self.minutes = minutes
        self.url = url

    def __repr__(self) -> str:
        return f"Part({self.resource!r}, {self.position}, {self.id!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Part) and other.resource == self.resource and other.id == self.id

    def __hash__(self) -> int:
        return hash((self.resource, self.id))

    @property
    def label(self) -> str:
        """How a person types it: RESOURCE/N."""
        return f"{self.resource}/{self.position}"

    def display_title(self, lang: str = "en") -> str:
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    @property
    def own(self) -> bool:
        """A part the learner added (`mlpath parts`); catalog part ids never start `my-`."""
        return self.id.startswith(OWN_PREFIX)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.position,
            "title": self.title,
            "title_zh": self.title_zh,
            "minutes": self.minutes,
            "url": self.url,
            "own": self.own,
        }


PART_COLUMNS = "resource, position, id, title, title_zh, minutes, url"


def parts_of(conn: sqlite3.Connection, resource_id: str) -> tuple[Part, ...]:
    """A resource's parts in order (empty when it has none): one primary-key range read."""
    return tuple(
        Part(*row)
        for row in conn.execute(
            f"SELECT {PART_COLUMNS} FROM parts WHERE resource = ? ORDER BY position",
            (resource_id,),
        )
    )


def parts_by_resource(
    conn: sqlite3.Connection, resource_ids: Iterable[str] | None = None
) -> dict[str, tuple[Part, ...]]:
    """Parts of these resources (all of them when None), keyed by resource id; resources
    without parts are absent. For views that show many resources at once."""
    query = f"SELECT {PART_COLUMNS} FROM parts"
    if resource_ids is None:
        batches: list[list[str]] = [[]]
    else:
        wanted = list(dict.fromkeys(resource_ids))
        # Bounded batches: SQLite limits the number of parameters in one statement.
        batches = [wanted[i : i + 500] for i in range(0, len(wanted), 500)]
    grouped: dict[str, list[Part]] = {}
    for batch in batches:
        where = f" WHERE resource IN ({', '.join('?' * len(batch))})" if batch else ""
        for row in conn.execute(f"{query}{where} ORDER BY resource, position", batch):
            grouped.setdefault(row[0], []).append(Part(*row))
    return {rid: tuple(parts) for rid, parts in grouped.items()}


def part_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many parts each resource with parts has."""
    return dict(conn.execute("SELECT resource, count(*) FROM parts GROUP BY resource"))


def alternatives_of(conn: sqlite3.Connection, resource_id: str) -> tuple[str, ...]:
    """Ids of the resources with the same material as this one, in path order."""
    return tuple(
        row[0]
        for row in conn.execute(
            "SELECT a.other FROM alternatives a JOIN resources r ON r.id = a.other "
            "WHERE a.resource = ? ORDER BY r.position",
            (resource_id,),
        )
    )


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def split_part_ref(text: str) -> tuple[str, str | None]:
    """`d2l/3` -> ("d2l", "3"); `d2l` -> ("d2l", None). The resource part is not resolved."""
    resource, sep, part = text.partition("/")
    return resource, (part.strip() if sep else None)


def select_parts(resource_id: str, parts: Sequence[Part], spec: str) -> tuple[Part, ...]:
    """The parts `spec` names: a 1-based number (`3`), a range (`1-4`, `5-` to the end) or a
    part id, as typed after `RESOURCE/`."""
    count = len(parts)
    if not count:
        raise UnknownPart(
            _("{resource_id} has no parts; use `{resource_id}` on its own").format(
                resource_id=resource_id
            )
        )
    text = spec.strip().lower()
    first, dash, last = text.partition("-")
    # ASCII digits only: "³".isdigit() is true, yet int() refuses it.
    if _digits(first) and (not dash or not last or _digits(last)):
        start = int(first)
        end = (int(last) if last else count) if dash else start
        if start < 1:
            raise UnknownPart(
                _("parts of {resource_id} are numbered from 1, not {start}").format(
                    resource_id=resource_id, start=start
                )
            )
        if end < start:
            raise UnknownPart(
                _("'{spec}' runs backwards; write {end}-{start}").format(
                    spec=spec, end=end, start=start
                )
            )
        if end > count:
            raise UnknownPart(
                _("{resource_id} has {count} part{value}; {end} is not one of them").format(
                    resource_id=resource_id, count=count, value="s" if count != 1 else "", end=end
                )
            )
        return tuple(parts[start - 1 : end])
    for part in parts:
        if part.id == text:
            return (part,)
    raise UnknownPart(
        _(
            "{resource_id} has no part '{spec}' — give a number 1-{count}, a range, or a part id"
        ).format(resource_id=resource_id, spec=spec, count=count)
    )


class Catalog:
    """Every section and resource, in path order."""

    def __init__(
        self,
        origin: str,
        source: dict[str, Any],
        sections: tuple[Section, ...],
        resources: tuple[Resource, ...],
        alternatives: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.origin = origin
        # Where the catalog's path comes from: title, author, url.
        self.source = source
        self.sections = sections
        self.resources = resources
        # Resource id -> ids with the same material elsewhere (both directions).
        self.alternatives = alternatives or {}
        self._by_id = {r.id: r for r in resources}
        self._sections = {s.id: s for s in sections}

    def get(self, resource_id: str) -> Resource | None:
        return self._by_id.get(resource_id)

    def section(self, section_id: str) -> Section:
        try:
            return self._sections[section_id]
        except KeyError:
            raise UnknownChoice(
                _("unknown section '{section_id}'").format(section_id=section_id)
            ) from None

    def resolve(self, text: str) -> Resource:
        """The resource an id or unique prefix names (case-insensitive)."""
        return self._by_id[resolve_id(text, self._by_id)]

    def unlocks(self, resource_id: str) -> list[Resource]:
        return [r for r in self.resources if resource_id in r.prerequisites]


def resources_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Resource]:
    """These resources of the catalog cache (own ones too, where they are laid over it),
    by id; ids it lacks are left out. For a command that names a few resources: reading
    the whole catalog costs more than the rest of such a command."""
    wanted = sorted(set(ids))
    found: dict[str, Resource] = {}
    # Bounded batches: SQLite limits the number of parameters in one statement.
    for at in range(0, len(wanted), 500):
        batch = wanted[at : at + 500]
        for row in conn.execute(
            f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id IN "
            f"({', '.join('?' * len(batch))})",
            batch,
        ):
            resource = resource_from_row(row)
            found[resource.id] = resource
    return found


def load_catalog(conn: sqlite3.Connection, origin: str) -> Catalog:
    """Read the whole validated catalog from its cache connection."""
    # Its fields through SQLite's own JSON reader: importing the json package would cost
    # an export more than the rest of its reading (the fields are flat: text, true/false).
    source = {
        key: kind == "true" if kind in ("true", "false") else value
        for key, value, kind in conn.execute(
            "SELECT j.key, j.value, j.type FROM meta, json_each(meta.value) AS j "
            "WHERE meta.key = 'source'"
        )
    }
    sections = load_sections(conn)
    resources = tuple(
        resource_from_row(row)
        for row in conn.execute(f"SELECT {RESOURCE_COLUMNS} FROM resources ORDER BY position")
    )
    alternatives: dict[str, list[str]] = {}
    for resource_id, other in conn.execute(
        "SELECT a.resource, a.other FROM alternatives a JOIN resources r ON r.id = a.other "
        "ORDER BY r.position"
    ):
        alternatives.setdefault(resource_id, []).append(other)
    return Catalog(
        origin, source, sections, resources, {k: tuple(v) for k, v in alternatives.items()}
    )


def resolve_id(text: str, known: Iterable[str]) -> str:
    """Exact id, else a unique case-insensitive prefix; otherwise a helpful error."""
    wanted = text.strip().lower()
    ids = list(known)
    lowered = {i.lower(): i for i in ids}
    if wanted in lowered:
        return lowered[wanted]
    matches = [i for i in ids if i.lower().startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        listed = _(", ").join(sorted(matches)[:10])
        more = _(" and {count} more").format(count=len(matches) - 10) if len(matches) > 10 else ""
        raise AmbiguousResource(
            _("'{text}' matches several resources: {listed}{more}").format(
                text=text, listed=listed, more=more
            )
        )
    raise UnknownResource(unknown_message(text, ids))


def unknown_message(text: str, ids: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(text.strip().lower(), ids, n=3, cutoff=0.6)
    if close:
        quoted = _(" or ").join(f"'{c}'" for c in close)
        return _("unknown resource '{text}' — did you mean {quoted}?").format(
            text=text, quoted=quoted
        )
    return _("unknown resource '{text}' — `mlpath list` shows every id").format(text=text)


def check_choices(kind: str, values: Iterable[str], valid: Sequence[str]) -> None:
    """Refuse filter values that match nothing, listing the valid ones."""
    for value in values:
        if value not in valid:
            from mlpath.suggest import closest

            guess = closest(value, valid)
            # kind is "section", "kind" or "status": words the table headers translate.
            message = _("unknown {kind} '{value}' — choose from: {valid}").format(
                kind=_(kind), value=value, valid=_(", ").join(valid)
            )
            if guess:
                message += _("; did you mean {guess}?").format(guess=guess)
            raise UnknownChoice(message)


# The paths shipped with mlpath, by name: the file each one is in data/. A resource in
# more than one path keeps one id in all of them, so progress carries over on a switch.
BUNDLED_PATHS = {"2022": "resources.json", "2025": "resources-2025.json"}
DEFAULT_PATH = "2022"


def bundled_catalog_path(name: str = DEFAULT_PATH) -> str:
    """The file of a bundled path (data/resources.json in the wheel for the default one)."""
    filename = BUNDLED_PATHS[name]
    import mlpath

    spec = mlpath.__spec__
    if spec is not None and spec.origin and os.path.isfile(spec.origin):
        # A package on disk: an installed wheel keeps its resource files beside it,
        # which is where importlib.resources.files() would look, minus the cost of
        # importing importlib.resources on every start. A source tree (a checkout, an
        # unpacked sdist, an editable install of either) keeps them in data/ at its top.
        package = os.path.dirname(spec.origin)
        installed = os.path.join(package, "data", filename)
        if os.path.exists(installed):
            return installed
        in_tree = os.path.join(package, os.pardir, os.pardir, "data", filename)
        return os.path.normpath(in_tree) if os.path.exists(in_tree) else installed
    from importlib.resources import files

    return str(files("mlpath") / "data" / filename)


def chosen_path_name() -> str:
    """The bundled path this user follows: the one `mlpath paths use` chose, else 2022.

    On the start-up path of every command, so it costs one small read and no more.
    """
    from mlpath.files import NotRegular, open_regular
    from mlpath.paths import default_path_file

    where = default_path_file()
    try:
        # A regular file only: reading a FIFO left there would wait for ever.
        fd, _info = open_regular(where)
    except FileNotFoundError:
        return DEFAULT_PATH
    except OSError as exc:
        from mlpath.os_errors import os_reason

        why = (
            _("it is {kind}").format(kind=exc.kind)
            if isinstance(exc, NotRegular)
            else os_reason(exc)
        )
        raise CatalogError(
            _(
                "cannot read {where}, which names your default path ({why}); "
                "remove it to follow the {DEFAULT_PATH} path"
            ).format(where=where, why=why, DEFAULT_PATH=DEFAULT_PATH)
        ) from None
    try:
        raw = os.read(fd, 64)
    finally:
        os.close(fd)
    name = raw.decode("utf-8", "replace").strip()
    if name not in BUNDLED_PATHS:
        raise CatalogError(
            _(
                "{where} names '{name}' as your default path, which is not one of "
                "the bundled paths ({join}); run `mlpath paths use {DEFAULT_PATH}`"
            ).format(
                where=where, name=name, join=", ".join(BUNDLED_PATHS), DEFAULT_PATH=DEFAULT_PATH
            )
        )
    return name


def catalog_path(option: str | os.PathLike[str] | None = None) -> str:
    """`--catalog`, else MLPATH_CATALOG, else the bundled path this user chose.

    Either of the first two is a bundled path's name (a bare word such as `2025`) or a
    catalog file; a name wins over a file of the same name in the current directory
    (write ./2025 for the file).
    """
    chosen = os.fspath(option) if option else os.environ.get("MLPATH_CATALOG")
    if chosen:
        if chosen in BUNDLED_PATHS:
            return bundled_catalog_path(chosen)
        return os.path.expanduser(chosen)
    return bundled_catalog_path(chosen_path_name())


class Filters:
    """What `mlpath list` narrows the path to; an empty filter keeps everything."""

    def __init__(
        self,
        sections: Sequence[str] = (),
        cost: str | None = None,
        kinds: Sequence[str] = (),
        optional: bool | None = None,
        statuses: Sequence[str] = (),
    ) -> None:
        self.sections = tuple(sections)
        self.cost = cost
        self.kinds = tuple(kinds)
        self.optional = optional
        self.statuses = tuple(statuses)

    def check(self, catalog: Catalog) -> None:
        self.check_sections([s.id for s in catalog.sections])

    def check_sections(self, section_ids: Sequence[str]) -> None:
        """Refuse values that match nothing (`section_ids`: the catalog's sections)."""
        check_choices("section", self.sections, section_ids)
        check_choices("kind", self.kinds, (*KINDS, OWN_KIND))
        check_choices("status", self.statuses, STATUSES)

    def select(self, catalog: Catalog, statuses: dict[str, str]) -> list[Resource]:
        self.check(catalog)
        return [
            r
            for r in catalog.resources
            if (not self.sections or r.section in self.sections)
            and (self.cost is None or r.cost == self.cost)
            and (not self.kinds or r.kind in self.kinds)
            and (self.optional is None or r.optional == self.optional)
            and (not self.statuses or statuses.get(r.id, "todo") in self.statuses)
        ]


_SECTION_COLUMNS = "id, title, title_zh, summary, optional, title_zh_seed, summary_zh"


def _section(row: Sequence[Any]) -> Section:
    return Section(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])


def load_sections(conn: sqlite3.Connection) -> tuple[Section, ...]:
    """Every section, in path order, from the catalog cache."""
    return tuple(
        _section(row)
        for row in conn.execute(f"SELECT {_SECTION_COLUMNS} FROM sections ORDER BY position")
    )


def section_by_id(conn: sqlite3.Connection, section_id: str) -> Section:
    """One section of the catalog cache, by id."""
    row = conn.execute(
        f"SELECT {_SECTION_COLUMNS} FROM sections WHERE id = ?", (section_id,)
    ).fetchone()
    if row is None:
        raise UnknownChoice(_("unknown section '{section_id}'").format(section_id=section_id))
    return _section(row)


def find_resource(conn: sqlite3.Connection, text: str) -> Resource:
    """The resource an id or unique prefix names (case-insensitive), as Catalog.resolve
    finds it, reading only the rows it needs: one by id, or the ids that share the
    prefix; every id only to explain a miss."""
    query = f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id = ?"
    wanted = text.strip().lower()
    # Ids are lower-case ASCII: anything else cannot name one exactly.
    if wanted and wanted.isascii():
        row = conn.execute(query, (wanted,)).fetchone()
        if row is not None:
            return resource_from_row(row)
        upper = wanted[:-1] + chr(ord(wanted[-1]) + 1)
        prefixed = conn.execute(
            "SELECT id FROM resources WHERE id >= ? AND id < ? LIMIT 2", (wanted, upper)
        ).fetchall()
        if len(prefixed) == 1:
            return resource_from_row(conn.execute(query, prefixed[0]).fetchone())
    ids = [row[0] for row in conn.execute("SELECT id FROM resources ORDER BY position")]
    return resource_from_row(conn.execute(query, (resolve_id(text, ids),)).fetchone())


# Every id the learner's own resources can have sorts in [OWN_PREFIX, OWN_BOUND): a
# range the primary key answers, empty when the store defines none.
OWN_BOUND = OWN_PREFIX[:-1] + chr(ord(OWN_PREFIX[-1]) + 1)


def own_resources(conn: sqlite3.Connection) -> list[Resource]:
    """The learner's own resources as the overlay shows them (none without it)."""
    return [
        resource_from_row(row)
        for row in conn.execute(
            f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE id >= ? AND id < ? ORDER BY position",
            (OWN_PREFIX, OWN_BOUND),
        )
    ]
