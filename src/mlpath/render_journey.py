"""Rich renderings of `progress` and `plan`, for a terminal. No Typer here."""

from __future__ import annotations

from mlpath.path import format_minutes
from mlpath.text import console
from mlpath.timefmt import local_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from mlpath import journey


def print_all(renderables: list[RenderableType]) -> None:
    out = console()
    for renderable in renderables:
        out.print(renderable)


SHADE_STYLES = ("bright_black", "green", "green", "bright_green", "bold bright_green")


def _plain_table(columns: int, fixed: tuple[int, ...] = ()) -> Table:
    """Aligned rows without a header or lines; columns in `fixed` never wrap."""
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    for i in range(columns):
        table.add_column(no_wrap=i in fixed)
    return table


def _indent(renderable: RenderableType) -> RenderableType:
    from rich.padding import Padding

    return Padding(renderable, (0, 0, 0, 2), expand=False)


def _bar(t: journey.Tally) -> Text:
    from rich.text import Text

    from mlpath import journey

    done, skipped, left = journey.bar_cells(t)
    bar = Text()
    # Distinct glyphs as well as colours, so the bar still reads under NO_COLOR.
    bar.append("━" * done, style="green")
    bar.append("┅" * skipped, style="yellow")
    bar.append("─" * left, style="bright_black")
    return bar


def progress_renderables(report: journey.ProgressReport, lang: str) -> list[RenderableType]:
    from rich.text import Text

    from mlpath import journey

    overall = report.overall
    out: list[RenderableType] = [Text("Progress", style="bold")]
    out += [Text("  " + line) for line in journey.overall_lines(overall)]
    out.append(Text())

    out.append(Text("Sections (━ done, ┅ skipped, ─ to do)", style="bold"))
    sections = _plain_table(5, fixed=(1, 2))
    for sp in report.sections:
        title = Text(sp.section.display_title(lang))
        if sp.section.optional:
            title.append(" (optional)", style="dim")
        if not sp.tally.total:
            sections.add_row(title, "", "", "no resources", "")
            continue
        sections.add_row(
            title,
            _bar(sp.tally),
            journey.percent_text(sp.tally.done, sp.tally.total),
            journey.counts_text(sp.tally),
            journey.hours_text(sp.tally),
        )
    out += [_indent(sections), Text()]
    out.append(Text(journey.streak_text(report.streak, report.calendar.today), style="bold"))

    if report.recent:
        recent = _plain_table(3)
        for c in report.recent:
            label = journey.resource_label(report.known, c.resource, lang)
            recent.add_row(local_time(c.at), journey.change_text(c), label)
        out += [Text(), Text("Recent activity", style="bold"), _indent(recent)]

    out += [Text(), Text(f"Activity, last {report.calendar.weeks} weeks", style="bold")]
    for line in journey.calendar_lines(report.calendar):
        text = Text("  ")
        for ch in line:
            level = journey.SHADES.index(ch) if ch in journey.SHADES else -1
            text.append(ch, style=SHADE_STYLES[level] if level >= 0 else "")
        out.append(text)

    if report.not_in_catalog:
        orphans = _plain_table(3)
        for o in report.not_in_catalog:
            orphans.add_row(o.id, o.status, journey.orphan_history(o))
        out += [Text(), Text("Not in this catalog (history kept)", style="bold"), _indent(orphans)]
    return out


def plan_renderables(result: journey.Plan, lang: str) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

    from mlpath import journey

    out: list[RenderableType] = [Text(journey.plan_summary(result), style="bold")]
    if result.steps:
        table = Table(header_style="bold", show_edge=False)
        table.add_column("week", justify="right")
        table.add_column("start")
        table.add_column("end")
        table.add_column("resource")
        table.add_column("time", justify="right")
        for step in result.steps:
            r = step.resource
            label = Text(f"{r.id} · {r.display_title(lang)}")
            if step.status == "doing":
                label.append(" (in progress)", style="yellow")
            table.add_row(
                journey.weeks_text(step),
                step.start.isoformat(),
                step.end.isoformat(),
                label,
                format_minutes(r.minutes),
            )
        finishes = _plain_table(2)
        for s in result.sections:
            if s.finish is not None:
                finishes.add_row(s.section.display_title(lang), s.finish.isoformat())
        assert result.finish is not None
        finishes.add_row(Text("Whole path", style="bold"), Text(result.finish.isoformat()))
        out += [table, Text(), Text("Finish dates", style="bold"), _indent(finishes)]
    notes = journey.plan_notes(result)
    if notes:
        out += [Text(), *(Text(note, style="dim") for note in notes)]
    return out
