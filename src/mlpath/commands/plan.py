"""`mlpath plan`: the rest of the learner's horizon laid onto weeks."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.plan import Plan


def run(ctx: Context, values: Values) -> Plan:
    from mlpath import plan
    from mlpath.goal import read_goal, scope_of
    from mlpath.timefmt import today

    ws = ctx.workspace()
    goal = read_goal(ws.db())
    pace = values.text("pace") or "hours"
    hours_per_week = values.number("hours_per_week")
    if pace == "hours" and hours_per_week is None:
        if goal is None:
            raise UsageError(
                _(
                    "how many hours a week? e.g. --hours-per-week 5 (or --pace actual, "
                    "or set a goal: mlpath goal --hours-per-week 5)"
                )
            )
        hours_per_week = goal.hours_per_week
    if pace == "actual" and values.number("hours_per_week") is not None:
        raise UsageError(_("--pace actual measures your pace; leave out --hours-per-week"))
    first = values.date("start") or today()
    if hours_per_week is not None:
        rate = plan.hours_value(hours_per_week)
    else:
        # The measured pace adds up what was done: it needs the whole catalog.
        rate = plan.actual_pace(ws.catalog(), plan.read_pace_changes(ws.db(), first), first)
    return plan.read_plan(
        ws.db(), rate, first, values.flag("free"), pace, scope_of(goal), ws.store_path
    )
