"""The shared page as HTML: one self-contained file from the Jinja2 templates beside this.

Autoescaping is on for every template, and every value a template prints passes
`visible` first (Jinja2's `finalize`): titles, notes and imported text are outside
text, shown literally, and a control character becomes a visible escape as it does in
a terminal (HTML cannot hold most of them at all). Links are only ever http(s). The
page's own words come from `words()` in Python, so gettext's tools find them.
"""

from __future__ import annotations

import os
from datetime import timedelta

from mlpath.counts import percent
from mlpath.i18n import _, ngettext
from mlpath.output.literal import visible
from mlpath.output.words import hours, kind_label, month_text, percent_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jinja2 import Environment

    from mlpath.counts import Tally
    from mlpath.progress import Calendar
    from mlpath.share.page import Entry, Page

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
# Calendar geometry, in SVG user units: a cell and the gap after it, and the margins
# that hold the month and weekday labels.
CELL, GAP, LEFT, TOP = 10, 3, 30, 16
# Calendar shades by number of changes in a day (as `mlpath progress` shades them).
SHADE_FLOORS = (0, 1, 2, 4, 7)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LANG_TAGS = {"zh": "zh-Hans"}
# What is still to do in a section, listed by name: the next few, then a count.
UP_NEXT = 10


def words() -> dict[str, str]:
    """The page's own words, in the active language."""
    return {
        "title": _("My machine learning path"),
        "following": _("Following"),
        "by": _("by"),
        "glance": _("At a glance"),
        "done_word": _("done"),
        "done": _("Done"),
        "doing": _("In progress"),
        "skipped": _("Skipped"),
        "todo": _("To do"),
        "hours_done": _("Hours done"),
        "hours_left": _("Hours left (estimate)"),
        "streak": _("Streak"),
        "goal": _("Goal"),
        "no_goal": _("no goal set"),
        "activity": _("Activity"),
        "less": _("less"),
        "more": _("more"),
        "finished": _("Finished"),
        "none_finished": _("Nothing finished yet."),
        "path": _("The path"),
        "optional": _("optional"),
        "notes": _("Notes"),
        "active_days": _("Active days"),
        "date": _("Date"),
        "changes": _("Changes"),
    }


def status_words() -> dict[str, str]:
    return {
        "done": _("Done"),
        "doing": _("In progress"),
        "skipped": _("Skipped"),
        "todo": _("To do"),
    }


def safe_url(url: str | None) -> str | None:
    """A link the page may carry: http or https only (a `javascript:` link runs code)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def shade(count: int) -> int:
    return sum(count >= floor for floor in SHADE_FLOORS) - 1


def streak_text(days: int) -> str:
    return ngettext("{days} day", "{days} days", days).format(days=days)


def calendar_view(cal: Calendar, lang: str) -> dict[str, Any]:
    """Cells, month and weekday labels of the activity calendar, and its text alternative."""
    cells = []
    months = []
    active = 0
    for week in range(cal.weeks):
        monday = cal.first + timedelta(weeks=week)
        x = LEFT + week * (CELL + GAP)
        if week == 0 or monday.month != (monday - timedelta(weeks=1)).month:
            if week < cal.weeks - 2:  # no room for a label in the last columns
                months.append({"x": x, "text": month_label(monday.month, lang)})
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > cal.today:
                break
            count = cal.count(day)
            active += count > 0
            cells.append(
                {
                    "x": x,
                    "y": TOP + weekday * (CELL + GAP),
                    "level": shade(count),
                    "title": ngettext(
                        "{date}: {count} change", "{date}: {count} changes", count
                    ).format(date=day.isoformat(), count=count),
                }
            )
    total = sum(cal.counts.values())
    # Chinese runs its clauses together, its own punctuation between them.
    summary = ("" if lang == "zh" else " ").join(
        (
            ngettext("{count} change", "{count} changes", total).format(count=total),
            ngettext("on {count} day", "on {count} days", active).format(count=active),
            _("from {first} to {last}").format(
                first=cal.first.isoformat(), last=cal.today.isoformat()
            ),
        )
    )
    days = [
        {"date": day.isoformat(), "count": count}
        for day, count in sorted(cal.counts.items())
        if count
    ]
    return {
        "cells": cells,
        "months": months,
        "weekdays": [
            {"y": TOP + row * (CELL + GAP) + CELL - 1, "text": name}
            for row, name in ((0, _("Mon")), (2, _("Wed")), (4, _("Fri")))
        ],
        "width": LEFT + cal.weeks * (CELL + GAP),
        "height": TOP + 7 * (CELL + GAP),
        "summary": summary,
        "days": days,
        "levels": [{"x": i * (CELL + GAP), "level": i} for i in range(len(SHADE_FLOORS))],
    }


def month_label(month: int, lang: str) -> str:
    return f"{month}月" if lang == "zh" else MONTHS[month - 1]


def bar_view(t: Tally) -> dict[str, Any]:
    """Shares of a bar, in percent of its width: done, then skipped, then the rest."""
    done = percent(t.done, t.total)
    skipped = percent(t.skipped, t.total)
    return {"done": done, "skipped": skipped, "skipped_x": done}


def counts_line(t: Tally) -> str:
    text = _("{done} of {total} done").format(done=t.done, total=t.total)
    if t.doing:
        text += " · " + _("{count} in progress").format(count=t.doing)
    if t.skipped:
        text += " · " + _("{count} skipped").format(count=t.skipped)
    return text


def entry_view(entry: Entry, lang: str) -> dict[str, Any]:
    r = entry.resource
    meta = [kind_label(r.kind), hours(r.minutes)]
    if r.own:
        meta.append(_("added by me"))
    parts = [
        {"title": p.part.display_title(lang), "status": p.status, "url": safe_url(p.part.url)}
        for p in entry.parts
    ]
    return {
        "title": r.display_title(lang),
        "url": safe_url(r.url),
        "status": entry.status,
        "finished": entry.finished,
        "meta": " · ".join(meta),
        "parts": parts,
        "parts_summary": _("{done} of {total} parts done").format(
            done=entry.parts_done, total=len(entry.parts)
        )
        if parts
        else "",
        # A note keeps its lines (split at newlines only: every other separator or
        # control character is shown as an escape, as in a terminal).
        "notes": [note.replace("\r\n", "\n").split("\n") for note in entry.notes],
    }


def todo_view(entry: Entry, lang: str) -> dict[str, Any]:
    """What is still to do, in a line: its title, link, kind and estimate."""
    r = entry.resource
    return {
        "title": r.display_title(lang),
        "url": safe_url(r.url),
        "meta": f"{kind_label(r.kind)} · {hours(r.minutes)}",
    }


def page_context(page: Page, lang: str) -> dict[str, Any]:
    from mlpath import __version__

    report = page.report
    overall = report.overall
    goal = report.horizon.goal
    section_titles = {sp.section.id: sp.section.display_title(lang) for sp in page.sections}
    finished = []
    for entry in page.finished:
        view = entry_view(entry, lang)
        view["section"] = section_titles.get(entry.resource.section, "")
        finished.append(view)
    pace = None
    if goal is not None:
        pace = _("{hours} h/week").format(hours=f"{goal.hours_per_week:g}")
        if report.horizon.beyond and overall.minutes_left:
            pace += " · " + _("done after the year 9999")
        elif report.horizon.done_by and overall.minutes_left:
            pace += " · " + _("done by {month}").format(month=month_text(report.horizon.done_by))
    return {
        "lang_tag": LANG_TAGS.get(lang, lang),
        "t": words(),
        "status": status_words(),
        "version": page.version or __version__,
        "made": page.today.isoformat(),
        "made_line": _("Made with mlpath {version} on {date}.").format(
            version=page.version or __version__, date=page.today.isoformat()
        ),
        "source": {
            "title": str(page.source.get("title") or ""),
            "author": str(page.source.get("author") or ""),
            "url": safe_url(str(page.source.get("url") or "")),
        },
        "percent": percent_text(overall.done, overall.total),
        "counts": _("{done} of {total}").format(done=overall.done, total=overall.total),
        "overall": overall,
        "overall_bar": bar_view(overall),
        "bar_label": _("{percent} done: {done} of {total}").format(
            percent=percent_text(overall.done, overall.total),
            done=overall.done,
            total=overall.total,
        ),
        "hours_done": hours(overall.minutes_done),
        "hours_left": hours(overall.minutes_left),
        "streak": streak_text(report.streak.days),
        "pace": pace,
        "calendar": calendar_view(report.calendar, lang),
        "finished": finished,
        "sections": [
            {
                "n": index,
                "title": sp.section.display_title(lang),
                "optional": sp.section.optional,
                "counts": counts_line(sp.tally) if sp.tally.total else "",
                "hours": _("{done} done · {left} left").format(
                    done=hours(sp.tally.minutes_done), left=hours(sp.tally.minutes_left)
                ),
                "bar": bar_view(sp.tally),
                "bar_label": counts_line(sp.tally),
                "total": sp.tally.total,
                "shown": [entry_view(e, lang) for e in sp.shown],
                "todo": [todo_view(e, lang) for e in sp.todo[:UP_NEXT]],
                "todo_summary": ngettext(
                    "{count} still to do", "{count} still to do", len(sp.todo)
                ).format(count=len(sp.todo)),
                "todo_more": ngettext("and {count} more", "and {count} more", extra).format(
                    count=extra
                )
                if (extra := len(sp.todo) - UP_NEXT) > 0
                else "",
                "offered": ngettext(
                    "{count} more optional resource not chosen",
                    "{count} more optional resources not chosen",
                    sp.offered,
                ).format(count=sp.offered)
                if sp.offered
                else "",
            }
            for index, sp in enumerate(page.sections, 1)
        ],
        "with_notes": page.with_notes,
    }


def _finalize(value: object) -> object:
    """Every printed text shown literally. Only plain text: a macro's output is Markup,
    mlpath's own markup, already made of values that passed here."""
    return visible(value) if type(value) is str else value


_environment: Environment | None = None


def environment() -> Environment:
    global _environment
    if _environment is None:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined

        _environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            bytecode_cache=_bytecode_cache(),
            autoescape=True,
            finalize=_finalize,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    return _environment


def _bytecode_cache() -> Any:
    """Compiled templates kept in mlpath's cache directory: compiling them again costs
    more than the rest of `mlpath share` together. None where it cannot be written."""
    from jinja2 import FileSystemBytecodeCache

    from mlpath.paths import cache_dir

    directory = os.path.join(cache_dir(), "templates")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(directory, "%s.jinja")


def render_page(page: Page, lang: str) -> str:
    """The page as one HTML document: CSS inline, charts inline SVG, no script."""
    return environment().get_template("page.html.j2").render(page_context(page, lang))
