"""Looking back and ahead: progress, plan."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from mlpath.cliutil import console, echo, echo_json, state, stdout_is_terminal
from mlpath.path import format_minutes
from mlpath.timefmt import local_time

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

    from mlpath import journey

# mlpath.journey is imported only by the commands that use it: every other command
# (and `--help`) imports this module to register it, and should not pay for it.

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class Pace(StrEnum):
    hours = "hours"
    actual = "actual"


def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show how far along the path you are: sections, streak and recent activity.

    Example: mlpath progress
    """
    st = state(ctx)
    from mlpath import journey

    report = journey.read_progress(st.workspace().db(), date.today())
    if as_json:
        echo_json(report.to_json())
    elif stdout_is_terminal():
        _print(_progress_renderables(report, st.lang))
    else:
        echo(journey.progress_text(report, st.lang))


def plan(
    ctx: typer.Context,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            "--hours-per-week",
            "-w",
            metavar="H",
            help="Hours a week you will spend (more than 0).",
        ),
    ] = None,
    start: Annotated[
        datetime | None,
        typer.Option(
            "--start",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="First day of week 1, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Leave paid resources out.")] = False,
    pace: Annotated[
        Pace,
        typer.Option(
            "--pace",
            help="hours: use --hours-per-week; actual: the effort you finished in the 4 weeks "
            "before --start.",
        ),
    ] = Pace.hours,
    as_json: JsonOption = False,
) -> None:
    """Lay the rest of the path onto weeks: when each step and section should end.

    Example: mlpath plan --hours-per-week 5 --free
    """
    if pace is Pace.hours and hours_per_week is None:
        raise typer.BadParameter(
            "how many hours a week? e.g. --hours-per-week 5 (or --pace actual)",
            param_hint="--hours-per-week",
        )
    if pace is Pace.actual and hours_per_week is not None:
        raise typer.BadParameter(
            "--pace actual measures your pace; leave out --hours-per-week", param_hint="--pace"
        )
    from mlpath import journey

    st = state(ctx)
    ws = st.workspace()
    catalog = ws.catalog()
    first = start.date() if start else date.today()
    if hours_per_week is not None:
        rate = journey.hours_value(hours_per_week)
    else:
        rate = journey.actual_pace(catalog, journey.read_pace_changes(ws.db(), first), first)
    result = journey.make_plan(catalog, ws.statuses(), rate, first, free, pace.value)
    if as_json:
        echo_json(result.to_json())
    elif stdout_is_terminal():
        _print(_plan_renderables(result, st.lang))
    else:
        echo(journey.plan_text(result, st.lang))


# --- Rich, for a terminal -------------------------------------------------------------


def _print(renderables: list[RenderableType]) -> None:
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


def _progress_renderables(report: journey.ProgressReport, lang: str) -> list[RenderableType]:
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


def _plan_renderables(result: journey.Plan, lang: str) -> list[RenderableType]:
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


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
    app.command("plan")(plan)
