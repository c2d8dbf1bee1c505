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

from mlpath.catalog import KINDS, OWN_PREFIX

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

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

_IDENTIFIER_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-"
_HOST_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-"
_LANG_SUBTAG_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_URL_UNSAFE = ' <>"{}|\\^`'


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


def quick_catalog(data: bytes) -> Plain | None:
    """The catalog in `data` if it is plainly valid, else None (validate it with
    :mod:`mlpath.validate`, which also says what is wrong)."""
    if len(data) > MAX_CATALOG_BYTES:
        return None
    try:
        import json

        raw = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        # Not UTF-8, not JSON, or an integer too long for int(): all worded by validate.
        return None
    try:
        if _catalog_ok(raw):
            return Plain(raw["source"], raw["sections"], raw["resources"])
    except (TypeError, KeyError, AttributeError, RecursionError):
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
    return (
        _source_ok(raw.get("source"))
        and all(_section_ok(s) for s in sections)
        and all(_resource_ok(r) for r in resources)
        and _references_ok(sections, resources)
    )


def _encodable(value: Any) -> bool:
    """Any string pydantic takes as text: JSON can spell a lone surrogate, which it refuses."""
    if type(value) is not str:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(value: Any) -> bool:
    """A models.Text that its whitespace stripping leaves as it is.

    Every character pydantic strips, and every one catalog text may not hold, is
    unprintable except the plain space; so a printable text with no space at either end
    is one the models keep unchanged.
    """
    return (
        type(value) is str
        and 0 < len(value) <= MAX_TEXT
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
    )


def _optional_text(value: Any) -> bool:
    return value is None or _text(value)


def _note(value: Any) -> bool:
    return type(value) is str and len(value) <= MAX_TEXT and value.isprintable()


def _optional_note(value: Any) -> bool:
    return value is None or _note(value)


def _identifier(value: Any) -> bool:
    """^[a-z0-9]+(-[a-z0-9]+)*$, 1 to 40 characters."""
    return (
        type(value) is str
        and 0 < len(value) <= MAX_IDENTIFIER
        and not value.strip(_IDENTIFIER_CHARS)
        and value[0] != "-"
        and value[-1] != "-"
        and "--" not in value
    )


def _identifiers(value: Any) -> bool:
    return type(value) is list and all(_identifier(v) for v in value)


def _url(value: Any) -> bool:
    """A link of the common shape mlpath.text_rules accepts without urlsplit; any other
    goes to its own check (which may still accept it)."""
    if type(value) is not str:
        return False
    if _plain_url(value):
        return True
    from mlpath.text_rules import url_problem

    return url_problem(value) is None


def _plain_url(value: str) -> bool:
    if len(value) > MAX_URL or not value.isprintable():
        return False
    if value.startswith("https://"):
        rest = value[8:]
    elif value.startswith("http://"):
        rest = value[7:]
    else:
        return False
    end = len(rest)
    for mark in "/?#":
        found = rest.find(mark, 0, end)
        if found >= 0:
            end = found
    if any(c in rest for c in _URL_UNSAFE):
        return False
    return all(
        0 < len(label) <= 63
        and not label.strip(_HOST_CHARS)
        and label[0] != "-"
        and label[-1] != "-"
        for label in rest[:end].split(".")
    )


def _optional_url(value: Any) -> bool:
    return value is None or _url(value)


def _flag(value: Any) -> bool:
    return type(value) is bool


def _minutes(value: Any) -> bool:
    return type(value) is int and 0 < value <= MAX_MINUTES


def _source_ok(source: Any) -> bool:
    return (
        type(source) is dict
        and source.keys() <= SOURCE_KEYS
        and _text(source.get("title"))
        and _optional_text(source.get("title_zh"))
        and _text(source.get("author"))
        and _url(source.get("url"))
        and _optional_url(source.get("translation_url"))
        and _flag(source.get("is_translation", False))
        and _optional_note(source.get("note"))
    )


def _section_ok(section: Any) -> bool:
    get = section.get if type(section) is dict else None
    return (
        get is not None
        and section.keys() <= SECTION_KEYS
        and _identifier(get("id"))
        and _text(get("title"))
        and _optional_text(get("title_zh"))
        and _optional_text(get("title_zh_seed"))
        and _text(get("summary"))
        and _optional_text(get("summary_zh"))
        and _flag(get("optional", False))
    )


def _resource_ok(resource: Any) -> bool:
    if type(resource) is not dict or not resource.keys() <= RESOURCE_KEYS:
        return False
    get = resource.get
    if not (
        _identifier(get("id"))
        and _text(get("title"))
        and _identifier(get("section"))
        and "url" in resource  # required, though it may be null
        and get("kind") in KINDS
        and get("cost") in COSTS
        and _minutes(get("minutes"))
        and _text(get("description"))
        and _optional_url(get("url"))
    ):
        return False
    for name in ("title_zh", "title_zh_seed", "author", "author_zh", "description_zh"):
        if name in resource and not _optional_text(resource[name]):
            return False
    for name in ("url_note", "url_note_zh", "minutes_note", "minutes_note_zh", "parts_source"):
        if name in resource and not _optional_note(resource[name]):
            return False
    for name in ("free_to_audit", "optional"):
        if name in resource and not _flag(resource[name]):
            return False
    for name in ("prerequisites", "tags", "alternatives"):
        if name in resource and not _identifiers(resource[name]):
            return False
    aliases = get("aliases", [])
    if type(aliases) is not list or not all(_text(a) for a in aliases):
        return False
    parts = get("parts", [])
    if type(parts) is not list or len(parts) > MAX_PARTS or not all(_part_ok(p) for p in parts):
        return False
    versions = get("versions", [])
    return type(versions) is list and all(_version_ok(v) for v in versions)


def _part_ok(part: Any) -> bool:
    return (
        type(part) is dict
        and part.keys() <= PART_KEYS
        and _identifier(part.get("id"))
        and _text(part.get("title"))
        and _minutes(part.get("minutes"))
        and _optional_text(part.get("title_zh"))
        and _optional_url(part.get("url"))
    )


def _version_ok(version: Any) -> bool:
    return (
        type(version) is dict
        and version.keys() == VERSION_KEYS
        and _language(version["lang"])
        and _text(version["title"])
        and _url(version["url"])
        and version["kind"] in VERSION_KINDS
        and _note(version["source"])
    )


def _language(value: Any) -> bool:
    """^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"""
    if type(value) is not str or not value.isascii():
        return False
    first, *rest = value.split("-")
    return (
        2 <= len(first) <= 3
        and not first.strip(_IDENTIFIER_CHARS[:26])
        and all(2 <= len(tag) <= 8 and not tag.strip(_LANG_SUBTAG_CHARS) for tag in rest)
    )


def _references_ok(
    sections: Sequence[Mapping[str, Any]], resources: Sequence[Mapping[str, Any]]
) -> bool:
    """None of mlpath.validate's problems between entries (cross_reference_problems)."""
    section_ids = {s["id"] for s in sections}
    ids = {r["id"] for r in resources}
    if len(section_ids) != len(sections) or len(ids) != len(resources):
        return False  # a duplicate id
    if any(i.startswith(OWN_PREFIX) for i in ids):
        return False
    used = {r["section"] for r in resources}
    if used != section_ids:
        return False  # a resource in an unknown section, or a section with none
    alternatives: dict[str, set[str]] = {}
    for r in resources:
        rid = r["id"]
        requires = r.get("prerequisites", ())
        if rid in requires or not ids.issuperset(requires):
            return False
        others = r.get("alternatives", ())
        if others:
            if rid in others or not ids.issuperset(others):
                return False
            alternatives[rid] = set(others)
        parts = r.get("parts", ())
        if parts and not _parts_agree(r["minutes"], parts):
            return False
    for rid, others in alternatives.items():
        if any(rid not in alternatives.get(other, ()) for other in others):
            return False  # not listed back
    return not _has_cycle(resources)


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


def _has_cycle(resources: Sequence[Mapping[str, Any]]) -> bool:
    """Whether prerequisites go round in a circle: Kahn's algorithm leaves some over."""
    requires = {r["id"]: set(r.get("prerequisites", ())) for r in resources}
    requires = {rid: needs for rid, needs in requires.items() if needs}
    if not requires:
        return False
    unlocks: dict[str, list[str]] = {}
    for rid, needs in requires.items():
        for need in needs:
            unlocks.setdefault(need, []).append(rid)
    waiting = {rid: len(needs) for rid, needs in requires.items()}
    ready = [rid for rid in unlocks if rid not in waiting]
    while ready:
        for rid in unlocks.get(ready.pop(), ()):
            waiting[rid] -= 1
            if not waiting[rid]:
                del waiting[rid]
                ready.append(rid)
    return bool(waiting)
