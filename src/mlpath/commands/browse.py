"""Looking at the path: list, sections, show."""

from __future__ import annotations

from typing import Annotated

import typer

from mlpath.catalog import Filters
from mlpath.cliutil import console, echo, echo_json, state, stdout_is_terminal
from mlpath.path import format_minutes
from mlpath.text import columns
from mlpath.views import list_view

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def list_resources(
    ctx: typer.Context,
    section: Annotated[
        list[str] | None, typer.Option("--section", "-s", help="Only this section (repeatable).")
    ] = None,
    free: Annotated[
        bool | None, typer.Option("--free/--paid", help="Only free, or only paid, resources.")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="Only this kind (repeatable).")
    ] = None,
    optional: Annotated[
        bool | None,
        typer.Option("--optional/--required", help="Only optional, or only required, steps."),
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only todo, doing, done or skipped (repeatable)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the path in order, with filters.

    Example: mlpath list --free --section books
    """
    st = state(ctx)
    filters = Filters(
        sections=section or (),
        cost=None if free is None else ("free" if free else "paid"),
        kinds=kind or (),
        optional=optional,
        statuses=status or (),
    )
    list_view(st.workspace(), filters, st.lang, as_json)


def sections(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the sections, with their size and estimated time."""
    st = state(ctx)
    catalog = st.workspace().catalog()
    statuses = st.workspace().statuses()
    summaries = [
        (s, [r for r in catalog.resources if r.section == s.id]) for s in catalog.sections
    ]
    if as_json:
        echo_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "title_zh": s.title_zh,
                    "summary": s.summary,
                    "optional": s.optional,
                    "resources": len(members),
                    "done": sum(statuses.get(r.id) == "done" for r in members),
                    "minutes": sum(r.minutes for r in members),
                }
                for s, members in summaries
            ]
        )
        return
    lang = st.lang
    header = ("id", "title", "resources", "done", "time", "")
    display = [
        (
            s.id,
            s.display_title(lang),
            str(len(members)),
            f"{sum(statuses.get(r.id) == 'done' for r in members)}/{len(members)}",
            format_minutes(sum(r.minutes for r in members)),
            "optional" if s.optional else "",
        )
        for s, members in summaries
    ]
    if stdout_is_terminal():
        from rich.table import Table

        table = Table(box=None, pad_edge=False, header_style="bold")
        for name in header:
            table.add_column(name)
        for line in display:
            table.add_row(*line)
        console().print(table)
    else:
        echo(columns(header, display))


def show(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", help="Resource id or prefix.")],
    as_json: JsonOption = False,
) -> None:
    """Show everything about one resource.

    Details, status, dates, notes, what it needs and what it unlocks.

    Example: mlpath show d2l
    """
    from mlpath.details import resource_details

    st = state(ctx)
    details = resource_details(st.workspace(), resource_id, st.lang)
    if as_json:
        echo_json(details.to_json())
        return
    echo(details.text(st.lang))


def register(app: typer.Typer) -> None:
    app.command("list")(list_resources)
    app.command("sections")(sections)
    app.command("show")(show)
