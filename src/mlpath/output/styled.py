"""Rich renderings for people at a terminal: tables, bars and the activity calendar.

Every cell is a `Text` made from visible text (never a markup string), so brackets in a
title are shown as typed; and what Rich writes passes once more through `visible`
segment by segment, so no outside text reaches the terminal as an instruction.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from mlpath.output import plain, plan_text, progress_text
from mlpath.output.env import no_styling_wanted
from mlpath.output.literal import visible
from mlpath.output.words import cost_label, format_minutes, hours, percent_text
from mlpath.timefmt import local_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.console import RenderableType

    from mlpath.counts import Tally
    from mlpath.output.env import Environment
    from mlpath.plan import Plan
    from mlpath.progress import ProgressReport
    from mlpath.results import Listing, SearchResults, Sections

STATUS_MARK = {"todo": "·", "doing": "▶", "done": "✔", "skipped": "⏭"}
STATUS_STYLE = {"todo": "", "doing": "yellow", "done": "green", "skipped": "dim"}
SHADE_STYLES = ("bright_black", "green", "green", "bright_green", "bold bright_green")


def cell(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def styled_text(renderables: list[RenderableType], env: Environment) -> str:
    """The renderables as a terminal shows them, as one text (to write or to page)."""
    from io import StringIO

    # Rich's own NO_COLOR handling drops colours but keeps bold and dim; people who
    # set it (or a dumb terminal) want no escape codes at all.
    out = StringIO()
    console = Console(
        file=out,
        force_terminal=True,
        highlight=False,
        soft_wrap=False,
        color_system=None if no_styling_wanted() else "auto",
        # The width found for the terminal: Rich would take 80 under TERM=dumb, and
        # 80 for a pipe that FORCE_COLOR styles whatever COLUMNS says.
        width=env.width,
    )
    for renderable in renderables:
        segments = [
            s if s.control else Segment(visible(s.text) if s.text != "\n" else s.text, s.style)
            for s in console.render(renderable)
        ]
        console.print(Segments(segments), end="")
    return out.getvalue()


def _table(*headers: str) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in headers:
        table.add_column(name, overflow="fold")
    return table


def listing(result: Listing, lang: str) -> list[RenderableType]:
    """Rows grouped under their section's title; an id is never broken across lines."""
    if not result.resources:
        return [cell("No resource matches these filters.")]
    out: list[RenderableType] = []
    table: Table | None = None
    section: str | None = None
    for r in result.resources:
        if r.section != section:
            section = r.section
            if table is not None:
                out += [_indent(table), Text()]
            heading = result.section(section)
            title = cell(heading.display_title(lang), "bold")
            if heading.optional:
                title.append(" (optional)", style="dim")
            out.append(title)
            table = Table(box=None, pad_edge=False, show_header=False)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True)
            table.add_column(overflow="fold", ratio=1)
            for _ in range(3):
                table.add_column(no_wrap=True)
        assert table is not None
        table.add_row(
            cell(STATUS_MARK[result.status(r.id)]),
            cell(r.id),
            cell(r.display_title(lang)),
            cell(r.kind),
            cell(cost_label(r)),
            cell(format_minutes(r.minutes)),
        )
    if table is not None:
        out.append(_indent(table))
    return out


def sections(result: Sections, lang: str) -> list[RenderableType]:
    table = _table(*plain.SECTIONS_HEADER)
    for row in plain.section_rows(result, lang):
        table.add_row(*(cell(value) for value in row))
    return [table]


def search(result: SearchResults, lang: str) -> list[RenderableType]:
    if not result.hits:
        return [cell(plain.search_lines(result, lang)[0])]
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("id", no_wrap=True)  # people type it: never broken
    table.add_column("title", overflow="fold", ratio=1, min_width=16)
    table.add_column("section", no_wrap=True)
    table.add_column("matched", min_width=11)
    for hit in result.hits:
        r = hit.resource
        table.add_row(
            cell(hit.status, STATUS_STYLE.get(hit.status, "")),
            cell(r.id),
            cell(r.display_title(lang)),
            cell(r.section),
            cell(plain.matched_text(hit.matched), "dim"),
        )
    return [table]


class FirstColumnGivesWay:
    """A table whose first column (a title) is shortened to what the screen leaves once
    the other columns have their full width: Rich would shorten every column alike."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        columns = self.table.columns
        padding = 2  # each cell's right padding (see the table's `padding`)
        others = sum(
            max((_cell_width(c) for c in column.cells), default=0) + padding
            for column in columns[1:]
        )
        columns[0].max_width = max(8, options.max_width - others - padding)
        yield self.table


def _cell_width(renderable: object) -> int:
    return renderable.cell_len if isinstance(renderable, Text) else len(str(renderable))


def _plain_table(columns: int, fixed: tuple[int, ...] = ()) -> Table:
    """Aligned rows without a header or lines; columns in `fixed` never wrap."""
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    for i in range(columns):
        table.add_column(no_wrap=i in fixed)
    return table


def _indent(renderable: RenderableType) -> RenderableType:
    return Padding(renderable, (0, 0, 0, 2), expand=False)


def _bar(t: Tally) -> Text:
    done, skipped, left = progress_text.bar_cells(t)
    bar = Text()
    # Distinct glyphs as well as colours, so the bar still reads under NO_COLOR.
    bar.append("━" * done, style="green")
    bar.append("┅" * skipped, style="yellow")
    bar.append("─" * left, style="bright_black")
    return bar


def progress(report: ProgressReport, lang: str) -> list[RenderableType]:
    out: list[RenderableType] = [cell("Progress", "bold")]
    out += [cell("  " + line) for line in progress_text.overall_lines(report.overall)]
    out += [cell("  " + line) for line in progress_text.horizon_lines(report)]
    out.append(Text())

    out.append(cell("Sections (━ done, ┅ skipped, ─ to do)", "bold"))
    # One line a section at any width: the title gives way (shortened with …), the
    # figures never do; the overall lines above carry what a row leaves out.
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True)
    for _ in range(3):
        table.add_column(no_wrap=True, justify="right")
    for sp in report.sections:
        title = cell(sp.section.display_title(lang))
        if sp.section.optional:
            title.append(" (optional)", style="dim")
        if not sp.tally.total:
            what = f"{sp.offered} offered" if sp.offered else "no resources"
            table.add_row(title, cell(what, "dim"), "", "", "")
            continue
        table.add_row(
            title,
            _bar(sp.tally),
            cell(percent_text(sp.tally.done, sp.tally.total)),
            cell(f"{sp.tally.done}/{sp.tally.total}"),
            cell(f"{hours(sp.tally.minutes_left)} left"),
        )
    out += [_indent(FirstColumnGivesWay(table)), Text()]
    out.append(cell(progress_text.streak_text(report.streak, report.calendar.today), "bold"))

    if report.recent:
        recent = _plain_table(3)
        for c in report.recent:
            name = progress_text.resource_label(report.known, c.resource, lang, report.known_parts)
            recent.add_row(cell(local_time(c.at)), cell(progress_text.change_text(c)), cell(name))
        out += [Text(), cell("Recent activity", "bold"), _indent(recent)]

    out += [Text(), cell(f"Activity, last {report.calendar.weeks} weeks", "bold")]
    for line in progress_text.calendar_lines(report.calendar):
        text = Text("  ")
        for ch in line:
            shades = progress_text.SHADES
            level = shades.index(ch) if ch in shades else -1
            text.append(ch, style=SHADE_STYLES[level] if level >= 0 else "")
        out.append(text)

    if report.not_in_catalog:
        orphans = _plain_table(3)
        for o in report.not_in_catalog:
            orphans.add_row(cell(o.id), cell(o.status), cell(progress_text.orphan_history(o)))
        out += [Text(), cell("Not in this catalog (history kept)", "bold"), _indent(orphans)]
    return out


def plan(result: Plan, lang: str) -> list[RenderableType]:
    out: list[RenderableType] = [cell(plan_text.plan_summary(result), "bold")]
    if result.steps:
        table = Table(box=None, pad_edge=False, header_style="bold")
        table.add_column("week", justify="right")
        table.add_column("start")
        table.add_column("end")
        table.add_column("resource")
        table.add_column("time", justify="right")
        for step in result.steps:
            for weeks, start, end, typed, title, time, doing in plan_text.step_rows(step, lang):
                name = cell(f"{typed} · {title}")
                if doing:
                    name.append(f" ({doing})", style="yellow")
                table.add_row(cell(weeks), cell(start), cell(end), name, cell(time))
        finishes = _plain_table(2)
        for s in result.sections:
            if s.finish is not None:
                finishes.add_row(cell(s.section.display_title(lang)), cell(s.finish.isoformat()))
        assert result.finish is not None
        finishes.add_row(cell("Whole path", "bold"), cell(result.finish.isoformat()))
        out += [table, Text(), cell("Finish dates", "bold"), _indent(finishes)]
    notes = plan_text.plan_notes(result)
    if notes:
        out += [Text(), *(cell(note, "dim") for note in notes)]
    return out
