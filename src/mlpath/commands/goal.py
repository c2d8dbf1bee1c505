"""`mlpath goal`: the pace the learner means to keep, and which resources count."""

from __future__ import annotations

from mlpath.errors import UsageError
from mlpath.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.argv import Values
    from mlpath.context import Context
    from mlpath.results import GoalResult


def run(ctx: Context, values: Values) -> GoalResult:
    from mlpath.goal import DEFAULT_SCOPE, GOAL_KEY, Goal, goal_value, horizon_for, read_goal
    from mlpath.next_steps import totals
    from mlpath.results import GoalResult

    ws = ctx.workspace()
    current = read_goal(ws.db())
    hours, scope = values.number("hours_per_week"), values.text("scope")
    goal: Goal | None
    if values.flag("clear"):
        if hours is not None or scope is not None:
            raise UsageError(_("--clear forgets the whole goal; give it on its own"))
        goal, action = None, "unchanged"
        if current is not None:
            ws.store().define(GOAL_KEY, None)
            action = "cleared"
    elif hours is None and scope is None:
        goal, action = current, "shown"
    else:
        if hours is None:
            if current is None:
                raise UsageError(
                    "a goal needs a pace: mlpath goal --hours-per-week H"
                    + (f" --scope {scope}" if scope else "")
                )
            hours = current.hours_per_week
        value = goal_value(hours, scope or (current.scope if current else DEFAULT_SCOPE))
        goal = Goal(value["hours_per_week"], value["scope"])
        action = "set" if ws.store().define(GOAL_KEY, value) is not None else "unchanged"
    # What the store now says, from the goal itself: the write is not committed yet.
    tally = totals(ws.db(), goal.scope if goal else DEFAULT_SCOPE)
    return GoalResult(action, goal, tally, horizon_for(goal, tally.minutes_left))
