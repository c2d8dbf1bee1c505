"""The detail pane: one resource as `mlpath show` tells it, in the reader's language."""

from __future__ import annotations

from rich.text import Text

from mlpath.i18n import _
from mlpath.output.literal import visible
from mlpath.output.words import cost_label, format_minutes, kind_label

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from mlpath.catalog import Part
    from mlpath.details import ResourceDetails


def status_word(status: str) -> str:
    return {
        "todo": _("to do"),
        "doing": _("in progress"),
        "done": _("done"),
        "skipped": _("skipped"),
    }.get(status, status)


def detail_text(
    details: ResourceDetails,
    lang: str,
    part: Part | None = None,
    title_of: Callable[[str], str | None] | None = None,
) -> Text:
    """Title, facts, link, description, status, prerequisites, unlocks, parts and notes.

    Catalog and note text goes in as plain text (never markup), made visible first.
    """
    from mlpath.timefmt import local_time

    text = Text()
    r = details.resource
    if r is None:
        text.append(visible(details.resource_id), "bold")
        return text
    text.append(visible(r.display_title(lang)), "bold")
    text.append("\n" + visible(r.id), "dim")
    facts = [
        visible(details.section_title or r.section),
        kind_label(r.kind),
        cost_label(r),
        _("about {duration}").format(duration=format_minutes(r.minutes)),
    ]
    text.append("\n" + " · ".join(facts))
    author = r.author_zh if lang == "zh" and r.author_zh else r.author
    if author:
        text.append("\n" + _("by {author}").format(author=visible(author)))
    if r.url:
        text.append("\n")
        text.append(visible(r.url), "underline")
    elif r.url_note:
        note = visible(r.display_url_note(lang) or "")
        text.append("\n" + _("no link here: {note}").format(note=note))
    version = r.version("zh") if lang == "zh" else None
    if version is not None:
        # The Chinese edition, as `mlpath show --lang zh` gives it.
        from mlpath.output.plain import VERSION_KINDS_ZH

        kind = VERSION_KINDS_ZH.get(version.kind, version.kind)
        text.append(f"\n{visible(kind)}：{visible(version.title)}\n")
        text.append(visible(version.url), "underline")
    text.append("\n\n" + visible(r.display_description(lang)))
    if part is not None and details.parts is not None:
        status = details.parts.status_of(part)
        text.append("\n\n")
        text.append(
            _("part {position} of {total}: {title}").format(
                position=part.position,
                total=details.parts.total,
                title=visible(part.display_title(lang)),
            ),
            "bold",
        )
        text.append(
            "\n"
            + _("status: {status}").format(status=status_word(status))
            + " · "
            + _("about {duration}").format(duration=format_minutes(part.minutes))
        )
        if part.url:
            text.append("\n")
            text.append(visible(part.url), "underline")
    text.append("\n\n" + _("status: {status}").format(status=status_word(details.status)))
    if details.started:
        text.append("\n" + _("started: {time}").format(time=local_time(details.started)))
    if details.finished:
        text.append("\n" + _("finished: {time}").format(time=local_time(details.finished)))
    if details.parts is not None:
        progress = details.parts
        text.append(
            "\n"
            + _("parts: {done} of {total} done").format(done=progress.done, total=progress.total)
        )
    if details.prerequisites:
        text.append("\n\n" + _("needs:"))
        for pid, title, status in details.prerequisites:
            text.append(
                f"\n  {visible((title_of and title_of(pid)) or title)} ({status_word(status)})"
            )
    if details.unlocks:
        text.append("\n\n" + _("unlocks:"))
        for uid, title, status in details.unlocks:
            text.append(
                f"\n  {visible((title_of and title_of(uid)) or title)} ({status_word(status)})"
            )
    if details.notes:
        text.append("\n\n" + _("notes:"))
        for change in details.notes:
            text.append(f"\n  {local_time(change.at)}  ", "dim")
            text.append(visible(change.note or ""))
    return text
