"""Resources and parts of the learner's own, kept with their progress as definitions.

A definition is a JSON-able dict in the progress store under a key: `my-<slug>` for a
resource of one's own, `parts:<resource-id>` for parts of one's own on any resource
(see Store.define). This module makes ids, checks a definition (read back from a store
or an import), and turns one into the rows of Resource and Part every command reads;
mlpath.own_overlay lays them over the catalog.

Catalog ids never start with `my-` (mlpath.validate refuses them), nor do catalog part
ids, so nothing of one's own collides with the catalog, now or after an update. Where
an update takes away what a definition leans on, the definition bends rather than
breaks: an own resource `--after` a resource that is gone goes to the end of its
section, one whose section is gone to the end of the path, and own parts of a resource
that is gone wait, unseen, until it is back. Standard library only, imported lazily.
"""

from __future__ import annotations

from mlpath.catalog import OWN_KIND, OWN_PREFIX, Part, resource_from_row
from mlpath.errors import DefinitionError, UsageError
from mlpath.i18n import N_, _
from mlpath.json_layout import parsed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from mlpath.catalog import Resource
    from mlpath.db import sqlite3

PARTS_PREFIX = "parts:"
COSTS = ("free", "paid")
# The catalog's limits (mlpath.models), without importing pydantic on every start-up;
# tests/test_own.py holds them equal.
MAX_TEXT = 2000
MAX_URL = 2048
MAX_MINUTES = 1_000_000
MAX_PARTS = 500
# Room for `-NN` after a slug, within the catalog's 40 characters for an id.
MAX_SLUG = 32


def parts_key(resource_id: str) -> str:
    """The definition key of the own parts of a resource."""
    return f"{PARTS_PREFIX}{resource_id}"


def slug(title: str) -> str:
    """`Deep Learning with Python (2nd ed.)` -> `deep-learning-with-python-2nd-ed`: ASCII
    letters and digits, words joined by `-`, cut at a word; `resource` when nothing is
    left (a Chinese title), so every title gives an id people can type."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text.lower()).split()
    if len(words) > 1 and words[0] == "my":
        words = words[1:]  # "My notes" -> my-notes, not my-my-notes
    text = ""
    for word in words:
        candidate = f"{text}-{word}" if text else word
        if len(candidate) > MAX_SLUG:
            text = text or word[:MAX_SLUG]
            break
        text = candidate
    return text or "resource"


def unique_id(base: str, taken: Iterable[str]) -> str:
    """`base`, else `base-2`, `base-3`, ...: the first not in `taken`."""
    used = set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def url_checked(url: str | None) -> str | None:
    """A link typed on the command line, held to the catalog's rules for links."""
    if url is None:
        return None
    from mlpath.text_rules import url_problem

    problem = url_problem(url.strip())
    if problem:
        raise UsageError(_("--url {url}: {problem}").format(url=url, problem=problem))
    return url.strip()


# --- reading a definition back ----------------------------------------------------------


def _text_problem(value: object, what: str, optional: bool = False, index: int = 0) -> str | None:
    """`what`: the field's name, marked for translation (`{index}`: a part's number)."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        return _("its {what} is not text").format(what=_(what).format(index=index))
    if len(value) > MAX_TEXT:
        return _("its {what} is longer than {limit} characters").format(
            what=_(what).format(index=index), limit=MAX_TEXT
        )
    if not value.isprintable() and any(_forbidden(ch) for ch in value):
        return _("its {what} holds a control character").format(what=_(what).format(index=index))
    return None


def _forbidden(ch: str) -> bool:
    """The characters catalog text may not hold (mlpath.text_rules.forbidden_character,
    without compiling its pattern on every start-up)."""
    code = ord(ch)
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029)
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or 0xD800 <= code <= 0xDFFF
    )


def _url_problem(value: object) -> str | None:
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not value.startswith(("http://", "https://"))
        or len(value) > MAX_URL
        or any(ch.isspace() or _forbidden(ch) for ch in value)
    ):
        return _("its link is not an http(s) URL")
    return None


def _minutes_problem(value: object, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    # bool is an int to Python, not to a reader of the file.
    if type(value) is not int or not 0 <= value <= MAX_MINUTES:
        return _("its minutes are not a whole number from 0 to {limit}").format(limit=MAX_MINUTES)
    return None


def _id_problem(value: object, what: str, index: int = 0) -> str | None:
    if (
        not isinstance(value, str)
        or not value.startswith(OWN_PREFIX)
        or len(value) > 40 + len(OWN_PREFIX)
        or not all(part and part.isascii() and part.isalnum() for part in value.split("-"))
        or value != value.lower()
    ):
        return _("its {what} is not an id of your own (my-, then letters, digits and -)").format(
            what=_(what).format(index=index)
        )
    return None


def resource_problem(key: str, value: Mapping[str, Any]) -> str | None:
    """What is wrong with the definition of own resource `key`, or None. Keys a later
    mlpath may add are let through, so an export from it still reads here."""
    problems = (
        _id_problem(key, N_("id")),
        _text_problem(value.get("title"), N_("title")),
        _text_problem(value.get("section"), N_("section")),
        _url_problem(value.get("url")),
        _minutes_problem(value.get("minutes", 0)),
        None if value.get("after") is None else _text_problem(value.get("after"), "--after"),
        None if value.get("cost", "free") in COSTS else _("its cost is neither free nor paid"),
        _text_problem(value.get("kind", OWN_KIND), N_("kind")),
        _text_problem(value.get("added"), N_("date"), optional=True),
    )
    return next((p for p in problems if p), None)


def parts_problem(key: str, value: Mapping[str, Any]) -> str | None:
    """What is wrong with a definition of own parts, or None."""
    if not key.startswith(PARTS_PREFIX) or not key[len(PARTS_PREFIX) :]:
        return _("its key does not name a resource")
    parts = value.get("parts")
    if not isinstance(parts, list) or not parts or len(parts) > MAX_PARTS:
        return _("it does not list from 1 to {limit} parts").format(limit=MAX_PARTS)
    seen: set[str] = set()
    for index, part in enumerate(parts, start=1):
        if not isinstance(part, dict):
            return _("its part {index} is not an object").format(index=index)
        problem = (
            _id_problem(part.get("id"), N_("part {index}'s id"), index)
            or _text_problem(part.get("title"), N_("part {index}'s title"), index=index)
            or _minutes_problem(part.get("minutes"), optional=True)
            or _url_problem(part.get("url"))
        )
        if problem:
            return problem
        if part["id"] in seen:
            return _("its part id {id} is there twice").format(id=part["id"])
        seen.add(part["id"])
    return None


def definition_problem(key: str, value: object) -> str | None:
    """What is wrong with a definition under `key` of this module's (an own resource or
    own parts), or None; None too for a withdrawal (value None). For `mlpath import` to
    refuse a bad file before it changes anything."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return _("it is not an object")
    if key.startswith(PARTS_PREFIX):
        return parts_problem(key, value)
    return resource_problem(key, value)


def check_new(key: str, value: Mapping[str, Any]) -> None:
    """A definition a command is about to make, from what was typed: a UsageError if
    the store would not read it back (a control character in a title, say)."""
    problem = definition_problem(key, dict(value))
    if problem is not None:
        raise UsageError(_("{key} cannot be defined: {problem}").format(key=key, problem=problem))


def checked(key: str, value: object) -> dict[str, Any]:
    """The definition, or a DefinitionError saying what is wrong and what to do."""
    problem = definition_problem(key, value)
    if problem is not None or not isinstance(value, dict):
        shown = key if key.isprintable() and len(key) <= 60 else repr(key[:60])
        fix = (
            _("`mlpath parts {id} --clear` takes them away").format(id=key[len(PARTS_PREFIX) :])
            if key.startswith(PARTS_PREFIX)
            else _("`mlpath remove {id}` takes it away").format(id=shown)
        )
        raise DefinitionError(
            _(
                "the progress store's definition of {shown} cannot be read: "
                "{value}; {fix}, or `mlpath undo` if it just came"
            ).format(shown=shown, value=problem or _("it is empty"), fix=fix)
        )
    return value


def decode(
    stored: Mapping[str, str], db: sqlite3.Connection | None = None
) -> dict[str, dict[str, Any]]:
    """Stored JSON text -> checked definitions (a DefinitionError for a bad one).

    With a connection, SQLite's JSON reader parses them: Python's json imports `re`,
    which costs more than the rest of `mlpath next`.
    """
    found: dict[str, dict[str, Any]] = {}
    for key, text in stored.items():
        try:
            value = parsed(text, db)
        except (TypeError, ValueError):
            value = "not JSON"
        found[key] = checked(key, value)
    return found


class OwnPart:
    """One part of one's own, as defined; `minutes` None: a share of what is left."""

    __slots__ = ("id", "minutes", "title", "url")

    def __init__(self, id: str, title: str, minutes: int | None, url: str | None) -> None:
        self.id = id
        self.title = title
        self.minutes = minutes
        self.url = url

    def to_value(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "minutes": self.minutes, "url": self.url}


def own_parts(value: Mapping[str, Any]) -> list[OwnPart]:
    """The parts a checked `parts:` definition lists, in order."""
    return [
        OwnPart(p["id"], p["title"].strip(), p.get("minutes"), p.get("url"))
        for p in value["parts"]
    ]


def numbered_parts(count: int, first: int = 1) -> list[OwnPart]:
    """`--split N`: parts `my-1` ... `my-N` titled Part 1 ... Part N, sharing the estimate."""
    # Titled in the learner's language when made: they are the learner's from then on.
    title = _("Part {n}")
    return [OwnPart(f"my-{n}", title.format(n=n), None, None) for n in range(first, first + count)]


def spread(total: int, count: int) -> list[int]:
    """`total` minutes over `count` parts, whole minutes, the first ones a minute more."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def part_minutes(
    estimate: int, catalog_minutes: int, parts: Sequence[OwnPart]
) -> tuple[list[int], int]:
    """Each own part's minutes and the resource's minutes with them.

    A part given no estimate takes an even share of what the resource's estimate leaves
    over its other parts (nothing, where they already account for all of it). The
    resource keeps its estimate unless its parts add up to more: a few chapters typed in
    do not make a book shorter.
    """
    given = sum(p.minutes for p in parts if p.minutes is not None)
    open_parts = sum(p.minutes is None for p in parts)
    shares = iter(spread(max(0, estimate - catalog_minutes - given), open_parts or 1))
    minutes = [p.minutes if p.minutes is not None else next(shares) for p in parts]
    return minutes, max(estimate, catalog_minutes + sum(minutes))


PART_FIELDS = "resource, position, id, title, title_zh, minutes, url"


def resource_row(
    key: str, value: Mapping[str, Any], position: float, section: str, minutes: int
) -> tuple[Any, ...]:
    """An own resource as a row of RESOURCE_COLUMNS, in their order."""
    added = str(value.get("added") or "")[:10]
    estimate = value.get("minutes", 0)
    return (
        key,
        value["title"].strip(),
        None,  # title_zh
        section,
        value.get("url"),
        None,  # url_note
        None,  # author
        value.get("kind", OWN_KIND),
        value.get("cost", "free"),
        0,  # free_to_audit
        0,  # optional: the learner added it to do it
        minutes,
        _("your estimate") if estimate else _("no estimate given"),
        "",  # prerequisites
        _("Added by you on {day}.").format(day=added) if added else _("Added by you."),
        "",  # tags
        position,
        None,  # title_zh_seed
        "",  # aliases
        None,  # author_zh
        None,  # description_zh
        "",  # versions
        None,  # url_note_zh
        None,  # minutes_note_zh: minutes_note is already in the learner's language
    )


def part_rows(
    resource: str, before: int, parts: Sequence[OwnPart], minutes: Sequence[int]
) -> list[tuple[Any, ...]]:
    return [
        (resource, before + index, p.id, p.title, None, m, p.url)
        for index, (p, m) in enumerate(zip(parts, minutes, strict=True), start=1)
    ]


# --- what commands show of a definition they just made ----------------------------------


def own_resource(
    key: str, value: Mapping[str, Any], section: str, minutes: int | None = None
) -> Resource:
    """The Resource a checked definition stands for (its place on the path aside)."""
    estimate = int(value.get("minutes", 0))
    return resource_from_row(
        resource_row(key, value, 0, section, estimate if minutes is None else minutes)
    )


def with_parts(
    resource_id: str, estimate: int, catalog_parts: Sequence[Part], parts: Sequence[OwnPart]
) -> tuple[int, list[Part]]:
    """The resource's minutes with these own parts, and all its parts (the catalog's
    first, then the learner's), as `install` lays them out."""
    each, minutes = part_minutes(estimate, sum(p.minutes for p in catalog_parts), parts)
    rows = part_rows(resource_id, len(catalog_parts), parts, each)
    return minutes, [*catalog_parts, *(Part(*row) for row in rows)]
