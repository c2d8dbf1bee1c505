"""`mlpath progress` as plain text: bars, counts, streak, recent activity, calendar."""

from __future__ import annotations

from mlpath.dates import date, timedelta
from mlpath.i18n import N_, _, ngettext
from mlpath.output.words import (
    aligned,
    counts_text,
    day_text,
    display_width,
    hours,
    hours_text,
    is_wide,
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

# Marked here, translated where the calendar is drawn (the language is known per run).
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)
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
        (2 * col, _cells(_(MONTHS[monday.month - 1])))
        for col, monday in enumerate(mondays)
        if col == 0 or monday.month != mondays[col - 1].month
    ]
    header = [" "] * (2 * len(mondays) + 2)
    free_from = len(header)  # labels are placed right to left: a new month wins
    for start, label in reversed(starts):
        if start + len(label) < free_from:
            header[start : start + len(label)] = label
            free_from = start
    names = [_(name) for name in WEEKDAYS]
    width = max(display_width(name) for name in names)
    margin = " " * (width + 1)
    lines = [margin + "".join(header).rstrip()]
    for weekday, name in enumerate(names):
        cells = []
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            cells.append(shade(cal.count(day)) if day <= cal.today else " ")
        pad = " " * (width - display_width(name))
        lines.append(f"{name}{pad} " + " ".join(cells).rstrip())
    lines.append(margin + _("less {shades} more").format(shades=" ".join(SHADES)))
    return lines


def _cells(label: str) -> list[str]:
    """A label as terminal cells: a wide character takes its cell and the next one."""
    cells: list[str] = []
    for ch in label:
        cells += [ch, ""] if is_wide(ch) else [ch]
    return cells


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
        _(
            "{done} of {total} done ({done_share}) · done + skipped {settled_share} · "
            "{doing} in progress · {skipped} skipped · {todo} to do"
        ).format(
            done=t.done,
            total=t.total,
            done_share=percent_text(t.done, t.total),
            settled_share=percent_text(t.settled, t.total),
            doing=t.doing,
            skipped=t.skipped,
            todo=t.todo,
        ),
        _("Estimated effort: {hours}").format(hours=hours_text(t)),
    ]


def scope_words(scope: str) -> str:
    return {
        "core": _("the core path: required resources, and optional ones you started"),
        "free": _("the core path and every free optional resource (scope free)"),
        "all": _("every resource (scope all)"),
    }.get(scope, scope)


def horizon_lines(report: ProgressReport) -> list[str]:
    """What the figures count, the goal's finish, and this week against the goal."""
    from mlpath.output.words import month_text

    horizon = report.horizon
    lines = [_("Counting {what}").format(what=scope_words(horizon.scope))]
    if horizon.offered:
        if horizon.scope == "all":
            more = _("  {count} more offered, not counted")
        else:
            more = _("  {count} more offered, not counted (`mlpath goal --scope all` counts them)")
        lines.append(more.format(count=horizon.offered))
    goal = horizon.goal
    if goal is None:
        lines.append(_("No goal yet — `mlpath goal --hours-per-week 6` sets your pace"))
    else:
        line = _("Goal: {hours} h/week").format(hours=f"{goal.hours_per_week:g}")
        if horizon.beyond:
            line += _(" · done after the year 9999")
        elif horizon.done_by and report.overall.minutes_left:
            line += _(" · done by {month}").format(month=month_text(horizon.done_by))
        lines.append(line)
    week = report.week
    if week is not None:
        lines.append(week_text(week))
    return lines


def week_text(week: Week) -> str:
    if week.goal_minutes is None or week.expected is None:
        return _("This week: {hours} finished").format(hours=hours(week.minutes))
    done = _("This week: {hours} of {goal}").format(
        hours=hours(week.minutes), goal=hours(week.goal_minutes)
    )
    if week.on_track:
        return done + _(" · on track")
    return done + _(" · behind ({hours} by today at your goal's pace)").format(
        hours=hours(week.expected)
    )


def empty_section_text(sp: SectionProgress) -> str:
    """A section with nothing in the horizon: optional, or empty."""
    if sp.offered:
        return _("{count} offered, not counted").format(count=sp.offered)
    return _("no resources")


def streak_text(s: Streak, today: date) -> str:
    if s.last_active is None:
        return _("Streak: none yet — `mlpath done ID` records your first change.")
    if s.days == 0:
        since = (today - s.last_active).days
        return ngettext(
            "Streak: 0 days (last change {day}, {since} day ago)",
            "Streak: 0 days (last change {day}, {since} days ago)",
            since,
        ).format(day=day_text(s.last_active.isoformat()), since=since)
    if s.last_active == today:
        streak = ngettext(
            "Streak: {days} day (last change today)",
            "Streak: {days} days (last change today)",
            s.days,
        )
    else:
        streak = ngettext(
            "Streak: {days} day (last change yesterday — a change today keeps it going)",
            "Streak: {days} days (last change yesterday — a change today keeps it going)",
            s.days,
        )
    return streak.format(days=s.days)


def change_text(c: Change) -> str:
    from mlpath.output.words import status_word

    if c.action == "status":
        return f"→ {status_word(c.status or '')}"
    note = (c.note or "").replace("\n", " ")
    shown = f"{note[:40]}…" if len(note) > 40 else note
    return _("note: {note}").format(note=shown)


def resource_label(
    known: dict[str, Resource], resource_id: str, lang: str, parts: dict[str, Part] | None = None
) -> str:
    resource = known.get(resource_id)
    part = (parts or {}).get(resource_id)
    if part is not None:
        return named(part, lang)
    if resource is None:
        return _("{id} (not in this catalog)").format(id=resource_id)
    return f"{resource_id} · {resource.display_title(lang)}"


def orphan_history(o: Orphan) -> str:
    return ngettext(
        "{count} change, last {when}", "{count} changes, last {when}", o.changes
    ).format(count=o.changes, when=local_time(o.last_change))


def progress_lines(report: ProgressReport, lang: str) -> list[str]:
    """The report as plain text, for pipes."""
    from mlpath.output.words import status_word

    lines = [_("Progress"), *("  " + line for line in overall_lines(report.overall))]
    lines += ["  " + line for line in horizon_lines(report)]
    lines += ["", _("Sections (# done, ~ skipped, - to do)")]
    rows = []
    for sp in report.sections:
        optional = _(" (optional)") if sp.section.optional else ""
        title = sp.section.display_title(lang) + optional
        rows.append(
            (title, text_bar(sp.tally), counts_text(sp.tally), hours_text(sp.tally))
            if sp.tally.total
            else (title, "", empty_section_text(sp), "")
        )
    lines += aligned(rows, "  ")
    lines += ["", streak_text(report.streak, report.calendar.today)]
    if report.recent:
        lines += ["", _("Recent activity")]
        recent = [
            (
                local_time(c.at),
                change_text(c),
                resource_label(report.known, c.resource, lang, report.known_parts),
            )
            for c in report.recent
        ]
        lines += aligned(recent, "  ")
    lines += ["", activity_heading(report.calendar.weeks)]
    lines += ["  " + line for line in calendar_lines(report.calendar)]
    if report.not_in_catalog:
        lines += ["", _("Not in this catalog (history kept)")]
        orphans = [(o.id, status_word(o.status), orphan_history(o)) for o in report.not_in_catalog]
        lines += aligned(orphans, "  ")
    return lines


def activity_heading(weeks: int) -> str:
    return ngettext("Activity, last {weeks} week", "Activity, last {weeks} weeks", weeks).format(
        weeks=weeks
    )
