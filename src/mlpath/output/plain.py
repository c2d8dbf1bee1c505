"""Plain-text renderings of the daily commands' results: for pipes, files and terminals.

Each function returns lines; the writer (mlpath.output.literal) makes every line's
outside text visible, so a title or note can never hold a line break or an escape.
"""

from __future__ import annotations

from mlpath.i18n import _
from mlpath.output.literal import Bold
from mlpath.output.words import (
    columns,
    cost_label,
    format_minutes,
    named,
    plural,
    progress_line,
)
from mlpath.part_status import is_part_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.catalog import Resource
    from mlpath.details import ResourceDetails
    from mlpath.next_steps import NextLine, NextResult, Step
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

NOT_IN_CATALOG = "not in this catalog"


def local_time(stamp: str) -> str:
    # datetime is imported only by the renderings that show a time: not by `next`.
    from mlpath.timefmt import local_time

    return local_time(stamp)


def label(resource: Resource, lang: str) -> str:
    return named(resource, lang)


def step_reason(step: Step) -> str:
    progress = f"{step.section_done} of {step.section_total} done"
    if step.status == "doing":
        started = f" (started {step.started_on})" if step.started_on else ""
        return f"continue{started} — {step.section_title}, {progress}"
    return f"next in {step.section_title} — {progress}"


def next_short_lines(line: NextLine, lang: str) -> list[str]:
    if not line.next.steps:
        return []
    step = line.next.steps[0]
    first = step.resource
    part = step.parts.next if step.parts else None
    if part is not None:
        return [f"▶ {named(part, lang)} ({first.section})"]
    return [f"▶ {label(first, lang)} ({first.section})"]


def next_lines(result: NextResult, lang: str) -> list[str]:
    if not result.steps:
        if result.path_complete:
            return ["The whole path is done — well done! `mlpath progress` shows the journey."]
        return ["Nothing to do next with these filters — try without them."]
    lines: list[str] = []
    for step in result.steps:
        r = step.resource
        part = step.parts.next if step.parts else None
        details = [step.section_title, r.kind, cost_label(r), f"about {format_minutes(r.minutes)}"]
        lines.append(Bold(f"▶ {label(r, lang)}"))
        if step.parts is not None and part is not None:
            lines.append(
                f"  {part.label} · {part.position} of {step.parts.total} · "
                f"{part.display_title(lang)} · about {format_minutes(part.minutes)}"
            )
            if step.parts.minutes_settled:
                left = r.minutes - step.parts.minutes_settled
                details[-1] = f"about {format_minutes(left)} left"
        lines.append("  " + " · ".join(details))
        url = (part.url if part else None) or r.url
        if url:
            lines.append(f"  {url}")
        elif r.url_note:
            lines.append(f"  no link here: {r.url_note}")
        lines += [f"  {step_reason(step)}", ""]
    return [*lines, progress_line(result.totals, result.horizon)]


VERBS = {"done": "done", "doing": "started", "skipped": "skipped", "todo": "reset"}
ALREADY = {
    "done": "already done",
    "doing": "already started",
    "skipped": "already skipped",
    "todo": "already to do",
}


def status_lines(result: StatusChanges, lang: str) -> list[str]:
    lines = []
    for o in result.outcomes:
        name = named(o.part or o.resource, lang)
        if o.alternative_of:
            lines.append(f"skipped too: {name} — the same material as {o.alternative_of}")
        elif o.follows:
            lines.append(f"{FOLLOWS[o.follows]}: {name} (was {o.before})")
        elif o.changed:
            was = f" (was {o.before})" if o.before != "todo" else ""
            moved = f", {plural(o.parts_moved, 'part')} with it" if o.parts_moved else ""
            lines.append(f"{VERBS[result.status]}: {name}{was}{moved}")
        else:
            lines.append(f"{ALREADY[result.status]}: {name} — nothing recorded")
    return lines


# What a resource became because of its parts.
FOLLOWS = {
    "done": "done, every part",
    "skipped": "skipped, every part",
    "doing": "now in progress",
    "todo": "back to do",
}


def nothing_to_reset_lines(result: NothingToReset, lang: str) -> list[str]:
    return ["Nothing to reset: every resource is already to do."]


ACTION_WORDS = {"note": "note on"}


def undone_lines(result: Undone, lang: str) -> list[str]:
    lines = []
    parts: dict[tuple[str, str], list[Change]] = {}
    for c in result.changes:
        what = (c.status or "") if c.action == "status" else ACTION_WORDS.get(c.action, c.action)
        if c.action == "define":
            from mlpath.output.own_text import undone_words

            lines.append(f"undid: {undone_words(c)} ({local_time(c.at)})")
            continue
        if is_part_key(c.resource) and c.action == "status":
            parts.setdefault((what, c.resource.split("/")[0]), []).append(c)
            continue
        lines.append(f"undid: {what} {c.resource} ({local_time(c.at)})")
    for (what, resource), changes in parts.items():
        if len(changes) == 1:
            lines.append(f"undid: {what} {changes[0].resource} ({local_time(changes[0].at)})")
        else:
            count = plural(len(changes), "part")
            lines.append(f"undid: {what} {count} of {resource} ({local_time(changes[0].at)})")
    return lines


def noted_lines(result: Noted, lang: str) -> list[str]:
    return [f"noted: {result.resource.id}"]


def change_words(c: Change) -> str:
    if c.action == "status":
        return f"→ {c.status}"
    if c.action == "note":
        return f"note: {c.note}"
    if c.action == "define":
        from mlpath.output.own_text import define_words

        return define_words(c)
    return "undo"


def history_lines(result: History, lang: str) -> list[str]:
    if not result.changes:
        return ["No changes yet — `mlpath done ID` records the first."]
    rows = [(local_time(c.at), c.resource, change_words(c)) for c in result.changes]
    lines = columns(("when", "resource", "change"), rows)
    if result.more:
        lines.append(f"(older changes not shown: `mlpath history --limit {len(rows) * 5}`)")
    return lines


def listing_lines(result: Listing, lang: str) -> list[str]:
    if not result.resources:
        return ["No resource matches these filters."]
    return columns(
        ("status", "id", "title", "section", "kind", "cost", "time"),
        [
            (
                result.status(r.id),
                r.id,
                r.display_title(lang),
                r.section,
                r.kind,
                cost_label(r),
                format_minutes(r.minutes),
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
            "optional" if s.section.optional else "",
        )
        for s in result.sections
    ]


SECTIONS_HEADER = ("id", "title", "resources", "done", "time", "")


def sections_lines(result: Sections, lang: str) -> list[str]:
    return columns(SECTIONS_HEADER, section_rows(result, lang))


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
        lines = [f"{details.resource_id} — not in this catalog (its history is kept)"]
    else:
        lines = [
            label(r, lang),
            f"  {details.section_title} · {r.kind} · {cost_label(r)} · "
            f"about {format_minutes(r.minutes)}",
        ]
        if r.author:
            lines.append(f"  by {r.author}")
        if r.url:
            lines.append(f"  {r.url}")
        elif r.url_note:
            lines.append(f"  no link here: {r.url_note}")
        lines += _chinese_version_lines(r, lang)
        lines += ["", f"  {r.display_description(lang)}"]
        if r.minutes_note:
            lines.append(f"  (estimate: {r.minutes_note})")
    lines += ["", f"status: {details.status}"]
    for name, when in (("started", details.started), ("finished", details.finished)):
        if when:
            lines.append(f"{name}: {local_time(when)}")
    if details.prerequisites:
        lines.append("needs: " + ", ".join(f"{i} ({s})" for i, _, s in details.prerequisites))
    if details.unlocks:
        lines.append("unlocks: " + ", ".join(f"{i} ({s})" for i, _, s in details.unlocks))
    if details.parts:
        progress = details.parts
        lines.append(
            f"parts: {progress.done} of {progress.total} done "
            f"{text_bar(progress.settled, progress.total)}"
        )
        width = len(details.resource_id) + 1 + len(str(progress.total))
        for part in progress.parts:
            mark = PART_MARKS[progress.status_of(part)]
            lines.append(
                f"  {mark} {part.label:<{width}}  "
                f"{part.display_title(lang)} · {format_minutes(part.minutes)}"
            )
    if details.notes:
        lines.append("notes:")
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
MATCHED_WORDS = {
    "title_zh": "Chinese title",
    "aliases": "other name",
    "title_zh_seed": "the guide's Chinese wording",
    "author_zh": "author (Chinese)",
    "description_zh": "Chinese description",
}


def matched_text(fields: tuple[str, ...]) -> str:
    return ", ".join(MATCHED_WORDS.get(f, f) for f in fields)


def search_lines(result: SearchResults, lang: str) -> list[str]:
    if not result.hits:
        return [
            f"Nothing matches '{result.query}' — try other words, or `mlpath list` for everything."
        ]
    return columns(
        ("status", "id", "title", "section", "matched"),
        [
            (
                hit.status,
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
        lines = [f"opened: {name}", outcome.url]
    else:
        lines = [f"no browser can be opened here; the link for {name}:", outcome.url]
    if result.started is not None:
        lines += status_lines(result.started, lang)
    return lines


def exported_lines(result: Exported, lang: str) -> list[str]:
    what = f"{result.changes} changes" if result.format == "json" else "your progress"
    return [f"exported {what} to {result.path} ({result.format})"]


def import_lines(imported: Imported, lang: str) -> list[str]:
    """Per resource `before → after`, then the counts."""
    report = imported.report
    lines = []
    for moved in report.status_changes:
        resource = imported.catalog.get(moved.resource)
        part = imported.parts.get(moved.resource)
        if part is not None:
            name = named(part, lang)
        elif resource is not None:
            name = label(resource, lang)
        else:
            # Own resources an import brings are laid out from the next command on.
            yours = moved.resource.startswith("my-")
            name = f"{moved.resource} ({'yours' if yours else NOT_IN_CATALOG})"
        lines.append(f"{name}: {moved.before} → {moved.after}")
    noun = "change" if report.added == 1 else "changes"
    verb = "would import" if report.dry_run else "imported"
    summary = f"{verb} {report.added} {noun}, {report.already_present} already present"
    if report.dry_run:
        summary += " (dry run: nothing was written)"
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
