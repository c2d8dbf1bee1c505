"""Looking back and ahead: progress, plan."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import typer

from mlpath.cliutil import echo, echo_json, state, stdout_is_terminal
from mlpath.views import progress_view

# mlpath.journey is imported only by the commands that use it: every other command
# (and `--help`) imports this module to register it, and should not pay for it.

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class Pace(StrEnum):
    hours = "hours"
    actual = "actual"


def progress(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Show how far along the path you are.

    Per section, your streak, recent activity and an activity calendar.

    Example: mlpath progress
    """
    st = state(ctx)
    progress_view(st.workspace(), st.lang, as_json)


def plan(
    ctx: typer.Context,
    hours_per_week: Annotated[
        float | None,
        typer.Option(
            "--hours-per-week",
            "-w",
            metavar="H",
            help="Hours a week you will spend (more than 0).",
        ),
    ] = None,
    start: Annotated[
        datetime | None,
        typer.Option(
            "--start",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="First day of week 1, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Leave paid resources out.")] = False,
    pace: Annotated[
        Pace,
        typer.Option(
            "--pace",
            help="hours: use --hours-per-week; actual: the effort you finished in the 4 weeks "
            "before --start.",
        ),
    ] = Pace.hours,
    as_json: JsonOption = False,
) -> None:
    """Lay the rest of the path onto weeks.

    When each resource should start and end, and each section and the path finish.

    Example: mlpath plan --hours-per-week 5 --free
    """
    if pace is Pace.hours and hours_per_week is None:
        raise typer.BadParameter(
            "how many hours a week? e.g. --hours-per-week 5 (or --pace actual)",
            param_hint="--hours-per-week",
        )
    if pace is Pace.actual and hours_per_week is not None:
        raise typer.BadParameter(
            "--pace actual measures your pace; leave out --hours-per-week", param_hint="--pace"
        )
    from mlpath import journey

    st = state(ctx)
    ws = st.workspace()
    catalog = ws.catalog()
    first = start.date() if start else date.today()
    if hours_per_week is not None:
        rate = journey.hours_value(hours_per_week)
    else:
        rate = journey.actual_pace(catalog, journey.read_pace_changes(ws.db(), first), first)
    result = journey.make_plan(catalog, ws.statuses(), rate, first, free, pace.value)
    if as_json:
        echo_json(result.to_json())
    elif stdout_is_terminal():
        from mlpath.render_journey import plan_renderables, print_all

        print_all(plan_renderables(result, st.lang))
    else:
        echo(journey.plan_text(result, st.lang))


def register(app: typer.Typer) -> None:
    app.command("progress")(progress)
    app.command("plan")(plan)
