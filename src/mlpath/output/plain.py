"""Plain-text renderings of the daily commands' results: for pipes, files and terminals.

Each function returns lines; the writer (mlpath.output.literal) makes every line's
outside text visible, so a title or note can never hold a line break or an escape.
"""

from __future__ import annotations

from mlpath.i18n import N_, _, ngettext
from mlpath.output.literal import Bold
from mlpath.output.words import (
    about_estimate,
    columns,
    cost_label,
    estimate,
    format_minutes,
    kind_label,
    named,
    status_word,
)
from mlpath.part_status import is_part_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from mlpath.catalog import Catalog, Part, Resource
    from mlpath.details import ResourceDetails
    from mlpath.importing import StatusChange
    from mlpath.results import (
        Exported,
        History,
        Imported,
        Listing,
        Noted,
        NothingToReset,
        Opened,
        SearchResults,
        Sections,
        StatusChanges,
        Undone,
    )
    from mlpath.store import Change

# Marked for translation, translated where shown (the language is known only per run).
NOT_IN_CATALOG = N_("not in this catalog")


def local_time(stamp: str) -> str:
    # datetime is imported only by the renderings that show a time: not by `next`.
    from mlpath.timefmt import local_time

    return local_time(stamp)


def label(resource: Resource, lang: str) -> str:
    return named(resource, lang)


def _changed(status: str) -> str:
    return {
        "done": _("done: {name}"),
        "doing": _("started: {name}"),
        "skipped": _("skipped: {name}"),
        "todo": _("reset: {name}"),
    }[status]


def _already(status: str) -> str:
    return {
        "done": _("already done: {name} — nothing recorded"),
        "doing": _("already started: {name} — nothing recorded"),
        "skipped": _("already skipped: {name} — nothing recorded"),
        "todo": _("already to do: {name} — nothing recorded"),
    }[status]


def _follows(status: str) -> str:
    """What a resource became because of its parts."""
    return {
        "done": _("done, every part: {name} (was {before})"),
        "skipped": _("skipped, every part: {name} (was {before})"),
        "doing": _("now in progress: {name} (was {before})"),
        "todo": _("back to do: {name} (was {before})"),
    }[status]


def status_lines(result: StatusChanges, lang: str) -> list[str]:
    lines = []
    for o in result.outcomes:
        name = named(o.part or o.resource, lang)
        if o.alternative_of:
            lines.append(
                _("skipped too: {name} — the same material as {other}").format(
                    name=name, other=o.alternative_of
                )
            )
        elif o.follows:
            lines.append(_follows(o.follows).format(name=name, before=status_word(o.before)))
        elif o.changed:
            line = _changed(result.status).format(name=name)
            if o.before != "todo":
                line += _(" (was {before})").format(before=status_word(o.before))
            if o.parts_moved:
                line += ngettext(
                    ", {count} part with it", ", {count} parts with it", o.parts_moved
                ).format(count=o.parts_moved)
            lines.append(line)
        else:
            lines.append(_already(result.status).format(name=name))
    return lines


def nothing_to_reset_lines(result: NothingToReset, lang: str) -> list[str]:
    return [_("Nothing to reset: every resource is already to do.")]


def _undone_what(c: Change) -> str:
    """What an undone change had recorded: `done`, `a note on`."""
    if c.action == "status":
        return status_word(c.status or "")
    return _("note on") if c.action == "note" else c.action


# A report of more lines than this shows the first UNDONE_SHOWN and counts the rest: an
# undo of a command that changed 100,000 resources is one screen, not 100,000 lines.
UNDONE_MOST_LINES = 20
UNDONE_SHOWN = 10


def undone_lines(result: Undone, lang: str) -> list[str]:
    # (line, how many of the changes it names)
    lines: list[tuple[str, int]] = []
    parts: dict[tuple[str, str], list[Change]] = {}
    undid = _("undid: {what} {key} ({when})")
    for c in result.changes:
        what = _undone_what(c)
        if c.action == "define":
            from mlpath.output.own_text import undone_words

            line = _("undid: {what} ({when})").format(what=undone_words(c), when=local_time(c.at))
            lines.append((line, 1))
            continue
        if is_part_key(c.resource) and c.action == "status":
            parts.setdefault((what, c.resource.split("/")[0]), []).append(c)
            continue
        lines.append((undid.format(what=what, key=c.resource, when=local_time(c.at)), 1))
    for (what, resource), changes in parts.items():
        when = local_time(changes[0].at)
        if len(changes) == 1:
            lines.append((undid.format(what=what, key=changes[0].resource, when=when), 1))
        else:
            line = ngettext(
                "undid: {what} {count} part of {key} ({when})",
                "undid: {what} {count} parts of {key} ({when})",
                len(changes),
            ).format(what=what, count=len(changes), key=resource, when=when)
            lines.append((line, len(changes)))
    if len(lines) <= UNDONE_MOST_LINES and result.count == len(result.changes):
        return [line for line, _named in lines]
    shown = lines[:UNDONE_SHOWN]
    more = result.count - sum(named for _line, named in shown)
    # The words other long lists end with (`import`'s problems): after the `undid:`
    # lines they say what the rest are.
    return [line for line, _named in shown] + [_("… and {count} more").format(count=f"{more:,}")]


def noted_lines(result: Noted, lang: str) -> list[str]:
    return [_("noted: {id}").format(id=result.resource.id)]


def change_words(c: Change) -> str:
    if c.action == "status":
        return f"→ {status_word(c.status or '')}"
    if c.action == "note":
        return _("note: {note}").format(note=c.note)
    if c.action == "define":
        from mlpath.output.own_text import define_words

        return define_words(c)
    return _("undo")


def shown_key(key: str) -> str:
    """What a change was to, as `history` names it: an id, or a definition's key
    (`goal:`, `parts:d2l`), which the Chinese names by what it defines."""
    if key == "goal:":
        return _("goal:")
    if key.startswith("parts:"):
        return _("parts:{id}").format(id=key.removeprefix("parts:"))
    return key


def history_header() -> tuple[str, ...]:
    return (_("when"), _("resource"), _("change"))


def history_lines(result: History, lang: str) -> list[str]:
    if not result.changes:
        return [_("No changes yet — `mlpath done ID` records the first.")]
    rows = [(local_time(c.at), shown_key(c.resource), change_words(c)) for c in result.changes]
    lines = columns(history_header(), rows)
    if result.more:
        lines.append(
            _("(older changes not shown: `mlpath history --limit {limit}`)").format(
                limit=len(rows) * 5
            )
        )
    return lines


def no_match_text() -> str:
    return _("No resource matches these filters.")


def listing_header() -> tuple[str, ...]:
    return (_("status"), _("id"), _("title"), _("section"), _("kind"), _("cost"), _("time"))


def listing_lines(result: Listing, lang: str) -> list[str]:
    if not result.resources:
        return [no_match_text()]
    return columns(
        listing_header(),
        [
            (
                status_word(result.status(r.id)),
                r.id,
                r.display_title(lang),
                r.section,
                kind_label(r.kind),
                cost_label(r),
                estimate(r.minutes),
            )
            for r in result.resources
        ],
    )


def section_rows(result: Sections, lang: str) -> list[tuple[str, ...]]:
    return [
        (
            s.section.id,
            s.section.display_title(lang),
            str(s.resources),
            f"{s.done}/{s.resources}",
            format_minutes(s.minutes),
            _("optional") if s.section.optional else "",
        )
        for s in result.sections
    ]


def sections_header() -> tuple[str, ...]:
    return (_("id"), _("title"), _("resources"), _("done"), _("time"), "")


def sections_lines(result: Sections, lang: str) -> list[str]:
    return columns(sections_header(), section_rows(result, lang))


# What a Chinese version is, in the words a Chinese reader looks for.
VERSION_KINDS_ZH = {
    "official translation": "官方中文版",
    "community translation": "社区中文翻译",
    "subtitles": "中文字幕",
}


def _chinese_version_lines(r: Resource, lang: str) -> list[str]:
    version = r.version("zh") if lang == "zh" else None
    if version is None:
        return []
    kind = VERSION_KINDS_ZH.get(version.kind, version.kind)
    return [f"  {kind}：{version.title}", f"  {version.url}"]


def details_lines(details: ResourceDetails, lang: str) -> list[str]:
    r = details.resource
    if r is None:
        lines = [
            _("{id} — not in this catalog (its history is kept)").format(id=details.resource_id)
        ]
    else:
        about = about_estimate(r.minutes)
        lines = [
            label(r, lang),
            f"  {details.section_title} · {kind_label(r.kind)} · {cost_label(r)} · {about}",
        ]
        if r.author:
            lines.append(
                "  " + _("by {author}").format(author=(lang == "zh" and r.author_zh) or r.author)
            )
        if r.url:
            lines.append(f"  {r.url}")
        elif r.url_note:
            lines.append("  " + _("no link here: {note}").format(note=r.display_url_note(lang)))
        lines += _chinese_version_lines(r, lang)
        lines += ["", f"  {r.display_description(lang)}"]
        if r.minutes_note:
            note = r.display_minutes_note(lang)
            lines.append("  " + _("(estimate: {note})").format(note=note))
    lines += ["", _("status: {status}").format(status=status_word(details.status))]
    for name, when in (
        (_("started: {when}"), details.started),
        (_("finished: {when}"), details.finished),
    ):
        if when:
            lines.append(name.format(when=local_time(when)))
    listed = _("{id} ({status})")
    sep = _(", ")
    if details.prerequisites:
        lines.append(
            _("needs: {ids}").format(
                ids=sep.join(
                    listed.format(id=i, status=status_word(s))
                    for i, _t, s in details.prerequisites
                )
            )
        )
    if details.unlocks:
        lines.append(
            _("unlocks: {ids}").format(
                ids=sep.join(
                    listed.format(id=i, status=status_word(s)) for i, _t, s in details.unlocks
                )
            )
        )
    if details.parts:
        progress = details.parts
        lines.append(
            _("parts: {done} of {total} done {bar}").format(
                done=progress.done,
                total=progress.total,
                bar=text_bar(progress.settled, progress.total),
            )
        )
        width = len(details.resource_id) + 1 + len(str(progress.total))
        for part in progress.parts:
            mark = PART_MARKS[progress.status_of(part)]
            lines.append(
                f"  {mark} {part.label:<{width}}  "
                f"{part.display_title(lang)} · {estimate(part.minutes)}"
            )
    if details.notes:
        lines.append(_("notes:"))
        lines += [f"  {local_time(c.at)}  {c.note}" for c in details.notes]
    return lines


PART_MARKS = {"todo": "[ ]", "doing": "[>]", "done": "[x]", "skipped": "[-]"}


def text_bar(part: int, whole: int, width: int = 20) -> str:
    filled = round(width * part / whole) if whole else 0
    if part and not filled:
        filled = 1
    elif part < whole and filled == width:
        filled = width - 1
    return "[" + "#" * filled + "-" * (width - filled) + "]"


# Where a query matched, in words a reader knows (the JSON keeps the field names).
def matched_word(field: str) -> str:
    """A field a query matched in, in the reader's words (the JSON keeps the names)."""
    return {
        "title": _("title"),
        "id": _("id"),
        "author": _("author"),
        "description": _("description"),
        "tags": _("tags"),
        "section": _("section"),
        "title_zh": _("Chinese title"),
        "aliases": _("other name"),
        "title_zh_seed": _("the guide's Chinese wording"),
        "author_zh": _("author (Chinese)"),
        "description_zh": _("Chinese description"),
        "parts": _("parts"),
        "kind": _("kind"),
    }.get(field, field)


def matched_text(fields: tuple[str, ...]) -> str:
    return _(", ").join(matched_word(f) for f in fields)


def search_header() -> tuple[str, ...]:
    return (_("status"), _("id"), _("title"), _("section"), _("matched"))


def search_lines(result: SearchResults, lang: str) -> list[str]:
    if not result.hits:
        return [
            _(
                "Nothing matches '{query}' — try other words, or `mlpath list` for everything."
            ).format(query=result.query)
        ]
    return columns(
        search_header(),
        [
            (
                status_word(hit.status),
                hit.resource.id,
                hit.resource.display_title(lang),
                hit.resource.section,
                matched_text(hit.matched),
            )
            for hit in result.hits
        ],
    )


def opened_lines(result: Opened, lang: str) -> list[str]:
    outcome = result.outcome
    name = label(outcome.resource, lang)
    if outcome.opened:
        lines = [_("opened: {name}").format(name=name), outcome.url]
    else:
        lines = [
            _("no browser can be opened here; the link for {name}:").format(name=name),
            outcome.url,
        ]
    if result.started is not None:
        lines += status_lines(result.started, lang)
    return lines


def exported_lines(result: Exported, lang: str) -> list[str]:
    if result.format == "json":
        line = ngettext(
            "exported {count} change to {path} ({format})",
            "exported {count} changes to {path} ({format})",
            result.changes,
        )
    else:
        line = _("exported your progress to {path} ({format})")
    return [line.format(count=result.changes, path=result.path, format=result.format)]


def moved_line(
    moved: StatusChange,
    resources: Catalog | Mapping[str, Resource] | None,
    parts: dict[str, Part],
    lang: str,
) -> str:
    """`d2l · Dive into Deep Learning: todo → done`, for what an import or a sync moved
    (`resources`: the catalog, or the moved resources by id)."""
    resource = resources.get(moved.resource) if resources is not None else None
    part = parts.get(moved.resource)
    if part is not None:
        name = named(part, lang)
    elif resource is not None:
        name = label(resource, lang)
    else:
        # Own resources an import brings are laid out from the next command on.
        yours = moved.resource.startswith("my-")
        whose = _("yours") if yours else _(NOT_IN_CATALOG)
        name = _("{id} ({whose})").format(id=moved.resource, whose=whose)
    return _("{name}: {before} → {after}").format(
        name=name, before=status_word(moved.before), after=status_word(moved.after)
    )


def import_lines(imported: Imported, lang: str) -> list[str]:
    """Per resource `before → after`, then the counts."""
    report = imported.report
    lines = [
        moved_line(moved, imported.resources, imported.parts, lang)
        for moved in report.status_changes
    ]
    if report.dry_run:
        summary = ngettext(
            "would import {count} change, {present} already present",
            "would import {count} changes, {present} already present",
            report.added,
        )
    else:
        summary = ngettext(
            "imported {count} change, {present} already present",
            "imported {count} changes, {present} already present",
            report.added,
        )
    summary = summary.format(count=report.added, present=report.already_present)
    if report.dry_run:
        summary += _(" (dry run: nothing was written)")
    lines.append(summary)
    return lines


def welcome_lines() -> list[str]:
    commands = [
        ("mlpath next", _("what to do now (start here)")),
        ("mlpath done ID", _("when you have finished it (ID/N for one part)")),
        ("mlpath progress", _("how far along you are")),
        ("mlpath list", _("the whole path")),
    ]
    return [
        Bold(_("mlpath — your path into machine learning, from zero, for free")),
        "",
        *(f"  {command:<20} {what}" for command, what in commands),
        "",
        _("Every command: mlpath --help · one command: mlpath next --help"),
    ]
