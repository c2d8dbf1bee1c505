"""Validate catalog text against :mod:`mlpath.models` and report every problem at once.

Structural problems come from pydantic; problems that span entries (duplicate
ids, unknown sections, missing or circular prerequisites) are found on the raw
data, so that one run lists both kinds together, each with its location.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from mlpath.catalog import OWN_PREFIX
from mlpath.errors import CatalogError
from mlpath.i18n import N_, _, ngettext
from mlpath.models import MAX_MINUTES, Catalog, forbidden_character

MAX_LISTED_PROBLEMS = 50
# A catalog of 10,000 resources with 20 parts each is about 20 MB of JSON.
MAX_CATALOG_BYTES = 64 * 1024 * 1024
# Integers longer than this are refused before int() sees them: no estimate needs more,
# and Python refuses to convert 4,300 digits or more anyway.
MAX_NUMBER_DIGITS = 30


class _HugeNumber:
    """Stands in for a JSON integer too long to be an estimate, so its place can be named."""

    __slots__ = ("digits",)

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))


def validate_catalog_bytes(data: bytes, origin: str) -> Catalog:
    """Like :func:`validate_catalog_text`, for the file's bytes: refuses what is not UTF-8
    (naming the place) and what is larger than any real catalog."""
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(
            _("catalog {origin} is larger than {value} MB; is it really a catalog file?").format(
                origin=origin, value=MAX_CATALOG_BYTES // (1024 * 1024)
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise CatalogError(
            _(
                "catalog {origin} is not UTF-8 text: byte 0x{value:02x} at line "
                "{line}, column {column} (byte {start}); save it as UTF-8"
            ).format(origin=origin, value=data[start], line=line, column=column, start=start)
        ) from None
    return validate_catalog_text(text, origin)


def validate_catalog_text(text: str, origin: str) -> Catalog:
    """Parse and validate a catalog, raising CatalogError that lists every problem."""
    if len(text) > MAX_CATALOG_BYTES:
        raise CatalogError(
            _("catalog {origin} is larger than {value} MB; is it really a catalog file?").format(
                origin=origin, value=MAX_CATALOG_BYTES // (1024 * 1024)
            )
        )
    huge: list[_HugeNumber] = []

    def parse_int(digits: str) -> int | _HugeNumber:
        if len(digits) <= MAX_NUMBER_DIGITS:
            return int(digits)
        huge.append(_HugeNumber(digits))
        return huge[-1]

    try:
        raw = json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        from mlpath.json_errors import json_reason

        raise CatalogError(
            _("catalog {origin} is not valid JSON: {msg} (line {lineno}, column {colno})").format(
                origin=origin, msg=json_reason(exc.msg), lineno=exc.lineno, colno=exc.colno
            )
        ) from None
    except RecursionError:
        raise CatalogError(
            _(
                "catalog {origin} nests lists or objects too deeply to be a "
                "catalog (a catalog needs four levels)"
            ).format(origin=origin)
        ) from None
    # Walking the whole document costs more than validating it; do it only when needed.
    problems = huge_number_problems(raw) if huge else []
    huge_places = {place for place, _ in problems}
    catalog: Catalog | None = None
    messages = [message for _, message in problems]
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        failed = [tuple(error["loc"]) for error in errors]
        for error in errors:
            loc = tuple(error["loc"])
            # A list whose entries failed is also "too short" once they are dropped: the
            # entries' own problems are the ones to report.
            if error["type"] == "too_short" and any(f[: len(loc)] == loc != f for f in failed):
                continue
            place = location(loc)
            if place not in huge_places:
                messages.append(describe_error(error, place))
    except RecursionError:
        messages.append("(top level): nests too deeply to be a catalog")
    if isinstance(raw, Mapping):
        messages.extend(cross_reference_problems(raw))
    if messages:
        raise CatalogError(_summarise(origin, messages))
    assert catalog is not None
    return catalog


def huge_number_problems(raw: object) -> list[tuple[str, str]]:
    """(place, message) for every integer too long to be an estimate, without recursion."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[object, tuple[int | str, ...]]] = [(raw, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, _HugeNumber):
            place = location(loc)
            found.append(
                (place, f"{place}: a {value.digits}-digit number is far beyond any sane value")
            )
        elif isinstance(value, dict):
            stack.extend((v, (*loc, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(value))
    found.reverse()
    return found


def shown(value: object, limit: int = 60) -> str:
    """Outside text inside one of our messages: controls made visible, length bounded."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if forbidden_character(text) is None:
        return text
    return "".join(f"\\u{ord(c):04x}" if forbidden_character(c) is not None else c for c in text)


def _summarise(origin: str, problems: Sequence[str]) -> str:
    unique = list(dict.fromkeys(problems))
    count = len(unique)
    if count > MAX_LISTED_PROBLEMS:
        rest = count - MAX_LISTED_PROBLEMS
        unique = [*unique[:MAX_LISTED_PROBLEMS], _("… and {count} more").format(count=rest)]
    return ngettext(
        "catalog {origin} has {count} problem: {problems}",
        "catalog {origin} has {count} problems: {problems}",
        count,
    ).format(origin=origin, count=count, problems="; ".join(unique))


def location(parts: Iterable[int | str]) -> str:
    """Render a pydantic location tuple as `resources[12].cost`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{shown(part)}" if out else shown(part)
    return out or _("(top level)")


_TYPE_MESSAGES = {
    "model_type": N_("must be a JSON object"),
    "dict_type": N_("must be a JSON object"),
    "list_type": N_("must be a list"),
    "string_type": N_("must be a string"),
    "int_type": N_("must be an integer"),
    "bool_type": N_("must be true or false"),
    "tuple_type": N_("must be a list"),
}


def describe_error(error: Mapping[str, Any], where: str) -> str:
    """One pydantic error as one line a person can act on: `where: what is wrong`."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        message = _("must be {expected}").format(
            expected=ctx.get("expected", _("one of the allowed values"))
        )
    elif kind == "missing":
        message = _("is required")
    elif kind == "extra_forbidden":
        message = _("is not a known field")
    elif kind == "greater_than":
        message = _("must be greater than {least}").format(least=ctx.get("gt"))
    elif kind == "less_than_equal":
        limit = ctx.get("le")
        message = _("must be at most {limit}").format(limit=limit)
        if limit == MAX_MINUTES:
            message += _(" (about {hours:,} hours); no estimate is that large").format(
                hours=MAX_MINUTES // 60
            )
    elif kind == "string_unicode":
        message = _("holds a lone surrogate (\\ud800-\\udfff), which is not text")
    elif kind == "too_short":
        least = ctx.get("min_length")
        message = ngettext(
            "must have at least {least} entry",
            "must have at least {least} entries",
            int(least or 0),
        ).format(least=least)
    elif kind in ("string_too_long", "too_long"):
        if kind == "string_too_long":
            message = _("must have at most {most} characters").format(most=ctx.get("max_length"))
        else:
            message = _("must have at most {most} entries").format(most=ctx.get("max_length"))
    elif kind == "string_pattern_mismatch":
        message = _("must be lowercase letters, digits and single hyphens (like 'd2l')")
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in _TYPE_MESSAGES:
        message = _(_TYPE_MESSAGES[kind])
    else:
        message = str(error["msg"]).lower().replace("input should be", "must be")
    return f"{where}: {' '.join(message.split())}"


def cross_reference_problems(raw: Mapping[str, Any]) -> list[str]:
    """Problems between entries: ids, sections and prerequisites that do not fit together."""
    sections = _entries(raw.get("sections"))
    resources = _entries(raw.get("resources"))
    problems: list[str] = []

    section_ids: set[str] = set()
    for index, section in sections:
        sid = section.get("id")
        if isinstance(sid, str):
            if sid in section_ids:
                problems.append(f"sections[{index}].id: duplicate id '{shown(sid)}'")
            section_ids.add(sid)

    resource_ids: dict[str, int] = {}
    for index, resource in resources:
        rid = resource.get("id")
        if isinstance(rid, str):
            if rid.startswith(OWN_PREFIX):
                problems.append(own_id_problem(f"resources[{index}].id", rid, "resources"))
            if rid in resource_ids:
                problems.append(
                    f"resources[{index}].id: duplicate id '{shown(rid)}' "
                    f"(first at resources[{resource_ids[rid]}])"
                )
            else:
                resource_ids[rid] = index
        section_id = resource.get("section")
        if isinstance(section_id, str) and section_ids and section_id not in section_ids:
            problems.append(f"resources[{index}].section: unknown section '{shown(section_id)}'")

    graph: dict[str, list[str]] = {}
    for index, resource in resources:
        rid = resource.get("id")
        prereqs = resource.get("prerequisites") or []
        if not isinstance(prereqs, list):
            continue
        for position, required in enumerate(prereqs):
            if not isinstance(required, str):
                continue
            if required not in resource_ids:
                problems.append(
                    f"resources[{index}].prerequisites[{position}]: "
                    f"unknown resource '{shown(required)}'"
                )
            elif required == rid:
                problems.append(
                    f"resources[{index}].prerequisites[{position}]: "
                    f"'{shown(rid)}' cannot require itself"
                )
            elif isinstance(rid, str):
                graph.setdefault(rid, []).append(required)

    for cycle in _cycles(graph):
        first = cycle[0]
        problems.append(
            f"resources[{resource_ids[first]}].prerequisites: circular: " + " → ".join(cycle)
        )

    for index in section_ids_without_resources(sections, resources):
        problems.append(f"sections[{index}]: section has no resources")
    for index, resource in resources:
        problems.extend(part_problems(f"resources[{index}]", resource))
    problems.extend(alternative_problems(resources, resource_ids))
    return problems


def own_id_problem(where: str, value: str, what: str) -> str:
    """Ids starting `my-` belong to the learner's own resources and parts (mlpath.own):
    a catalog id like that could take over, after an update, what someone added."""
    return (
        f"{where}: '{shown(value)}' starts with '{OWN_PREFIX}', which is kept for a "
        f"learner's own {what}; give it another id"
    )


def part_problems(where: str, resource: Mapping[str, Any]) -> list[str]:
    """Part ids unique and not all digits; the resource's minutes the sum of its parts'."""
    parts = resource.get("parts")
    if not isinstance(parts, list):
        return []
    problems: list[str] = []
    seen: dict[str, int] = {}
    total = 0
    summable = True
    for position, part in enumerate(parts):
        if not isinstance(part, Mapping):
            summable = False
            continue
        pid = part.get("id")
        if isinstance(pid, str):
            if pid.startswith(OWN_PREFIX):
                problems.append(own_id_problem(f"{where}.parts[{position}].id", pid, "parts"))
            if pid.isdigit():
                problems.append(
                    f"{where}.parts[{position}].id: '{shown(pid)}' is all digits, which reads"
                    " as a part number in RESOURCE/N; give it a name"
                )
            if pid in seen:
                problems.append(
                    f"{where}.parts[{position}].id: duplicate part id '{shown(pid)}' "
                    f"(first at parts[{seen[pid]}])"
                )
            else:
                seen[pid] = position
        minutes = part.get("minutes")
        if type(minutes) is int and 0 < minutes <= MAX_MINUTES:
            total += minutes
        else:
            summable = False
    minutes = resource.get("minutes")
    if parts and summable and type(minutes) is int and minutes != total:
        problems.append(
            f"{where}.minutes: is {minutes} but its parts add up to {total}; make them agree"
        )
    return problems


def alternative_problems(
    resources: list[tuple[int, Mapping[str, Any]]], resource_ids: Mapping[str, int]
) -> list[str]:
    """Alternatives name existing other resources, each listing the other back."""
    declared: dict[str, set[str]] = {}
    for _where, resource in resources:
        rid = resource.get("id")
        alternatives = resource.get("alternatives")
        if isinstance(rid, str) and isinstance(alternatives, list):
            declared.setdefault(rid, set()).update(a for a in alternatives if isinstance(a, str))
    problems: list[str] = []
    for index, resource in resources:
        rid = resource.get("id")
        alternatives = resource.get("alternatives")
        if not isinstance(alternatives, list):
            continue
        for position, other in enumerate(alternatives):
            if not isinstance(other, str):
                continue
            where = f"resources[{index}].alternatives[{position}]"
            if other not in resource_ids:
                problems.append(f"{where}: unknown resource '{shown(other)}'")
            elif other == rid:
                problems.append(f"{where}: '{shown(rid)}' cannot be its own alternative")
            elif isinstance(rid, str) and rid not in declared.get(other, set()):
                problems.append(
                    f"{where}: '{shown(other)}' does not list '{shown(rid)}' back;"
                    " alternatives go both ways"
                )
    return problems


def section_ids_without_resources(
    sections: list[tuple[int, Mapping[str, Any]]],
    resources: list[tuple[int, Mapping[str, Any]]],
) -> list[int]:
    used = {r.get("section") for _, r in resources if isinstance(r.get("section"), str)}
    return [i for i, s in sections if isinstance(s.get("id"), str) and s.get("id") not in used]


def _entries(value: object) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def _cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Each prerequisite cycle once, as a closed walk (a → b → a)."""
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    found: list[list[str]] = []
    for start in graph:
        if colour.get(start, white) != white:
            continue
        # Iterative DFS: a 10,000-resource catalog must not hit the recursion limit.
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            node, child_index = stack.pop()
            if child_index == 0:
                colour[node] = grey
                trail.append(node)
            children = graph.get(node, [])
            if child_index < len(children):
                stack.append((node, child_index + 1))
                child = children[child_index]
                state = colour.get(child, white)
                if state == white:
                    stack.append((child, 0))
                elif state == grey:
                    found.append([*trail[trail.index(child) :], child])
            else:
                colour[node] = black
                trail.pop()
    return found
