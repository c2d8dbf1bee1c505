"""The full-screen view: the path by section, a detail pane, a key per command."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from mlpath.i18n import _
from mlpath.ui.actions import Outcome, run_command
from mlpath.ui.model import (
    RESOURCE,
    SECTION,
    PathData,
    Row,
    ViewFilter,
    build_rows,
    read_path,
)
from mlpath.ui.path_list import PathList

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

    from textual import events
    from textual.binding import BindingType
    from textual.screen import Screen
    from textual.timer import Timer

    from mlpath.workspace import Workspace

# Smaller than this, the layout cannot hold the list, the pane and the keys: say so.
MIN_WIDTH = 60
MIN_HEIGHT = 15
POLL_SECONDS = 0.5
SEARCH_LIMIT = 1000
# The view's own key actions, which a dialog over it turns off.
VIEW_ACTIONS = frozenset(
    ("done", "status", "undo", "note", "open_link", "search", "filter", "help", "quit_view")
)


def store_stamp(path: str) -> tuple[int, ...]:
    """What changes when anyone writes the store: its file and its WAL (size, mtime)."""
    stamp: list[int] = []
    for name in (path, path + "-wal"):
        try:
            info = os.stat(name)
        except OSError:
            stamp += [-1, -1]
        else:
            stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)


class KeyBar(Static):
    """The keys along the bottom, in one line (one widget, not one per key: a quicker
    first screen); a click on a key presses it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key"}

    def __init__(self, keys: list[tuple[str, str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys = keys  # (key, how it is shown, what it does)
        self.spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        from rich.cells import cell_len

        text = Text()
        key_style = self.get_component_rich_style("key-bar--key")
        for key, shown, words in self.keys:
            start = text.cell_len
            # One space apart, the keys in bold (and colour): nine fit in 80 columns.
            text.append(f" {shown}", key_style)
            text.append(f" {words}")
            self.spans.append((start, start + cell_len(f" {shown} {words}"), key))
        self.update(text)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self.spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


class SearchBox(Input):
    """The `/` box. Enter and Escape act at once, so keys typed right after them are
    the list's again, however fast they come."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "end_search", show=False)]

    async def action_submit(self) -> None:
        app = self.app
        if isinstance(app, MlpathApp):
            app.search_submitted()

    def action_end_search(self) -> None:
        app = self.app
        if isinstance(app, MlpathApp):
            app.end_search()


class MlpathApp(App[int]):
    """`mlpath ui`. Exits with the number of commands the session ran."""

    CSS_PATH = "app.tcss"
    TITLE = "mlpath"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        catalog_option: str | None = None,
        lang: str = "en",
        today: tuple[int, int, int] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.catalog_option = catalog_option
        self.lang = lang
        self.today = today
        self.poll_seconds = poll_seconds
        self.expanded: set[str] = set()
        self.view_filter = ViewFilter()
        self.found: list[str] | None = None
        self.search_text = ""
        self.commands_run = 0
        self._ws: Workspace | None = None
        self._data: PathData | None = None
        self._stamp: tuple[int, ...] = ()
        self._search_timer: Timer | None = None
        # Nine keys fit the bar at 80 columns; `k` and `r` are in the help (?).
        self.shown_keys: list[tuple[str, str, str]] = []
        for keys, shown, action, words in (
            ("space", "space", "done", _("mark done")),
            ("s", "s", "status('doing')", _("start")),
            ("k", "k", "status('skipped')", ""),
            ("r", "r", "status('todo')", ""),
            ("u", "u", "undo", _("undo")),
            ("n", "n", "note", _("note")),
            ("o", "o", "open_link", _("open")),
            ("slash", "/", "search", _("search")),
            ("f", "f", "filter", _("filter")),
            ("question_mark", "?", "help", _("help")),
            ("q", "q", "quit_view", _("quit")),
        ):
            self.bind(keys, action, show=False)
            if words:
                self.shown_keys.append((keys, shown, words))
        self.bind("escape", "escape", show=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With a dialog open (a note, the filter, the help) its keys are its own: space
        # in the filter must not tick the resource underneath.
        if action in VIEW_ACTIONS and self.screen_stack and self.screen is not self.base:
            return False
        return True

    # -- layout

    def compose(self) -> ComposeResult:
        from mlpath.output.words import format_minutes

        yield Static(id="header")
        yield Static(id="scope")
        with Horizontal(id="main"):
            path = PathList(format_minutes, id="path")
            path.app_lang = self.lang
            yield path
            with VerticalScroll(id="detail-pane"):
                yield Static(id="detail")
        yield Static(id="message")
        yield SearchBox(placeholder=_("search titles, authors, descriptions…"), id="search")
        yield KeyBar(self.shown_keys, id="keys")
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.reload()
        self.base.query_one(PathList).focus()
        self.set_interval(self.poll_seconds, self.check_store)
        self.fit(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width, event.size.height)

    def fit(self, width: int, height: int) -> None:
        """A terminal too small for the layout gets a message instead of a broken one."""
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.base.set_class(small, "-too-small")
        if small:
            self.base.query_one("#too-small", Static).update(
                _(
                    "The terminal is {width}×{height}; mlpath ui needs at least "
                    "{min_width}×{min_height}. Make the window larger, or press q to quit."
                ).format(width=width, height=height, min_width=MIN_WIDTH, min_height=MIN_HEIGHT)
            )

    # -- reading

    @property
    def base(self) -> Screen[object]:
        """The view itself, under whatever dialog is open over it."""
        return self.screen_stack[0] if self.screen_stack else self.screen

    @property
    def data(self) -> PathData:
        assert self._data is not None
        return self._data

    def workspace(self) -> Workspace:
        if self._ws is None:
            from mlpath.catalog import catalog_path
            from mlpath.workspace import Workspace

            self._ws = Workspace(catalog_path(self.catalog_option))
        return self._ws

    def reload(self) -> None:
        """Read the path and every status again, as they are now in the store."""
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        ws = self.workspace()
        self._data = read_path(ws, self.today)
        # After reading: opening the store for reading may lay its -wal file, which is
        # no change of anyone's.
        self._stamp = store_stamp(ws.store_path)
        self.show_rows()

    def check_store(self) -> None:
        """Changes made by `mlpath` elsewhere (another terminal) appear here."""
        if self._ws is not None and store_stamp(self._ws.store_path) != self._stamp:
            try:
                self.reload()
            except NoMatches:
                pass  # the view is closing: nothing to show it on

    def section_counts(self, section_id: str) -> tuple[int, int]:
        return self.data.section_counts(section_id)

    def show_rows(self) -> None:
        from mlpath.output.words import progress_line

        path = self.base.query_one(PathList)
        current = path.current
        keep = current.key if current is not None else None
        rows = build_rows(self.data, self.expanded, self.view_filter, self.found)
        if self.found is not None:
            path.empty_text = _("nothing matches '{query}'").format(query=self.search_text)
        else:
            path.empty_text = _("nothing matches this filter — f changes it")
        path.set_rows(rows, keep)
        header = Text(" mlpath", "bold")
        header.append("  " + progress_line(self.data.tally, self.data.horizon))
        self.base.query_one("#header", Static).update(header)
        scope = self.scope_text(rows)
        shown = self.base.query_one("#scope", Static)
        shown.update(scope)
        shown.display = bool(scope.plain)

    def scope_text(self, rows: list[Row]) -> Text:
        """What the list is narrowed to, if anything."""
        from mlpath.ui.detail import status_word

        shown = sum(row.kind == RESOURCE for row in rows)
        if self.found is not None:
            words = _("search '{query}': {count} found · Escape shows the whole path").format(
                query=self.search_text, count=shown
            )
            return Text(" " + words)
        chosen = self.view_filter
        if not chosen.active:
            return Text("")
        named = []
        if chosen.free:
            named.append(_("free only"))
        if chosen.section:
            named.append(self.data.catalog.section(chosen.section).display_title(self.lang))
        if chosen.status:
            named.append(status_word(chosen.status))
        words = _("filter: {what} · {count} shown · f changes it").format(
            what=", ".join(named), count=shown
        )
        return Text(" " + words)

    def on_path_list_moved(self, message: PathList.Moved) -> None:
        try:
            self.show_detail(message.row)
        except NoMatches:
            pass  # the view is closing

    def show_detail(self, row: Row | None) -> None:
        from mlpath.details import resource_details
        from mlpath.errors import MlpathError
        from mlpath.ui.detail import detail_text

        pane = self.base.query_one("#detail", Static)
        if row is None or row.resource is None:
            pane.update(Text(row.section.display_summary(self.lang) if row else ""))
            return
        try:
            details = resource_details(self.workspace(), row.resource.id, self.lang)
        except MlpathError as exc:
            pane.update(Text(str(exc)))
            return
        pane.update(detail_text(details, self.lang, row.part, self.title_of))
        self.base.query_one("#detail-pane", VerticalScroll).scroll_home(animate=False)

    def title_of(self, resource_id: str) -> str | None:
        resource = self.data.catalog.get(resource_id)
        return resource.display_title(self.lang) if resource else None

    def on_path_list_toggled(self, message: PathList.Toggled) -> None:
        assert message.row.resource is not None
        rid = message.row.resource.id
        if message.expand:
            self.expanded.add(rid)
        else:
            self.expanded.discard(rid)
        self.show_rows()

    # -- changing: each key one command

    def command(self, name: str, *args: str) -> Outcome:
        """Run `mlpath NAME ARGS` as the command line would; show what it said."""
        outcome = run_command(name, list(args), self.catalog_option, self.lang)
        if not outcome.failed:
            self.commands_run += 1
        self.say(outcome.lines, outcome.failed)
        self.reload()
        return outcome

    def say(self, lines: list[str], failed: bool = False) -> None:
        text = Text(" " + " · ".join(line.strip() for line in lines if line.strip()))
        if failed:
            text.stylize("bold red" if not self.no_color else "bold")
        self.base.query_one("#message", Static).update(text)

    def chosen(self) -> Row | None:
        row = self.base.query_one(PathList).current
        if row is None or row.kind == SECTION:
            self.say([_("choose a resource first (↑ ↓)")], failed=True)
            return None
        return row

    def action_done(self) -> None:
        row = self.chosen()
        if row is not None:
            self.command("reset" if row.status == "done" else "done", row.key)

    def action_status(self, status: str) -> None:
        row = self.chosen()
        if row is not None:
            verb = {"doing": "start", "skipped": "skip", "todo": "reset"}[status]
            self.command(verb, row.key)

    def action_undo(self) -> None:
        self.command("undo")

    def action_note(self) -> None:
        from mlpath.ui.screens import NoteScreen

        row = self.chosen()
        if row is None or row.resource is None:
            return
        rid = row.resource.id

        def keep(note: str | None) -> None:
            if note is not None and note.strip():
                self.command("note", rid, "--", note)
            elif note is not None:
                self.say([_("the note is empty: nothing was recorded")], failed=True)

        self.push_screen(NoteScreen(row.resource.display_title(self.lang)), keep)

    def action_open_link(self) -> None:
        row = self.chosen()
        if row is None or row.resource is None:
            return
        # The browser BROWSER names, without a display, may be one that runs in this
        # terminal (lynx, w3m): give it the terminal until it ends.
        display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
        in_terminal = bool(os.environ.get("BROWSER")) and not display
        if in_terminal and not self.is_headless:
            with self.suspend():
                self.command("open", row.resource.id)
        else:
            self.command("open", row.resource.id)

    def action_search(self) -> None:
        field = self.base.query_one("#search", Input)
        self.base.add_class("-searching")
        # At once, not after the queued keys: the next letter typed is the query's.
        self.base.set_focus(field)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        # Typing fast runs one search, when the typing pauses.
        self._search_timer = self.set_timer(0.15, self.search_now)

    def search_submitted(self) -> None:
        """Enter in the search box: the hits stay, the keys work on them again."""
        self.base.set_focus(self.base.query_one(PathList))
        self.search_now()

    def search_now(self) -> None:
        from mlpath.search import query_terms

        text = self.base.query_one("#search", Input).value.strip()
        if not query_terms(text):
            self.found = None
            self.search_text = ""
            self.show_rows()
            return
        outcome = run_command(
            "search", ["--limit", str(SEARCH_LIMIT), "--", text], self.catalog_option, self.lang
        )
        if outcome.failed:
            self.say(outcome.lines, failed=True)
            return
        hits = getattr(outcome.result, "hits", ())
        self.search_text = text
        self.found = [hit.resource.id for hit in hits]
        self.show_rows()

    def end_search(self) -> None:
        field = self.base.query_one("#search", Input)
        field.value = ""
        if self._search_timer is not None:
            self._search_timer.stop()
        self.base.remove_class("-searching")
        self.base.set_focus(self.base.query_one(PathList))
        self.found = None
        self.search_text = ""
        self.show_rows()

    def action_escape(self) -> None:
        if self.found is not None or self.base.has_class("-searching"):
            self.end_search()
        elif self.view_filter.active:
            self.view_filter = ViewFilter()
            self.show_rows()

    def action_filter(self) -> None:
        from mlpath.ui.screens import FilterScreen

        def chosen(choice: tuple[str, str | None] | None) -> None:
            if choice is None:
                return
            kind, value = choice
            current = self.view_filter
            if kind == "clear":
                self.view_filter = ViewFilter()
            elif kind == "free":
                self.view_filter = ViewFilter(not current.free, current.section, current.status)
            elif kind == "status":
                status = None if current.status == value else value
                self.view_filter = ViewFilter(current.free, current.section, status)
            elif kind == "section":
                section = None if current.section == value else value
                self.view_filter = ViewFilter(current.free, section, current.status)
            self.show_rows()

        self.push_screen(
            FilterScreen(self.data.catalog.sections, self.view_filter, self.lang), chosen
        )

    def action_help(self) -> None:
        from mlpath.ui.screens import HelpScreen

        self.push_screen(HelpScreen())

    def action_quit_view(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        self.exit(self.commands_run)


def run_app(catalog_option: str | None, lang: str) -> int:
    """Run the view in this terminal until `q`; the number of commands it ran."""
    app = MlpathApp(catalog_option, lang)
    code = app.run()
    if app._ws is not None:
        app._ws.close()
    return code or 0
