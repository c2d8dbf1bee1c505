"""Plain text for the learner's own resources and parts: `add`, `remove`, `parts`, and
how their definitions read in `history` and `undo`."""

from __future__ import annotations

from mlpath.i18n import _, ngettext
from mlpath.output.words import format_minutes, named

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.catalog import Part
    from mlpath.results import OwnAdded, OwnParts, OwnRemoved
    from mlpath.store import Change


def added_lines(result: OwnAdded, lang: str) -> list[str]:
    r = result.resource
    if result.after:
        where = _("after {id}").format(id=result.after)
    else:
        where = _("at the end of the section")
    if r.minutes:
        estimate = _("about {duration}").format(duration=format_minutes(r.minutes))
    else:
        estimate = _("no estimate")
    lines = [
        _("added: {name}").format(name=named(r, lang)),
        "  "
        + _("{section}, {where} · {estimate}").format(
            section=r.section, where=where, estimate=estimate
        ),
    ]
    if result.parts:
        lines.append(f"  {_span(result.parts)}")
    if r.url:
        lines.append(f"  {r.url}")
    lines.append("  " + _("`mlpath remove {id}` takes it away").format(id=r.id))
    return lines


def _parts_count(count: int) -> str:
    return ngettext("{count} part", "{count} parts", count).format(count=count)


def removed_lines(result: OwnRemoved, lang: str) -> list[str]:
    from mlpath.output.words import status_word

    name = named(result.resource, lang)
    if result.parts:
        line = _("removed: {name}, with {parts}").format(
            name=name, parts=_parts_count(result.parts)
        )
    else:
        line = _("removed: {name}").format(name=name)
    lines = [line]
    if result.status != "todo":
        lines.append(
            "  "
            + _(
                "its progress ({status}) stays in the history; `mlpath undo` brings it back"
            ).format(status=status_word(result.status))
        )
    return lines


def parts_lines(result: OwnParts, lang: str) -> list[str]:
    r = result.resource
    changed = result.changed
    if result.action == "split":
        lines = [
            _("split {id} into {parts}: {span}").format(
                id=r.id, parts=_parts_count(len(changed)), span=_span(changed)
            )
        ]
    elif result.action == "clear":
        lines = [
            _("cleared {parts} of yours from {id}").format(
                parts=_parts_count(len(changed)), id=r.id
            )
        ]
    else:
        verb = (
            _("added: {name} · {duration}")
            if result.action == "add"
            else _("removed: {name} · {duration}")
        )
        lines = [
            verb.format(name=named(p, lang), duration=format_minutes(p.minutes)) for p in changed
        ]
    about = format_minutes(r.minutes)
    if result.parts:
        lines.append(
            "  "
            + _("{id} has {parts} now · about {duration}; `mlpath show {id}` lists them").format(
                id=r.id, parts=_parts_count(len(result.parts)), duration=about
            )
        )
    else:
        lines.append(
            "  " + _("{id} has no parts now · about {duration}").format(id=r.id, duration=about)
        )
    return lines


def _span(parts: Sequence[Part]) -> str:
    first, last = parts[0], parts[-1]
    if first is last:
        return _("part {label}").format(label=first.label)
    return ngettext(
        "{count} part, {first} to {last}", "{count} parts, {first} to {last}", len(parts)
    ).format(count=len(parts), first=first.label, last=last.label)


def define_words(change: Change) -> str:
    """A definition as `history` reads it: what was added, removed or split."""
    from mlpath.store import read_definition

    key = change.resource
    value = None if change.note is None else read_definition(key, change.note)
    if key.startswith("parts:"):
        listed = value.get("parts") if value else None
        count = len(listed) if isinstance(listed, list) else 0
        if count:
            return _("parts of yours: {count}").format(count=count)
        return _("parts of yours: none")
    if key.startswith("my-"):
        if value is None:
            return _("removed (yours)")
        return _("yours: {title} · {section}").format(
            title=value.get("title"), section=value.get("section")
        )
    if key == "goal:":
        return _("goal set") if value is not None else _("goal cleared")
    return _("defined") if value is not None else _("definition withdrawn")


def undone_words(change: Change) -> str:
    """What `undo` says it took back of a definition."""
    key = change.resource
    if key == "goal:":
        return _("your goal")
    if key.startswith("parts:"):
        return _("parts of yours on {id}").format(id=key.removeprefix("parts:"))
    if key.startswith("my-"):
        if change.note is None:
            return _("removal of {id}").format(id=key)
        return _("definition of {id}").format(id=key)
    return _("definition of {id}").format(id=key)
