"""The daily loop: next, done, start, skip, reset, undo, note, history."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mlpath.cliutil import echo, echo_json, state
from mlpath.errors import MlpathError
from mlpath.path import find_next
from mlpath.text import columns, next_text, outcome_lines
from mlpath.timefmt import local_time

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for resource ids; never fails, it only offers less."""
    try:
        db = state(ctx).workspace().db()
        return [
            row[0]
            for row in db.execute(
                "SELECT id FROM resources WHERE id LIKE ? ESCAPE '\\' ORDER BY position",
                (incomplete.lower().replace("_", "\\_").replace("%", "\\%") + "%",),
            )
        ]
    except Exception:
        return []


IdsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="ID...", help="Resource ids or unique prefixes.", autocompletion=complete_ids
    ),
]


def next_step(
    ctx: typer.Context,
    count: Annotated[
        int, typer.Option("-n", "--count", min=1, help="How many steps to show.")
    ] = 1,
    free: Annotated[bool, typer.Option("--free", help="Pass over paid resources.")] = False,
    section: Annotated[
        list[str] | None, typer.Option("--section", "-s", help="Only this section (repeatable).")
    ] = None,
    short: Annotated[
        bool, typer.Option("--short", help="One plain line, for a shell prompt or status bar.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show what to do next on the path.

    Example: mlpath next -n 3 --free
    """
    st = state(ctx)
    result = find_next(st.workspace(), count, free, tuple(section or ()), st.lang)
    if as_json:
        echo_json(result.to_json())
    else:
        echo(next_text(result, st.lang, short))


def _change(ctx: typer.Context, ids: list[str], status: str, note: str | None = None) -> None:
    st = state(ctx)
    outcomes = st.workspace().set_status(ids, status, note)
    echo(outcome_lines(outcomes, status, st.lang))


def done(ctx: typer.Context, ids: IdsArgument) -> None:
    """Mark resources as done.

    Example: mlpath done 3b1b
    """
    _change(ctx, ids, "done")


def start(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_ids)],
) -> None:
    """Mark a resource as in progress; `mlpath next` shows it first."""
    _change(ctx, [resource_id], "doing")


def skip(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID...]", help="Resource ids or prefixes.", autocompletion=complete_ids
        ),
    ] = None,
    section: Annotated[
        list[str] | None, typer.Option("--section", "-s", help="Skip every resource of a section.")
    ] = None,
) -> None:
    """Skip resources you will not do (or already know).

    Example: mlpath skip --section books
    """
    st = state(ctx)
    chosen = list(ids or [])
    if section:
        chosen += st.workspace().section_resource_ids(section)
    if not chosen:
        raise typer.BadParameter("name at least one ID or --section", param_hint="ID")
    _change(ctx, chosen, "skipped")


def reset(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID...]", help="Resource ids or prefixes.", autocompletion=complete_ids
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Reset every resource.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Put resources back to todo.

    The history is kept, and `mlpath undo` takes this back too.
    """
    st = state(ctx)
    if all_:
        statuses = st.workspace().statuses()
        chosen = [rid for rid in statuses if statuses[rid] != "todo"]
        catalog_ids = {r.id for r in st.workspace().catalog().resources}
        chosen = [rid for rid in chosen if rid in catalog_ids]
        if not chosen:
            echo("Nothing to reset: every resource is already to do.")
            return
        if not yes:
            if not sys.stdin.isatty():
                raise MlpathError(
                    f"reset --all would reset {len(chosen)} resources; "
                    "confirm with --yes (no terminal to ask)"
                )
            if not typer.confirm(f"Reset all {len(chosen)} resources to todo?"):
                raise typer.Abort()
    elif ids:
        chosen = ids
    else:
        raise typer.BadParameter("name at least one ID, or use --all", param_hint="ID")
    _change(ctx, chosen, "todo")


def undo(
    ctx: typer.Context,
    count: Annotated[int, typer.Argument(min=1, help="How many commands to take back.")] = 1,
) -> None:
    """Take back what the last command changed.

    With N, the last N commands.

    Example: mlpath undo 2
    """
    store = state(ctx).workspace().store()
    for change in store.undo(count):
        what = change.status if change.action == "status" else "note on"
        echo(f"undid: {what} {change.resource} ({local_time(change.at)})")


def note(
    ctx: typer.Context,
    resource_id: Annotated[str, typer.Argument(metavar="ID", autocompletion=complete_ids)],
    text: Annotated[str, typer.Argument(help="The note.")],
) -> None:
    """Add a note to a resource (shown by `mlpath show`).

    Example: mlpath note d2l "chapter 3 was hard; redo the exercises"
    """
    if not text.strip():
        raise typer.BadParameter("the note is empty", param_hint="TEXT")
    ws = state(ctx).workspace()
    (resource,) = ws.resolve([resource_id])
    ws.store().add_note(resource.id, text.strip())
    echo(f"noted: {resource.id}")


def history(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many changes.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show the log of changes, newest first."""
    store = state(ctx).workspace().existing_store()
    changes = store.changes(limit=limit) if store else []
    if as_json:
        echo_json([c.to_json() for c in changes])
        return
    if not changes:
        echo("No changes yet — `mlpath done ID` records the first.")
        return
    rows = []
    for c in changes:
        if c.action == "status":
            what = f"→ {c.status}"
        elif c.action == "note":
            what = f"note: {c.note}"
        else:
            what = "undo"
        rows.append((local_time(c.at), c.resource, what))
    echo(columns(("when", "resource", "change"), rows))


def register(app: typer.Typer) -> None:
    app.command("next")(next_step)
    app.command("done")(done)
    app.command("start")(start)
    app.command("skip")(skip)
    app.command("reset")(reset)
    app.command("undo")(undo)
    app.command("note")(note)
    app.command("history")(history)
