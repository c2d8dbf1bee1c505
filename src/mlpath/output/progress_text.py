"""`mlpath progress` as plain text: bars, counts, streak, recent activity, calendar."""

from __future__ import annotations

from mlpath.dates import date, timedelta
from mlpath.output.words import (
    aligned,
    counts_text,
    hours,
    hours_text,
    named,
    percent_text,
)
from mlpath.timefmt import local_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.catalog import Part, Resource
    from mlpath.counts import Tally
    from mlpath.progress import Calendar, Orphan, ProgressReport, SectionProgress, Streak, Week
    from mlpath.store import Change

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Calendar shades by number of changes in a day: 0, 1, 2–3, 4–6, 7 or more.
SHADES = ("·", "░", "▒", "▓", "█")
SHADE_FLOORS = (0, 1, 2, 4, 7)
BAR_WIDTH = 20


def shade(count: int) -> str:
    level = sum(count >= floor for floor in SHADE_FLOORS) - 1
    return SHADES[level]


def calendar_lines(cal: Calendar) -> list[str]:
    """A contributions-style grid: a month header, then Mon–Sun rows, one column a week."""
    mondays = [cal.first + timedelta(weeks=w) for w in range(cal.weeks)]
    starts = [
        (2 * col, MONTHS[monday.month - 1])
        for col, monday in enumerate(mondays)
        if col == 0 or monday.month != mondays[col - 1].month
    ]
    header = [" "] * (2 * len(mondays) + 2)
    free_from = len(header)  # labels are placed right to left: a new month wins
    for start, label in reversed(starts):
        if start + len(label) < free_from:
            header[start : start + len(label)] = label
            free_from = start
    lines = ["    " + "".join(header).rstrip()]
    for weekday, name in enumerate(WEEKDAYS):
        cells = []
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            cells.append(shade(cal.count(day)) if day <= cal.today else " ")
        lines.append(f"{name} " + " ".join(cells).rstrip())
    lines.append("    less " + " ".join(SHADES) + " more")
    return lines


def text_bar(t: Tally, width: int = BAR_WIDTH) -> str:
    """`[####~~------]`: done, then skipped, then what is left."""
    done, skipped, left = bar_cells(t, width)
    return "[" + "#" * done + "~" * skipped + "-" * left + "]"


def bar_cells(t: Tally, width: int = BAR_WIDTH) -> tuple[int, int, int]:
    """Cells for done, skipped and left: any share shows, and only all of it fills the bar."""
    if not t.total:
        return 0, 0, width

    def cells(n: int) -> int:
        return max(1, round(width * n / t.total)) if n else 0

    parts = [cells(t.done), cells(t.skipped), cells(t.total - t.settled)]
    # Rounding may miss the width by a cell or two: the largest part absorbs it.
    largest = parts.index(max(parts))
    parts[largest] += width - sum(parts)
    return parts[0], parts[1], parts[2]


def overall_lines(t: Tally) -> list[str]:
    return [
        f"{t.done} of {t.total} done ({percent_text(t.done, t.total)}) · "
        f"done + skipped {percent_text(t.settled, t.total)} · "
        f"{t.doing} in progress · {t.skipped} skipped · {t.todo} to do",
        f"Estimated effort: {hours_text(t)}",
    ]


SCOPE_WORDS = {
    "core": "the core path: required resources, and optional ones you started",
    "free": "the core path and every free optional resource (scope free)",
    "all": "every resource (scope all)",
}


def horizon_lines(report: ProgressReport) -> list[str]:
    """What the figures count, the goal's finish, and this week against the goal."""
    horizon = report.horizon
    lines = [f"Counting {SCOPE_WORDS.get(horizon.scope, horizon.scope)}"]
    if horizon.offered:
        also = "" if horizon.scope == "all" else " (`mlpath goal --scope all` counts them)"
        lines.append(f"  {horizon.offered} more offered, not counted{also}")
    goal = horizon.goal
    if goal is None:
        lines.append("No goal yet — `mlpath goal --hours-per-week 6` sets your pace")
    else:
        line = f"Goal: {goal.hours_per_week:g} h/week"
        if horizon.beyond:
            line += " · done after the year 9999"
        elif horizon.done_by and report.overall.minutes_left:
            line += f" · done by {horizon.done_by[:7]}"
        lines.append(line)
    week = report.week
    if week is not None:
        lines.append(week_text(week))
    return lines


def week_text(week: Week) -> str:
    done = f"This week: {hours(week.minutes)} finished"
    if week.goal_minutes is None or week.expected is None:
        return done
    done = f"This week: {hours(week.minutes)} of {hours(week.goal_minutes)}"
    if week.on_track:
        return f"{done} · on track"
    return f"{done} · behind ({hours(week.expected)} by today at your goal's pace)"


def empty_section_text(sp: SectionProgress) -> str:
    """A section with nothing in the horizon: optional, or empty."""
    return f"{sp.offered} offered, not counted" if sp.offered else "no resources"


def streak_text(s: Streak, today: date) -> str:
    if s.last_active is None:
        return "Streak: none yet — `mlpath done ID` records your first change."
    days = f"{s.days} day{'s' if s.days != 1 else ''}"
    if s.days == 0:
        since = (today - s.last_active).days
        return f"Streak: 0 days (last change {s.last_active.isoformat()}, {since} days ago)"
    when = "today" if s.last_active == today else "yesterday — a change today keeps it going"
    return f"Streak: {days} (last change {when})"


def change_text(c: Change) -> str:
    if c.action == "status":
        return f"→ {c.status}"
    note = (c.note or "").replace("\n", " ")
    return f"note: {note[:40]}…" if len(note) > 40 else f"note: {note}"


def resource_label(
    known: dict[str, Resource], resource_id: str, lang: str, parts: dict[str, Part] | None = None
) -> str:
    resource = known.get(resource_id)
    part = (parts or {}).get(resource_id)
    if part is not None:
        return named(part, lang)
    if resource is None:
        return f"{resource_id} (not in this catalog)"
    return f"{resource_id} · {resource.display_title(lang)}"


def orphan_history(o: Orphan) -> str:
    return f"{o.changes} change{'s' if o.changes != 1 else ''}, last {local_time(o.last_change)}"


def progress_lines(report: ProgressReport, lang: str) -> list[str]:
    """The report as plain text, for pipes."""
    lines = ["Progress", *("  " + line for line in overall_lines(report.overall))]
    lines += ["  " + line for line in horizon_lines(report)]
    lines += ["", "Sections (# done, ~ skipped, - to do)"]
    rows = []
    for sp in report.sections:
        title = sp.section.display_title(lang) + (" (optional)" if sp.section.optional else "")
        rows.append(
            (title, text_bar(sp.tally), counts_text(sp.tally), hours_text(sp.tally))
            if sp.tally.total
            else (title, "", empty_section_text(sp), "")
        )
    lines += aligned(rows, "  ")
    lines += ["", streak_text(report.streak, report.calendar.today)]
    if report.recent:
        lines += ["", "Recent activity"]
        recent = [
            (
                local_time(c.at),
                change_text(c),
                resource_label(report.known, c.resource, lang, report.known_parts),
            )
            for c in report.recent
        ]
        lines += aligned(recent, "  ")
    lines += ["", f"Activity, last {report.calendar.weeks} weeks"]
    lines += ["  " + line for line in calendar_lines(report.calendar)]
    if report.not_in_catalog:
        lines += ["", "Not in this catalog (history kept)"]
        orphans = [(o.id, o.status, orphan_history(o)) for o in report.not_in_catalog]
        lines += aligned(orphans, "  ")
    return lines
