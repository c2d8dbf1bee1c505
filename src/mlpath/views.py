"""Commands' output, computed and printed without Typer: shared by the fast path.

Each view takes the workspace and already-parsed options, and prints: JSON with
`as_json`, a Rich table at a terminal, plain columns into a pipe.
"""

from __future__ import annotations

from mlpath.catalog import Filters
from mlpath.path import format_minutes
from mlpath.text import columns, console, cost_label, echo, echo_json, stdout_is_terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.workspace import Workspace


def list_view(ws: Workspace, filters: Filters, lang: str, as_json: bool) -> None:
    catalog = ws.catalog()
    statuses = ws.statuses()
    selected = filters.select(catalog, statuses)
    if as_json:
        echo_json([{**r.to_json(), "status": statuses.get(r.id, "todo")} for r in selected])
        return
    if not selected:
        echo("No resource matches these filters.")
        return
    if stdout_is_terminal():
        from mlpath.render import resources_table

        console().print(resources_table(selected, catalog, statuses, lang))
        return
    echo(
        columns(
            ("status", "id", "title", "section", "kind", "cost", "time"),
            [
                (
                    statuses.get(r.id, "todo"),
                    r.id,
                    r.display_title(lang),
                    r.section,
                    r.kind,
                    cost_label(r),
                    format_minutes(r.minutes),
                )
                for r in selected
            ],
        )
    )


def progress_view(ws: Workspace, lang: str, as_json: bool) -> None:
    from datetime import date

    from mlpath import journey

    report = journey.read_progress(ws.db(), date.today())
    if as_json:
        echo_json(report.to_json())
    elif stdout_is_terminal():
        from mlpath.render_journey import print_all, progress_renderables

        print_all(progress_renderables(report, lang))
    else:
        echo(journey.progress_text(report, lang))
