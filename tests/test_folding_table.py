"""The terminal's tables (list, plan, search, sections, recent activity) are laid out
line by line by mlpath.output.styled.FoldingTable: what Rich's Table showed for the
same rows, byte for byte, at any width, in any language, styled or not."""

from __future__ import annotations

from io import StringIO

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from mlpath.output.styled import FoldingTable, folded_text

WORDS = st.sampled_from(
    ["3Blue1Brown", "d2l", "PyTorch", "a", "ML", "神经网络", "深度学习（入门）", "《花书》", "·"]
)
CELLS = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
STYLES = st.sampled_from(["", "", "bold", "dim", "green", "yellow"])


class RichFoldingTable(FoldingTable):
    """The table as Rich's Table laid it out before (the reference)."""

    def _lines(self, console: Console, room: int, widths: list[int], width: int) -> RenderResult:
        table = Table(
            box=None,
            pad_edge=False,
            padding=(0, 2, 0, 0),
            header_style="bold",
            show_header=self.headers is not None,
        )
        for i, name in enumerate(self.headers or ("",) * len(self.rows[0])):
            if i == self.text_column:
                table.add_column(name, no_wrap=True, width=room)
            elif i in self.shrink:
                table.add_column(name, no_wrap=True, width=widths[i])
            else:
                justify = self.justify.get(i, "left")
                table.add_column(name, no_wrap=True, justify=justify)  # type: ignore[arg-type]
        for row in self.rows:
            table.add_row(
                *(
                    folded_text(c, room if i == self.text_column else widths[i])
                    if i == self.text_column or i in self.shrink
                    else c
                    for i, c in enumerate(row)
                )
            )
        yield table


def shown(renderable: RenderableType, width: int) -> str:
    out = StringIO()
    console = Console(file=out, force_terminal=True, width=width, color_system="standard")
    console.print(renderable, end="")
    return out.getvalue()


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[tuple[str, str]]], dict[str, object]]:
    count = draw(st.integers(min_value=2, max_value=6))
    rows = draw(
        st.lists(st.lists(st.tuples(CELLS, STYLES), min_size=count, max_size=count), min_size=1)
    )
    text_column = draw(st.integers(min_value=0, max_value=count - 1))
    others = [i for i in range(count) if i != text_column]
    options: dict[str, object] = {
        "text_column": text_column,
        "headers": draw(st.none() | st.just(tuple(f"h{i}" for i in range(count)))),
        "justify": dict.fromkeys(draw(st.sets(st.sampled_from(others))), "right"),
        "shrink": dict.fromkeys(draw(st.sets(st.sampled_from(others), max_size=1)), 6),
    }
    return rows, options


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(min_value=20, max_value=130), st.sampled_from([0, 2]))
def test_a_table_shows_what_richs_table_showed(
    table: tuple[list[list[tuple[str, str]]], dict[str, object]], width: int, indent: int
) -> None:
    rows, options = table
    made = []
    for kind in (FoldingTable, RichFoldingTable):
        folding = kind(**options)  # type: ignore[arg-type]
        for row in rows:
            folding.add_row(*(Text(text, style=style) for text, style in row))
        made.append(folding)
    ours, richs = made
    # Indented by the table itself, as mlpath.output.styled._indent does; before, in a
    # Padding around the table.
    ours.indent = indent
    before = Padding(richs, (0, 0, 0, indent), expand=False) if indent else richs
    assert shown(ours, width) == shown(before, width)
