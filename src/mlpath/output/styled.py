"""Rich renderings for people at a terminal: tables, bars and the activity calendar.

Every cell is a `Text` made from visible text (never a markup string), so brackets in a
title are shown as typed; and what Rich writes passes once more through `visible`
segment by segment, so no outside text reaches the terminal as an instruction.
"""

from __future__ import annotations

from itertools import chain

from rich.console import Console, ConsoleOptions, RenderResult
from rich.padding import Padding
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from mlpath.i18n import _
from mlpath.output import plain, plan_text, progress_text
from mlpath.output.env import no_styling_wanted
from mlpath.output.literal import visible
from mlpath.output.words import (
    cost_label,
    estimate,
    hours,
    kind_label,
    percent_text,
    status_word,
)
from mlpath.timefmt import local_time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rich.console import RenderableType
    from rich.style import Style

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


def styled_text(renderables: Iterable[RenderableType], env: Environment) -> str:
    """The renderables as a terminal shows them, as one text (to write or to page)."""
    return "".join(styled_chunks(renderables, env))


# Lines of a chunk of styled_chunks: a screen or two, so the first page of a long
# listing is out while the rest is laid out, at a write per chunk.
CHUNK_LINES = 64


def styled_chunks(
    renderables: Iterable[RenderableType], env: Environment, lines: int | None = None
) -> Iterator[str]:
    """styled_text a few `lines` (CHUNK_LINES) at a time, each renderable made only once
    the text before it is out. A chunk ends where a line does: Rich crops each line to
    the width as it prints it, so the text is the same however it is cut."""
    from io import StringIO

    if lines is None:
        lines = CHUNK_LINES

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

    def taken() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    batch: list[Segment] = []
    ended = 0  # lines ended in the batch
    for renderable in renderables:
        if isinstance(renderable, Text):
            renderable = Folded(renderable)
        # Line breaks are Rich's (or ours, in a folded cell): every piece between them
        # is made visible, so outside text still cannot bring its own.
        for s in console.render(renderable):
            if s.control:
                batch.append(s)
                continue
            raw = s.text
            batch.append(Segment("\n".join(visible(piece) for piece in raw.split("\n")), s.style))
            if raw.endswith("\n"):
                ended += raw.count("\n")
                if ended >= lines:
                    console.print(Segments(batch), end="")
                    batch, ended = [], 0
                    yield taken()
        console.print(Segments(batch), end="")
        batch = []
        if ended >= lines:
            ended = 0
            yield taken()
    text = taken()
    if text:
        yield text


def folded_text(text: Text, width: int, hang: bool = False) -> Text:
    """`text` folded to `width` columns the way Chinese and Latin text fold (see
    mlpath.output.linebreak): never inside a Latin word, never a closing mark first on
    a line; Rich's own wrapping does both. Its styles are kept. `hang`: continuation
    lines are indented two more than the text's own indent, as in the plain output."""
    lines = folded_lines(text, width, hang)
    return lines[0] if len(lines) == 1 else Text("\n").join(lines)


def folded_lines(text: Text, width: int, hang: bool = False) -> list[Text]:
    """folded_text's lines, each a Text (a text holding a line break: itself alone)."""
    from mlpath.output.linebreak import fold
    from mlpath.output.words import display_width, is_wide

    plain = text.plain
    if display_width(plain) <= width or "\n" in plain:
        return [text]
    lead = plain[: len(plain) - len(plain.lstrip(" "))] if hang else ""
    pieces = fold(plain[len(lead) :], width, lead, display_width, is_wide)
    if not hang and not text.spans and not text.style:
        # Each line is its piece, the continuation's indent taken off: no styles to cut.
        return [Text(pieces[0]), *(Text(piece[2:]) for piece in pieces[1:])]
    starts: list[int] = []
    at = len(lead)
    for piece in pieces:
        piece = piece[len(lead) + (2 if starts else 0) :] if hang or starts else piece
        at = plain.index(piece, at)
        starts.append(at)
        at += len(piece)
    lines = text.divide(starts[1:])
    shown = []
    for number, line in enumerate(lines):
        line.rstrip()
        shown.append(Text(lead + "  ") + line if hang and number else line)
    return shown


class Folded:
    """A line of prose folded to the screen's width by `folded_text`, hanging."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield folded_text(self.text, options.max_width, hang=True)


class FoldingTable:
    """Rows whose one text column (a title) takes the width the other columns leave,
    folded by `folded_text`; where less than MIN_TEXT columns are left, each row is
    stacked instead: its other cells on one line, the text under them."""

    MIN_TEXT = 16

    def __init__(
        self,
        headers: tuple[str, ...] | None,
        text_column: int,
        justify: dict[int, str] | None = None,
        shrink: dict[int, int] | None = None,
    ) -> None:
        self.headers = headers
        self.text_column = text_column
        self.justify = justify or {}
        # Other columns that may fold too, down to this many columns, before rows stack.
        self.shrink = shrink or {}
        self.rows: list[tuple[Text, ...]] = []
        # Columns before every line (see _indent).
        self.indent = 0
        # Rows made as they are laid out, their measures known before (see measured).
        self._later: Iterator[tuple[Text, ...]] | None = None
        self._sizes: tuple[list[int], int] | None = None

    @classmethod
    def measured(
        cls,
        headers: tuple[str, ...],
        text_column: int,
        justify: dict[int, str],
        rows: Iterator[tuple[Text, ...]],
        widths: list[int],
        widest_word: int,
    ) -> FoldingTable:
        """A table whose rows are made only as it is laid out, a line at a time to the
        screen: `widths`, each column's widest cell (header included), and
        `widest_word`, the text column's widest word, must be what its rows hold
        (widest_cell and widest_word of their texts)."""
        table = cls(headers, text_column, justify)
        table._later = rows
        table._sizes = (widths, widest_word)
        return table

    def add_row(self, *cells: Text) -> None:
        self.rows.append(cells)

    def _each_row(self) -> Iterator[tuple[Text, ...]]:
        return iter(self.rows) if self._later is None else self._later

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width - self.indent
        if self._sizes is not None:
            widths, widest = list(self._sizes[0]), self._sizes[1]
            count = len(widths)
        else:
            count = len(self.rows[0]) if self.rows else len(self.headers or ())
            header = [tuple(cell(h) for h in self.headers)] if self.headers else []
            lines = [*header, *self.rows]
            widths = [max(row[i].cell_len for row in lines) for i in range(count)]
            widest = self._widest_word()
        # A word (an id, a url) is never cut: the column is at least the widest one.
        wanted = max(min(self.MIN_TEXT, widths[self.text_column]), widest)
        for i, least in self.shrink.items():
            short = width - sum(widths) + widths[self.text_column] - 2 * (count - 1) - wanted
            if short < 0:
                widths[i] = max(least, self._widest_word(i), widths[i] + short)
        others = sum(w for i, w in enumerate(widths) if i != self.text_column)
        room = width - others - 2 * (count - 1)
        if room >= wanted:
            yield from self._lines(console, min(room, widths[self.text_column]), widths, width)
            return
        stacked = _Stacked(self, width)
        yield Padding(stacked, (0, 0, 0, self.indent), expand=False) if self.indent else stacked

    def _widest_word(self, column: int | None = None) -> int:
        at = self.text_column if column is None else column
        return widest_word([row[at].plain for row in self.rows])

    def _lines(self, console: Console, room: int, widths: list[int], width: int) -> RenderResult:
        """The rows as Rich's Table lays them with these widths (no box, two spaces
        between columns, each cell padded to its column's width, a folded title's lines
        under each other): made here, the unstyled run of a line one segment, where a
        Rich Table took about a millisecond a row (a 100,000-row list, a minute and a
        half). Indented, each line is padded to `width`, as Rich's Padding pads what it
        indents."""
        widths = list(widths)
        widths[self.text_column] = room
        rest = width - sum(widths) - 2 * (len(widths) - 1)
        end = " " * rest if self.indent and rest > 0 else ""
        rows: list[tuple[list[list[Text]], Style | None]] = []
        if self.headers is not None:
            rows.append(([[cell(h)] for h in self.headers], console.get_style("bold")))
        folding = {self.text_column, *self.shrink}
        made = (
            (
                [folded_lines(c, widths[i]) if i in folding else [c] for i, c in enumerate(row)],
                None,
            )
            for row in self._each_row()
        )
        # The text column and those that shrink are laid out at a width of their own,
        # from the left.
        right = [self.justify.get(i) == "right" and i not in folding for i in range(len(widths))]
        for cells, row_style in chain(rows, made):
            stacks = [_split_lines(stack) for stack in cells]
            for at in range(max(map(len, stacks))):
                plain = [" " * self.indent]  # the line's unstyled text since the last style
                for i, stack in enumerate(stacks):
                    line = stack[at] if at < len(stack) else None
                    if row_style is None and line is not None and not line.spans:
                        spare = widths[i] - line.cell_len
                        if not line.style and spare >= 0:
                            # Most cells: plain text, padded (what _padded does, inline).
                            pad = " " * spare
                            if i:
                                plain.append("  ")
                            plain.append(pad + line.plain if right[i] else line.plain + pad)
                            continue
                    gap = [Segment("  ", row_style)] if i else []
                    for segment in (*gap, *_padded(console, line, widths[i], right[i], row_style)):
                        if segment.style is None:
                            plain.append(segment.text)
                        else:
                            yield Segment("".join(plain))
                            plain = []
                            yield segment
                plain.append(end + "\n")
                yield Segment("".join(plain))


class _Stacked:
    """A FoldingTable's rows stacked, for a screen too narrow for its columns: each
    row's other cells on one line, its text under them."""

    def __init__(self, table: FoldingTable, width: int) -> None:
        self.table = table
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text_column, width = self.table.text_column, self.width
        for row in self.table._each_row():
            head = Text("  ").join(c for i, c in enumerate(row) if i != text_column and c.plain)
            yield folded_text(head, width, hang=True)
            yield Padding(folded_text(row[text_column], max(width - 4, 8)), (0, 0, 0, 4))


def widest_word(texts: list[str]) -> int:
    """The widest piece of `texts` that is never broken across lines (see
    mlpath.output.linebreak.break_units), in columns."""
    from mlpath.output.linebreak import NO_MARK_BELOW, break_units
    from mlpath.output.words import display_width, is_wide

    joined = " ".join(texts)
    if not joined or max(joined) < NO_MARK_BELOW:
        # Such text breaks at spaces only, one column a character (see break_units): the
        # same answer, at C speed.
        return max(map(len, joined.split(" ")), default=0)
    return max(
        (display_width(piece) for text in texts for piece, _spaces in break_units(text, is_wide)),
        default=0,
    )


def widest_cell(texts: list[str]) -> int:
    """The widest of `texts` as a Text of each measures (Rich's cell_len), for texts
    made visible (mlpath.output.literal.visible): printable ASCII is a column a
    character."""
    if not texts:
        return 0
    if "".join(texts).isascii():
        return max(map(len, texts))
    from rich.cells import cell_len

    return max(map(cell_len, texts))


def _split_lines(lines: list[Text]) -> list[Text]:
    """A cell's lines, each a line of the screen (a text of its own may hold breaks).
    A folded cell's style covers its words, not the spaces that pad its lines, as when
    its lines were joined into one text and split again."""
    if len(lines) == 1 and "\n" in lines[0].plain:
        return list(lines[0].split("\n"))
    if len(lines) > 1:
        return [Text().append(line) if line.style else line for line in lines]
    return lines


def _padded(
    console: Console, line: Text | None, width: int, right: bool, style: Style | None
) -> Iterator[Segment]:
    """One line of a cell as segments, padded with spaces to `width` (before it where
    `right`) in its own style, as Rich justifies a cell; the row's `style` (a header's
    bold) under it."""
    if line is None:
        yield Segment(" " * width, style)
        return
    if line.cell_len > width:  # a word the widths did not foresee: cut, as Rich would
        line = line.copy()
        line.truncate(width, overflow="ellipsis")
    pad = " " * (width - line.cell_len)
    if not line.spans and not line.style:
        yield Segment(pad + line.plain if right else line.plain + pad, style)
        return
    padded = Text()
    padded.append(
        Text(pad, style=line.style) + line if right else line + Text(pad, style=line.style)
    )
    yield from Segment.simplify(Segment.apply_style(padded.render(console), style))


def _table(*headers: str) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in headers:
        table.add_column(name, overflow="fold")
    return table


def listing(result: Listing, lang: str) -> Iterator[RenderableType]:
    """Rows grouped under their section's title, a section at a time as they are read
    (each section's table is laid out for its own rows, so the first is on the screen
    while the rest of a long listing is read); an id is never broken across lines."""
    table: FoldingTable | None = None
    section: str | None = None
    # A mark, kind, cost or time is one of a few: each made once, its cell shared by
    # the rows (nothing changes a cell once made), where making them all cost a third
    # of a 100,000-row list at a terminal.
    shared: dict[str, Text] = {}

    def once(text: str) -> Text:
        made = shared.get(text)
        if made is None:
            made = shared[text] = cell(text)
        return made

    for r, status in result.rows():
        if r.section != section:
            section = r.section
            if table is not None:
                yield _indent(table)
                yield Text()
            heading = result.section(section)
            title = cell(heading.display_title(lang), "bold")
            if heading.optional:
                title.append(_(" (optional)"), style="dim")
            yield title
            table = FoldingTable(None, text_column=2)
        assert table is not None
        table.add_row(
            once(STATUS_MARK[status]),
            cell(r.id),
            cell(r.display_title(lang)),
            once(kind_label(r.kind)),
            once(cost_label(r)),
            once(estimate(r.minutes)),
        )
    yield cell(plain.no_match_text()) if table is None else _indent(table)


def sections(result: Sections, lang: str) -> list[RenderableType]:
    table = FoldingTable(plain.sections_header(), text_column=1)
    for row in plain.section_rows(result, lang):
        table.add_row(*(cell(value) for value in row))
    return [table]


def search(result: SearchResults, lang: str) -> list[RenderableType]:
    if not result.hits:
        return [cell(plain.search_lines(result, lang)[0])]
    # Ids are never broken (people type them); the title takes what is left.
    table = FoldingTable(plain.search_header(), text_column=2, shrink={4: 11})
    for hit in result.hits:
        r = hit.resource
        table.add_row(
            cell(status_word(hit.status), STATUS_STYLE.get(hit.status, "")),
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
    if isinstance(renderable, FoldingTable):
        # Indented by the table itself: a Padding takes every line apart and puts it
        # together again, which at 100,000 rows cost more than laying them out.
        renderable.indent = 2
        return renderable
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
    out: list[RenderableType] = [cell(_("Progress"), "bold")]
    out += [cell("  " + line) for line in progress_text.overall_lines(report.overall)]
    out += [cell("  " + line) for line in progress_text.horizon_lines(report)]
    out.append(Text())

    out.append(cell(_("Sections (━ done, ┅ skipped, ─ to do)"), "bold"))
    # One line a section at any width: the title gives way (shortened with …), the
    # figures never do; the overall lines above carry what a row leaves out.
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True)
    for _i in range(3):
        table.add_column(no_wrap=True, justify="right")
    for sp in report.sections:
        title = cell(sp.section.display_title(lang))
        if sp.section.optional:
            title.append(_(" (optional)"), style="dim")
        if not sp.tally.total:
            what = (
                _("{count} offered").format(count=sp.offered) if sp.offered else _("no resources")
            )
            table.add_row(title, cell(what, "dim"), "", "", "")
            continue
        table.add_row(
            title,
            _bar(sp.tally),
            cell(percent_text(sp.tally.done, sp.tally.total)),
            cell(f"{sp.tally.done}/{sp.tally.total}"),
            cell(_("{hours} left").format(hours=hours(sp.tally.minutes_left))),
        )
    out += [_indent(FirstColumnGivesWay(table)), Text()]
    out.append(cell(progress_text.streak_text(report.streak, report.calendar.today), "bold"))

    if report.recent:
        recent = FoldingTable(None, text_column=2)
        for c in report.recent:
            name = progress_text.resource_label(report.known, c.resource, lang, report.known_parts)
            recent.add_row(cell(local_time(c.at)), cell(progress_text.change_text(c)), cell(name))
        out += [Text(), cell(_("Recent activity"), "bold"), _indent(recent)]

    out += [Text(), cell(progress_text.activity_heading(report.calendar.weeks), "bold")]
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
            orphans.add_row(
                cell(o.id),
                cell(status_word(o.status)),
                cell(progress_text.orphan_history(o)),
            )
        out += [Text(), cell(_("Not in this catalog (history kept)"), "bold"), _indent(orphans)]
    return out


def plan(result: Plan, lang: str) -> Iterator[RenderableType]:
    yield cell(plan_text.plan_summary(result), "bold")
    if result.count:
        yield _plan_table(result, lang)
        finishes = _plain_table(2)
        for s in result.sections:
            if s.finish is not None:
                finishes.add_row(cell(s.section.display_title(lang)), cell(s.finish.isoformat()))
        assert result.finish is not None
        finishes.add_row(cell(_("Whole path"), "bold"), cell(result.finish.isoformat()))
        yield Text()
        yield cell(_("Finish dates"), "bold")
        yield _indent(finishes)
    notes = plan_text.plan_notes(result)
    if notes:
        yield Text()
        yield from (cell(note, "dim") for note in notes)


def _plan_table(result: Plan, lang: str) -> FoldingTable:
    """The plan's rows, measured from their texts first: a long plan's first screen is
    out before the rest of its rows are made. The texts come a column at a time from the
    plan's table where it has one (no object per planned resource), as the plain
    table's do."""
    if result.table is not None:
        columns = plan_text.table_columns(result.table, lang)
    else:
        texts = [row for step in result.steps for row in plan_text.step_rows(step, lang)]
        columns = [list(column) for column in zip(*texts, strict=True)]
    ids, titles, doings = columns[3], columns[4], columns[6]
    weeks, starts, ends, times = ([*map(visible, columns[i])] for i in (0, 1, 2, 5))
    names = [visible(f"{rid} · {title}") for rid, title in zip(ids, titles, strict=True)]
    suffixes = {doing: _(" ({what})").format(what=doing) for doing in set(doings) if doing}
    shown = [
        name + suffixes[doing] if doing else name
        for name, doing in zip(names, doings, strict=True)
    ]
    header = plan_text.table_header()
    widths = [
        max(widest_cell([visible(title)]), widest_cell(column))
        for title, column in zip(header, (weeks, starts, ends, shown, times), strict=True)
    ]

    def rows() -> Iterator[tuple[Text, ...]]:
        for n, doing in enumerate(doings):
            name = Text(names[n])
            if doing:
                name.append(suffixes[doing], style="yellow")
            yield Text(weeks[n]), Text(starts[n]), Text(ends[n]), name, Text(times[n])

    return FoldingTable.measured(
        header, 3, {0: "right", 4: "right"}, rows(), widths, widest_word(shown)
    )
