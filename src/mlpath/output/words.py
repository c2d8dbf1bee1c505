"""Small pieces of wording every renderer shares: durations, costs, counts."""

from __future__ import annotations

from mlpath.catalog import Part
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from mlpath.catalog import Resource
    from mlpath.counts import Tally
    from mlpath.goal import Horizon


def named(thing: Resource | Part, lang: str) -> str:
    """`d2l · Dive into Deep Learning`, `d2l/3 · Linear Neural Networks`: an id people type,
    then its title."""
    typed = thing.label if isinstance(thing, Part) else thing.id
    yours = _(" (yours)") if thing.own else ""  # added by the learner, not the catalog's
    return f"{typed} · {thing.display_title(lang)}{yours}"


def status_word(status: str) -> str:
    """A status in prose, in the reader's language (`--status` still takes the English)."""
    return {
        "todo": _("todo"),
        "doing": _("doing"),
        "done": _("done"),
        "skipped": _("skipped"),
    }.get(status, status)


def format_minutes(minutes: int) -> str:
    """Human estimate: '45 min', '1 h 30 min', '12 h' (in the reader's language)."""
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours >= 10 or rest == 0:
        return _("{hours} h").format(hours=round(minutes / 60))
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def estimate(minutes: int) -> str:
    """A resource's or part's estimate: `format_minutes`, or "no estimate" for one of
    the learner's own added without one (it counts as nothing, but is not "0 min")."""
    return format_minutes(minutes) if minutes else _("no estimate")


def about_estimate(minutes: int) -> str:
    """'about 1 h 30 min', or "no estimate"."""
    if not minutes:
        return _("no estimate")
    return _("about {duration}").format(duration=format_minutes(minutes))


def hours(minutes: int) -> str:
    """Estimated hours, compact: '0 h', '0.5 h', '7.3 h', '20 h'."""
    value = minutes / 60
    shown = str(round(value)) if value >= 10 else f"{value:.1f}".removesuffix(".0")
    return _("{hours} h").format(hours=shown)


def cost_label(resource: Resource) -> str:
    return cost_text(resource.cost, resource.free_to_audit)


def cost_text(cost: str, free_to_audit: bool) -> str:
    if cost == "free":
        return _("free")
    return _("paid (free to audit)") if free_to_audit else _("paid")


def kind_label(kind: str) -> str:
    """A catalog's kind of resource in the reader's language (itself if not one of ours)."""
    return {
        "video": _("video"),
        "lectures": _("lectures"),
        "course": _("course"),
        "article": _("article"),
        "book": _("book"),
        "tutorial": _("tutorial"),
        "exercises": _("exercises"),
        "website": _("website"),
        "community": _("community"),
        "cheatsheet": _("cheatsheet"),
        "channel": _("channel"),
        "newsletter": _("newsletter"),
        "publication": _("publication"),
        "guide": _("guide"),
        "own": _("own"),
    }.get(kind, kind)


def day_text(day: str) -> str:
    """`2027-09-06` (a YYYY-MM-DD date), the reader's way: 2027 年 9 月 6 日 in Chinese."""
    year, month, dom = day[:4], day[5:7], day[8:10]
    return _("{year}-{month02}-{day02}").format(
        year=year, month02=month, day02=dom, month=int(month), day=int(dom)
    )


def month_text(day: str) -> str:
    """`2027-09` (a YYYY-MM-DD date's month), the reader's way: 2027 年 9 月 in Chinese."""
    year, month = day[:4], day[5:7]
    return _("{year}-{month02}").format(year=year, month02=month, month=int(month))


def progress_line(t: Tally, horizon: Horizon | None = None) -> str:
    """`12 of 47 done · about 380 h left · at 6 h/week: done by 2027-09`."""
    left = format_minutes(t.minutes_left) if t.minutes_left else _("nothing")
    line = _("{done} of {total} done · about {left} left").format(
        done=t.done, total=t.total, left=left
    )
    pace = finish_text(horizon) if horizon is not None and t.minutes_left else None
    return f"{line} · {pace}" if pace else line


def finish_text(horizon: Horizon) -> str | None:
    """`at 6 h/week: done by 2027-09`; None without a goal."""
    goal = horizon.goal
    if goal is None:
        return None
    pace = f"{goal.hours_per_week:g}"
    if horizon.beyond:
        return _("at {hours} h/week: done after the year 9999").format(hours=pace)
    if horizon.done_by is None:
        return None
    return _("at {hours} h/week: done by {month}").format(
        hours=pace, month=month_text(horizon.done_by)
    )


def percent_text(part: int, whole: int) -> str:
    """Whole percent that never claims 0% for some or 100% for not all."""
    if not whole:
        return "0%"
    value = round(100 * part / whole)
    if part and value == 0:
        value = 1
    elif part < whole and value == 100:
        value = 99
    return f"{value}%"


def counts_text(t: Tally) -> str:
    parts = [_("{done}/{total} done").format(done=t.done, total=t.total)]
    if t.doing:
        parts.append(_("{count} in progress").format(count=t.doing))
    if t.skipped:
        parts.append(_("{count} skipped").format(count=t.skipped))
    return _(", ").join(parts)


def hours_text(t: Tally) -> str:
    return _("{done} done · {left} left").format(
        done=hours(t.minutes_done), left=hours(t.minutes_left)
    )


def display_width(text: str) -> int:
    """Terminal columns a string takes: CJK characters take two."""
    if text.isascii():
        return len(text)
    # Below U+231A the only wide characters are Hangul Jamo (U+1100-U+115F): dashes,
    # arrows, accents and the like, which fill English tables, skip the look-up.
    highest = max(text)
    if highest < "\u1100" or (
        highest < "\u231a" and not any("\u1100" <= ch < "\u1160" for ch in text)
    ):
        return len(text)
    from unicodedata import east_asian_width

    # Inline rather than is_wide per character: Chinese lines are most of what is measured.
    return len(text) + sum(
        1
        for ch in text
        if "\u4e00" <= ch <= "\u9fff"  # CJK ideographs: all wide, no look-up
        or (ch >= "\u1100" and not "\u1160" <= ch < "\u231a" and east_asian_width(ch) in "WF")
    )


def is_wide(ch: str) -> bool:
    """A character that takes two terminal columns (CJK ideographs, kana, full-width marks)."""
    if ch < "\u1100" or "\u1160" <= ch < "\u231a":  # see display_width
        return False
    from unicodedata import east_asian_width

    return east_asian_width(ch) in "WF"


def aligned(rows: Sequence[tuple[str, ...]], indent: str = "") -> list[str]:
    """Rows in columns two spaces apart, padded by display width; no colour, no wrapping."""
    if not rows:
        return []
    from mlpath.output.literal import visible

    # Measured as they will be written: outside text's control characters made visible.
    shown = [tuple(map(visible, row)) for row in rows]
    widths = [max(map(display_width, column)) for column in zip(*shown, strict=True)]
    # ljust pads by characters: a wide character takes one more column than it counts.
    return [
        (
            indent
            + "  ".join(
                cell.ljust(width)
                if cell.isascii()
                else cell.ljust(width + len(cell) - display_width(cell))
                for cell, width in zip(row, widths, strict=True)
            )
        ).rstrip()
        for row in shown
    ]


def columns(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    """A table for pipes: a header line, then the rows, aligned."""
    return aligned([header, *rows])


def wrapped(lines: Sequence[str], width: int) -> list[str]:
    """Lines folded to fit `width` columns, each continuation indented two more than its
    line, so an indented detail stays indented. Latin text folds at spaces, Chinese
    between characters (see mlpath.output.linebreak); a word wider than the line (a long
    url) is kept whole, never cut: people copy ids and links.
    """
    from mlpath.output.linebreak import fold
    from mlpath.output.literal import Bold, visible

    out: list[str] = []
    for line in lines:
        shown = visible(line)
        if display_width(shown) <= width:
            out.append(line)
            continue
        lead = shown[: len(shown) - len(shown.lstrip(" "))]
        pieces = fold(shown.lstrip(" "), width, lead, display_width, is_wide)
        out += [Bold(piece) if isinstance(line, Bold) else piece for piece in pieces]
    return out
