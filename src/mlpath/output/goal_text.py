"""`mlpath goal` as plain text: the goal, and the horizon's totals under it."""

from __future__ import annotations

from mlpath.output.words import progress_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mlpath.results import GoalResult

SCOPES = {
    "core": "required resources, and optional ones you start",
    "free": "core, and every free optional resource",
    "all": "every resource",
}


def goal_text(hours_per_week: float, scope: str) -> str:
    return f"{hours_per_week:g} h/week, scope {scope} ({SCOPES.get(scope, scope)})"


def goal_lines(result: GoalResult, lang: str) -> list[str]:
    goal = result.goal
    footer = progress_line(result.totals, result.horizon)
    if result.action == "cleared":
        return ["goal cleared (`mlpath undo` brings it back); counting scope core", footer]
    if goal is None:
        return [
            "No goal yet: counting scope core (the required resources, and optional ones",
            "you start). Set one: mlpath goal --hours-per-week 6 [--scope core|free|all]",
            footer,
        ]
    said = {"set": "goal set", "unchanged": "goal unchanged", "shown": "goal"}
    return [
        f"{said.get(result.action, 'goal')}: {goal_text(goal.hours_per_week, goal.scope)}",
        footer,
    ]
