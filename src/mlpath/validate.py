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

from mlpath.errors import CatalogError
from mlpath.models import Catalog

MAX_LISTED_PROBLEMS = 50


def validate_catalog_text(text: str, origin: str) -> Catalog:
    """Parse and validate a catalog, raising CatalogError that lists every problem."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"catalog {origin} is not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})"
        ) from None
    problems: list[str] = []
    catalog: Catalog | None = None
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_describe(error) for error in exc.errors(include_url=False))
    if isinstance(raw, Mapping):
        problems.extend(cross_reference_problems(raw))
    if problems:
        raise CatalogError(_summarise(origin, problems))
    assert catalog is not None
    return catalog


def _summarise(origin: str, problems: Sequence[str]) -> str:
    shown = list(dict.fromkeys(problems))
    head = f"catalog {origin} has {len(shown)} problem{'s' if len(shown) != 1 else ''}: "
    if len(shown) > MAX_LISTED_PROBLEMS:
        rest = len(shown) - MAX_LISTED_PROBLEMS
        shown = [*shown[:MAX_LISTED_PROBLEMS], f"… and {rest} more"]
    return head + "; ".join(shown)


def location(parts: Iterable[int | str]) -> str:
    """Render a pydantic location tuple as `resources[12].cost`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _describe(error: Mapping[str, Any]) -> str:
    return describe_error(error, location(error["loc"]))


_TYPE_MESSAGES = {
    "model_type": "must be a JSON object",
    "dict_type": "must be a JSON object",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "int_type": "must be an integer",
}


def describe_error(error: Mapping[str, Any], where: str) -> str:
    """One pydantic error as one line a person can act on: `where: what is wrong`."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        message = f"must be {ctx.get('expected', 'one of the allowed values')}"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "is not a known field"
    elif kind == "greater_than":
        message = f"must be greater than {ctx.get('gt')}"
    elif kind == "string_pattern_mismatch":
        message = "must be lowercase letters, digits and single hyphens (like 'd2l')"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in _TYPE_MESSAGES:
        message = _TYPE_MESSAGES[kind]
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
                problems.append(f"sections[{index}].id: duplicate id '{sid}'")
            section_ids.add(sid)

    resource_ids: dict[str, int] = {}
    for index, resource in resources:
        rid = resource.get("id")
        if isinstance(rid, str):
            if rid in resource_ids:
                problems.append(
                    f"resources[{index}].id: duplicate id '{rid}' "
                    f"(first at resources[{resource_ids[rid]}])"
                )
            else:
                resource_ids[rid] = index
        section_id = resource.get("section")
        if isinstance(section_id, str) and section_ids and section_id not in section_ids:
            problems.append(f"resources[{index}].section: unknown section '{section_id}'")

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
                    f"resources[{index}].prerequisites[{position}]: unknown resource '{required}'"
                )
            elif required == rid:
                problems.append(
                    f"resources[{index}].prerequisites[{position}]: '{rid}' cannot require itself"
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
    return problems


def section_ids_without_resources(
    sections: list[tuple[int, Mapping[str, Any]]],
    resources: list[tuple[int, Mapping[str, Any]]],
) -> list[int]:
    used = {r.get("section") for _, r in resources}
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
