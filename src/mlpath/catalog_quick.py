"""The ordinary valid catalog, checked without pydantic: a plain JSON parse and the
rules of :mod:`mlpath.models` written out by hand.

Importing pydantic and building the models' validators costs a cold first run more than
fifteen bare Python starts, and a catalog that is valid needs none of its error
reporting. So a first run tries this check first; it accepts only what the models
accept, and gives up (None) on anything it does not plainly recognise, from a missing
field to a space at the end of a title, leaving the models to validate it and to word
the problems. Both ways end in the same :class:`Plain` catalog, so the cache built from
it is the same (tests/test_catalog_quick.py compares them).

A first run applies the same rules to a few resources at a time as it reads them
(:class:`Resources`, mlpath.catalog_stream); quick_catalog, to a whole catalog whose
layout that reading does not take.
"""

from __future__ import annotations

# Imported only when a cache is built: json brings re in anyway.
import json
import re
from itertools import chain, compress, repeat, starmap
from operator import itemgetter

from mlpath.catalog import KINDS, OWN_PREFIX

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    # The fields an object may have; each (name, required, check of all values given).
    Rules = tuple[frozenset[str], tuple[tuple[str, bool, Callable[[list[Any]], bool]], ...]]

    from mlpath.models import Catalog as CatalogModel

# Kept in step with mlpath.models (tests/test_catalog_quick.py compares them).
MAX_MINUTES = 1_000_000
MAX_PARTS = 500
MAX_TEXT = 2000
MAX_URL = 2048
MAX_IDENTIFIER = 40
# As mlpath.validate refuses them, before anything is parsed.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
COSTS = ("free", "paid")
VERSION_KINDS = ("official translation", "community translation", "subtitles")

CATALOG_KEYS = frozenset({"$schema", "schema_version", "source", "sections", "resources"})
SOURCE_KEYS = frozenset(
    {"title", "title_zh", "author", "url", "translation_url", "is_translation", "note"}
)
SECTION_KEYS = frozenset(
    {"id", "title", "title_zh", "title_zh_seed", "summary", "summary_zh", "optional"}
)
RESOURCE_KEYS = frozenset(
    {
        "id",
        "title",
        "title_zh",
        "title_zh_seed",
        "aliases",
        "section",
        "url",
        "url_note",
        "url_note_zh",
        "author",
        "author_zh",
        "kind",
        "cost",
        "free_to_audit",
        "optional",
        "minutes",
        "minutes_note",
        "minutes_note_zh",
        "prerequisites",
        "description",
        "description_zh",
        "tags",
        "parts",
        "parts_source",
        "alternatives",
        "versions",
    }
)
PART_KEYS = frozenset({"id", "title", "title_zh", "minutes", "url"})
VERSION_KEYS = frozenset({"lang", "title", "url", "kind", "source"})

_IDENTIFIER_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789-\n"
# What mlpath.text_rules refuses in a link besides unprintable characters.
_URL_UNSAFE = frozenset(' <>"{}|\\^`')
# mlpath.text_rules._PLAIN_URL, whose module costs a first run more to import than all
# of this one: a lowercase scheme and host of plain labels, then anything.
_HOST_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
PLAIN_URL = rf"https?://{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?:[/?#].*)?"
# What PLAIN_URL takes between the scheme's slashes and the next slash (_plain_hosts).
PLAIN_HOST = rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*(?:[?#].*)?"
_LABEL_BYTES = b"abcdefghijklmnopqrstuvwxyz0123456789_-"


class Plain:
    """A valid catalog as the cache is built from it: the file's own objects, absent
    optional fields left absent (readers supply the models' defaults)."""

    __slots__ = ("resources", "sections", "source")

    def __init__(
        self,
        source: Mapping[str, Any],
        sections: Sequence[Mapping[str, Any]],
        resources: Sequence[Mapping[str, Any]],
    ) -> None:
        self.source = source
        self.sections = sections
        self.resources = resources


def plain_from_model(model: CatalogModel) -> Plain:
    """The same catalog from the models, for what this check left to them."""
    dumped = model.model_dump()
    return Plain(dumped["source"], dumped["sections"], dumped["resources"])


def source_record(source: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of the source, defaults included, in the models' order: the cache
    keeps it as JSON text, which must not depend on which check built the cache."""
    return {
        "title": source["title"],
        "title_zh": source.get("title_zh"),
        "author": source["author"],
        "url": source["url"],
        "translation_url": source.get("translation_url"),
        "is_translation": source.get("is_translation", False),
        "note": source.get("note"),
    }


def quick_catalog(text: str) -> Plain | None:
    """The catalog in `text` if it is plainly valid, else None (validate it with
    :mod:`mlpath.validate`, which also says what is wrong)."""
    if len(text) > MAX_CATALOG_BYTES:
        return None
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        # Not JSON, or an integer too long for int(): both worded by validate.
        return None
    try:
        if type(raw) is not dict or not head_ok(raw):
            return None
        resources = raw.get("resources")
        if type(resources) is not list or not resources:
            return None
        check = Resources(raw["sections"])
        if check.add(resources, keys_of(resources)) and check.done():
            return Plain(raw["source"], raw["sections"], resources)
    except NOT_ORDINARY:
        pass  # a shape the checks did not foresee is not an ordinary catalog
    return None


# What a check may raise on a shape it did not foresee (a number for a list, say): the
# catalog is then not an ordinary one.
NOT_ORDINARY = (TypeError, KeyError, AttributeError, IndexError, ValueError, RecursionError)


def head_ok(raw: Mapping[str, Any]) -> bool:
    """The catalog object apart from its resources: known fields, its schema and version,
    source and sections."""
    if not raw.keys() <= CATALOG_KEYS:
        return False
    schema = raw.get("$schema")
    version = raw.get("schema_version")
    if not (schema is None or _encodable(schema)) or type(version) is not int or version != 1:
        return False
    sections = raw.get("sections")
    if type(sections) is not list or not sections:
        return False
    return _objects([raw.get("source")], SOURCE_RULES) and sections_ok(sections)


def sections_ok(sections: list[Any]) -> bool:
    """Each section valid, no id twice."""
    if not _objects(sections, SECTION_RULES):
        return False
    return len(set(map(itemgetter("id"), sections))) == len(sections)


class Resources:
    """The check of a catalog's resources, given a few at a time (in any order): each
    piece's own rules as it comes, what holds between them once all are in."""

    __slots__ = ("_alternatives", "_count", "_ids", "_requires", "_sections", "_used")

    def __init__(self, sections: Iterable[Mapping[str, Any]]) -> None:
        self._sections = set(map(itemgetter("id"), sections))
        self._ids: set[str] = set()
        self._count = 0
        self._used: set[str] = set()
        self._requires: dict[str, list[str]] = {}
        self._alternatives: dict[str, list[str]] = {}

    def add(
        self,
        resources: list[Any],
        fields: set[str],
        columns: dict[str, list[Any]] | None = None,
    ) -> bool:
        """Whether each of `resources` is valid on its own; `fields`: every field any of
        them has (keys_of). Each required field's values are left in `columns`, for
        what is made of them next (mlpath.catalog_tables)."""
        if not resources:
            return True
        if columns is None:
            columns = {}
        if not (
            _objects(resources, RESOURCE_RULES, fields, columns) and _lists_ok(resources, fields)
        ):
            return False
        ids = columns["id"]
        joined = "\n".join(ids)
        if joined.startswith(OWN_PREFIX) or f"\n{OWN_PREFIX}" in joined:
            return False
        self._ids.update(ids)
        self._count += len(ids)
        self._used.update(columns["section"])
        get = dict.get
        for name, into in (
            ("prerequisites", self._requires),
            ("alternatives", self._alternatives),
        ):
            if name in fields:
                lists = list(map(get, resources, repeat(name), repeat(NO_LIST)))
                into.update(compress(zip(ids, lists, strict=True), lists))
        if "parts" in fields:
            parts = list(map(get, resources, repeat("parts"), repeat(NO_LIST)))
            minutes = columns["minutes"]
            if not all(starmap(_parts_agree, compress(zip(minutes, parts, strict=True), parts))):
                return False
        return True

    def done(self) -> bool:
        """None of mlpath.validate's problems between entries (cross_reference_problems),
        once every resource has been added."""
        ids = self._ids
        if len(ids) != self._count:
            return False  # a duplicate id
        if self._used != self._sections:
            return False  # a resource in an unknown section, or a section with none
        for rid, needs in self._requires.items():
            if rid in needs or not ids.issuperset(needs):
                return False
        alternatives = {rid: set(others) for rid, others in self._alternatives.items()}
        for rid, others in alternatives.items():
            if rid in others or not ids.issuperset(others):
                return False
            if any(rid not in alternatives.get(other, ()) for other in others):
                return False  # not listed back
        return not _has_cycle(self._requires)


NO_LIST: list[Any] = []


def keys_of(objects: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every field that one or more of `objects` has."""
    return set(chain.from_iterable(objects))


# Each check looks at one field across every object at once, through C-level map(),
# set() and join(): a 100,000-resource catalog is checked in a fraction of the time
# one Python call per field would take.


def _encodable(value: Any) -> bool:
    """Any string pydantic takes as text (a lone surrogate is left to it)."""
    if type(value) is not str:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _strings(values: list[Any]) -> bool:
    return not values or set(map(type, values)) == {str}


# Each text check joins a field's values with newlines, which no valid value holds, and
# looks at the one text: a few C-level passes however many values there are. join()
# refuses what is not a string (TypeError: not an ordinary catalog).


def _lines(values: list[Any]) -> tuple[str, bool]:
    """`values` joined by newlines, and whether each is printable (so holds none)."""
    joined = "\n".join(values)
    if joined.count("\n") != len(values) - 1:
        return joined, False
    if joined.isascii():
        # Printable ASCII is a space to a tilde: translate() deletes those (and the
        # newlines between values) several times faster than isprintable() reads them.
        return joined, not joined.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return joined, all(map(str.isprintable, values))


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
# What may stand in a link of the common shape, and between links.
_URL_ASCII = bytes(c for c in _PRINTABLE_ASCII if chr(c) not in _URL_UNSAFE)


def _texts(values: list[Any]) -> bool:
    """models.Text that its whitespace stripping leaves as they are.

    Every character pydantic strips, and every one catalog text may not hold, is
    unprintable except the plain space; so a printable text with no space at either end
    is one the models keep unchanged.
    """
    if not values:
        return True
    joined, printable = _lines(values)
    return (
        printable
        and max(map(len, values)) <= MAX_TEXT
        # None empty, none with a space at either end.
        and joined[:1] not in ("", "\n", " ")
        and joined[-1] not in ("\n", " ")
        and "\n\n" not in joined
        and " \n" not in joined
        and "\n " not in joined
    )


def _notes(values: list[Any]) -> bool:
    return not values or (_lines(values)[1] and max(map(len, values)) <= MAX_TEXT)


def _identifiers(values: list[Any]) -> bool:
    """^[a-z0-9]+(-[a-z0-9]+)*$, 1 to 40 characters each."""
    if not values:
        return True
    joined = "\n".join(values)
    if not joined.isascii() or max(map(len, values)) > MAX_IDENTIFIER:
        return False
    data = joined.encode("ascii")
    # Only the newlines between values, so each starts after one (or at the start) and
    # ends before one (or at the end).
    return (
        not data.translate(None, _IDENTIFIER_BYTES)
        and data.count(b"\n") == len(values) - 1
        and data[:1] not in (b"", b"\n", b"-")
        and data[-1:] not in (b"\n", b"-")
        and b"\n\n" not in data
        and b"--" not in data
        and b"\n-" not in data
        and b"-\n" not in data
    )


def _urls(values: list[Any]) -> bool:
    """Links of the common shape mlpath.text_rules accepts without urlsplit; the others
    go to its own check (which may still accept them)."""
    if not values:
        return True
    joined, printable = _lines(values)
    plain = printable and max(map(len, values)) <= MAX_URL
    if plain and joined.isascii():
        plain = not joined.encode("ascii").translate(None, _URL_ASCII)
    elif plain:
        plain = not any(map(joined.__contains__, _URL_UNSAFE))
    if plain and _plain_hosts(values):
        return True
    match = _plain_url().fullmatch
    odd = [v for v in values if not plain or match(v) is None]
    from mlpath.text_rules import url_problem

    return all(url_problem(v) is None for v in odd)


def _plain_hosts(values: list[str]) -> bool:
    """Whether each of `values` fully matches PLAIN_URL, checking each host once.

    A link of that shape is https:// or http://, then up to the next slash a host of
    plain labels that may be followed by ? or # and anything (PLAIN_HOST); after that,
    anything.
    """
    if not all(map(str.startswith, values, repeat(("https://", "http://")))):
        return False
    parts = map(str.split, values, repeat("/"), repeat(3))
    return all(map(_plain_host, set(map(itemgetter(2), parts))))


def _plain_host(host: str) -> bool:
    """PLAIN_HOST, by hand: compiling it costs a first run more than all its hosts."""
    ends = [at for at in (host.find("?"), host.find("#")) if at >= 0]
    name = host[: min(ends)] if ends else host
    if not name.isascii():
        return False
    for label in name.split("."):
        if not 0 < len(label) <= 63 or label[0] == "-" or label[-1] == "-":
            return False
        if label.encode("ascii").translate(None, _LABEL_BYTES):
            return False
    return True


def _plain_url() -> re.Pattern[str]:
    return re.compile(PLAIN_URL, re.DOTALL)


def _flags(values: list[Any]) -> bool:
    return not values or set(map(type, values)) == {bool}


def _minutes(values: list[Any]) -> bool:
    return set(map(type, values)) == {int} and min(values) > 0 and max(values) <= MAX_MINUTES


def _one_of(choices: frozenset[str]) -> Callable[[list[Any]], bool]:
    # Only strings are among the choices (an unhashable value: TypeError).
    return lambda values: set(values) <= choices


def _distinct(check: Callable[[list[Any]], bool]) -> Callable[[list[Any]], bool]:
    """`check` of each value once, for a field most objects share a few values of (an
    unhashable value is no text: TypeError)."""
    return lambda values: check(list(set(values)))


def _optional(check: Callable[[list[Any]], bool]) -> Callable[[list[Any]], bool]:
    return lambda values: check([v for v in values if v is not None])


def _objects(
    objects: list[Any],
    rules: Rules,
    fields: set[str] | None = None,
    columns: dict[str, list[Any]] | None = None,
) -> bool:
    """Each of `objects` a JSON object with only known fields, each field following its
    rule: (name, required, check of every value given); `fields`, if known: every field
    any of them has. Each required field's values are left in `columns`."""
    if set(map(type, objects)) != {dict}:
        return False
    if fields is None:
        fields = keys_of(objects)
    if not rules[0].issuperset(fields):
        return False
    for name, required, check in rules[1]:
        if required:
            values = list(map(itemgetter(name), objects))  # KeyError: missing
            if columns is not None:
                columns[name] = values
        elif name in fields:
            values = [o[name] for o in objects if name in o]
        else:
            continue  # what no object has passes every rule (tests/test_catalog_quick.py)
        if not check(values):
            return False
    return True


def _lists_ok(resources: list[dict[str, Any]], fields: set[str]) -> bool:
    """The fields of resources that hold lists: each a list, every entry valid."""
    for name, check in (
        ("prerequisites", _identifiers),
        ("tags", _identifiers),
        ("alternatives", _identifiers),
        ("aliases", _texts),
    ):
        if name not in fields:
            continue
        # An absent list counts as empty; each entry is checked once, however often given
        # (tags repeat): an unhashable one is no text (TypeError).
        lists = list(map(dict.get, resources, repeat(name), repeat(NO_LIST)))
        if set(map(type, lists)) != {list} or not check(list(set(chain.from_iterable(lists)))):
            return False
    for name, rules, most in (("parts", PART_RULES, MAX_PARTS), ("versions", VERSION_RULES, None)):
        if name not in fields:
            continue
        lists = list(map(dict.get, resources, repeat(name), repeat(NO_LIST)))
        if set(map(type, lists)) != {list}:
            return False
        if most is not None and max(map(len, lists)) > most:
            return False
        entries = list(chain.from_iterable(lists))
        if entries and not _objects(entries, rules):
            return False
    return True


def _language(values: list[Any]) -> bool:
    """^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$ each: by hand, as compiling that pattern costs a
    first run more than checking every tag (an unhashable value: TypeError)."""
    for tag in set(values):
        if type(tag) is not str or not tag.isascii():
            return False
        head, *rest = tag.split("-")
        if not (2 <= len(head) <= 3 and head.isalpha() and head.islower()):
            return False
        if not all(2 <= len(part) <= 8 and part.isalnum() for part in rest):
            return False
    return True


_optional_texts = _optional(_texts)
_optional_notes = _optional(_notes)
_optional_urls = _optional(_urls)

SOURCE_RULES: Rules = (
    SOURCE_KEYS,
    (
        ("title", True, _texts),
        ("title_zh", False, _optional_texts),
        ("author", True, _texts),
        ("url", True, _urls),
        ("translation_url", False, _optional_urls),
        ("is_translation", False, _flags),
        ("note", False, _optional_notes),
    ),
)
SECTION_RULES: Rules = (
    SECTION_KEYS,
    (
        ("id", True, _identifiers),
        ("title", True, _texts),
        ("title_zh", False, _optional_texts),
        ("title_zh_seed", False, _optional_texts),
        ("summary", True, _texts),
        ("summary_zh", False, _optional_texts),
        ("optional", False, _flags),
    ),
)
# The fields holding lists are _lists_ok's.
RESOURCE_RULES: Rules = (
    RESOURCE_KEYS,
    (
        ("id", True, _identifiers),
        ("title", True, _texts),
        ("title_zh", False, _optional_texts),
        ("title_zh_seed", False, _optional_texts),
        ("section", True, _distinct(_identifiers)),
        ("url", True, _optional_urls),
        ("url_note", False, _optional_notes),
        ("url_note_zh", False, _optional_notes),
        ("author", False, _optional_texts),
        ("author_zh", False, _optional_texts),
        ("kind", True, _one_of(frozenset(KINDS))),
        ("cost", True, _one_of(frozenset(COSTS))),
        ("free_to_audit", False, _flags),
        ("optional", False, _flags),
        ("minutes", True, _minutes),
        ("minutes_note", False, _optional_notes),
        ("minutes_note_zh", False, _optional_notes),
        ("description", True, _texts),
        ("description_zh", False, _optional_texts),
        ("parts_source", False, _optional_notes),
    ),
)
PART_RULES: Rules = (
    PART_KEYS,
    (
        ("id", True, _identifiers),
        ("title", True, _texts),
        ("title_zh", False, _optional_texts),
        ("minutes", True, _minutes),
        ("url", False, _optional_urls),
    ),
)
VERSION_RULES: Rules = (
    VERSION_KEYS,
    (
        ("lang", True, _language),
        ("title", True, _texts),
        ("url", True, _urls),
        ("kind", True, _one_of(frozenset(VERSION_KINDS))),
        ("source", True, _notes),
    ),
)


def _parts_agree(minutes: int, parts: Iterable[Mapping[str, Any]]) -> bool:
    """Part ids unique, not all digits, not an own id; minutes the sum of the parts'."""
    seen: set[str] = set()
    total = 0
    for part in parts:
        pid = part["id"]
        if pid in seen or pid.isdigit() or pid.startswith(OWN_PREFIX):
            return False
        seen.add(pid)
        total += part["minutes"]
    return total == minutes


def _has_cycle(requires: Mapping[str, Iterable[str]]) -> bool:
    """Whether prerequisites go round in a circle: Kahn's algorithm leaves some over."""
    if not requires:
        return False
    unlocks: dict[str, list[str]] = {}
    waiting: dict[str, int] = {}
    for rid, needs in requires.items():
        distinct = set(needs)
        waiting[rid] = len(distinct)
        for need in distinct:
            unlocks.setdefault(need, []).append(rid)
    ready = [rid for rid in unlocks if rid not in waiting]
    while ready:
        for rid in unlocks.get(ready.pop(), ()):
            waiting[rid] -= 1
            if not waiting[rid]:
                del waiting[rid]
                ready.append(rid)
    return bool(waiting)
