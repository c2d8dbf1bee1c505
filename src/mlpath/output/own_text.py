"""Plain text for the learner's own resources and parts: `add`, `remove`, `parts`, and
how their definitions read in `history` and `undo`."""

from __future__ import annotations

from mlpath.output.words import format_minutes, named, plural

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.catalog import Part
    from mlpath.results import OwnAdded, OwnParts, OwnRemoved
    from mlpath.store import Change


def added_lines(result: OwnAdded, lang: str) -> list[str]:
    r = result.resource
    where = f"after {result.after}" if result.after else "at the end of the section"
    estimate = f"about {format_minutes(r.minutes)}" if r.minutes else "no estimate"
    lines = [f"added: {named(r, lang)}", f"  {r.section}, {where} · {estimate}"]
    if result.parts:
        lines.append(f"  {_span(result.parts)}")
    if r.url:
        lines.append(f"  {r.url}")
    lines.append(f"  `mlpath remove {r.id}` takes it away")
    return lines


def removed_lines(result: OwnRemoved, lang: str) -> list[str]:
    with_parts = f", with {plural(result.parts, 'part')}" if result.parts else ""
    lines = [f"removed: {named(result.resource, lang)}{with_parts}"]
    if result.status != "todo":
        lines.append(
            f"  its progress ({result.status}) stays in the history; `mlpath undo` brings it back"
        )
    return lines


VERBS = {"split": "split into", "add": "added", "remove": "removed", "clear": "cleared"}


def parts_lines(result: OwnParts, lang: str) -> list[str]:
    r = result.resource
    changed = result.changed
    if result.action == "split":
        lines = [f"split {r.id} into {plural(len(changed), 'part')}: {_span(changed)}"]
    elif result.action == "clear":
        lines = [f"cleared {plural(len(changed), 'part')} of yours from {r.id}"]
    else:
        lines = [
            f"{VERBS[result.action]}: {named(p, lang)} · {format_minutes(p.minutes)}"
            for p in changed
        ]
    if result.parts:
        lines.append(
            f"  {r.id} has {plural(len(result.parts), 'part')} now · "
            f"about {format_minutes(r.minutes)}; `mlpath show {r.id}` lists them"
        )
    else:
        lines.append(f"  {r.id} has no parts now · about {format_minutes(r.minutes)}")
    return lines


def _span(parts: Sequence[Part]) -> str:
    first, last = parts[0], parts[-1]
    if first is last:
        return f"part {first.label}"
    return f"{len(parts)} parts, {first.label} to {last.label}"


def define_words(change: Change) -> str:
    """A definition as `history` reads it: what was added, removed or split."""
    from mlpath.store import read_definition

    key = change.resource
    value = None if change.note is None else read_definition(key, change.note)
    if key.startswith("parts:"):
        listed = value.get("parts") if value else None
        count = len(listed) if isinstance(listed, list) else 0
        return f"parts of yours: {count}" if count else "parts of yours: none"
    if key.startswith("my-"):
        if value is None:
            return "removed (yours)"
        return f"yours: {value.get('title')} · {value.get('section')}"
    return "defined" if value is not None else "definition withdrawn"


def undone_words(change: Change) -> str:
    """What `undo` says it took back of a definition."""
    key = change.resource
    if key == "goal:":
        return "your goal"
    if key.startswith("parts:"):
        return f"parts of yours on {key.removeprefix('parts:')}"
    if key.startswith("my-"):
        return f"{'removal' if change.note is None else 'definition'} of {key}"
    return f"definition of {key}"
