"""The path as one scrolling list, drawn line by line (Textual's line API).

Only the lines on screen are drawn, so a path of 10,000 resources costs what a path of
twenty does: there is one widget for the whole list, not one per row.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mlpath.ui.model import PART, RESOURCE, SECTION, Row

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

    from textual import events
    from textual.binding import BindingType

# The marks `mlpath show` gives parts, for resources too: they read without colour.
MARKS = {"todo": "[ ]", "doing": "[>]", "done": "[x]", "skipped": "[-]"}
BAR_CELLS = 6


def parts_bar(settled: int, total: int, cells: int = BAR_CELLS) -> str:
    """`▰▰▰▱▱▱ 3/6`: how many of a resource's parts are settled (characters of neutral
    width: one cell in every terminal, CJK ones included)."""
    filled = round(cells * settled / total) if total else 0
    if settled and not filled:
        filled = 1  # any progress shows
    elif settled < total and filled == cells:
        filled = cells - 1  # and only all of it fills the bar
    return "▰" * filled + "▱" * (cells - filled) + f" {settled}/{total}"


class PathList(ScrollView, can_focus=True):
    """Sections, resources and expanded parts; the cursor row is highlighted."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "path-list--cursor",
        "path-list--section",
        "path-list--done",
        "path-list--doing",
        "path-list--skipped",
        "path-list--estimate",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("right", "expand(True)", show=False),
        Binding("left", "expand(False)", show=False),
        Binding("enter", "fold", show=False),
    ]

    class Moved(Message):
        """The cursor is on another row (or the rows changed)."""

        def __init__(self, row: Row | None) -> None:
            super().__init__()
            self.row = row

    class Toggled(Message):
        """Expand (True) or fold (False) a resource's parts."""

        def __init__(self, row: Row, expand: bool) -> None:
            super().__init__()
            self.row = row
            self.expand = expand

    def __init__(self, minutes_text: object, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cursor = 0
        self.minutes_text = minutes_text
        self.empty_text = ""

    # -- content

    def set_rows(self, rows: list[Row], keep: str | None = None) -> None:
        """Show `rows`, keeping the cursor on the row with key `keep` if it is there."""
        self.rows = rows
        # The same row where it is still shown; else the top (a new search, a filter).
        self.cursor = 0
        if keep is not None:
            for index, row in enumerate(rows):
                if row.key == keep and row.kind != SECTION:
                    self.cursor = index
                    break
        self.cursor = max(0, min(self.cursor, len(rows) - 1))
        if rows and rows[self.cursor].kind == SECTION and len(rows) > self.cursor + 1:
            self.cursor += 1
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        self._show_cursor()
        self.refresh()
        self.post_message(self.Moved(self.current))

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if self.rows else None

    # -- drawing

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.rows):
            if index == 0 and self.empty_text:
                return Strip([Segment(self.empty_text[:width], base)]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        row = self.rows[index]
        text = self.line_text(row, width)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("path-list--cursor")
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, None).apply_style(style)
        return strip

    def line_text(self, row: Row, width: int) -> Text:
        """One row as text exactly `width` cells wide: title left, figures right."""
        status_style = {
            "done": self.get_component_rich_style("path-list--done"),
            "doing": self.get_component_rich_style("path-list--doing"),
            "skipped": self.get_component_rich_style("path-list--skipped"),
        }
        estimate = self.get_component_rich_style("path-list--estimate")
        lang = self.app_lang
        right = Text()
        if row.kind == SECTION:
            settled, total = self.section_counts(row)
            left = Text(
                row.section.display_title(lang),
                self.get_component_rich_style("path-list--section"),
            )
            right = Text(f"{settled}/{total}", estimate)
        elif row.kind == RESOURCE:
            assert row.resource is not None
            opener = "  "
            if row.progress is not None:
                opener = "▾ " if self.is_expanded(row) else "▸ "
            left = Text(opener)
            left.append(MARKS.get(row.status, "[?]"), status_style.get(row.status, Style()))
            left.append(" " + row.resource.display_title(lang))
            if row.progress is not None:
                right.append(parts_bar(row.progress.settled, row.progress.total) + "  ", estimate)
            right.append(self.minutes(row.resource.minutes), estimate)
        else:
            assert row.part is not None
            left = Text("      ")
            left.append(MARKS.get(row.status, "[?]"), status_style.get(row.status, Style()))
            left.append(f" {row.part.position}. {row.part.display_title(lang)}")
            right = Text(self.minutes(row.part.minutes), estimate)
        room = max(0, width - right.cell_len - 2)
        left.truncate(room, overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len - 1)
        line = Text.assemble(left, " " * gap, right, " ")
        line.truncate(width, overflow="crop", pad=True)
        return line

    # The app supplies these (the language, the figures); tests may too.
    app_lang = "en"

    def minutes(self, minutes: int) -> str:
        shown = self.minutes_text
        return str(shown(minutes)) if callable(shown) else str(minutes)

    def section_counts(self, row: Row) -> tuple[int, int]:
        counts = getattr(self.app, "section_counts", None)
        return counts(row.section.id) if callable(counts) else (0, 0)

    def is_expanded(self, row: Row) -> bool:
        expanded: set[str] = getattr(self.app, "expanded", set())
        return row.resource is not None and row.resource.id in expanded

    # -- moving

    def _show_cursor(self) -> None:
        height = max(1, self.size.height)
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        old = self.cursor
        self.cursor = max(0, min(index, len(self.rows) - 1))
        if self.cursor != old:
            self.refresh_line(old - self.scroll_offset.y)
            self._show_cursor()
            self.refresh_line(self.cursor - self.scroll_offset.y)
            self.post_message(self.Moved(self.current))

    def action_cursor(self, step: int) -> None:
        index = self.cursor + step
        # Section headings are titles, not stops: step over them.
        while 0 <= index < len(self.rows) and self.rows[index].kind == SECTION:
            index += step
        if 0 <= index < len(self.rows):
            self.move_to(index)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        self.move_to(where if where >= 0 else len(self.rows) - 1)

    def action_expand(self, expand: bool) -> None:
        row = self.current
        if row is None:
            return
        if row.kind == PART and not expand:
            # Left on a part folds its resource, and the cursor goes back to it.
            for index in range(self.cursor, -1, -1):
                if self.rows[index].kind == RESOURCE:
                    self.move_to(index)
                    row = self.rows[index]
                    break
        if row.kind == RESOURCE and row.progress is not None:
            self.post_message(self.Toggled(row, expand))

    def action_fold(self) -> None:
        """Enter: open the parts, or fold them."""
        row = self.current
        if row is not None and row.kind == RESOURCE and row.progress is not None:
            self.post_message(self.Toggled(row, not self.is_expanded(row)))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows):
            if self.rows[index].kind == SECTION:
                return
            self.move_to(index)
            row = self.rows[index]
            # A click on the ▸ opens (or folds) the parts.
            if row.kind == RESOURCE and row.progress is not None and event.x < 2:
                self.post_message(self.Toggled(row, not self.is_expanded(row)))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        if self.cursor < self.size.height:
            # Grown back from a small window: the top of the path shows again.
            self.scroll_to(y=0, animate=False, immediate=True)
        self._show_cursor()
