"""The small screens over the view: a note to write, the filter to choose, the keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

    from textual.binding import BindingType

    from mlpath.catalog import Section
    from mlpath.ui.model import ViewFilter


class NoteScreen(ModalScreen[str | None]):
    """An input box for a note on one resource; Enter keeps it, Escape drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="dialog"):
            yield Static(Text(_("A note on {title}").format(title=self.title_text)))
            yield Input(placeholder=_("what you noticed, where you stopped…"), id="note-input")
            yield Static(_("Enter keeps the note · Escape cancels"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


# What the filter screen's options do, by option id.
CLEAR = "clear"
FREE = "free"


class FilterScreen(ModalScreen[tuple[str, str | None] | None]):
    """Narrow the list: free only, one section, one status (as `mlpath list` does)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("f", "cancel", show=False),
    ]

    def __init__(self, sections: tuple[Section, ...], current: ViewFilter, lang: str) -> None:
        super().__init__()
        self.sections = sections
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        from mlpath.ui.detail import status_word

        def mark(on: bool) -> str:
            return "(•) " if on else "( ) "

        current = self.current
        options: list[Option | None] = [
            Option(_("Everything (no filter)"), id=CLEAR),
            Option(("[x] " if current.free else "[ ] ") + _("Free only"), id=FREE),
            None,
        ]
        options += [
            Option(
                mark(current.status == status)
                + _("Status: {status}").format(status=status_word(status)),
                id=f"status:{status}",
            )
            for status in ("todo", "doing", "done", "skipped")
        ]
        options.append(None)
        options += [
            Option(
                mark(current.section == s.id)
                + _("Section: {title}").format(title=s.display_title(self.lang)),
                id=f"section:{s.id}",
            )
            for s in self.sections
        ]
        with Vertical(id="filter-box", classes="dialog"):
            yield Static(_("Show only…"), classes="dialog-title")
            yield OptionList(*options, id="filter-options")
            yield Static(_("Enter chooses · Escape closes"), classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or CLEAR
        kind, _sep, value = choice.partition(":")
        self.dismiss((kind, value or None))

    def action_cancel(self) -> None:
        self.dismiss(None)


def key_lines() -> list[tuple[str, str]]:
    """Every key of the view and what it does, in the reader's language."""
    return [
        ("↑ ↓ PgUp PgDn", _("move")),
        ("→ ← Enter", _("open or fold a resource's parts")),
        (_("space"), _("done, or back to do if it is done")),
        ("s", _("start (in progress)")),
        ("k", _("skip")),
        ("r", _("reset to do")),
        ("u", _("undo the last change (as `mlpath undo`)")),
        ("n", _("add a note")),
        ("o", _("open the link in the browser")),
        ("/", _("search (small typos are forgiven); Escape ends it")),
        ("f", _("filter: free, a section, a status")),
        ("?", _("this help")),
        ("q", _("quit")),
    ]


class HelpScreen(ModalScreen[None]):
    """The keys, and that each change is a command `mlpath undo` takes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,enter,space", "close", show=False)
    ]

    def compose(self) -> ComposeResult:
        from rich.cells import cell_len

        lines = key_lines()
        width = max(cell_len(k) for k, _w in lines)
        text = Text()
        for key, what in lines:
            text.append(key + " " * (width - cell_len(key)) + "  ", "bold")
            text.append(what + "\n")
        text.append(
            "\n"
            + _(
                "Each key is one mlpath command: `mlpath history` lists it and "
                "`mlpath undo` takes it back. Changes made in another terminal show up here."
            )
        )
        with Vertical(id="help-box", classes="dialog"):
            yield Static(_("Keys"), classes="dialog-title")
            yield Static(text, id="help-text")
            yield Static(_("Any of Escape, q, ? closes this"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def on_click(self) -> None:
        self.dismiss(None)
