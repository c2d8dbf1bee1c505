"""The ordinary valid catalog, checked without pydantic: a plain JSON parse and the
rules of :mod:`mlpath.models` written out by hand.

Importing pydantic and building the models' validators costs a cold first run more than
fifteen bare Python starts, and a catalog that is valid needs none of its error
reporting. So a first run tries this check first; it accepts only what the models
accept, and gives up (None) on anything it does not plainly recognise, from a missing
field to a space at the end of a title, leaving the models to validate it and to word
the problems. Both ways end in the same :class:`Plain` catalog, so the cache built from
it is the same (tests/test_catalog_quick.py compares them).
"""

from __future__ import annotations

# Imported only when a cache is built: json brings re in anyway.
import json
import re
from itertools import chain, repeat
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
        if _catalog_ok(raw):
            return Plain(raw["source"], raw["sections"], raw["resources"])
    except (TypeError, KeyError, AttributeError, IndexError, ValueError, RecursionError):
        pass  # a shape the checks did not foresee is not an ordinary catalog
    return None


def _catalog_ok(raw: Any) -> bool:
    if type(raw) is not dict or not raw.keys() <= CATALOG_KEYS:
        return False
    schema = raw.get("$schema")
    version = raw.get("schema_version")
    if not (schema is None or _encodable(schema)) or type(version) is not int or version != 1:
        return False
    sections = raw.get("sections")
    resources = raw.get("resources")
    if type(sections) is not list or type(resources) is not list or not sections or not resources:
        return False
    source = raw.get("source")
    return (
        _objects([source], SOURCE_RULES)
        and _objects(sections, SECTION_RULES)
        and _objects(resources, RESOURCE_RULES)
        and _lists_ok(resources)
        and _references_ok(sections, resources)
    )


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


def _texts(values: list[Any]) -> bool:
    """models.Text that its whitespace stripping leaves as they are.

    Every character pydantic strips, and every one catalog text may not hold, is
    unprintable except the plain space; so a printable text with no space at either end
    is one the models keep unchanged.
    """
    return (
        _notes(values)
        and min(map(len, values), default=1) > 0
        and (list(map(str.strip, values, repeat(" "))) == values)
    )


def _notes(values: list[Any]) -> bool:
    return (
        _strings(values)
        and all(map(str.isprintable, values))
        and max(map(len, values), default=0) <= MAX_TEXT
    )


def _identifiers(values: list[Any]) -> bool:
    """^[a-z0-9]+(-[a-z0-9]+)*$, 1 to 40 characters each."""
    if not values:
        return True
    if (
        not _strings(values)
        or not 0 < min(map(len, values)) <= max(map(len, values)) <= MAX_IDENTIFIER
    ):
        return False
    joined = "\n".join(values)
    # None can hold a newline, so each starts after one (or at the start) and ends before
    # one (or at the end).
    return (
        joined.isascii()
        and not joined.encode("ascii").translate(None, _IDENTIFIER_BYTES)
        and "--" not in joined
        and "\n-" not in joined
        and "-\n" not in joined
        and joined[0] != "-"
        and joined[-1] != "-"
    )


def _urls(values: list[Any]) -> bool:
    """Links of the common shape mlpath.text_rules accepts without urlsplit; the others
    go to its own check (which may still accept them)."""
    if not _strings(values):
        return False
    plain = (
        all(map(str.isprintable, values))
        and max(map(len, values), default=0) <= MAX_URL
        and set("".join(values)).isdisjoint(_URL_UNSAFE)
    )
    match = _plain_url().fullmatch
    if plain and all(map(match, values)):
        return True
    odd = [v for v in values if not plain or match(v) is None]
    from mlpath.text_rules import url_problem

    return all(url_problem(v) is None for v in odd)


def _plain_url() -> re.Pattern[str]:
    return re.compile(PLAIN_URL, re.DOTALL)


def _flags(values: list[Any]) -> bool:
    return not values or set(map(type, values)) == {bool}


def _minutes(values: list[Any]) -> bool:
    return set(map(type, values)) == {int} and min(values) > 0 and max(values) <= MAX_MINUTES


def _one_of(choices: frozenset[str]) -> Callable[[list[Any]], bool]:
    return lambda values: _strings(values) and set(values) <= choices


def _optional(check: Callable[[list[Any]], bool]) -> Callable[[list[Any]], bool]:
    return lambda values: check([v for v in values if v is not None])


def _objects(objects: list[Any], rules: Rules) -> bool:
    """Each of `objects` a JSON object with only known fields, each field following its
    rule: (name, required, check of every value given)."""
    if set(map(type, objects)) != {dict}:
        return False
    names = rules[0]
    if not names.issuperset(chain.from_iterable(objects)):
        return False
    for name, required, check in rules[1]:
        if required:
            values = list(map(itemgetter(name), objects))  # KeyError: missing
        else:
            values = [o[name] for o in objects if name in o]
        if not check(values):
            return False
    return True


def _lists_ok(resources: list[dict[str, Any]]) -> bool:
    """The fields of resources that hold lists: each a list, every entry valid."""
    for name, check in (
        ("prerequisites", _identifiers),
        ("tags", _identifiers),
        ("alternatives", _identifiers),
        ("aliases", _texts),
    ):
        lists = [r[name] for r in resources if name in r]
        if not lists:
            continue
        if set(map(type, lists)) != {list} or not check(list(chain.from_iterable(lists))):
            return False
    for name, rules, most in (("parts", PART_RULES, MAX_PARTS), ("versions", VERSION_RULES, None)):
        lists = [r[name] for r in resources if name in r]
        if not lists:
            continue
        if set(map(type, lists)) != {list}:
            return False
        if most is not None and max(map(len, lists)) > most:
            return False
        entries = list(chain.from_iterable(lists))
        if entries and not _objects(entries, rules):
            return False
    return True


def _language(values: list[Any]) -> bool:
    """^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$ each."""
    if not _strings(values):
        return False
    return all(map(re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*").fullmatch, values))


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
        ("section", True, _identifiers),
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


def _references_ok(sections: list[dict[str, Any]], resources: list[dict[str, Any]]) -> bool:
    """None of mlpath.validate's problems between entries (cross_reference_problems)."""
    section_ids = set(map(itemgetter("id"), sections))
    ids = set(map(itemgetter("id"), resources))
    if len(section_ids) != len(sections) or len(ids) != len(resources):
        return False  # a duplicate id
    if any(map(str.startswith, ids, repeat(OWN_PREFIX))):
        return False
    if set(map(itemgetter("section"), resources)) != section_ids:
        return False  # a resource in an unknown section, or a section with none
    requires = {r["id"]: r["prerequisites"] for r in resources if r.get("prerequisites")}
    for rid, needs in requires.items():
        if rid in needs or not ids.issuperset(needs):
            return False
    alternatives = {r["id"]: set(r["alternatives"]) for r in resources if r.get("alternatives")}
    for rid, others in alternatives.items():
        if rid in others or not ids.issuperset(others):
            return False
        if any(rid not in alternatives.get(other, ()) for other in others):
            return False  # not listed back
    for r in resources:
        parts = r.get("parts")
        if parts and not _parts_agree(r["minutes"], parts):
            return False
    return not _has_cycle(requires)


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
