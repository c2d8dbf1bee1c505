"""Finding resources: search, open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mlpath.cliutil import console, echo, echo_json, state, stdout_is_terminal
from mlpath.commands.daily import complete_ids
from mlpath.text import columns, outcome_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.table import Table

    from mlpath.search import SearchHit

# mlpath.search (its regular expressions, webbrowser) is imported by these commands
# only: every other command, and `--help`, builds this module's Typer commands too.

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

STATUS_STYLE = {"todo": "", "doing": "yellow", "done": "green", "skipped": "dim"}


def search(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(metavar="QUERY", help="Words to look for; small typos are forgiven."),
    ],
    limit: Annotated[
        int, typer.Option("-n", "--limit", min=1, help="Show at most this many hits.")
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """Search titles, authors, descriptions and tags.

    Best matches first; small typos are forgiven.

    Example: mlpath search neural networks
    """
    from mlpath.search import query_terms, rank

    text = " ".join(query).strip()
    if not query_terms(text):
        raise typer.BadParameter("give at least one word to search for", param_hint="QUERY")
    st = state(ctx)
    ws = st.workspace()
    hits = rank(ws.catalog().resources, text, ws.statuses(), limit)
    if as_json:
        echo_json([hit.to_json() for hit in hits])
        return
    if not hits:
        echo(f"Nothing matches '{text}' — try other words, or `mlpath list` for everything.")
        return
    lang = st.lang
    if stdout_is_terminal():
        console().print(_hits_table(hits, lang))
        return
    echo(
        columns(
            ("status", "id", "title", "section", "matched"),
            [
                (
                    hit.status,
                    hit.resource.id,
                    hit.resource.display_title(lang),
                    hit.resource.section,
                    ", ".join(hit.matched),
                )
                for hit in hits
            ],
        )
    )


def _hits_table(hits: Sequence[SearchHit], lang: str) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("status", no_wrap=True)
    table.add_column("id", overflow="fold")
    table.add_column("title", overflow="fold", min_width=16)
    table.add_column("section", no_wrap=True)
    table.add_column("matched", min_width=11)
    for hit in hits:
        r = hit.resource
        # Text cells: a title with brackets must not be read as Rich markup.
        table.add_row(
            Text(hit.status, style=STATUS_STYLE.get(hit.status, "")),
            Text(r.id),
            Text(r.display_title(lang)),
            Text(r.section),
            Text(", ".join(hit.matched), style="dim"),
        )
    return table


def open_resource(
    ctx: typer.Context,
    resource_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="Resource id or prefix.", autocompletion=complete_ids),
    ],
    start: Annotated[
        bool, typer.Option("--start", help="Also mark the resource as started.")
    ] = False,
) -> None:
    """Open a resource's link in your browser.

    Where no browser can open (over SSH, in CI), the link is printed instead.

    Example: mlpath open d2l --start
    """
    from mlpath.search import open_link

    st = state(ctx)
    ws = st.workspace()
    (resource,) = ws.resolve([resource_id])
    echo(open_link(resource).text(st.lang))
    if start:
        outcomes = ws.set_status([resource.id], "doing")
        echo(outcome_lines(outcomes, "doing", st.lang))


def register(app: typer.Typer) -> None:
    app.command("search")(search)
    app.command("open")(open_resource)
